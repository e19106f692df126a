import { createServer, IncomingMessage, ServerResponse } from 'http'
import { readFileSync } from 'fs'
import path from 'path'
import type { AddressInfo } from 'net'
import type { SegmentEvent, Subscription } from '@segment/actions-core'
import type { Deliverer, Delivery, Outcome } from '../delivery/deliver'
import type { Exchange } from '../delivery/exchanges'
import type { Sandbox } from '../sandbox'
import { definitionSummary } from './definition-summary'
import { SAMPLE_EVENTS } from './samples'
import { EVENT_TYPES, EventType, toSegmentBatch, toSegmentEvent, TrackingApiError } from './tracking-api'

/** Segment's tracking API caps a batch at 500 KB; single calls are far smaller. */
export const MAX_BODY_BYTES = 500 * 1024
const KEPT_DELIVERIES = 100

export type RuntimeMode = { kind: 'sandbox'; sandbox: Sandbox } | { kind: 'live'; apiUrl: string }

export interface RuntimeOptions {
  port?: number
  deliverer: Deliverer
  subscriptions: Subscription[]
  mode: RuntimeMode
}

/** A delivery as the page shows it: each outcome with what the sandbox now holds for it. */
export interface DeliveryRecord extends Delivery {
  id: number
  receivedAt: string
  outcomes: (Outcome & { sandbox?: unknown })[]
}

export interface Runtime {
  url: string
  deliveries(): DeliveryRecord[]
  close(): Promise<void>
}

const PAGE_DIR = path.join(__dirname, 'page')
const ASSETS: Record<string, [string, string]> = {
  '/': ['index.html', 'text/html; charset=utf-8'],
  '/app.js': ['app.js', 'text/javascript; charset=utf-8'],
  '/style.css': ['style.css', 'text/css; charset=utf-8']
}

export async function startRuntime(options: RuntimeOptions): Promise<Runtime> {
  const records: DeliveryRecord[] = []
  let nextId = 1
  const assets = Object.fromEntries(
    Object.entries(ASSETS).map(([route, [file, type]]) => [
      route,
      { body: readFileSync(path.join(PAGE_DIR, file)), type }
    ])
  )
  const summary = {
    ...definitionSummary(options.subscriptions),
    mode: options.mode.kind,
    apiUrl: options.mode.kind === 'sandbox' ? options.mode.sandbox.url : options.mode.apiUrl
  }

  function record(delivery: Delivery): DeliveryRecord {
    const entry: DeliveryRecord = {
      ...delivery,
      id: nextId++,
      receivedAt: new Date().toISOString(),
      outcomes: delivery.outcomes.map((outcome) => ({ ...outcome, sandbox: sandboxView(options.mode, outcome) }))
    }
    records.unshift(entry)
    records.length = Math.min(records.length, KEPT_DELIVERIES)
    return entry
  }

  async function handleEvents(pathType: EventType | 'batch', body: unknown, res: ServerResponse) {
    const events: SegmentEvent[] = pathType === 'batch' ? toSegmentBatch(body) : [toSegmentEvent(body, pathType)]
    const deliveries =
      pathType === 'batch' ? await options.deliverer.deliverBatch(events) : [await options.deliverer.deliver(events[0])]
    const recorded = deliveries.map(record)
    const undelivered = recorded.filter((d) => d.retryable)
    // A 503 tells the caller that something it sent is not in FullStory yet and is safe to send again.
    send(res, undelivered.length ? 503 : 200, {
      success: undelivered.length === 0,
      deliveries: withSharedOnce(recorded)
    })
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: Error) => {
      const status = error instanceof TrackingApiError ? 400 : error instanceof BodyTooLarge ? 413 : 500
      send(res, status, { success: false, message: error.message })
    })
  })

  async function route(req: IncomingMessage, res: ServerResponse) {
    const url = new URL(req.url ?? '/', 'http://localhost')
    const asset = assets[url.pathname]
    if (req.method === 'GET' && asset) {
      res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': 'no-store' }).end(asset.body)
      return
    }
    if (req.method === 'GET' && url.pathname === '/api/definition') return send(res, 200, summary)
    if (req.method === 'GET' && url.pathname === '/api/samples') return send(res, 200, SAMPLE_EVENTS)
    if (req.method === 'GET' && url.pathname === '/api/deliveries') return send(res, 200, records)
    const match = /^\/v1\/(\w+)$/.exec(url.pathname)
    const type = match?.[1]
    if (type && (EVENT_TYPES.includes(type as EventType) || type === 'batch')) {
      if (req.method !== 'POST') return send(res, 405, { success: false, message: `Use POST for ${url.pathname}.` })
      return handleEvents(type as EventType | 'batch', await readJson(req), res)
    }
    send(res, 404, { success: false, message: `No route ${req.method ?? ''} ${url.pathname}.` })
  }

  await new Promise<void>((resolve) => server.listen(options.port ?? 0, '127.0.0.1', resolve))
  const { port } = server.address() as AddressInfo
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries: () => records,
    close: () => new Promise<void>((resolve, reject) => server.close((error) => (error ? reject(error) : resolve())))
  }
}

class BodyTooLarge extends Error {}

async function readJson(req: IncomingMessage): Promise<unknown> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > MAX_BODY_BYTES) throw new BodyTooLarge(`The body is over ${MAX_BODY_BYTES} bytes.`)
    chunks.push(chunk as Buffer)
  }
  const text = Buffer.concat(chunks).toString('utf8')
  try {
    return JSON.parse(text)
  } catch {
    throw new TrackingApiError('The body is not valid JSON.')
  }
}

function send(res: ServerResponse, status: number, body: unknown) {
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
}

/**
 * Deliveries for an answer, each HTTP exchange written out once. All the events of an import job share its
 * exchange; repeating it under each made a /v1/batch answer grow with the square of the batch (100 events of
 * 1.4 KB: 14 MB). Later outcomes name the delivery whose outcome for the same subscription holds it.
 */
function withSharedOnce(records: DeliveryRecord[]): unknown[] {
  const holder = new Map<Exchange[], number>()
  return records.map((record) => ({
    ...record,
    outcomes: record.outcomes.map((outcome) => {
      const id = holder.get(outcome.exchanges)
      if (id === undefined) {
        if (outcome.exchanges.length > 0) holder.set(outcome.exchanges, record.id)
        return outcome
      }
      const { exchanges: _shared, ...rest } = outcome
      return { ...rest, exchangesInDelivery: id }
    })
  }))
}

/** What the sandbox holds now for a sent outcome: the user it upserted, or the event it stored. */
function sandboxView(mode: RuntimeMode, outcome: Outcome): unknown {
  if (mode.kind !== 'sandbox' || outcome.status !== 'sent') return undefined
  const body = outcome.exchanges[0]?.request.body as { uid?: string; name?: string; requests?: unknown[] } | undefined
  if (!body || body.requests) return undefined
  // Looked up, not listed: copying the whole store for every delivery made npm start slow down as it filled.
  if (outcome.action === 'identifyUser') return body.uid === undefined ? undefined : mode.sandbox.user(body.uid)
  return body.name === undefined ? undefined : mode.sandbox.latestEvent(body.name)
}

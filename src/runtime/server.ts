import { createServer, IncomingMessage, ServerResponse } from 'http'
import { readFileSync } from 'fs'
import path from 'path'
import type { AddressInfo } from 'net'
import type { Subscription } from '@segment/actions-core'
import type { Deliverer } from '../delivery/deliver'
import { Answer, batchAnswer, BatchEventSummary, eventSummary, singleAnswer } from './answers'
import { BodyTooLarge, readJsonBody } from './body'
import { definitionSummary } from './definition-summary'
import { refusal } from './guard'
import { LIMITS } from './limits'
import { DeliveryLog, DeliveryRecord, RuntimeMode } from './records'
import { SAMPLE_EVENTS } from './samples'
import { EventType, isEventType, toSegmentBatch, toSegmentEvent, TrackingApiError } from './tracking-api'

export type { DeliveryRecord, RuntimeMode } from './records'

export interface RuntimeOptions {
  port?: number
  deliverer: Deliverer
  subscriptions: Subscription[]
  mode: RuntimeMode
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
  const log = new DeliveryLog(options.mode)
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
  let port = 0

  async function handleSingle(type: EventType, req: IncomingMessage): Promise<Answer> {
    const event = toSegmentEvent(await readJsonBody(req, LIMITS.singleBodyBytes), type)
    return singleAnswer(log.add(await options.deliverer.deliver(event)))
  }

  async function handleBatch(req: IncomingMessage): Promise<Answer> {
    const items = toSegmentBatch(await readJsonBody(req, LIMITS.batchBodyBytes))
    const summaries: BatchEventSummary[] = items.flatMap((item) =>
      'error' in item ? [{ index: item.index, result: 'invalid' as const, error: item.error }] : []
    )
    const valid = items.flatMap((item) => ('event' in item ? [item] : []))
    // Each delivery is summarised and handed to the log as soon as it is done, so a request holds summaries only.
    await options.deliverer.deliverEach(
      valid.map((item) => item.event),
      (position, delivery) => summaries.push(eventSummary(valid[position].index, log.add(delivery)))
    )
    return batchAnswer(summaries.sort((a, b) => a.index - b.index))
  }

  function deliveriesPage(url: URL): Answer {
    const limit = Number(url.searchParams.get('limit') ?? LIMITS.pageSize)
    const before = url.searchParams.get('before')
    if (!Number.isInteger(limit) || limit < 1 || limit > LIMITS.maxPageSize) {
      throw new TrackingApiError(`limit must be a whole number from 1 to ${LIMITS.maxPageSize}.`)
    }
    if (before !== null && !/^\d+$/.test(before)) throw new TrackingApiError('before must be a delivery id.')
    return { status: 200, body: log.page(limit, before === null ? undefined : Number(before)) }
  }

  async function route(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const refused = refusal(req, port)
    if (refused) return send(res, refused.status, { success: false, message: refused.message })
    const url = new URL(req.url ?? '/', 'http://localhost')
    const asset = assets[url.pathname]
    if (req.method === 'GET' && asset) {
      res.writeHead(200, { 'Content-Type': asset.type, 'Cache-Control': 'no-store' }).end(asset.body)
      return
    }
    if (req.method === 'GET' && url.pathname === '/api/definition') return send(res, 200, summary)
    if (req.method === 'GET' && url.pathname === '/api/samples') return send(res, 200, SAMPLE_EVENTS)
    if (req.method === 'GET' && url.pathname === '/api/deliveries') return reply(res, deliveriesPage(url))
    const type = /^\/v1\/(\w+)$/.exec(url.pathname)?.[1]
    if (type && (isEventType(type) || type === 'batch')) {
      if (req.method !== 'POST') return send(res, 405, { success: false, message: `Use POST for ${url.pathname}.` })
      return reply(res, type === 'batch' ? await handleBatch(req) : await handleSingle(type, req))
    }
    send(res, 404, { success: false, message: `No route ${req.method ?? ''} ${url.pathname}.` })
  }

  const server = createServer((req, res) => {
    route(req, res).catch((error: Error) => {
      const status = error instanceof TrackingApiError ? 400 : error instanceof BodyTooLarge ? 413 : 500
      // The rest of a refused body is not read: closing the connection is how the caller learns to stop sending it.
      if (status === 413) res.setHeader('Connection', 'close')
      send(res, status, { success: false, message: error.message })
    })
  })

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new Error(
              `Port ${options.port ?? 0} on 127.0.0.1 is already in use. Stop what listens there, or choose another port with --port or PORT.`
            )
          : error
      )
    )
    server.listen(options.port ?? 0, '127.0.0.1', resolve)
  })
  port = (server.address() as AddressInfo).port
  return {
    url: `http://127.0.0.1:${port}`,
    deliveries: () => log.list(),
    close: () =>
      new Promise<void>((resolve, reject) => {
        server.close((error) => (error ? reject(error) : resolve()))
        server.closeAllConnections()
      })
  }
}

function reply(res: ServerResponse, answer: Answer): void {
  send(res, answer.status, answer.body)
}

function send(res: ServerResponse, status: number, body: unknown): void {
  if (res.headersSent) return
  res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body))
}

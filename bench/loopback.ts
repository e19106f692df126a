import type { SegmentEvent } from '@segment/actions-core'
import { API_URL_ENV } from '../src/destinations/fullstory-cloud/api'
import { createDeliverer } from '../src/delivery/deliver'
import { presetSubscriptions } from '../src/delivery/subscriptions'
import { startRuntime } from '../src/runtime/server'
import type { RuntimeMode } from '../src/runtime/server'
import { startSandbox } from '../src/sandbox'
import type { Sandbox } from '../src/sandbox'
import { batchingSubscriptions, benchBatchJobs } from './batch-jobs'
import { DELIVERABLE_MIX, eventMix } from './events'
import { createClient } from './http-client'
import type { RunProgress } from './progress'
import { median } from './stats'

export interface LoopbackOptions {
  seconds: number
  runs: number
  clients: number
  batchSize: number
}

export interface LoopbackRow {
  label: string
  /** Median events per second acknowledged with 200. */
  eventsPerSecond: number
  /** Events in a run that were not acknowledged with 200 (all runs). */
  failed: number
}

const API_KEY = 'bench-key'

interface Scenario {
  label: string
  batchJobs: boolean
  sandboxMode: boolean
  batched: boolean
}

export const SCENARIOS: Scenario[] = [
  { label: 'per event: POST /v1/{identify,track}', batched: false, batchJobs: false, sandboxMode: false },
  { label: 'batched: POST /v1/batch, event by event', batched: true, batchJobs: false, sandboxMode: false },
  { label: 'batched: POST /v1/batch, import jobs', batched: true, batchJobs: true, sandboxMode: false },
  { label: 'per event, as `npm start` (sandbox view)', batched: false, batchJobs: false, sandboxMode: true }
]

/**
 * End-to-end throughput over loopback HTTP: clients POST Segment calls to the local runtime (started in this
 * process), which delivers them through the destination to the embedded sandbox (also in this process). Each
 * run starts on an empty sandbox. Events carry no messageId, so the runtime gives each a fresh one and no
 * request is answered from the sandbox's idempotency store.
 */
export async function benchLoopback(options: LoopbackOptions, progress?: RunProgress): Promise<LoopbackRow[]> {
  const sandbox = await startSandbox({ apiKey: API_KEY })
  const previousUrl = process.env[API_URL_ENV]
  process.env[API_URL_ENV] = sandbox.url
  const events = eventMix(1000, 11, DELIVERABLE_MIX).map(withoutMessageId)
  const singles = events.map((event) => ({ path: `/v1/${event.type}`, body: JSON.stringify(event) }))
  const batches: { path: string; body: string }[] = []
  for (let i = 0; i + options.batchSize <= events.length; i += options.batchSize) {
    batches.push({ path: '/v1/batch', body: JSON.stringify({ batch: events.slice(i, i + options.batchSize) }) })
  }
  try {
    const rows: LoopbackRow[] = []
    for (const scenario of SCENARIOS) {
      const row = progress?.begin()
      const subscriptions = scenario.batchJobs ? batchingSubscriptions() : presetSubscriptions()
      const mode: RuntimeMode = scenario.sandboxMode
        ? { kind: 'sandbox', sandbox }
        : { kind: 'live', apiUrl: sandbox.url }
      const runtime = await startRuntime({
        deliverer: createDeliverer({ settings: { apiKey: API_KEY }, subscriptions }),
        subscriptions,
        mode
      })
      const client = createClient(runtime.url, options.clients)
      const requests = scenario.batched ? batches : singles
      const perRequest = scenario.batched ? options.batchSize : 1
      const rates: number[] = []
      let failed = 0
      try {
        row?.update(0, 'warm-up')
        await drive(client.post, requests, perRequest, options.clients, 0.3, sandbox) // warm-up
        for (let run = 0; run < options.runs; run++) {
          row?.update(run / options.runs, `run ${run + 1}/${options.runs}`)
          const result = await drive(client.post, requests, perRequest, options.clients, options.seconds, sandbox)
          rates.push(result.eventsPerSecond)
          failed += result.failed
        }
      } finally {
        client.close()
        await runtime.close()
      }
      rows.push({ label: scenario.label, eventsPerSecond: median(rates), failed })
      row?.end(`${Math.round(median(rates))} events/s`)
    }
    const row = progress?.begin()
    const jobs = await benchBatchJobs(sandbox, eventMix(1000, 11, DELIVERABLE_MIX), options)
    rows.push({ label: 'batched: Destination.onBatch import jobs, no runtime', ...jobs })
    row?.end(`${Math.round(jobs.eventsPerSecond)} events/s`)
    return rows
  } finally {
    if (previousUrl === undefined) delete process.env[API_URL_ENV]
    else process.env[API_URL_ENV] = previousUrl
    await sandbox.close()
  }
}

/** `clients` loops each sending the next request until `seconds` have passed; counts events acknowledged. */
async function drive(
  post: (path: string, body: string) => Promise<number>,
  requests: { path: string; body: string }[],
  eventsPerRequest: number,
  clients: number,
  seconds: number,
  sandbox: Sandbox
): Promise<{ eventsPerSecond: number; failed: number }> {
  sandbox.reset()
  let next = 0
  let acknowledged = 0
  let failed = 0
  const start = process.hrtime.bigint()
  const deadline = start + BigInt(Math.round(seconds * 1e9))
  const loop = async () => {
    while (process.hrtime.bigint() < deadline) {
      const { path, body } = requests[next++ % requests.length]
      const status = await post(path, body)
      if (status === 200) acknowledged += eventsPerRequest
      else failed += eventsPerRequest
    }
  }
  await Promise.all(Array.from({ length: clients }, loop))
  const elapsedSeconds = Number(process.hrtime.bigint() - start) / 1e9
  return { eventsPerSecond: acknowledged / elapsedSeconds, failed }
}

function withoutMessageId(event: SegmentEvent): SegmentEvent {
  const { messageId: _messageId, ...rest } = event
  return rest
}

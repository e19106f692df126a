import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent, Subscription } from '@segment/actions-core'
import definition from '../src/destinations/fullstory-cloud'
import { presetSubscriptions } from '../src/delivery/subscriptions'
import type { Sandbox } from '../src/sandbox'
import { median } from './stats'

/** actions-core's answer for an event that the other action's subscription takes. */
const NOT_SUBSCRIBED = 'Payload is either invalid or does not match the subscription'

/** Subscriptions that turn on Send in Batches, so `onBatch` goes through the import-job path. */
export function batchingSubscriptions(): Subscription[] {
  return presetSubscriptions().map((subscription) => ({
    ...subscription,
    mapping: { ...subscription.mapping, enable_batching: true }
  }))
}

/**
 * The destination's own batch path without the local runtime in front: `Destination.onBatch` with batching
 * presets, `batchSize` events at a time, over loopback HTTP into the sandbox (whose FULLSTORY_API_URL is set).
 */
export async function benchBatchJobs(
  sandbox: Sandbox,
  events: SegmentEvent[],
  options: { batchSize: number; seconds: number; runs: number }
): Promise<{ eventsPerSecond: number; failed: number }> {
  const settings = { apiKey: 'bench-key', subscriptions: batchingSubscriptions() } as unknown as JSONObject
  const destination = new Destination(definition)
  const rates: number[] = []
  let failed = 0
  for (let run = -1; run < options.runs; run++) {
    sandbox.reset()
    const seconds = run < 0 ? 0.3 : options.seconds // run -1 warms up
    const start = process.hrtime.bigint()
    const deadline = start + BigInt(Math.round(seconds * 1e9))
    let sent = 0
    let serial = 0
    for (let i = 0; process.hrtime.bigint() < deadline; i = (i + options.batchSize) % events.length) {
      // Fresh message ids: a repeated batch would be answered from the sandbox's idempotency store.
      const batch = events.slice(i, i + options.batchSize).map((event) => ({ ...event, messageId: `b${serial++}` }))
      const results = await destination.onBatch(batch, settings)
      destination.responses.length = 0
      for (const result of results) {
        for (const node of (result as { multistatus?: { status: number; errormessage?: string }[] }).multistatus ??
          []) {
          if (node.status === 200) sent++
          else if (run >= 0 && node.errormessage !== NOT_SUBSCRIBED) failed++
        }
      }
    }
    if (run >= 0) rates.push(sent / (Number(process.hrtime.bigint() - start) / 1e9))
  }
  return { eventsPerSecond: median(rates), failed }
}

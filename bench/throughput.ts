import type { JSONObject, SegmentEvent, Subscription } from '@segment/actions-core'
import type { RowProgress } from './progress'
import type { Side } from './sides'
import { median } from './stats'
import type { TransportStats } from './stub-transport'

export interface ThroughputRow {
  label: string
  /** Median events handled per second of wall time, in this process with an instant transport. */
  eventsPerSecond: number
  /** Median CPU µs per event. */
  cpuPerEvent: number
  requestsPer1000: number
  /** Events FullStory was sent (per event) or accepted into a job, per 1,000. */
  acceptedPer1000: number
}

interface Mode {
  label: string
  run: (events: SegmentEvent[]) => Promise<number>
}

/**
 * How much work a volume of events makes, per event and with import jobs (`enable_batching`): events per second
 * one core can hand to the transport, and requests per 1,000 events. The transport is the stub, so these rows show
 * what each delivery mode costs our side, not FullStory's answer time; the loopback rows add the HTTP. Modes
 * alternate round by round, as in the per-event comparison. The earlier destination has no batch action
 * (`performBatch`): Segment sends it every event as its own request, whatever the volume.
 */
export async function benchThroughput(
  sides: Side[],
  events: SegmentEvent[],
  options: { rounds: number; batchSize: number },
  stats: TransportStats,
  progress?: RowProgress
): Promise<ThroughputRow[]> {
  const modes: Mode[] = []
  for (const side of sides.filter((side) => side.name === 'ours' || side.name === 'earlier')) {
    modes.push({ label: `${side.name}, per event (onEvent)`, run: (list) => perEvent(side, list) })
  }
  const ours = sides.find((side) => side.name === 'ours')
  if (ours) {
    const settings = {
      ...ours.settings,
      subscriptions: withBatching(ours.settings.subscriptions as unknown as Subscription[])
    }
    modes.push({
      label: `ours, import jobs (onBatch, batches of ${options.batchSize})`,
      run: (list) => inBatches({ ...ours, settings: settings as unknown as JSONObject }, list, options.batchSize)
    })
  }

  const samples = modes.map(() => ({ rates: [] as number[], cpu: [] as number[], requests: 0, accepted: 0, events: 0 }))
  for (let round = -1; round < options.rounds; round++) {
    progress?.update((round + 1) / (options.rounds + 1), round < 0 ? 'warm-up' : `round ${round + 1}/${options.rounds}`)
    for (let k = 0; k < modes.length; k++) {
      const index = (Math.max(round, 0) + k) % modes.length
      const before = stats.requests
      const started = process.hrtime.bigint()
      const cpu = process.cpuUsage()
      const accepted = await modes[index].run(events)
      const { user, system } = process.cpuUsage(cpu)
      const seconds = Number(process.hrtime.bigint() - started) / 1e9
      if (round < 0) continue
      const sample = samples[index]
      sample.rates.push(events.length / seconds)
      sample.cpu.push((user + system) / events.length)
      sample.requests += stats.requests - before
      sample.accepted += accepted
      sample.events += events.length
    }
  }
  return modes.map((mode, i) => ({
    label: mode.label,
    eventsPerSecond: median(samples[i].rates),
    cpuPerEvent: median(samples[i].cpu),
    requestsPer1000: (samples[i].requests / samples[i].events) * 1000,
    acceptedPer1000: (samples[i].accepted / samples[i].events) * 1000
  }))
}

function withBatching(subscriptions: Subscription[]): Subscription[] {
  return subscriptions.map((subscription) => ({
    ...subscription,
    mapping: { ...subscription.mapping, enable_batching: true }
  }))
}

async function perEvent(side: Side, events: SegmentEvent[]): Promise<number> {
  let accepted = 0
  for (const event of events) {
    try {
      const results = await side.destination.onEvent(event, side.settings)
      if (results.some((result) => (result as { output?: string }).output === 'Action Executed')) accepted++
    } catch {
      // Refused: counted by its absence.
    }
    side.destination.responses.length = 0
  }
  return accepted
}

async function inBatches(side: Side, events: SegmentEvent[], batchSize: number): Promise<number> {
  let accepted = 0
  for (let start = 0; start < events.length; start += batchSize) {
    const results = await side.destination.onBatch(events.slice(start, start + batchSize), side.settings)
    side.destination.responses.length = 0
    for (const result of results) {
      for (const node of (result as { multistatus?: { status: number }[] }).multistatus ?? []) {
        if (node?.status === 200) accepted++
      }
    }
  }
  return accepted
}

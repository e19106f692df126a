import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../src/destinations/fullstory-cloud'
import type { Settings } from '../src/destinations/fullstory-cloud/generated-types'
import { API_URL_ENV } from '../src/destinations/fullstory-cloud/api'
import { presetSubscriptions } from '../src/delivery/subscriptions'
import { validateCreateEvent, validateCreateUser } from '../src/sandbox'
import { eventMix } from './events'
import { floorDefinition } from './floor'
import { median } from './stats'
import { installStubTransport } from './stub-transport'

/** A host that is never contacted: the stub transport answers before any socket is opened. */
const STUB_URL = 'https://fullstory.bench.invalid'

export interface OnEventOptions {
  events: number
  rounds: number
  warmupRounds: number
}

export interface OnEventRow {
  label: string
  /** Median µs per event through our destination. */
  ours: number
  /** Median µs per event through the framework floor. */
  floor: number
  /** Median over rounds of ours/floor, each pair measured back to back. */
  pairedRatio: number
}

export interface OnEventResult {
  rows: OnEventRow[]
  requestsPerRound: number
}

/**
 * Per-event cost of `Destination.onEvent` with the presets as subscriptions, ours beside the framework floor,
 * transport stubbed. Rounds alternate A/B/A/B so both sides see the same machine state; medians are reported.
 */
export async function benchOnEvent(options: OnEventOptions): Promise<OnEventResult> {
  const transport = installStubTransport()
  const previousUrl = process.env[API_URL_ENV]
  process.env[API_URL_ENV] = STUB_URL
  try {
    const settings = { apiKey: 'bench-key', subscriptions: presetSubscriptions() } as unknown as JSONObject
    const ours = new Destination(definition)
    const floor = new Destination(floorDefinition(STUB_URL))
    const mix = eventMix(options.events)
    await checkOurRequests(ours, mix, settings)

    const sets: [string, SegmentEvent[]][] = [
      ['mix (40% identify, 60% track)', mix],
      ['identify only', mix.filter((event) => event.type === 'identify')],
      ['track only', mix.filter((event) => event.type === 'track')]
    ]
    const rows: OnEventRow[] = []
    for (const [label, events] of sets) {
      // CPU time, not wall time: other processes on a shared machine then disturb the comparison much less.
      const round = async (destination: Destination<Settings>) => {
        const start = process.cpuUsage()
        for (const event of events) {
          await destination.onEvent(event, settings)
          // A Destination keeps every response it saw; dropping them keeps the heap, and GC work, per event.
          destination.responses.length = 0
        }
        const { user, system } = process.cpuUsage(start)
        return (user + system) / events.length
      }
      for (let i = 0; i < options.warmupRounds; i++) {
        await round(ours)
        await round(floor)
      }
      const oursTimes: number[] = []
      const floorTimes: number[] = []
      for (let i = 0; i < options.rounds; i++) {
        oursTimes.push(await round(ours))
        floorTimes.push(await round(floor))
      }
      rows.push({
        label,
        ours: median(oursTimes),
        floor: median(floorTimes),
        pairedRatio: median(oursTimes.map((time, i) => time / floorTimes[i]))
      })
    }
    return { rows, requestsPerRound: mix.length }
  } finally {
    transport.restore()
    if (previousUrl === undefined) delete process.env[API_URL_ENV]
    else process.env[API_URL_ENV] = previousUrl
  }
}

/** Before timing anything: every event of the mix is sent once, and FullStory's rules accept every body. */
async function checkOurRequests(destination: Destination<Settings>, events: SegmentEvent[], settings: JSONObject) {
  for (const event of events) await destination.onEvent(event, settings)
  const responses = destination.responses
  if (responses.length !== events.length) {
    throw new Error(`expected ${events.length} requests for ${events.length} events, saw ${responses.length}`)
  }
  for (const response of responses) {
    const body = response.options.json
    const error = response.request.url.endsWith('/v2/users') ? validateCreateUser(body) : validateCreateEvent(body)
    if (error) throw new Error(`the bench mix produced a request FullStory would refuse: ${error.message}`)
  }
  destination.responses.length = 0
}

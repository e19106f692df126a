import type { SegmentEvent } from '@segment/actions-core'
import { validateCreateEvent, validateCreateUser } from '../src/sandbox'
import type { RowProgress } from './progress'
import type { Side, SideName } from './sides'
import { median, spread } from './stats'
import type { Spread } from './stats'
import type { TransportStats } from './stub-transport'

export interface CompareOptions {
  rounds: number
  warmupRounds: number
  /**
   * Events a side runs before the next side takes over, within a round: small chunks spread whatever the machine
   * does over all sides alike. Default: the whole set (one turn per side per round).
   */
  chunk?: number
}

export interface EventSet {
  label: string
  events: SegmentEvent[]
}

/** A ratio of two sides, taken round by round: each pair was measured back to back. */
export interface PairedRatio {
  numerator: SideName
  denominator: SideName
  spread: Spread
}

/** A difference of two sides in CPU µs per event, taken round by round. */
export interface PairedDifference {
  /** What the difference measures, for the report. */
  label: string
  spread: Spread
}

export interface CompareRow {
  label: string
  events: number
  /** Median CPU µs per event, by side. */
  perEvent: Partial<Record<SideName, number>>
  ratios: PairedRatio[]
  differences: PairedDifference[]
}

/** The pairs reported, when both sides are present: the headline first. */
const PAIRS: [SideName, SideName][] = [
  ['ours', 'earlier'],
  ['ours', 'floor'],
  ['earlier', 'earlier-floor'],
  ['floor', 'earlier-floor'],
  ['candidate', 'ours'],
  ['candidate', 'earlier']
]

/**
 * Where ours and the earlier destination differ: what each one's presets make the framework do (floor against
 * floor), and what each one's own code costs above its floor.
 */
const DIFFERENCES: [SideName, SideName, string][] = [
  ['ours', 'earlier', 'ours − earlier'],
  ['floor', 'earlier-floor', 'presets, in the framework (floor − earlier floor)'],
  ['ours', 'floor', 'our code (ours − floor)'],
  ['earlier', 'earlier-floor', 'its code (earlier − earlier floor)']
]

/**
 * CPU time per event of `Destination.onEvent`, each side with its own presets as subscriptions, transport stubbed.
 * Every round runs each side once over the same events, in an order that rotates from round to round, so that all
 * sides see the same machine state and none always runs first. CPU time rather than wall time: other processes on
 * a shared machine then disturb the comparison much less. Refused events (a track with no user) count too: their
 * cost is part of the destination's.
 */
export async function compareSides(
  sides: Side[],
  set: EventSet,
  options: CompareOptions,
  progress?: RowProgress
): Promise<CompareRow> {
  // One chunk of events through one side; returns CPU µs spent.
  const chunk = async (side: Side, events: SegmentEvent[]) => {
    const { destination, settings } = side
    const start = process.cpuUsage()
    for (const event of events) {
      try {
        await destination.onEvent(event, settings)
      } catch {
        // A refused event; its cost is part of the destination's.
      }
      // A Destination keeps every response it saw; dropping them keeps the heap, and GC work, per event.
      destination.responses.length = 0
    }
    const { user, system } = process.cpuUsage(start)
    return user + system
  }
  const size = options.chunk ?? set.events.length
  const chunks: SegmentEvent[][] = []
  for (let start = 0; start < set.events.length; start += size) chunks.push(set.events.slice(start, start + size))
  const times = new Map<SideName, number[]>(sides.map((side) => [side.name, []]))
  const total = options.warmupRounds + options.rounds
  let turn = 0
  for (let i = 0; i < total; i++) {
    const warm = i < options.warmupRounds
    progress?.update(
      i / total,
      warm ? `warm-up ${i + 1}/${options.warmupRounds}` : `round ${i - options.warmupRounds + 1}/${options.rounds}`
    )
    const spent = new Map<SideName, number>(sides.map((side) => [side.name, 0]))
    for (const events of chunks) {
      turn++
      for (let k = 0; k < sides.length; k++) {
        const side = sides[(turn + k) % sides.length]
        spent.set(side.name, (spent.get(side.name) ?? 0) + (await chunk(side, events)))
      }
    }
    if (!warm) for (const [name, us] of spent) times.get(name)?.push(us / set.events.length)
  }
  const perEvent: Partial<Record<SideName, number>> = {}
  for (const [name, list] of times) perEvent[name] = median(list)
  // Two sides combined round by round (each round measured both back to back), or undefined if one is absent.
  const paired = (a: SideName, b: SideName, combine: (x: number, y: number) => number) => {
    const first = times.get(a)
    const second = times.get(b)
    return first && second ? spread(first.map((time, i) => combine(time, second[i]))) : undefined
  }
  const ratios: PairedRatio[] = []
  for (const [numerator, denominator] of PAIRS) {
    const ratio = paired(numerator, denominator, (x, y) => x / y)
    if (ratio) ratios.push({ numerator, denominator, spread: ratio })
  }
  const differences: PairedDifference[] = []
  for (const [minuend, subtrahend, label] of DIFFERENCES) {
    const difference = paired(minuend, subtrahend, (x, y) => x - y)
    if (difference) differences.push({ label, spread: difference })
  }
  return { label: set.label, events: set.events.length, perEvent, ratios, differences }
}

export interface SideCheck {
  side: SideName
  events: number
  requests: number
  refused: number
  /** The first refusal's message, to show what was refused. */
  refusal?: string
}

/**
 * Before timing anything: each side handles the events once. What each sends and refuses is counted, and every body
 * our destination sends must be one FullStory's rules accept (the sandbox's validators).
 */
export async function checkSides(sides: Side[], events: SegmentEvent[], stats: TransportStats): Promise<SideCheck[]> {
  const checks: SideCheck[] = []
  for (const side of sides) {
    const before = stats.requests
    let refused = 0
    let refusal: string | undefined
    for (const event of events) {
      try {
        await side.destination.onEvent(event, side.settings)
      } catch (error) {
        refused++
        refusal ??= (error as Error).message
      }
    }
    const responses = side.destination.responses
    if (side.name === 'ours' || side.name === 'candidate') {
      for (const response of responses) {
        // A pre-serialized body (a candidate may send `body` instead of `json`) is checked the same way.
        const { json, body: text } = response.options as { json?: unknown; body?: unknown }
        const body = json ?? (typeof text === 'string' ? JSON.parse(text) : text)
        const error = response.request.url.endsWith('/v2/users') ? validateCreateUser(body) : validateCreateEvent(body)
        if (error) throw new Error(`${side.name} sent a request FullStory would refuse: ${error.message}`)
      }
    }
    if (responses.length !== stats.requests - before) {
      throw new Error(
        `${side.name}: the stub saw ${stats.requests - before} requests, actions-core ${responses.length}`
      )
    }
    side.destination.responses.length = 0
    checks.push({ side: side.name, events: events.length, requests: stats.requests - before, refused, refusal })
  }
  return checks
}

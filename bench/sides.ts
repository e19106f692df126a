import path from 'path'
import { Destination } from '@segment/actions-core'
import type { DestinationDefinition, JSONObject } from '@segment/actions-core'
import { API_URL_ENV } from '../src/destinations/fullstory-cloud/api'
import { presetSubscriptions } from '../src/delivery/subscriptions'
import { compiledDestination } from './compiled'
import type { EarlierDestination } from './earlier'
import { floorDefinition } from './floor'

/** A host that is never contacted: the stub transport answers before any socket is opened. */
export const STUB_URL = 'https://fullstory.bench.invalid'

export type SideName = 'ours' | 'earlier' | 'floor' | 'earlier-floor' | 'candidate'

/** One destination as Segment would run it for a new customer: its own presets as the subscriptions. */
export interface Side {
  name: SideName
  destination: Destination<Record<string, unknown>>
  settings: JSONObject
  /** Each subscription's action, for the report. */
  actions: string[]
}

function side(name: SideName, definition: DestinationDefinition<never>): Side {
  const subscriptions = presetSubscriptions(definition)
  return {
    name,
    destination: new Destination(definition) as unknown as Destination<Record<string, unknown>>,
    settings: { apiKey: 'bench-key', subscriptions } as unknown as JSONObject,
    actions: subscriptions.map((subscription) => subscription.partnerAction)
  }
}

/**
 * Ours (compiled, as Segment runs it) and its framework floor; when given the earlier destination, it and its floor;
 * when given a candidate, a copy of `src/` with a change to measure (`--candidate <dir>`; the folder must sit inside
 * this repository so that it loads this repository's actions-core, e.g. under `.cache/`).
 */
export function buildSides(options: { earlier?: EarlierDestination; candidateDir?: string }): Side[] {
  const ours = compiledDestination(path.join(__dirname, '..', 'src'), 'ours')
  const sides = [side('ours', ours)]
  if (options.earlier) sides.push(side('earlier', options.earlier.definition))
  sides.push(side('floor', floorDefinition(ours, STUB_URL)))
  if (options.earlier) sides.push(side('earlier-floor', floorDefinition(options.earlier.definition, STUB_URL)))
  if (options.candidateDir) {
    const candidate = compiledDestination(options.candidateDir, 'candidate')
    // A name of its own: actions-core caches compiled schemas by destination name and action title.
    sides.push(side('candidate', { ...candidate, name: `${candidate.name} (candidate)` }))
  }
  return sides
}

/** The destination in a copy of src/ (`<dir>/destinations/fullstory-cloud`). */
export function loadCandidate(dir: string): DestinationDefinition<never> {
  const entry = path.resolve(dir, 'destinations', 'fullstory-cloud')
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a copy of src/ chosen at run time
  return (require(entry) as { default: DestinationDefinition<never> }).default
}

/** Points ours (and a candidate) at the stub host for the duration of `body`. */
export async function withStubUrl<T>(body: () => Promise<T>): Promise<T> {
  const previous = process.env[API_URL_ENV]
  process.env[API_URL_ENV] = STUB_URL
  try {
    return await body()
  } finally {
    if (previous === undefined) delete process.env[API_URL_ENV]
    else process.env[API_URL_ENV] = previous
  }
}

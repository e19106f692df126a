import type { Logger, StatsContext } from '@segment/actions-core'

/**
 * Why a value did not reach FullStory as sent. `truncated` is informational: the value was sent, shortened.
 */
export type DropReason =
  | 'null' // null or undefined (also inside arrays)
  | 'empty' // an object or array that was empty in the input
  | 'excluded' // a top-level key named in `options.exclude`
  | 'limit' // beyond `maxProperties` leaves
  | 'path-too-long' // the dotted path would be 512 characters or more
  | 'non-finite' // NaN, Infinity, -Infinity, an invalid Date
  | 'array-too-large' // trailing array elements beyond 8192 JSON bytes
  | 'truncated' // a string cut to fit 8192 bytes (value kept)
  | 'too-deep' // arrays nested more than MAX_ARRAY_NESTING deep (or a cyclic array)
  | 'unsupported' // functions and symbols (only reachable from JS callers)
  | 'circular' // a reference to an enclosing object or array (only reachable from JS callers)
  | 'no-session-id' // a session URL that holds no FullStory session ID (the event went to the user instead)
  | 'too-long' // an email longer than FullStory's email field takes (128): left out of the field

export interface DroppedProperty {
  /** Dotted output path the value would have had (the original key for `excluded`). */
  path: string
  reason: DropReason
  /** How many input leaf values this entry stands for, when more than one (array elements, subtrees). */
  count?: number
}

/** What actions-core hands a perform for reporting; both are absent outside Segment's runtime unless a runner sets them. */
export interface Observers {
  logger?: Logger
  statsContext?: StatsContext
}

/**
 * Reasons that lose or shorten a value the customer sent (property values, context values, a session URL). A null or an empty object holds no value, and an
 * excluded trait was sent as FullStory's top-level email or display name, so those lose nothing.
 */
const LOSSY_REASONS: ReadonlySet<DropReason> = new Set<DropReason>([
  'limit',
  'path-too-long',
  'non-finite',
  'array-too-large',
  'truncated',
  'too-deep',
  'unsupported',
  'circular',
  'no-session-id',
  'too-long'
])

export const DROPPED_METRIC = 'fullstory_cloud.property_values_dropped'
/** Paths named in one log line; the rest are counted. */
export const MAX_LISTED_PATHS = 10
/** A path left out for being too long can be any length: the line shows its start. */
export const MAX_LISTED_PATH_LENGTH = 200

/**
 * Tells Segment's logger and metrics which property values the rules left out or cut, by dotted path and
 * reason. Never the values: they may be personal data.
 */
export function reportDropped(action: string, dropped: DroppedProperty[], observers: Observers | undefined): void {
  if (dropped.length === 0 || observers === undefined) return
  const lossy = lossyOnly(dropped)
  if (lossy.length === 0) return
  const { logger, statsContext } = observers
  if (statsContext?.statsClient) {
    for (const entry of lossy) {
      statsContext.statsClient.incr(DROPPED_METRIC, entry.count ?? 1, [
        ...(statsContext.tags ?? []),
        `action:${action}`,
        `reason:${entry.reason}`
      ])
    }
  }
  logger?.warn?.(describeDropped(action, lossy))
}

/** The warning for one item of a batch, or undefined when nothing it sent was lost. */
export function droppedWarning(action: string, dropped: DroppedProperty[]): string | undefined {
  const lossy = lossyOnly(dropped)
  return lossy.length > 0 ? describeDropped(action, lossy) : undefined
}

function lossyOnly(dropped: DroppedProperty[]): DroppedProperty[] {
  return dropped.filter((entry) => LOSSY_REASONS.has(entry.reason))
}

function shortened(path: string): string {
  return path.length > MAX_LISTED_PATH_LENGTH ? `${path.slice(0, MAX_LISTED_PATH_LENGTH)}…` : path
}

/** One line: how many values, then the first paths with their reasons. */
function describeDropped(action: string, lossy: DroppedProperty[]): string {
  const values = lossy.reduce((sum, entry) => sum + (entry.count ?? 1), 0)
  const listed = lossy
    .slice(0, MAX_LISTED_PATHS)
    .map((entry) => `${shortened(entry.path)} (${entry.reason}${entry.count ? ` ×${entry.count}` : ''})`)
  const more = lossy.length > MAX_LISTED_PATHS ? `, and ${lossy.length - MAX_LISTED_PATHS} more paths` : ''
  const noun = values === 1 ? 'value' : 'values'
  return `${action}: ${values} ${noun} did not reach FullStory as sent: ${listed.join(', ')}${more}.`
}

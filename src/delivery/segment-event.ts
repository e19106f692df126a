import { createHash } from 'crypto'

/** Event types Segment's tracking API takes (under /v1/<type>, or inline in a batch or an export). */
export const EVENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const
export type EventType = (typeof EVENT_TYPES)[number]

export const isEventType = (value: unknown): value is EventType => EVENT_TYPES.includes(value as EventType)

/**
 * Objects and arrays nested deeper than this refuse the event. FullStory keeps no property whose dotted path is
 * over 512 characters, which any value 257 keys down has, so this refuses nothing it could store; and it stays far
 * from the few thousand levels at which recursive code (JSON.stringify among it) overflows the stack.
 */
export const MAX_NESTING = 512

/**
 * What Segment's tracking API would refuse in an event whose type is already known, or undefined. Numeric ids are
 * turned into strings in place, as Segment does.
 */
export function eventProblem(event: Record<string, unknown>): string | undefined {
  for (const key of ['userId', 'anonymousId'] as const) {
    if (typeof event[key] === 'number') event[key] = String(event[key])
    if (event[key] !== undefined && event[key] !== null && typeof event[key] !== 'string') {
      return `"${key}" must be a string`
    }
  }
  if (!event.userId && !event.anonymousId) return 'needs a userId or an anonymousId'
  if (event.type === 'track' && (typeof event.event !== 'string' || !event.event.trim())) {
    return 'a track event needs an "event" name'
  }
  for (const key of ['traits', 'properties', 'context'] as const) {
    const part = event[key]
    if (part !== undefined && (part === null || typeof part !== 'object' || Array.isArray(part))) {
      return `"${key}" must be an object`
    }
  }
  if (event.messageId !== undefined && typeof event.messageId !== 'string') return '"messageId" must be a string'
  if (nestedDeeperThan(event, MAX_NESTING)) return `it is nested more than ${MAX_NESTING} levels deep`
  return undefined
}

/** True when objects and arrays in `value` nest deeper than `limit`. Iterative: it must not overflow on what it guards. */
export function nestedDeeperThan(value: unknown, limit: number): boolean {
  const stack: [unknown, number][] = [[value, 1]]
  while (stack.length > 0) {
    const [node, depth] = stack.pop() as [unknown, number]
    if (node === null || typeof node !== 'object') continue
    if (depth > limit) return true
    for (const child of Array.isArray(node) ? node : Object.values(node)) {
      if (child !== null && typeof child === 'object') stack.push([child, depth + 1])
    }
  }
  return false
}

/**
 * A messageId for an event sent without one, made from what identifies it in its input, so that sending the same
 * input again yields the same id, hence the same Idempotency-Key, and FullStory does not count the event twice.
 */
export function derivedMessageId(prefix: string, ...parts: (string | Buffer)[]): string {
  // eslint-disable-next-line no-restricted-syntax -- not PII hashing: a stable id for an event of the input
  const hash = createHash('sha256')
  for (const part of parts) hash.update(part)
  return `${prefix}-${hash.digest('hex').slice(0, 32)}`
}

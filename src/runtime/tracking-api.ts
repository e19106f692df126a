import { randomUUID } from 'crypto'
import type { SegmentEvent } from '@segment/actions-core'

/** Event types Segment's HTTP tracking API accepts, each under /v1/<type>. */
export const EVENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias'] as const
export type EventType = (typeof EVENT_TYPES)[number]

export class TrackingApiError extends Error {}

/**
 * Turns one tracking-API call into the event Segment's pipeline would hand a destination: type from the path,
 * a messageId and timestamp when the caller sent none. Rejects what Segment's API rejects, with the reason.
 */
export function toSegmentEvent(body: unknown, pathType: EventType, where = 'body'): SegmentEvent {
  if (!body || typeof body !== 'object' || Array.isArray(body)) {
    throw new TrackingApiError(`${where} must be a JSON object.`)
  }
  const event = { ...(body as Record<string, unknown>) }
  if (event.type !== undefined && event.type !== pathType) {
    throw new TrackingApiError(`${where} has type ${JSON.stringify(event.type)} but was sent to /v1/${pathType}.`)
  }
  event.type = pathType
  for (const key of ['userId', 'anonymousId'] as const) {
    if (typeof event[key] === 'number') event[key] = String(event[key])
    if (event[key] !== undefined && event[key] !== null && typeof event[key] !== 'string') {
      throw new TrackingApiError(`${where}.${key} must be a string.`)
    }
  }
  if (!event.userId && !event.anonymousId) {
    throw new TrackingApiError(`${where} needs a userId or an anonymousId.`)
  }
  if (pathType === 'track' && (typeof event.event !== 'string' || !event.event.trim())) {
    throw new TrackingApiError(`${where} is a track call without an "event" name.`)
  }
  for (const key of ['traits', 'properties', 'context'] as const) {
    const value = event[key]
    if (value !== undefined && (value === null || typeof value !== 'object' || Array.isArray(value))) {
      throw new TrackingApiError(`${where}.${key} must be an object.`)
    }
  }
  if (event.messageId === undefined) event.messageId = `local-${randomUUID()}`
  if (event.timestamp === undefined) event.timestamp = new Date().toISOString()
  return event as unknown as SegmentEvent
}

/** A /v1/batch body: `{ batch: [...] }`, each item with its own type; shared `context` is merged under each. */
export function toSegmentBatch(body: unknown): SegmentEvent[] {
  const batch = (body as { batch?: unknown })?.batch
  if (!Array.isArray(batch) || batch.length === 0) {
    throw new TrackingApiError('A /v1/batch body must be { "batch": [ ...events ] } with at least one event.')
  }
  const shared = (body as { context?: Record<string, unknown> }).context
  return batch.map((item, index) => {
    const type = (item as { type?: unknown })?.type
    if (!EVENT_TYPES.includes(type as EventType)) {
      throw new TrackingApiError(`batch[${index}].type must be one of ${EVENT_TYPES.join(', ')}.`)
    }
    const withContext =
      shared && typeof item === 'object'
        ? { ...item, context: { ...shared, ...(item as { context?: object }).context } }
        : item
    return toSegmentEvent(withContext, type as EventType, `batch[${index}]`)
  })
}

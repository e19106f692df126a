import type { SegmentEvent } from '@segment/actions-core'
import { derivedMessageId, EVENT_TYPES, EventType, eventProblem, isEventType } from '../delivery/segment-event'
import { LIMITS } from './limits'

export { EVENT_TYPES, isEventType } from '../delivery/segment-event'
export type { EventType } from '../delivery/segment-event'

export class TrackingApiError extends Error {}

/** One item of a /v1/batch body: the event to deliver, or why Segment's API would drop it. */
export type BatchItem = { index: number; event: SegmentEvent } | { index: number; error: string }

/**
 * Turns one tracking-API call into the event Segment's pipeline would hand a destination: type from the path, and
 * a messageId when the caller sent none. Rejects what Segment's API rejects, with the reason.
 */
export function toSegmentEvent(body: unknown, pathType: EventType): SegmentEvent {
  const event = checkedEvent(body, pathType, 'The event')
  if (!event.messageId) event.messageId = contentMessageId(JSON.stringify(event), 0)
  return event as unknown as SegmentEvent
}

/**
 * A /v1/batch body: `{ batch: [...] }`, each item with its own type; a shared `context` is merged under each.
 * As Segment's batch endpoint does, a bad item is dropped on its own (reported by index) and the rest go on.
 */
export function toSegmentBatch(body: unknown): BatchItem[] {
  const batch = (body as { batch?: unknown })?.batch
  if (!Array.isArray(batch) || batch.length === 0) {
    throw new TrackingApiError('A /v1/batch body must be { "batch": [ ...events ] } with at least one event.')
  }
  const shared = (body as { context?: unknown }).context
  if (shared !== undefined && !isObject(shared)) throw new TrackingApiError('The batch\'s "context" must be an object.')
  // Identical items without a messageId stay distinct events: each gets the id of its nth occurrence.
  const occurrences = new Map<string, number>()
  return batch.map((item: unknown, index): BatchItem => {
    const where = `batch[${index}]`
    try {
      const type = (item as { type?: unknown })?.type
      if (!isEventType(type)) throw new TrackingApiError(`${where}: "type" must be one of ${EVENT_TYPES.join(', ')}.`)
      const event = checkedEvent(withSharedContext(item, shared), type, where)
      const content = JSON.stringify(event)
      const bytes = Buffer.byteLength(content)
      if (bytes > LIMITS.batchItemBytes) {
        throw new TrackingApiError(`${where} is ${bytes} bytes; an event takes at most ${LIMITS.batchItemBytes}.`)
      }
      if (!event.messageId) {
        const occurrence = occurrences.get(content) ?? 0
        occurrences.set(content, occurrence + 1)
        event.messageId = contentMessageId(content, occurrence)
      }
      return { index, event: event as unknown as SegmentEvent }
    } catch (error) {
      if (error instanceof TrackingApiError) return { index, error: error.message }
      throw error
    }
  })
}

function checkedEvent(body: unknown, pathType: EventType, where: string): Record<string, unknown> {
  if (!isObject(body)) throw new TrackingApiError(`${where} must be a JSON object.`)
  const event = { ...body }
  if (event.type !== undefined && event.type !== pathType) {
    throw new TrackingApiError(`${where}: "type" is ${JSON.stringify(event.type)} but it was sent to /v1/${pathType}.`)
  }
  event.type = pathType
  const problem = eventProblem(event)
  if (problem) throw new TrackingApiError(`${where}: ${problem}.`)
  return event
}

/**
 * Segment's API gives an event sent without a messageId a random one, so a batch sent again after a 503 would be
 * delivered twice. This one comes from the event's content instead: the same call sent again gets the same
 * Idempotency-Key, and FullStory answers it from its store. No timestamp is invented for the same reason (FullStory
 * stamps an event without one when it receives it).
 */
function contentMessageId(content: string, occurrence: number): string {
  return derivedMessageId('local', `${occurrence}\n`, content)
}

function withSharedContext(item: unknown, shared: unknown): unknown {
  if (!isObject(shared) || !isObject(item)) return item
  const own = item.context
  // An item's own context that is not an object is reported as such, not hidden by the merge.
  if (own !== undefined && !isObject(own)) return item
  return { ...item, context: { ...shared, ...own } }
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

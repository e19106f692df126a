import { createHash } from 'crypto'
import type { SegmentEvent } from '@segment/actions-core'
import { derivedMessageId, EVENT_TYPES, eventProblem, isEventType } from '../../delivery/segment-event'
import { Line, MAX_LINE_BYTES } from './lines'

const utf8 = new TextDecoder('utf-8', { fatal: true })

export type ParsedLine =
  | { kind: 'event'; event: SegmentEvent; messageIdDerived: boolean }
  | { kind: 'blank' }
  | { kind: 'malformed'; message: string; raw: string; rawBase64?: string }

/**
 * Reads one exported line into the event Segment would hand the destination, or says why it cannot be one.
 * Nothing time- or run-dependent is added (no "now" timestamp, no random id): a resumed run must build the
 * very same request body, or FullStory would refuse the repeated Idempotency-Key as a conflict.
 */
export function parseLine(line: Line): ParsedLine {
  if (line.tooLong) {
    const raw = line.bytes.toString('utf8')
    return { kind: 'malformed', message: `line is longer than ${MAX_LINE_BYTES} bytes (first bytes kept)`, raw }
  }
  let raw: string
  try {
    raw = utf8.decode(line.bytes)
  } catch {
    // Decoding leniently would send U+FFFD in place of the bad bytes as if they were the customer's text.
    return {
      kind: 'malformed',
      message: 'not valid UTF-8 (the exact bytes are in rawBase64)',
      raw: line.bytes.toString('utf8'),
      rawBase64: line.bytes.toString('base64')
    }
  }
  if (raw.trim() === '') return { kind: 'blank' }
  let value: unknown
  try {
    value = JSON.parse(raw)
  } catch (error) {
    return { kind: 'malformed', message: `not JSON: ${(error as Error).message}`, raw }
  }
  const problem = shapeProblem(value)
  if (problem) return { kind: 'malformed', message: problem, raw }

  const event = value as Record<string, unknown>
  const messageIdDerived = typeof event.messageId !== 'string' || event.messageId === ''
  if (messageIdDerived) event.messageId = lineMessageId(line)
  return { kind: 'event', event: event as unknown as SegmentEvent, messageIdDerived }
}

/** What Segment's tracking API would refuse, so such a line is a dead letter rather than a confusing send. */
function shapeProblem(value: unknown): string | undefined {
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return `not a JSON object (got ${value === null ? 'null' : Array.isArray(value) ? 'an array' : typeof value})`
  }
  const event = value as Record<string, unknown>
  if (!isEventType(event.type)) return `"type" must be one of ${EVENT_TYPES.join(', ')}`
  return eventProblem(event)
}

/**
 * A messageId for an event exported without one. It must be the same on every run over the same input, since
 * the destination derives the Idempotency-Key from it: the line number and the line's bytes give exactly that
 * (whether the input arrives as a file or on stdin), while two identical lines stay two events.
 */
export function lineMessageId(line: Pick<Line, 'number' | 'bytes'>): string {
  return derivedMessageId('replay', `${line.number}\n`, line.bytes)
}

/** Identifies an input by its first line, so a checkpoint is not applied to another file (or other stdin). */
export function lineDigest(bytes: Buffer): string {
  // eslint-disable-next-line no-restricted-syntax -- not PII hashing: fingerprints the input, never leaves the checkpoint
  return createHash('sha256').update(bytes).digest('hex')
}

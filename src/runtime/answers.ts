import type { Outcome } from '../delivery/deliver'
import type { DeliveryRecord } from './records'
import { withSharedOnce } from './records'
import type { EventResult } from './results'

/** The caller's cue: 503 says "send it again", 422 "it will never go through as it is". */
const STATUS: Record<EventResult, number> = { delivered: 200, 'not-subscribed': 200, refused: 422, failed: 503 }

export interface Answer {
  status: number
  body: unknown
}

/** The answer to a single call: what became of the event, why, and the full delivery for debugging. */
export function singleAnswer(record: DeliveryRecord): Answer {
  return {
    status: STATUS[record.result],
    body: {
      success: succeeded(record.result),
      result: record.result,
      message: describe(record),
      deliveries: withSharedOnce([record])
    }
  }
}

/** One /v1/batch item, summarised: the full delivery stays on the page and in /api/deliveries. */
export type BatchEventSummary =
  | { index: number; result: 'invalid'; error: string }
  | { index: number; result: EventResult; messageId: string; delivery: number; errors?: OutcomeSummary[] }

interface OutcomeSummary {
  subscription: string
  result: 'refused' | 'failed'
  message: string
  field?: string
  source?: string
  tries: number
  notRetried?: string
}

export function eventSummary(index: number, record: DeliveryRecord): BatchEventSummary {
  const errors = record.outcomes.filter(isProblem).map((o): OutcomeSummary => ({
    subscription: o.subscription,
    result: o.status === 'retryable' ? 'failed' : 'refused',
    message: o.error?.message ?? 'failed',
    ...(o.error?.field === undefined ? {} : { field: o.error.field }),
    ...(o.error?.source === undefined ? {} : { source: o.error.source }),
    tries: o.tries,
    ...(o.error?.notRetried === undefined ? {} : { notRetried: o.error.notRetried })
  }))
  return {
    index,
    result: record.result,
    messageId: record.event.messageId ?? '',
    delivery: record.id,
    ...(errors.length > 0 ? { errors } : {})
  }
}

/**
 * The answer to /v1/batch: a summary per item, in order, so its size follows the request's rather than the HTTP
 * exchanges behind it. 503 when some event should be sent again (resending the whole batch is safe: delivered
 * events carry the same messageId and FullStory answers them from its idempotency store); 400 when no item was
 * an event at all.
 */
export function batchAnswer(events: BatchEventSummary[]): Answer {
  const counts = { delivered: 0, 'not-subscribed': 0, refused: 0, failed: 0, invalid: 0 }
  for (const event of events) counts[event.result]++
  const status = counts.failed > 0 ? 503 : counts.invalid === events.length ? 400 : 200
  const parts = Object.entries(counts).flatMap(([result, n]) => (n > 0 ? [`${n} ${result.replace('-', ' ')}`] : []))
  return {
    status,
    body: {
      success: counts.delivered + counts['not-subscribed'] === events.length,
      message: `${events.length} ${events.length === 1 ? 'event' : 'events'}: ${parts.join(', ')}.`,
      counts,
      events
    }
  }
}

const succeeded = (result: EventResult) => result === 'delivered' || result === 'not-subscribed'
const isProblem = (o: Outcome) => o.status === 'rejected' || o.status === 'retryable'

/** One sentence for a person: the page shows it, and curl users read it. */
function describe(record: DeliveryRecord): string {
  const sent = record.outcomes.filter((o) => o.status === 'sent').map((o) => o.subscription)
  switch (record.result) {
    case 'delivered':
      return `Delivered by ${sent.join(', ')}.`
    case 'not-subscribed':
      return `Not subscribed: no subscription matches this ${record.event.type} call, so nothing was sent.`
    case 'refused':
      return `Refused: ${record.outcomes.filter(isProblem).map(problem).join('; ')}.`
    case 'failed':
      return `Failed, not delivered yet (send it again): ${record.outcomes.filter(isProblem).map(problem).join('; ')}.`
  }
}

function problem(outcome: Outcome): string {
  const error = outcome.error
  const field = error?.field ? ` (field ${error.field}${error.source ? `, mapped from ${error.source}` : ''})` : ''
  const tries = outcome.status === 'retryable' ? ` after ${outcome.tries} ${outcome.tries === 1 ? 'try' : 'tries'}` : ''
  const reason = error?.notRetried ? `; ${error.notRetried}` : ''
  return `${outcome.subscription}${field}${tries}: ${(error?.message ?? 'failed').replace(/\.$/, '')}${reason}`
}

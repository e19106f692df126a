import { RetryableError } from '@segment/actions-core'
import type { InputField, JSONObject, Logger, Subscription } from '@segment/actions-core'
import definition from '../destinations/fullstory-cloud'
import type { Exchange } from './exchanges'

export type OutcomeStatus = 'sent' | 'not-subscribed' | 'rejected' | 'retryable'

export interface OutcomeError {
  type: string
  message: string
  status?: number
  retryAfterSeconds?: number
  /** Why a retryable failure was not retried: FullStory asked for a wait longer than the policy's cap. */
  notRetried?: string
  /** For a refusal: the action field at fault, and the event path the subscription maps it from, when known. */
  field?: string
  source?: string
}

/** What one subscription did with one event. */
export interface Outcome {
  subscription: string
  action: string
  status: OutcomeStatus
  /** The mapping resolved against the event: what the action's perform received. */
  payload?: JSONObject
  exchanges: Exchange[]
  error?: OutcomeError
  /** What the destination logged as a warning on the way, such as property values FullStory's rules left out. */
  warnings?: string[]
  tries: number
}

export interface BatchNode {
  status: number
  errormessage?: string
  errortype?: string
  body?: unknown
}

type Base = { subscription: string; action: string }
const RETRYABLE_STATUSES = new Set([408, 423, 429])

/** An actions-core logger that keeps the destination's warnings and errors for the outcome; the rest is noise here. */
export function warningsLogger(warnings: string[]): Logger {
  const keep = (...message: string[]) => void warnings.push(message.join(' '))
  const ignore = () => undefined
  return {
    level: 'warn',
    name: 'fullstory-cloud-local',
    debug: ignore,
    info: ignore,
    log: ignore,
    withTags: ignore,
    warn: keep,
    error: keep,
    crit: keep
  }
}

/** Outcomes carry `warnings` only when there are some, so the common answer stays short. */
export function warned(warnings: string[]): Pick<Outcome, 'warnings'> {
  return warnings.length > 0 ? { warnings } : {}
}

export function outcomeOfNode(
  base: Base,
  subscription: Subscription,
  payload: JSONObject,
  exchanges: Exchange[],
  node: BatchNode | undefined
): Omit<Outcome, 'tries'> {
  if (!node) {
    return {
      ...base,
      status: 'rejected',
      payload,
      exchanges,
      error: { type: 'MissingResult', message: 'The batch returned no result for this event.' }
    }
  }
  if (node.status >= 200 && node.status < 300) {
    const warning = (node.body as { warning?: string } | undefined)?.warning
    return { ...base, status: 'sent', payload, exchanges, ...warned(warning === undefined ? [] : [warning]) }
  }
  const retryAfterSeconds = (node.body as { retry_after_seconds?: number } | undefined)?.retry_after_seconds
  const retryable = isRetryableStatus(node.status)
  const message = node.errormessage ?? `status ${node.status}`
  return {
    ...base,
    status: retryable ? 'retryable' : 'rejected',
    payload,
    exchanges,
    error: {
      type: node.errortype ?? 'BatchItemError',
      message,
      status: node.status,
      retryAfterSeconds,
      ...(retryable ? {} : fieldAtFault(undefined, message, subscription))
    }
  }
}

export function describeError(error: unknown, subscription: Subscription): { retryable: boolean; error: OutcomeError } {
  const { name, message, status, retryAfterSeconds } = error as {
    name?: string
    message?: string
    status?: number
    retryAfterSeconds?: number
  }
  const retryable = error instanceof RetryableError || (typeof status === 'number' && isRetryableStatus(status))
  const text = readableMessage(error) ?? message ?? String(error)
  return {
    retryable,
    error: {
      type: name ?? 'Error',
      message: text,
      status,
      retryAfterSeconds,
      ...(retryable ? {} : fieldAtFault(error, text, subscription))
    }
  }
}

/**
 * The messages of an aggregate error, such as mapping-kit's for a mapping it cannot run, one after the other: its
 * own message repeats each with a stack trace, which says nothing to a person fixing a mapping.
 */
export function readableMessage(error: unknown): string | undefined {
  if (error === null || typeof error !== 'object' || !(Symbol.iterator in error)) return undefined
  const messages = [...(error as Iterable<unknown>)].map((each) => (each as Error)?.message ?? String(each))
  return messages.length > 0 ? messages.join('; ') : undefined
}

export function withNotRetried(outcome: Outcome, reason: string): Outcome {
  return outcome.error ? { ...outcome, error: { ...outcome.error, notRetried: reason } } : outcome
}

function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || (status >= 500 && status !== 501)
}

/**
 * Which action field a refusal is about, so a person can fix the event or the mapping. Schema errors point at it
 * (`/timestamp`); the destination's own messages name it by key or label ("The event name is 300 characters
 * long"), and the field named first is the one at fault. `source` is the event path the mapping reads it from.
 */
function fieldAtFault(
  error: unknown,
  message: string,
  subscription: Subscription
): Pick<OutcomeError, 'field' | 'source'> {
  const fields = (definition.actions[subscription.partnerAction]?.fields ?? {}) as Record<string, InputField>
  const pointer = (error as { errors?: { pointer?: unknown }[] } | undefined)?.errors?.[0]?.pointer
  let field = typeof pointer === 'string' && pointer ? pointer.split('/')[1] : undefined
  if (field === undefined || !(field in fields)) field = firstNamedField(message, fields)
  if (field === undefined) return {}
  const mapped = subscription.mapping?.[field] as { '@path'?: unknown } | undefined
  const source = typeof mapped?.['@path'] === 'string' ? mapped['@path'] : undefined
  return source === undefined ? { field } : { field, source }
}

function firstNamedField(message: string, fields: Record<string, InputField>): string | undefined {
  let best: { field: string; at: number } | undefined
  const lower = message.toLowerCase()
  for (const [key, field] of Object.entries(fields)) {
    const at = [wordAt(message, key), field.label ? wordAt(lower, field.label.toLowerCase()) : -1]
      .filter((index) => index >= 0)
      .sort((a, b) => a - b)[0]
    if (at !== undefined && (best === undefined || at < best.at)) best = { field: key, at }
  }
  return best?.field
}

/** Where `word` occurs in `text` as a whole word, or -1. */
function wordAt(text: string, word: string): number {
  for (let at = text.indexOf(word); at >= 0; at = text.indexOf(word, at + 1)) {
    const before = text[at - 1]
    const after = text[at + word.length]
    if (!isWordChar(before) && !isWordChar(after)) return at
  }
  return -1
}

const isWordChar = (char: string | undefined) => char !== undefined && /[A-Za-z0-9_]/.test(char)

import {
  HTTPError,
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RequestTimeoutError,
  RetryableError
} from '@segment/actions-core'

/**
 * The error for input FullStory would refuse (a PayloadValidationError: Segment does not retry it). A refusal is an
 * answer about the data, which its message explains in full, not a fault in this code, so no stack trace is
 * captured: Error and ts-custom-error each capture one, through every async frame of the actions runtime, and for a
 * refused event that cost as much as building a sent one (docs/performance.md).
 */
export function refusal(message: string): PayloadValidationError {
  const limit = Error.stackTraceLimit
  Error.stackTraceLimit = 0
  try {
    return new PayloadValidationError(message)
  } finally {
    Error.stackTraceLimit = limit
  }
}

/** FullStory's v2 error body. */
export interface FullStoryErrorBody {
  message?: string
  code?: string
}

type RetryableStatus = ConstructorParameters<typeof RetryableError>[1]
const RETRYABLE_5XX = new Set([500, 502, 503, 504, 505, 506, 507, 508, 509, 510, 511])

/** A 429 that keeps FullStory's Retry-After, so runners outside Segment (the local runtime, replay) can wait exactly that long. */
export class RateLimitedError extends RetryableError {
  readonly retryAfterSeconds: number | undefined

  constructor(message: string, retryAfterSeconds: number | undefined) {
    super(message, 429)
    this.retryAfterSeconds = retryAfterSeconds
  }
}

export interface FailedResponse {
  status: number
  body: unknown
  retryAfter?: string | null
  location?: string | null
}

/** Bounds on what we copy from an answer into an error: FullStory's own are far shorter, a hostile one need not be. */
export const MAX_ERROR_MESSAGE_LENGTH = 300
export const MAX_ERROR_CODE_LENGTH = 64
export const MAX_LOCATION_LENGTH = 200

/** What was being attempted, for messages such as "FullStory rejected the event". */
export interface ErrorContext {
  operation: string
  apiKey?: string
}

/**
 * FullStory's `{message, code}`, from a parsed or raw body, each scrubbed of the API key and bounded. A code is an
 * identifier (`invalid_argument`): anything else in it is left out, so it can be used as the error's code as is.
 */
export function readErrorBody(body: unknown, apiKey?: string): FullStoryErrorBody {
  if (typeof body === 'string') {
    try {
      return readErrorBody(JSON.parse(body), apiKey)
    } catch {
      const text = scrub(body.trim(), apiKey)
      return text ? { message: bounded(text, MAX_ERROR_MESSAGE_LENGTH) } : {}
    }
  }
  if (body && typeof body === 'object') {
    const { message, code } = body as Record<string, unknown>
    const identifier = typeof code === 'string' ? scrub(code, apiKey).replace(/[^A-Za-z0-9_.:-]/g, '') : ''
    return {
      message: typeof message === 'string' ? bounded(scrub(message, apiKey), MAX_ERROR_MESSAGE_LENGTH) : undefined,
      code: identifier ? identifier.slice(0, MAX_ERROR_CODE_LENGTH) : undefined
    }
  }
  return {}
}

/** Seconds to wait, from a Retry-After header given either as seconds or as an HTTP date. */
export function parseRetryAfter(value: string | null | undefined, now = Date.now()): number | undefined {
  if (!value) return undefined
  const seconds = Number(value)
  if (Number.isFinite(seconds) && seconds >= 0) return Math.ceil(seconds)
  const date = Date.parse(value)
  return Number.isNaN(date) ? undefined : Math.max(0, Math.ceil((date - now) / 1000))
}

/**
 * Turns a FullStory error response into the actions-core error that makes Segment retry or not:
 * 401/403 are credential problems, 429/5xx are transient, any other 4xx is a permanent rejection.
 */
export function toActionsError(failure: FailedResponse, context: ErrorContext): Error {
  const { status } = failure
  const { message, code } = readErrorBody(failure.body, context.apiKey)
  const detail = describe(message, code, status)

  if (status >= 300 && status < 400) {
    const location = failure.location
      ? bounded(scrub(failure.location, context.apiKey), MAX_LOCATION_LENGTH)
      : undefined
    const target = location ? ` to ${location}` : ', no Location'
    const operation = context.operation
    return new IntegrationError(
      `FullStory's address answered with a redirect while ${operation} (HTTP ${status}${target}). FullStory's API never redirects, so it was not followed and nothing was sent there: check FULLSTORY_API_URL and any proxy between Segment and FullStory.`,
      'UNEXPECTED_REDIRECT',
      status
    )
  }

  if (status === 401) {
    return new InvalidAuthenticationError(
      `FullStory did not accept the API key while ${context.operation} (${detail}). Check that the key is correct and has not been revoked.`
    )
  }
  if (status === 403) {
    const error = new InvalidAuthenticationError(
      `The FullStory API key is not allowed to do this while ${context.operation} (${detail}). Sending users and events needs a Standard key or higher; deleting users needs an Admin or Architect key.`
    )
    error.status = 403 // actions-core gives this class 401; Segment shows the status FullStory answered
    return error
  }
  if (status === 429) {
    const wait = parseRetryAfter(failure.retryAfter)
    const advice = wait === undefined ? 'retry later' : `retry after ${wait} seconds (Retry-After: ${wait})`
    return new RateLimitedError(`FullStory rate limit reached while ${context.operation} (${detail}); ${advice}.`, wait)
  }
  if (status >= 500) {
    const retryStatus = (RETRYABLE_5XX.has(status) ? status : 503) as RetryableStatus
    return new RetryableError(`FullStory had a server error while ${context.operation} (${detail}).`, retryStatus)
  }
  if (status === 408) {
    return new RetryableError(`FullStory timed out while ${context.operation} (${detail}).`, 408)
  }
  return new IntegrationError(
    `FullStory rejected the request while ${context.operation} (${detail}).`,
    code ?? `HTTP_${status}`,
    status
  )
}

/** Errors thrown by the request client itself: timeouts and network failures are transient. */
export function toTransportError(error: unknown, context: ErrorContext): Error {
  if (error instanceof RequestTimeoutError || (error as { name?: string })?.name === 'TimeoutError') {
    return new RetryableError(`FullStory did not answer in time while ${context.operation}.`, 408)
  }
  if (error instanceof HTTPError) {
    const response = error.response
    return toActionsError(
      {
        status: response.status,
        body: (response as { data?: unknown }).data,
        retryAfter: response.headers.get('retry-after'),
        location: response.headers.get('location')
      },
      context
    )
  }
  if (
    error instanceof IntegrationError ||
    error instanceof InvalidAuthenticationError ||
    error instanceof RetryableError ||
    error instanceof PayloadValidationError
  ) {
    return error
  }
  const reason = bounded(scrub((error as Error)?.message ?? String(error), context.apiKey), MAX_ERROR_MESSAGE_LENGTH)
  return new RetryableError(`Could not reach FullStory while ${context.operation}: ${reason}`, 503)
}

function describe(message: string | undefined, code: string | undefined, status: number): string {
  const parts = [`HTTP ${status}`]
  if (code) parts.push(code)
  return message ? `${parts.join(' ')}: ${message}` : parts.join(' ')
}

/**
 * FullStory never echoes keys today; this keeps a future echo (or a proxy's) out of Segment's delivery logs. The key
 * is removed as configured and as sent (trimmed), in any letter case and with any of its characters percent-encoded
 * (`secret%2Dkey`) or, for `/`, JSON-escaped (`\/`), as an echo through a URL or a serializer would show it.
 */
export function scrub(text: string, apiKey?: string): string {
  if (typeof apiKey !== 'string' || typeof text !== 'string') return text
  const pattern = keyPattern(apiKey)
  return pattern === undefined ? text : text.replace(pattern, '[redacted]')
}

// Scrubbing runs on error paths and for local views of requests, always with the same key: its pattern is built once.
let lastPattern: { apiKey: string; pattern: RegExp | undefined } | undefined
function keyPattern(apiKey: string): RegExp | undefined {
  if (lastPattern?.apiKey !== apiKey) {
    const keys = [...new Set([apiKey, apiKey.trim()])].filter((key) => key.length >= 4)
    const pattern = keys.length === 0 ? undefined : new RegExp(keys.map(spelledAnyWay).join('|'), 'gi')
    lastPattern = { apiKey, pattern }
  }
  return lastPattern.pattern
}

/** Each character of `key` as written, percent-encoded, or (`/`, space) as JSON and HTML forms may write it. */
function spelledAnyWay(key: string): string {
  let pattern = ''
  for (const character of key) {
    const forms = [character.replace(/[\\^$.*+?()[\]{}|-]/g, '\\$&')]
    for (const byte of Buffer.from(character, 'utf8')) forms.push(`%${byte.toString(16).padStart(2, '0')}`)
    if (character === '/') forms.push('\\\\/')
    if (character === ' ') forms.push('\\+')
    pattern += `(?:${forms.join('|')})`
  }
  return pattern
}

function bounded(text: string, max: number): string {
  return text.length > max ? `${text.slice(0, max)}… (${text.length - max} more characters)` : text
}

/**
 * actions-core prints a failed "Test connection" as `Credentials are invalid: <response.status> <message>`, reading
 * the status from the error's `response`: our errors carry their status there too, so the line reads cleanly.
 */
export function forTestConnection(error: unknown): unknown {
  const status = (error as { status?: unknown })?.status
  if (error instanceof Error && typeof status === 'number' && !('response' in error)) {
    Object.defineProperty(error, 'response', { value: { status }, enumerable: false })
  }
  return error
}

import { IntegrationError, PayloadValidationError } from '@segment/actions-core'
import type { RequestClient } from '@segment/actions-core'
import type { Settings } from './generated-types'
import type { Payload } from './trackEvent/generated-types'
import type { EventContext, EventRequest } from './types'
import { attachProperties, transformProperties } from './properties'
import type { DroppedProperty } from './properties'
import { Observers, reportDropped } from './dropped'
import { apiBaseUrl, endpoints, messageKey, send } from './api'
import { toUtcIso } from './timestamps'
import { sendBatch } from './batch'
import { checkLength, MAX_UID_LENGTH } from './users'
import { contextField } from './trackEvent/context-field'

export const MAX_EVENT_NAME_LENGTH = 250
export const SESSION_PAGE_LIMIT_EXCEEDED = 'session_page_limit_exceeded'

/**
 * The POST /v2/events body for one track call; throws PayloadValidationError for input FullStory would refuse.
 * What the property rules leave out is appended to `dropped`, when given.
 */
export function buildEventRequest(payload: Payload, dropped?: DroppedProperty[]): EventRequest {
  const body: EventRequest = { name: eventName(payload.name), ...identification(payload) }
  if (payload.timestamp !== undefined) body.timestamp = utcTimestamp(payload.timestamp)
  const { properties, schema } = transformProperties(payload.properties, { dropped })
  attachProperties(body, properties, schema)
  const context = buildContext(payload.context)
  if (context) body.context = context
  return body
}

/**
 * Sends one event. When FullStory says the explicitly targeted session can take no more pages, the event is
 * sent once more without that session (to the user when known), as FullStory's docs advise.
 */
export async function createEvent(request: RequestClient, settings: Settings, payload: Payload, observers?: Observers) {
  const url = endpoints.events(apiBaseUrl(settings))
  const context = { operation: 'sending an event', apiKey: settings.apiKey }
  const dropped: DroppedProperty[] = []
  const body = buildEventRequest(payload, dropped)
  reportDropped('trackEvent', dropped, observers)
  try {
    return await send(
      request,
      url,
      { method: 'POST', json: body, idempotencyKey: messageKey('trackEvent', payload.messageId) },
      context
    )
  } catch (error) {
    if (!(error instanceof IntegrationError) || error.code !== SESSION_PAGE_LIMIT_EXCEEDED || !payload.sessionUrl) {
      throw error
    }
    if (!payload.userId) {
      throw new PayloadValidationError(
        `FullStory session ${sessionIdFrom(payload.sessionUrl)} has reached its page limit and the event has no userId to fall back to.`
      )
    }
    // A different body needs a different key: FullStory refuses a key replayed with another body.
    const { session: _fullSession, ...withoutSession } = body
    const fallback = { ...withoutSession, ...identification({ ...payload, sessionUrl: undefined }) }
    return send(
      request,
      url,
      { method: 'POST', json: fallback, idempotencyKey: messageKey('trackEvent:session-fallback', payload.messageId) },
      context
    )
  }
}

/**
 * One events import job for a batch; each item is built exactly as a single track would be. A job runs
 * asynchronously, so a full session cannot be retried per item here: FullStory lists such items in the job's errors.
 */
export function createEventsBatch(
  request: RequestClient,
  settings: Settings,
  payloads: Payload[],
  observers?: Observers
) {
  return sendBatch(request, settings, payloads, {
    observers,
    action: 'trackEvent',
    url: endpoints.eventsBatch(apiBaseUrl(settings)),
    operation: 'importing a batch of events',
    build: buildEventRequest,
    messageId: (payload) => payload.messageId
  })
}

function eventName(name: string): string {
  if (typeof name !== 'string' || !name.trim()) {
    throw new PayloadValidationError('The event name is empty; FullStory needs a non-empty name.')
  }
  if (name.length > MAX_EVENT_NAME_LENGTH) {
    throw new PayloadValidationError(
      `The event name is ${name.length} characters long; FullStory accepts at most ${MAX_EVENT_NAME_LENGTH}.`
    )
  }
  return name
}

/** Exactly one identification form, as FullStory requires: a session alone, or a uid with or without use_most_recent. */
function identification(payload: Payload): Pick<EventRequest, 'user' | 'session'> {
  if (payload.sessionUrl) {
    return { session: { id: sessionIdFrom(payload.sessionUrl) } }
  }
  if (payload.userId) {
    checkLength('userId', payload.userId, MAX_UID_LENGTH)
    return payload.useRecentSession === false
      ? { user: { uid: payload.userId } }
      : { user: { uid: payload.userId }, session: { use_most_recent: true } }
  }
  throw new PayloadValidationError(
    'Track Custom Event needs a userId or a FullStory session URL to know whom the event belongs to; neither was mapped for this event.'
  )
}

const SESSION_ID = /^[^:/\s]+:[^:/\s]+$/

/** Accepts a session replay URL (its last path segment is the URL-encoded id) or a raw "deviceId:sessionId". */
export function sessionIdFrom(sessionUrl: string): string {
  const text = sessionUrl.trim()
  let candidate = text
  if (/^https?:\/\//i.test(text)) {
    try {
      const segments = new URL(text).pathname.split('/').filter(Boolean)
      candidate = segments[segments.length - 1] ?? ''
    } catch {
      candidate = ''
    }
  }
  try {
    candidate = decodeURIComponent(candidate)
  } catch {
    // A stray % is not an encoded id; the format check below rejects it.
  }
  if (!SESSION_ID.test(candidate)) {
    throw new PayloadValidationError(
      `The session URL "${text.slice(0, 200)}" holds no FullStory session ID; expected a session replay URL or "deviceId:sessionId".`
    )
  }
  return candidate
}

function utcTimestamp(value: string | number): string {
  const iso = toUtcIso(value)
  if (!iso) {
    throw new PayloadValidationError(`The timestamp "${String(value).slice(0, 100)}" is not a date FullStory can read.`)
  }
  return iso
}

const INT32_MAX = 2 ** 31 - 1

/** Maps the flat context field onto FullStory's nested context; empty or invalid parts are left out. */
export function buildContext(input: Payload['context']): EventContext | undefined {
  if (!input) return undefined
  let context: Record<string, Record<string, string | number>> | undefined
  for (const key of Object.keys(input)) {
    const value = contextValue(key, input[key as keyof typeof input])
    if (value === undefined) continue
    const [group, name] = CONTEXT_TARGETS.get(key) ?? contextTarget(key)
    ;((context ??= {})[group] ??= {})[name] = value
  }
  return context
}

/** `browser_url` goes to `context.browser.url`: the group before the first `_`, the name after it. */
function contextTarget(key: string): [group: string, name: string] {
  const split = key.indexOf('_')
  return [key.slice(0, split), key.slice(split + 1)]
}

// Worked out once for the field's own keys, so building a context allocates no strings.
const CONTEXT_TARGETS = new Map(Object.keys(contextField.properties ?? {}).map((key) => [key, contextTarget(key)]))

function contextValue(key: string, value: unknown): string | number | undefined {
  switch (key) {
    case 'device_screen_width':
    case 'device_screen_height':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT32_MAX
        ? value
        : undefined
    case 'location_latitude':
      return inRange(value, 90)
    case 'location_longitude':
      return inRange(value, 180)
    case 'location_country':
      return typeof value === 'string' && /^[A-Za-z]{2}$/.test(value.trim()) ? value.trim().toUpperCase() : undefined
    default:
      return typeof value === 'string' && value.trim() ? value : undefined
  }
}

function inRange(value: unknown, limit: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit ? value : undefined
}

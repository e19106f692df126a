import { IntegrationError } from '@segment/actions-core'
import type { RequestClient } from '@segment/actions-core'
import type { Settings } from './generated-types'
import type { Payload } from './trackEvent/generated-types'
import type { EventRequest } from './types'
import { attachProperties, transformProperties } from './properties'
import type { DroppedProperty } from './properties'
import { Observers, reportDropped } from './dropped'
import { apiBaseUrl, endpoints, send } from './api'
import type { RequestKey } from './api'
import { toUtcIso } from './timestamps'
import { sendBatch } from './batch'
import { propertyNameStyle } from './property-names'
import { checkedUid, sessionIdFrom } from './identity'
import type { BuildOptions } from './users'
import { buildContext } from './event-context'
import { refusal } from './errors'

export const MAX_EVENT_NAME_LENGTH = 250
export const SESSION_PAGE_LIMIT_EXCEEDED = 'session_page_limit_exceeded'

/** What one track call sends: Track Custom Event's fields (the earlier destination's trackEventV2 has a subset). */
export type EventFields = Pick<Payload, 'name'> & Partial<Omit<Payload, 'name' | 'enable_batching' | 'batch_size'>>

/** The POST /v2/events body for one track call; throws PayloadValidationError for input FullStory would refuse. */
export function buildEventRequest(fields: EventFields, options: BuildOptions = {}): EventRequest {
  const body: EventRequest = { name: eventName(fields.name), ...identification(fields, options.dropped) }
  if (fields.timestamp !== undefined) body.timestamp = utcTimestamp(fields.timestamp)
  const { properties, schema } = transformProperties(fields.properties, {
    dropped: options.dropped,
    names: options.names
  })
  attachProperties(body, properties, schema)
  const context = buildContext(fields.context, fields.segmentContext, options.dropped)
  if (context) body.context = context
  return body
}

/**
 * Sends one event. When FullStory says the explicitly targeted session can take no more pages, the event is
 * sent once more without that session (to the user when known), as FullStory's docs advise.
 */
export async function createEvent(
  request: RequestClient,
  settings: Settings,
  fields: EventFields,
  key: RequestKey,
  observers?: Observers
) {
  const url = endpoints.events(apiBaseUrl(settings))
  const context = { operation: 'sending an event', apiKey: settings.apiKey }
  const dropped: DroppedProperty[] = []
  const body = buildEventRequest(fields, { names: propertyNameStyle(settings.propertyNameStyle), dropped })
  reportDropped(key.action, dropped, observers)
  try {
    return await send(
      request,
      url,
      { method: 'POST', json: body, idempotencyKey: key.forMessage(fields.messageId) },
      context
    )
  } catch (error) {
    const session = body.session
    if (
      !(error instanceof IntegrationError) ||
      error.code !== SESSION_PAGE_LIMIT_EXCEEDED ||
      !session ||
      !('id' in session)
    ) {
      throw error
    }
    if (fields.userId === undefined) {
      throw refusal(
        `FullStory session ${session.id} has reached its page limit and the event has no userId to fall back to.`
      )
    }
    // A different body needs a different key: FullStory refuses a key replayed with another body.
    const { session: _fullSession, ...withoutSession } = body
    const fallback = { ...withoutSession, ...identification({ ...fields, sessionUrl: undefined }) }
    return send(
      request,
      url,
      { method: 'POST', json: fallback, idempotencyKey: key.forMessage(fields.messageId, 'session-fallback') },
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
  items: EventFields[],
  key: RequestKey,
  observers?: Observers
) {
  return sendBatch(request, settings, items, {
    observers,
    key,
    url: endpoints.eventsBatch(apiBaseUrl(settings)),
    operation: 'importing a batch of events',
    build: (fields, dropped) =>
      buildEventRequest(fields, { names: propertyNameStyle(settings.propertyNameStyle), dropped }),
    messageId: (fields) => fields.messageId
  })
}

function eventName(name: string): string {
  if (typeof name !== 'string' || !name.trim()) {
    throw refusal('The event name is empty; FullStory needs a non-empty name.')
  }
  if (name.length > MAX_EVENT_NAME_LENGTH) {
    throw refusal(
      `The event name is ${name.length} characters long; FullStory accepts at most ${MAX_EVENT_NAME_LENGTH}.`
    )
  }
  return name
}

/**
 * Exactly one identification form, as FullStory requires: a session alone, or a uid with or without
 * use_most_recent. A session URL that holds no session ID sends the event to the user, reported in `dropped`.
 */
function identification(fields: EventFields, dropped?: DroppedProperty[]): Pick<EventRequest, 'user' | 'session'> {
  const uid = fields.userId === undefined ? undefined : checkedUid(fields.userId)
  if (fields.sessionUrl) {
    const id = sessionIdFrom(fields.sessionUrl)
    if (id !== undefined) return { session: { id } }
    if (uid === undefined) {
      const shown = fields.sessionUrl.trim().slice(0, 200)
      throw refusal(
        `The session URL "${shown}" holds no FullStory session ID (expected a session replay URL or "deviceId:sessionId"), and no userId is mapped to send the event to instead.`
      )
    }
    dropped?.push({ path: 'sessionUrl', reason: 'no-session-id' })
  }
  if (uid !== undefined) {
    return fields.useRecentSession === false ? { user: { uid } } : { user: { uid }, session: { use_most_recent: true } }
  }
  throw refusal(
    'Track Custom Event needs a userId or a FullStory session URL to know whom the event belongs to; neither was mapped for this event.'
  )
}

function utcTimestamp(value: string | number): string {
  const iso = toUtcIso(value)
  if (!iso) {
    throw refusal(`The timestamp "${String(value).slice(0, 100)}" is not a date FullStory can read.`)
  }
  return iso
}

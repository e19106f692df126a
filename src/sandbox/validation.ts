import { checkContext } from './context'
import { ApiError, invalid, required } from './errors'
import { isIsoDateTime } from './iso-date'
import { checkProperties, checkSchema, checkUserPropertyCount, isPlainObject } from './properties'
import type { ApiErrorBody, EventContext, EventRequest, PropertyType } from './types'

/**
 * Pure request validators: what FullStory's v2 API would refuse, with its `{ message, code }` body.
 * Where FullStory's docs are silent the sandbox is strict (unknown fields, nulls), so that a request it
 * accepts is one FullStory documents as acceptable. Fuzz tests use `validateCreateUser` and
 * `validateCreateEvent` as that oracle.
 */

export const MAX_UID_LENGTH = 256
export const MAX_DISPLAY_NAME_LENGTH = 256
export const MAX_EMAIL_LENGTH = 128
export const MAX_EVENT_NAME_LENGTH = 250
export const MAX_BATCH_REQUESTS = 50_000

// FullStory session ids are "<deviceId>:<sessionId>" (KB-SID), sent raw in JSON bodies; a replay URL is not one.
const SESSION_ID = /^[^:/\s]+:[^:/\s]+$/

const USER_FIELDS = ['uid', 'display_name', 'email', 'properties', 'schema']
const BATCH_USER_FIELDS = ['id', ...USER_FIELDS]
const EVENT_FIELDS = ['name', 'timestamp', 'properties', 'schema', 'user', 'session', 'context']

/** A validated user create/import request, with its `schema` declarations extracted. */
export interface UserRequest {
  /** FullStory id: batch import items only. */
  id?: string
  uid?: string
  display_name?: string
  email?: string
  properties: Record<string, unknown>
  /** Types declared through `schema`, by dotted path. */
  declared: Map<string, PropertyType>
}

export interface BatchBody {
  requests: unknown[]
  shared?: { context?: EventContext }
}

/** `undefined` when FullStory would accept `body` as a `POST /v2/users` request. */
export function validateCreateUser(body: unknown): ApiErrorBody | undefined {
  return outcome(() => checkUserRequest(toWireJson(body)))
}

/** `undefined` when FullStory would accept `body` as a `POST /v2/events` request. */
export function validateCreateEvent(body: unknown): ApiErrorBody | undefined {
  return outcome(() => checkEventRequest(toWireJson(body)))
}

export function checkUserRequest(body: unknown, options: { batchItem?: boolean } = {}): UserRequest {
  const object = checkObject(body, 'the user', options.batchItem ? BATCH_USER_FIELDS : USER_FIELDS)
  const request: UserRequest = { properties: {}, declared: new Map() }
  if (object.id !== undefined) request.id = checkText(object.id, 'id', Infinity)
  if (object.uid !== undefined) request.uid = checkText(object.uid, 'uid', MAX_UID_LENGTH)
  if (object.display_name !== undefined) {
    request.display_name = checkString(object.display_name, 'display_name', MAX_DISPLAY_NAME_LENGTH)
  }
  if (object.email !== undefined) request.email = checkString(object.email, 'email', MAX_EMAIL_LENGTH)
  const leaves = checkProperties(object.properties ?? {}, 'properties')
  checkUserPropertyCount(leaves, 'properties')
  if (object.properties !== undefined) request.properties = object.properties as Record<string, unknown>
  if (object.schema !== undefined) request.declared = checkSchema(object.schema, leaves, 'schema')
  return request
}

export function checkEventRequest(body: unknown): EventRequest {
  const object = checkObject(body, 'the event', EVENT_FIELDS)
  if (object.name === undefined) throw required('name is required')
  if (typeof object.name !== 'string') throw invalid('name must be a string')
  if (object.name.length === 0) throw invalid('events must have a non-empty name')
  if (codePoints(object.name) > MAX_EVENT_NAME_LENGTH) {
    throw invalid(`name is ${codePoints(object.name)} characters; event names are at most ${MAX_EVENT_NAME_LENGTH}`)
  }
  if (object.timestamp !== undefined) {
    if (typeof object.timestamp !== 'string' || !isIsoDateTime(object.timestamp)) {
      throw invalid('timestamp must be an ISO-8601 date-time with seconds and a zone, e.g. "2024-03-04T05:06:07.000Z"')
    }
  }
  checkIdentification(object)
  const leaves = checkProperties(object.properties ?? {}, 'properties')
  if (object.schema !== undefined) checkSchema(object.schema, leaves, 'schema')
  if (object.context !== undefined) checkContext(object.context, 'context')
  return object as unknown as EventRequest
}

export function checkBatchBody(body: unknown, kind: 'users' | 'events'): BatchBody {
  const object = checkObject(body, 'the batch', kind === 'events' ? ['requests', 'shared'] : ['requests'])
  if (object.requests === undefined) throw required('requests is required')
  if (!Array.isArray(object.requests)) throw invalid('requests must be an array')
  if (object.requests.length === 0) throw invalid('requests must hold at least one request')
  if (object.requests.length > MAX_BATCH_REQUESTS) {
    throw invalid(
      `requests holds ${object.requests.length} requests; a batch import job takes at most ${MAX_BATCH_REQUESTS}`
    )
  }
  if (object.shared === undefined) return { requests: object.requests }
  const shared = checkObject(object.shared, 'shared', ['context'])
  if (shared.context !== undefined) checkContext(shared.context, 'shared.context')
  return { requests: object.requests, shared }
}

/**
 * One identification form only (docs/fullstory-api.md section 6): `session.id` (or `session.uid`) alone;
 * `user` with an optional `session.use_most_recent`; or nothing at all, which FullStory files under a new
 * anonymous user.
 */
function checkIdentification(event: Record<string, unknown>): void {
  const user = event.user === undefined ? undefined : checkObject(event.user, 'user', ['uid', 'id'])
  const session =
    event.session === undefined ? undefined : checkObject(event.session, 'session', ['id', 'use_most_recent', 'uid'])
  if (user) {
    if (user.uid !== undefined) checkText(user.uid, 'user.uid', MAX_UID_LENGTH)
    if (user.id !== undefined) checkText(user.id, 'user.id', Infinity)
    if (user.uid !== undefined && user.id !== undefined) throw invalid('user takes one of uid or id, not both')
    if (user.uid === undefined && user.id === undefined) throw required('user needs a uid or an id')
  }
  if (!session) return
  if (session.id !== undefined) {
    if (typeof session.id !== 'string' || !SESSION_ID.test(session.id)) {
      throw invalid('session.id must be a FullStory session id of the form "<deviceId>:<sessionId>"')
    }
  }
  if (session.uid !== undefined) checkText(session.uid, 'session.uid', MAX_UID_LENGTH)
  if (session.use_most_recent !== undefined && typeof session.use_most_recent !== 'boolean') {
    throw invalid('session.use_most_recent must be a boolean')
  }
  const explicit = session.id !== undefined ? 'session.id' : session.uid !== undefined ? 'session.uid' : undefined
  if (session.id !== undefined && session.uid !== undefined) throw invalid('session takes one of id or uid, not both')
  if (explicit && user) {
    throw invalid(`${explicit} identifies the session and its user on its own; a user is not accepted alongside it`)
  }
  if (session.use_most_recent === true) {
    if (explicit) throw invalid(`session.use_most_recent cannot be combined with ${explicit}`)
    if (!user) throw required('session.use_most_recent needs user.uid or user.id to know whose session to use')
  }
}

function checkObject(value: unknown, what: string, allowed: string[]): Record<string, unknown> {
  if (!isPlainObject(value)) throw invalid(`${what} must be a JSON object`)
  for (const key of Object.keys(value)) {
    if (!allowed.includes(key)) {
      const where = what.startsWith('the ') ? key : `${what}.${key}`
      throw invalid(`${where} is not a field FullStory accepts here; use ${allowed.join(', ')}`)
    }
  }
  return value
}

function checkString(value: unknown, field: string, maxLength: number): string {
  if (typeof value !== 'string') throw invalid(`${field} must be a string`)
  const length = codePoints(value)
  if (length > maxLength) throw invalid(`${field} is ${length} characters; it can be at most ${maxLength}`)
  return value
}

/** A string that identifies something, so it cannot be empty. */
function checkText(value: unknown, field: string, maxLength: number): string {
  const text = checkString(value, field, maxLength)
  if (text.length === 0) throw invalid(`${field} must not be empty`)
  return text
}

function codePoints(text: string): number {
  let count = 0
  for (const _ of text) count++
  return count
}

/** What FullStory would receive: the body after a JSON round trip (undefined dropped, Dates as strings). */
function toWireJson(body: unknown): unknown {
  let text: string | undefined
  try {
    text = JSON.stringify(body)
  } catch {
    throw invalid('the request body cannot be serialized as JSON')
  }
  if (text === undefined) throw invalid('the request body must be a JSON object')
  return JSON.parse(text)
}

function outcome(check: () => unknown): ApiErrorBody | undefined {
  try {
    check()
    return undefined
  } catch (error) {
    if (error instanceof ApiError) return error.toBody()
    throw error
  }
}

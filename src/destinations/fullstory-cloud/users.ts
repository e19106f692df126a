import { PayloadValidationError } from '@segment/actions-core'
import type { RequestClient } from '@segment/actions-core'
import type { Settings } from './generated-types'
import type { Payload } from './identifyUser/generated-types'
import type { UserRequest } from './types'
import type { DroppedProperty, FullStoryType } from './properties'
import { attachProperties, MAX_USER_PROPERTIES, renameProperty, transformProperties, truncateUtf8 } from './properties'
import { apiBaseUrl, endpoints, messageKey, send } from './api'
import { sendBatch } from './batch'
import { Observers, reportDropped } from './dropped'

/** The user property that keeps Segment's anonymous ID (the name upstream's v2 action used, so data lines up). */
export const ANONYMOUS_ID_PROPERTY = 'segmentAnonymousId'

/** FullStory's limit on a uid, for users and for the user an event names. */
export const MAX_UID_LENGTH = 256
const LIMITS = { display_name: 256, email: 128 }

/**
 * The POST /v2/users body for one identify call; throws PayloadValidationError for input FullStory would refuse.
 * What the property rules leave out is appended to `dropped`, when given.
 */
export function buildUserRequest(payload: Payload, dropped?: DroppedProperty[]): UserRequest {
  const uid = payload.userId
  if (typeof uid !== 'string' || !uid.trim()) {
    throw new PayloadValidationError(
      'Identify User needs a userId: without one FullStory would create a new anonymous user for every call. Map a user ID, or stop sending anonymous identify calls to this action.'
    )
  }
  checkLength('userId', uid, MAX_UID_LENGTH)
  if (payload.email !== undefined) checkLength('email', payload.email, LIMITS.email)
  if (payload.displayName !== undefined) checkLength('displayName', payload.displayName, LIMITS.display_name)

  const anonymousId = payload.anonymousId
  const { properties, schema } = transformProperties(payload.traits, {
    maxProperties: anonymousId ? MAX_USER_PROPERTIES - 1 : MAX_USER_PROPERTIES,
    exclude: duplicatedIdentityTraits(payload),
    dropped
  })
  if (anonymousId) {
    // A property value like any other: cut to FullStory's 8192 bytes, as the property rules cut strings.
    const kept = truncateUtf8(anonymousId)
    if (kept !== anonymousId) dropped?.push({ path: ANONYMOUS_ID_PROPERTY, reason: 'truncated' })
    setAnonymousId(properties, schema, kept)
  }

  const body: UserRequest = { uid }
  if (payload.email !== undefined) body.email = payload.email
  if (payload.displayName !== undefined) body.display_name = payload.displayName
  attachProperties(body, properties, schema)
  return body
}

export function createUser(request: RequestClient, settings: Settings, payload: Payload, observers?: Observers) {
  const dropped: DroppedProperty[] = []
  const body = buildUserRequest(payload, dropped)
  reportDropped('identifyUser', dropped, observers)
  return send(
    request,
    endpoints.users(apiBaseUrl(settings)),
    {
      method: 'POST',
      json: body,
      idempotencyKey: messageKey('identifyUser', payload.messageId)
    },
    { operation: 'identifying a user', apiKey: settings.apiKey }
  )
}

/** One users import job for a batch; each item is built exactly as a single identify would be. */
export function createUsersBatch(
  request: RequestClient,
  settings: Settings,
  payloads: Payload[],
  observers?: Observers
) {
  return sendBatch(request, settings, payloads, {
    observers,
    action: 'identifyUser',
    url: endpoints.usersBatch(apiBaseUrl(settings)),
    operation: 'importing a batch of users',
    build: buildUserRequest,
    messageId: (payload) => payload.messageId
  })
}

/**
 * The anonymous ID owns its documented name. A trait that already had that name with another value is kept
 * under the next free `_2`, `_3`, ... name, the same rule property names use for collisions, so nothing is lost;
 * its schema declarations move with it (the anonymous ID itself is a plain string).
 */
function setAnonymousId(
  properties: Record<string, unknown>,
  schema: Record<string, FullStoryType>,
  anonymousId: string
) {
  const existing = properties[ANONYMOUS_ID_PROPERTY]
  if (existing !== undefined && existing !== anonymousId) {
    let suffix = 2
    while (`${ANONYMOUS_ID_PROPERTY}_${suffix}` in properties) suffix++
    renameProperty(properties, schema, ANONYMOUS_ID_PROPERTY, `${ANONYMOUS_ID_PROPERTY}_${suffix}`)
  }
  properties[ANONYMOUS_ID_PROPERTY] = anonymousId
}

/** Traits that only repeat what is already sent as FullStory's top-level email and display_name. */
function duplicatedIdentityTraits(payload: Payload): string[] {
  const traits = payload.traits ?? {}
  const duplicated: string[] = []
  if (payload.email !== undefined && traits.email === payload.email) duplicated.push('email')
  for (const key of ['name', 'displayName', 'display_name']) {
    if (payload.displayName !== undefined && traits[key] === payload.displayName) duplicated.push(key)
  }
  return duplicated
}

export function checkLength(field: string, value: string, max: number): void {
  if (value.length > max) {
    throw new PayloadValidationError(`${field} is ${value.length} characters long; FullStory accepts at most ${max}.`)
  }
}

import type { RequestClient } from '@segment/actions-core'
import type { Settings } from './generated-types'
import type { UserRequest } from './types'
import type { DroppedProperty, FullStoryType, PropertyNameStyle } from './properties'
import { attachProperties, MAX_USER_PROPERTIES, renameProperty, transformProperties, truncateUtf8 } from './properties'
import { apiBaseUrl, endpoints, send } from './api'
import type { RequestKey } from './api'
import { sendBatch } from './batch'
import { propertyNameStyle } from './property-names'
import { Observers, reportDropped } from './dropped'
import { checkedUid } from './identity'
import { refusal } from './errors'

/** The user property that keeps Segment's anonymous ID (the name upstream's v2 action used, so data lines up). */
export const ANONYMOUS_ID_PROPERTY = 'segmentAnonymousId'

const LIMITS = { display_name: 256, email: 128 }

/** What one identify sends, whichever action's fields it came from (Identify User, or the earlier destination's). */
export interface UserFields {
  uid?: string
  anonymousId?: string
  email?: string
  displayName?: string
  traits?: Record<string, unknown>
  messageId?: string
}

export interface BuildOptions {
  /** How property names FullStory would refuse are rewritten (the destination setting). */
  names?: PropertyNameStyle
  /** What the property rules leave out is appended here. */
  dropped?: DroppedProperty[]
}

/** The POST /v2/users body for one identify call; throws PayloadValidationError for input FullStory would refuse. */
export function buildUserRequest(fields: UserFields, options: BuildOptions = {}): UserRequest {
  if (fields.uid === undefined) {
    const only = fields.anonymousId ? ' (this call has only an anonymousId)' : ''
    throw refusal(
      `Identify User needs a userId: without one FullStory would create a new anonymous user for every call${only}. Map a user ID, or stop sending anonymous identify calls to this action.`
    )
  }
  const uid = checkedUid(fields.uid)
  // Over FullStory's limits, a display name is cut and an email (which a cut would break) is left out of its field;
  // a trait holding the whole value then stays a user property, since it no longer repeats what is sent.
  let email = fields.email
  if (email !== undefined && email.length > LIMITS.email) {
    options.dropped?.push({ path: 'email', reason: 'too-long' })
    email = undefined
  }
  let displayName = fields.displayName
  if (displayName !== undefined && displayName.length > LIMITS.display_name) {
    options.dropped?.push({ path: 'displayName', reason: 'truncated' })
    displayName = cutToLength(displayName, LIMITS.display_name)
  }

  const anonymousId = fields.anonymousId
  const { properties, schema } = transformProperties(fields.traits, {
    maxProperties: anonymousId ? MAX_USER_PROPERTIES - 1 : MAX_USER_PROPERTIES,
    exclude: duplicatedIdentityTraits(fields.traits, email, displayName),
    dropped: options.dropped,
    names: options.names
  })
  if (anonymousId) {
    // A property value like any other: cut to FullStory's 8192 bytes, as the property rules cut strings.
    const kept = truncateUtf8(anonymousId)
    if (kept !== anonymousId) options.dropped?.push({ path: ANONYMOUS_ID_PROPERTY, reason: 'truncated' })
    setAnonymousId(properties, schema, kept)
  }

  const body: UserRequest = { uid }
  if (email !== undefined) body.email = email
  if (displayName !== undefined) body.display_name = displayName
  attachProperties(body, properties, schema)
  return body
}

export function createUser(
  request: RequestClient,
  settings: Settings,
  fields: UserFields,
  key: RequestKey,
  observers?: Observers
) {
  const dropped: DroppedProperty[] = []
  const body = buildUserRequest(fields, { names: propertyNameStyle(settings.propertyNameStyle), dropped })
  reportDropped(key.action, dropped, observers)
  return send(
    request,
    endpoints.users(apiBaseUrl(settings)),
    { method: 'POST', json: body, idempotencyKey: key.forMessage(fields.messageId) },
    { operation: 'identifying a user', apiKey: settings.apiKey }
  )
}

/** One users import job for a batch; each item is built exactly as a single identify would be. */
export function createUsersBatch(
  request: RequestClient,
  settings: Settings,
  items: UserFields[],
  key: RequestKey,
  observers?: Observers
) {
  return sendBatch(request, settings, items, {
    observers,
    key,
    url: endpoints.usersBatch(apiBaseUrl(settings)),
    operation: 'importing a batch of users',
    build: (fields, dropped) =>
      buildUserRequest(fields, { names: propertyNameStyle(settings.propertyNameStyle), dropped }),
    messageId: (fields) => fields.messageId
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
function duplicatedIdentityTraits(
  traits: Record<string, unknown> = {},
  email: string | undefined,
  displayName: string | undefined
): string[] {
  const duplicated: string[] = []
  if (email !== undefined && traits.email === email) duplicated.push('email')
  for (const key of ['name', 'displayName', 'display_name']) {
    if (displayName !== undefined && traits[key] === displayName) duplicated.push(key)
  }
  return duplicated
}

/** The first `max` UTF-16 units of `text`, one fewer when the cut would split a surrogate pair. */
function cutToLength(text: string, max: number): string {
  const unit = text.charCodeAt(max - 1)
  return text.slice(0, unit >= 0xd800 && unit <= 0xdbff ? max - 1 : max)
}

import crypto from 'crypto'
import { InvalidAuthenticationError } from '@segment/actions-core'
import type { ModifiedResponse, RequestClient } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { ErrorContext, toActionsError, toTransportError } from './errors'
import { FULLSTORY_API_VERSION } from './versioning-info'

/** Overrides the FullStory host for local runs, proxies and tests. Never a Segment setting: keys go only to hosts we chose. */
export const API_URL_ENV = 'FULLSTORY_API_URL'

export const REGIONS = {
  auto: 'https://api.fullstory.com',
  eu1: 'https://api.eu1.fullstory.com'
} as const
export type Region = keyof typeof REGIONS

export const DEFAULT_REGION: Region = 'auto'

export function apiBaseUrl(settings: Pick<Settings, 'region'>): string {
  const override = overrideUrl(process.env[API_URL_ENV])
  if (override !== undefined) return override
  const region = settings.region && settings.region in REGIONS ? (settings.region as Region) : DEFAULT_REGION
  return REGIONS[region]
}

// The variable is read on every call (tests and runners change it); only its clean-up is remembered.
let lastOverride: { raw?: string; url?: string } = {}
function overrideUrl(raw: string | undefined): string | undefined {
  if (raw !== lastOverride.raw) {
    const trimmed = raw?.trim()
    lastOverride = { raw, url: trimmed ? trimmed.replace(/\/+$/, '') : undefined }
  }
  return lastOverride.url
}

const V = FULLSTORY_API_VERSION

export const endpoints = {
  me: (base: string) => `${base}/me`,
  users: (base: string) => `${base}/${V}/users`,
  events: (base: string) => `${base}/${V}/events`,
  deleteUser: (base: string, uid: string) => `${base}/${V}/users?uid=${encodeURIComponent(uid)}`,
  usersBatch: (base: string) => `${base}/${V}/users/batch`,
  eventsBatch: (base: string) => `${base}/${V}/events/batch`
}

/**
 * The headers of one request, in one object: actions-core merges request options into `Headers` objects on every
 * call, so a per-request object alone (no `extendRequest`) costs one merge instead of two. Names are written in lower
 * case, as HTTP/2 sends them (HTTP names ignore case): node-fetch lowercases a name on every lookup, which makes a new
 * string from a mixed-case name each time and returns a lower-case one as it is.
 */
function requestHeaders(apiKey: string, body: boolean, idempotencyKey: string | undefined): Record<string, string> {
  const headers: Record<string, string> = {
    authorization: authorization(apiKey),
    'integration-source': 'segment'
  }
  if (body) headers['content-type'] = 'application/json'
  if (idempotencyKey !== undefined) headers['idempotency-key'] = idempotencyKey
  return headers
}

// The key is the same for every event of a destination: its check and header value are worked out once.
let lastKey = { raw: '', header: '' }
function authorization(apiKey: string): string {
  if (apiKey !== lastKey.raw || lastKey.header === '')
    lastKey = { raw: apiKey, header: `Basic ${usableApiKey(apiKey)}` }
  return lastKey.header
}

/**
 * The key as it is sent: surrounding whitespace (a pasted key's trailing newline) is trimmed. A key that still holds
 * a character no HTTP header can carry is refused before any request, with a message that never shows the key.
 */
export function usableApiKey(apiKey: string): string {
  const key = typeof apiKey === 'string' ? apiKey.trim() : ''
  if (key === '') throw new InvalidAuthenticationError('The FullStory API key is empty. Paste the key from FullStory.')
  for (let i = 0; i < key.length; i++) {
    const what = unusableInHeader(key.charCodeAt(i))
    if (what !== undefined) {
      const position = i + 1
      const length = key.length
      throw new InvalidAuthenticationError(
        `The FullStory API key holds ${what} at position ${position} of ${length}, which no HTTP header can carry. Copy the key again from FullStory (Settings > Integrations > API Keys) and paste it without extra text.`
      )
    }
  }
  return key
}

/** What a UTF-16 code unit is when no HTTP header value can carry it, or undefined when one can. */
function unusableInHeader(unit: number): string | undefined {
  if (unit === 0x0a || unit === 0x0d) return 'a line break'
  if (unit < 0x20 || unit === 0x7f) return 'a control character'
  if (unit > 0xff) return `the character U+${unit.toString(16).toUpperCase().padStart(4, '0')}, outside Latin-1`
  return undefined
}

/** Where a request comes from: its action and its subscription, which Idempotency-Keys must tell apart. */
export interface RequestKey {
  action: string
  /** The key for one message's request, or none when the message has no id to key it by. */
  forMessage(messageId: string | undefined, variant?: string): string | undefined
  /** The key for an import job, from the identities of its items. */
  forBatch(identities: string[]): string
}

/**
 * Keys are derived from the action, the subscription and the Segment message, so Segment's retries of one delivery
 * repeat the key (and FullStory answers from its store) while two subscriptions of one action on one message never
 * share one. Segment names each subscription (`subscriptionMetadata.actionConfigId`); a runner that does not is told
 * apart by its mapping.
 */
export function requestKey(action: string, data: SubscriptionData): RequestKey {
  // Every key of a subscription starts the same: joined once, so that a key is one hash.
  const prefix = `${KEY_NAMESPACE}\n${action}\n${subscriptionIdentity(data)}\n`
  return {
    action,
    forMessage: (messageId, variant) => {
      if (!messageId) return undefined
      return idempotencyKey(variant === undefined ? prefix + messageId : `${prefix}${messageId}\n${variant}`)
    },
    forBatch: (identities) => idempotencyKey(`${prefix}batch\n${identities.join('\n')}`)
  }
}

/** What actions-core hands a perform about the subscription it runs for. */
interface SubscriptionData {
  subscriptionMetadata?: { actionConfigId?: string }
  rawMapping?: unknown
}

function subscriptionIdentity(data: SubscriptionData): string {
  const id = data.subscriptionMetadata?.actionConfigId
  if (id) return `subscription:${id}`
  const mapping = data.rawMapping
  if (mapping === null || typeof mapping !== 'object') return 'mapping:none'
  let digest = mappingDigests.get(mapping)
  if (digest === undefined) {
    digest = `mapping:${sha256Hex(JSON.stringify(mapping))}`
    mappingDigests.set(mapping, digest)
  }
  return digest
}

// A runner hands the same mapping object to every event of a subscription: its digest is worked out once.
const mappingDigests = new WeakMap<object, string>()

const KEY_NAMESPACE = 'fullstory-cloud'

/**
 * A fixed-length, header-safe key from what identifies a request (message ids can be any length and hold any
 * character): the first 128 bits of its SHA-256, in UUID form.
 */
function idempotencyKey(identity: string): string {
  const hex = sha256Hex(identity)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

// Not PII hashing (that goes through the monorepo's hashing helper): a key for message ids. Node 20.12+ hashes a
// string in one call, without the Hash object the streaming API builds for every key.
const oneShot = (crypto as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash
function sha256Hex(text: string): string {
  return oneShot ? oneShot('sha256', text, 'hex') : crypto.createHash('sha256').update(text).digest('hex')
}

export interface SendOptions {
  method?: 'GET' | 'POST' | 'DELETE'
  json?: unknown
  idempotencyKey?: string
  /** Statuses that count as success besides 2xx (a 404 on delete means already gone). */
  acceptStatuses?: number[]
}

/**
 * Sends one request and maps any failure to the actions-core error that tells Segment whether to retry. FullStory
 * never redirects its API, so a redirect is never followed: it could turn a POST into a GET reported as success, or
 * carry the key to another host.
 */
export async function send<T = unknown>(
  request: RequestClient,
  url: string,
  options: SendOptions,
  context: ErrorContext & { apiKey: string }
): Promise<ModifiedResponse<T>> {
  const body = options.json === undefined ? undefined : JSON.stringify(options.json)
  const headers = requestHeaders(context.apiKey, body !== undefined, options.idempotencyKey)
  let response: ModifiedResponse<T>
  try {
    response = await request<T>(url, {
      method: options.method ?? 'GET',
      // Serialized here with its Content-Type: given `json`, actions-core builds the Request a second time.
      body,
      headers,
      redirect: 'manual',
      throwHttpErrors: false,
      // actions-core otherwise reads a clone of the body while the original stays unread, and node-fetch stalls
      // such a clone once the body passes 16 KB: a long error page would hang the request for good.
      skipResponseCloning: true
    })
  } catch (error) {
    throw toTransportError(error, context)
  }
  if (response.ok || options.acceptStatuses?.includes(response.status)) return response
  throw toActionsError(
    {
      status: response.status,
      body: response.data ?? response.content,
      retryAfter: response.headers.get('retry-after'),
      location: response.headers.get('location')
    },
    context
  )
}

import crypto, { createHash } from 'crypto'
import type { ModifiedResponse, RequestClient } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { ErrorContext, toActionsError, toTransportError } from './errors'

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

export const endpoints = {
  me: (base: string) => `${base}/me`,
  users: (base: string) => `${base}/v2/users`,
  events: (base: string) => `${base}/v2/events`,
  deleteUser: (base: string, uid: string) => `${base}/v2/users?uid=${encodeURIComponent(uid)}`,
  usersBatch: (base: string) => `${base}/v2/users/batch`,
  eventsBatch: (base: string) => `${base}/v2/events/batch`
}

export function authHeaders(settings: Pick<Settings, 'apiKey'>): Record<string, string> {
  return {
    Authorization: `Basic ${settings.apiKey}`,
    'Integration-Source': 'segment'
  }
}

/**
 * A stable key per Segment message and action, so FullStory replays its first answer when Segment retries
 * instead of counting the event twice. Hashing keeps arbitrary message ids header-safe and of fixed length.
 */
export function idempotencyKey(action: string, ...messageIds: string[]): string {
  let text = `fullstory-cloud:${action}`
  for (const id of messageIds) text += `\n${id}`
  const hex = sha256Hex(text)
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20, 32)}`
}

/** The key for one Segment message's request, or none when the message has no id to key it by. */
export function messageKey(action: string, messageId: string | undefined): string | undefined {
  return messageId ? idempotencyKey(action, messageId) : undefined
}

// Node 20.12+ hashes a string in one call, without a Hash object; older Node takes the streaming API.
const oneShotHash = (crypto as unknown as { hash?: (algorithm: string, data: string, encoding: 'hex') => string }).hash
function sha256Hex(text: string): string {
  if (oneShotHash) return oneShotHash('sha256', text, 'hex')
  return createHash('sha256').update(text).digest('hex') // eslint-disable-line no-restricted-syntax -- not PII: hashes Segment message ids
}

export interface SendOptions {
  method?: 'GET' | 'POST' | 'DELETE'
  json?: unknown
  idempotencyKey?: string
  /** Statuses that count as success besides 2xx (a 404 on delete means already gone). */
  acceptStatuses?: number[]
}

/** Sends one request and maps any failure to the actions-core error that tells Segment whether to retry. */
export async function send<T = unknown>(
  request: RequestClient,
  url: string,
  options: SendOptions,
  context: ErrorContext
): Promise<ModifiedResponse<T>> {
  let response: ModifiedResponse<T>
  try {
    response = await request<T>(url, {
      method: options.method ?? 'GET',
      json: options.json,
      headers: options.idempotencyKey ? { 'Idempotency-Key': options.idempotencyKey } : undefined,
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
      retryAfter: response.headers.get('retry-after')
    },
    context
  )
}

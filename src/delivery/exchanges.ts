import type { DecoratedResponse } from '@segment/actions-core'
import { scrub } from '../destinations/fullstory-cloud/errors'

/** One HTTP call the destination made, as a person debugging a mapping wants to read it. */
export interface Exchange {
  request: { method: string; url: string; headers: Record<string, string>; body?: unknown }
  response: { status: number; body: unknown }
}

const SECRET_HEADERS = new Set(['authorization', 'proxy-authorization', 'x-api-key'])

/** The key never leaves the process: the scheme stays visible, the secret does not. */
export function redactHeaders(headers: Headers): Record<string, string> {
  const out: Record<string, string> = {}
  headers.forEach((value, name) => {
    out[name] = SECRET_HEADERS.has(name.toLowerCase()) ? `${value.split(' ')[0]} [redacted]` : value
  })
  return out
}

/**
 * The call as the page, the tracking API's answers and dead letters show it. Besides the Authorization header, the
 * key is scrubbed from everything else (URL, bodies), so an answer that echoes it (a proxy's error page, say)
 * never shows it either.
 */
export function toExchange(response: DecoratedResponse, apiKey: string): Exchange {
  const { request, options } = response
  return {
    request: {
      method: request.method,
      url: scrub(request.url, apiKey),
      headers: scrubbedValues(redactHeaders(request.headers), apiKey),
      body: scrubbedValues(options.json ?? jsonOrText(options.body), apiKey)
    },
    response: { status: response.status, body: scrubbedValues(response.data ?? response.content, apiKey) }
  }
}

/** A copy of a JSON-like value with the key scrubbed from every string in it, names included. */
function scrubbedValues<T>(value: T, apiKey: string): T {
  if (typeof value === 'string') return scrub(value, apiKey) as T
  if (Array.isArray(value)) return value.map((item: unknown) => scrubbedValues(item, apiKey)) as T
  if (value === null || typeof value !== 'object') return value
  // fromEntries defines each name as an own property, `__proto__` included.
  return Object.fromEntries(
    Object.entries(value).map(([name, item]) => [scrub(name, apiKey), scrubbedValues(item, apiKey)])
  ) as T
}

/** The destination sends its bodies serialized; the page shows them as the JSON they are. */
function jsonOrText(body: unknown): unknown {
  if (typeof body !== 'string') return body
  try {
    return JSON.parse(body)
  } catch {
    return body
  }
}

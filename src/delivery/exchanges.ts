import type { DecoratedResponse } from '@segment/actions-core'

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

export function toExchange(response: DecoratedResponse): Exchange {
  const { request, options } = response
  return {
    request: {
      method: request.method,
      url: request.url,
      headers: redactHeaders(request.headers),
      body: options.json ?? jsonOrText(options.body)
    },
    response: { status: response.status, body: response.data ?? response.content }
  }
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

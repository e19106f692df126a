import type { IncomingMessage, ServerResponse } from 'http'
import { ApiError, ErrorCodes } from './errors'

/** A generous cap: a 50,000-event batch of ordinary events is a few tens of megabytes. */
export const MAX_BODY_BYTES = 64 * 1024 * 1024

/** Reads the whole body; past `maxBytes` it stops keeping data and throws a 413 once the client is done. */
export async function readBody(request: IncomingMessage, maxBytes = MAX_BODY_BYTES): Promise<string> {
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of request) {
    const buffer = chunk as Buffer
    size += buffer.length
    // Keep draining past the cap, so the client can read our 413 instead of a reset connection.
    if (size <= maxBytes) chunks.push(buffer)
  }
  if (size > maxBytes) {
    throw new ApiError(
      413,
      ErrorCodes.payloadTooLarge,
      `the request body is ${size} bytes; the sandbox takes at most ${maxBytes}`
    )
  }
  return Buffer.concat(chunks).toString('utf8')
}

/** Writes JSON with FullStory's content type and returns the text sent (for the request log). */
export function sendJson(
  response: ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {}
): string {
  const text = JSON.stringify(body)
  if (response.destroyed || response.headersSent) return text
  response.writeHead(status, {
    ...headers,
    'Content-Type': 'application/json',
    'Content-Length': String(Buffer.byteLength(text))
  })
  response.end(text)
  return text
}

export function errorHeaders(error: ApiError): Record<string, string> {
  return error.retryAfter === undefined ? {} : { 'Retry-After': String(error.retryAfter) }
}

/** Parses a JSON request body; FullStory answers 400 to anything else. */
export function parseJson(text: string): unknown {
  if (text.trim() === '')
    throw new ApiError(400, ErrorCodes.invalidArgument, 'the request body is empty; send a JSON object')
  try {
    return JSON.parse(text) as unknown
  } catch {
    throw new ApiError(400, ErrorCodes.invalidArgument, 'the request body is not valid JSON')
  }
}

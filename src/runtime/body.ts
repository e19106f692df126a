import type { IncomingMessage } from 'http'
import { TrackingApiError } from './tracking-api'

export class BodyTooLarge extends Error {}

const utf8 = new TextDecoder('utf-8', { fatal: true })

/**
 * Reads a JSON body of at most `maxBytes`, holding no more than that: a larger one is refused as soon as its
 * declared length or its bytes pass the limit. Bytes that are not UTF-8 are refused rather than turned into
 * U+FFFD and sent to FullStory as if they were the caller's text.
 */
export async function readJsonBody(req: IncomingMessage, maxBytes: number): Promise<unknown> {
  const tooLarge = () =>
    new BodyTooLarge(`The body is over ${maxBytes} bytes; ${req.url ?? 'this route'} takes at most that.`)
  if (Number(req.headers['content-length']) > maxBytes) throw tooLarge()
  const chunks: Buffer[] = []
  let size = 0
  for await (const chunk of req) {
    size += (chunk as Buffer).length
    if (size > maxBytes) throw tooLarge()
    chunks.push(chunk as Buffer)
  }
  let text: string
  try {
    text = utf8.decode(Buffer.concat(chunks, size))
  } catch {
    throw new TrackingApiError('The body is not valid UTF-8.')
  }
  try {
    return JSON.parse(text)
  } catch {
    throw new TrackingApiError('The body is not valid JSON.')
  }
}

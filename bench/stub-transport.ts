import path from 'path'
import { Response } from '@segment/actions-core'

/**
 * The lowest-overhead transport stub: it replaces the `fetch` that actions-core's request client calls (node-fetch,
 * through cross-fetch), so every layer above the socket runs for real (Request objects, headers, JSON
 * serialization, timeout timers, response parsing) and nothing below it does. The stub reads each request body,
 * as a socket write would, and answers 200 with a JSON body the way FullStory does.
 *
 * Every destination compared goes through this same stub: they all run on this repository's actions-core.
 */

type FetchLike = (request: Request) => Promise<Response>

// actions-core reads `fetch.default` at call time, so assigning it swaps the transport everywhere.
// Its package `exports` hide this file, hence the path from the main entry.
const fetchModulePath = path.join(path.dirname(require.resolve('@segment/actions-core')), 'fetch.js')

export interface TransportStats {
  requests: number
  bodyBytes: number
}

/** What a request looked like on the wire, for callers that record them (the digest). */
export interface SentRequest {
  method: string
  url: string
  headers: [string, string][]
  body: string
}

export function installStubTransport(onRequest?: (request: SentRequest) => void): {
  stats: TransportStats
  restore: () => void
} {
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- the module must be the instance actions-core uses
  const fetchModule = require(fetchModulePath) as { default: FetchLike }
  const original = fetchModule.default
  const stats: TransportStats = { requests: 0, bodyBytes: 0 }
  fetchModule.default = async (request: Request) => {
    const body = await request.text()
    stats.requests++
    stats.bodyBytes += body.length
    if (onRequest) {
      const headers: [string, string][] = []
      request.headers.forEach((value, name) => headers.push([name, value]))
      onRequest({ method: request.method, url: request.url, headers, body })
    }
    const answer = request.url.endsWith('/v2/users') ? '{"id":"1"}' : '{}'
    return new Response(answer, { status: 200, headers: { 'content-type': 'application/json' } })
  }
  return { stats, restore: () => (fetchModule.default = original) }
}

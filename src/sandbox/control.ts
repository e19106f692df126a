import type { IncomingMessage } from 'http'
import { resetCore, type SandboxCore } from './core'
import { ApiError, ErrorCodes, invalid } from './errors'
import { parseFaults } from './faults'
import { parseJson } from './http'
import { isPlainObject } from './properties'
import type { RouteResponse } from './routes'

/**
 * The sandbox's own routes under `/__sandbox/`: not FullStory's API, so no auth, no faults and no request log.
 * They let child processes and the local runtime's web page read and steer the sandbox.
 */

export const CONTROL_PREFIX = '/__sandbox'

export function handleControl(core: SandboxCore, method: string, pathname: string, text: string): RouteResponse {
  const route = `${method} ${pathname.slice(CONTROL_PREFIX.length)}`
  switch (route) {
    case 'GET /state':
      return ok({ users: core.store.listUsers(), events: core.store.listEvents() })
    case 'GET /requests':
      return ok({ requests: core.log.list() })
    case 'GET /faults':
      return ok({ faults: core.faults.list() })
    case 'POST /faults':
      core.faults.set(parseFaults(parseJson(text)))
      return ok({ faults: core.faults.list() })
    case 'POST /reset':
      resetCore(core)
      return ok({})
    case 'POST /full-sessions': {
      const body = parseJson(text)
      if (!isPlainObject(body) || typeof body.id !== 'string' || body.id === '') {
        throw invalid('send { "id": "<deviceId>:<sessionId>" }')
      }
      core.store.markSessionFull(body.id)
      return ok({})
    }
    default:
      throw new ApiError(404, ErrorCodes.notFound, `no sandbox control route ${method} ${pathname}`)
  }
}

// Loopback pages only (the local runtime's web page on another port), never arbitrary websites.
const LOOPBACK_ORIGIN = /^https?:\/\/(127\.0\.0\.1|localhost)(:\d+)?$/

export function corsHeaders(request: IncomingMessage): Record<string, string> {
  const origin = request.headers.origin
  if (!origin || !LOOPBACK_ORIGIN.test(origin)) return {}
  return {
    'Access-Control-Allow-Origin': origin,
    'Access-Control-Allow-Methods': 'GET, POST',
    'Access-Control-Allow-Headers': 'Content-Type',
    Vary: 'Origin'
  }
}

function ok(body: unknown): RouteResponse {
  return { status: 200, body }
}

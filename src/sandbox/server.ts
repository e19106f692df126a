import type { IncomingMessage, ServerResponse } from 'http'
import { authorize } from './auth'
import { CONTROL_PREFIX, corsHeaders, handleControl } from './control'
import type { SandboxCore } from './core'
import { ApiError, ErrorCodes } from './errors'
import { faultError } from './faults'
import { errorHeaders, parseJson, readBody, sendJson } from './http'
import { requestFingerprint } from './idempotency'
import { loggable, redactAuthorization } from './request-log'
import { matchRoute, type RouteResponse } from './routes'
import type { SandboxRequestLog } from './types'

/**
 * The HTTP pipeline for FullStory routes: route, auth, injected faults, JSON body, idempotency, handler.
 * Auth comes before faults because FullStory rate-limits per org, which it knows only from the key.
 */
export function createRequestHandler(
  core: SandboxCore,
  sleep: (ms: number) => Promise<void>
): (request: IncomingMessage, response: ServerResponse) => void {
  return (request, response) => {
    handle(core, sleep, request, response).catch((error: unknown) => {
      // Only a bug gets here; answer like FullStory's 500 rather than leaving the client hanging.
      console.error('FullStory sandbox: unexpected error', error)
      sendJson(response, 500, { message: 'Server error was encountered', code: ErrorCodes.serverError })
    })
  }
}

async function handle(
  core: SandboxCore,
  sleep: (ms: number) => Promise<void>,
  request: IncomingMessage,
  response: ServerResponse
): Promise<void> {
  const started = Date.now()
  const method = request.method ?? 'GET'
  const target = request.url ?? '/'
  const url = new URL(target, 'http://127.0.0.1')

  if (url.pathname === CONTROL_PREFIX || url.pathname.startsWith(`${CONTROL_PREFIX}/`)) {
    return handleControlRequest(core, method, url.pathname, request, response)
  }

  const entry: SandboxRequestLog = {
    at: new Date(started).toISOString(),
    method,
    path: target,
    status: 0,
    durationMs: 0
  }
  const authorization = request.headers.authorization
  if (authorization !== undefined) entry.authorization = redactAuthorization(authorization)
  const idempotencyKey = headerValue(request.headers['idempotency-key'])
  if (idempotencyKey !== undefined) entry.idempotencyKey = idempotencyKey

  const answer = (result: RouteResponse): void => {
    const text = sendJson(response, result.status, result.body, result.headers)
    entry.status = result.status
    entry.durationMs = Date.now() - started
    const logged = loggable(text)
    if (logged !== undefined) entry.response = logged
    core.log.add(entry)
  }
  const fail = (error: ApiError): void =>
    answer({ status: error.status, body: error.toBody(), headers: errorHeaders(error) })

  let text: string
  try {
    text = await readBody(request)
  } catch (error) {
    if (error instanceof ApiError) return fail(error)
    throw error
  }
  const body = loggable(text)
  if (body !== undefined) entry.body = body

  const match = matchRoute(method, url.pathname)
  if (!match) return fail(new ApiError(404, ErrorCodes.notFound, `no FullStory route ${method} ${url.pathname}`))
  if (!('route' in match)) {
    const error = new ApiError(405, ErrorCodes.methodNotAllowed, `${url.pathname} does not take ${method}`)
    return answer({ status: 405, body: error.toBody(), headers: { Allow: match.allowed.join(', ') } })
  }

  const denied = authorize(authorization, core.apiKey)
  if (denied) return fail(denied)

  const fault = core.faults.take(url.pathname)
  if (fault) {
    entry.fault = true
    if (fault.delayMs) await sleep(fault.delayMs)
    if (fault.status >= 400) return fail(faultError(fault))
  }

  try {
    const json = method === 'POST' ? parseJson(text) : undefined
    const route = match.route
    const fingerprint =
      route.idempotent && idempotencyKey !== undefined ? requestFingerprint(method, url.pathname, json) : undefined
    if (fingerprint !== undefined && idempotencyKey !== undefined) {
      const stored = core.idempotency.lookup(idempotencyKey, fingerprint)
      if (stored.kind === 'replay') {
        entry.replayed = true
        return answer(stored.response)
      }
      if (stored.kind === 'conflict') {
        throw new ApiError(
          400,
          ErrorCodes.idempotencyKeyConflict,
          'this Idempotency-Key was already used with a different request; use a new key for a new request'
        )
      }
    }
    const result = runRoute(() => route.handle(core, { params: match.params, query: url.searchParams, body: json }))
    if (fingerprint !== undefined && idempotencyKey !== undefined) {
      core.idempotency.remember(idempotencyKey, fingerprint, { status: result.status, body: result.body })
    }
    return answer(result)
  } catch (error) {
    if (error instanceof ApiError) return fail(error)
    throw error
  }
}

/** A handler's answer, with its FullStory errors turned into responses so they can be kept for idempotency. */
function runRoute(run: () => RouteResponse): RouteResponse {
  try {
    return run()
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    return { status: error.status, body: error.toBody(), headers: errorHeaders(error) }
  }
}

async function handleControlRequest(
  core: SandboxCore,
  method: string,
  pathname: string,
  request: IncomingMessage,
  response: ServerResponse
): Promise<void> {
  const cors = corsHeaders(request)
  if (method === 'OPTIONS') {
    response.writeHead(204, cors).end()
    return
  }
  try {
    const text = await readBody(request)
    const result = handleControl(core, method, pathname, text)
    sendJson(response, result.status, result.body, cors)
  } catch (error) {
    if (!(error instanceof ApiError)) throw error
    sendJson(response, error.status, error.toBody(), cors)
  }
}

function headerValue(value: string | string[] | undefined): string | undefined {
  const first = Array.isArray(value) ? value[0] : value
  return first === undefined || first === '' ? undefined : first
}

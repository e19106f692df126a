import { ApiError, ErrorCodes, invalid } from './errors'
import { isPlainObject } from './properties'
import type { FaultSpec } from './types'

/** Injected failures for FullStory routes: the first spec matching a path with count left answers instead. */
export class Faults {
  private active: { spec: FaultSpec; remaining: number }[] = []

  set(faults: FaultSpec[]): void {
    this.active = parseFaults(faults).map((spec) => ({ spec, remaining: spec.count ?? Infinity }))
  }

  /** The fault for this request, if any; counts it as used. */
  take(path: string): FaultSpec | undefined {
    const match = this.active.find((fault) => fault.remaining > 0 && path.startsWith(fault.spec.path ?? ''))
    if (!match) return undefined
    match.remaining--
    return match.spec
  }

  list(): (FaultSpec & { remaining: number })[] {
    return this.active.map(({ spec, remaining }) => ({ ...spec, remaining }))
  }

  reset(): void {
    this.active = []
  }
}

const FAULT_FIELDS = ['status', 'count', 'retryAfter', 'delayMs', 'path']

/** Checks fault specs from code or from `POST /__sandbox/faults`; throws a 400 `ApiError` naming the problem. */
export function parseFaults(value: unknown): FaultSpec[] {
  if (!Array.isArray(value)) throw invalid('faults must be an array of fault specs')
  return value.map((raw, i) => {
    const where = `faults[${i}]`
    if (!isPlainObject(raw)) throw invalid(`${where} must be an object`)
    for (const key of Object.keys(raw)) {
      if (!FAULT_FIELDS.includes(key))
        throw invalid(`${where}.${key} is not a fault field; use ${FAULT_FIELDS.join(', ')}`)
    }
    const { status, count, retryAfter, delayMs, path } = raw
    if (typeof status !== 'number' || !Number.isInteger(status) || status < 100 || status > 599) {
      throw invalid(`${where}.status must be an HTTP status code`)
    }
    // JSON cannot carry Infinity, so over HTTP an absent count is the only way to say "every request".
    if (count !== undefined && (typeof count !== 'number' || !(count >= 0))) {
      throw invalid(`${where}.count must be a number of requests`)
    }
    if (retryAfter !== undefined && (typeof retryAfter !== 'number' || !(retryAfter >= 0))) {
      throw invalid(`${where}.retryAfter must be a number of seconds`)
    }
    if (delayMs !== undefined && (typeof delayMs !== 'number' || !(delayMs >= 0) || delayMs > 600_000)) {
      throw invalid(`${where}.delayMs must be a number of milliseconds up to 600000`)
    }
    if (path !== undefined && typeof path !== 'string') throw invalid(`${where}.path must be a string`)
    return raw as unknown as FaultSpec
  })
}

// FullStory's own codes and messages for these statuses (its v2 spec's examples).
const FAULT_ANSWERS: Partial<Record<number, [string, string]>> = {
  401: [ErrorCodes.unauthorized, 'access is unauthorized'],
  403: [ErrorCodes.forbidden, 'insufficient permissions'],
  404: [ErrorCodes.notFound, 'Requested resource does not exist'],
  429: [ErrorCodes.tooManyRequests, 'Too many requests. Client has exceeded the rate limit for this endpoint.']
}

/** What an injected failure answers. */
export function faultError(spec: FaultSpec): ApiError {
  const { status, retryAfter } = spec
  const [code, message] =
    FAULT_ANSWERS[status] ??
    (status >= 500
      ? [ErrorCodes.serverError, 'Server error was encountered']
      : [ErrorCodes.invalidArgument, 'the request was refused'])
  return new ApiError(status, code, `${message} (injected by the FullStory sandbox)`, retryAfter)
}

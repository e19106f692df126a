/** Public shapes of the embedded FullStory sandbox. Field names of stored data follow FullStory's snake_case. */

export type SandboxRole = 'ADMIN' | 'ARCHITECT' | 'USER'

export interface SandboxOptions {
  /** Default 0: the OS picks a free port. The sandbox always binds 127.0.0.1. */
  port?: number
  /** When set, only `Authorization: Basic <apiKey>` is accepted; otherwise any non-empty Basic key is. */
  apiKey?: string
  /** Role reported by `GET /me`. A `USER` (Standard) key gets 403 on deletions. Default `ADMIN`. */
  role?: SandboxRole
  /** How long batch import jobs stay PROCESSING. Default 0: they finish on the next timer tick. */
  jobDelayMs?: number
}

export interface FaultSpec {
  status: number
  /** How many matching requests fail; default Infinity. */
  count?: number
  /** Seconds; adds a `Retry-After` header. */
  retryAfter?: number
  /** Wait this long before answering. With a status below 400 the request is then handled normally. */
  delayMs?: number
  /** Only requests whose path starts with this. */
  path?: string
}

export interface ApiErrorBody {
  message: string
  code: string
}

export type PropertyType = 'str' | 'strs' | 'int' | 'ints' | 'real' | 'reals' | 'bool' | 'bools' | 'date' | 'dates'

export interface PropertySchema {
  properties: Record<string, PropertyType>
}

export interface SandboxUser {
  /** FullStory's id for the user. */
  id: string
  uid?: string
  display_name?: string
  email?: string
  properties: Record<string, unknown>
  /** The type FullStory keeps for every leaf path: declared through `schema`, else inferred (numbers are `real`). */
  schema: PropertySchema
  created: string
  updated: string
}

export interface EventContext {
  browser?: { url?: string; user_agent?: string; initial_referrer?: string }
  mobile?: { app_id?: string; app_version?: string; app_name?: string; build_variant?: string }
  device?: {
    manufacturer?: string
    model?: string
    screen_width?: number
    screen_height?: number
    viewport_width?: number
    viewport_height?: number
  }
  location?: {
    country?: string
    region?: string
    city?: string
    latitude?: number
    longitude?: number
    ip_address?: string
  }
}

export interface EventRequest {
  name: string
  timestamp?: string
  properties?: Record<string, unknown>
  schema?: { properties?: Record<string, string> }
  user?: { uid?: string; id?: string }
  session?: { id?: string; use_most_recent?: boolean; uid?: string }
  context?: EventContext
}

/** An accepted event: the request body as accepted, plus where the sandbox attached it. */
export interface SandboxEvent extends EventRequest {
  /** FullStory id of the user the event belongs to (absent for events sent to a session alone). */
  user_id?: string
  /** The explicitly targeted session (`session.id`). The sandbox captures no sessions of its own. */
  session_id?: string
  /** Set when the event came in through a batch import job (which also applies `shared.context`). */
  job_id?: string
  received: string
}

export interface SandboxRequestLog {
  at: string
  method: string
  /** Path and query string as received. */
  path: string
  status: number
  durationMs: number
  /** `Basic [REDACTED]` when an Authorization header was sent: the key itself is never kept. */
  authorization?: string
  idempotencyKey?: string
  /** A configured fault answered or delayed the request. */
  fault?: boolean
  /** The response was replayed from the idempotency store. */
  replayed?: boolean
  /** Parsed JSON request body, when it is small enough to keep (see `LOGGED_BODY_MAX_BYTES`). */
  body?: unknown
  /** Parsed JSON response body, under the same size rule. */
  response?: unknown
}

export interface SandboxState {
  users: SandboxUser[]
  events: SandboxEvent[]
}

export interface Sandbox {
  /** e.g. `http://127.0.0.1:54321`, without a trailing slash. */
  url: string
  users(): SandboxUser[]
  events(): SandboxEvent[]
  /** The user with this uid; cheap however many users the sandbox holds. */
  user(uid: string): SandboxUser | undefined
  /** The newest event with this name, whoever it belongs to; `eventFor` finds the one a given request created. */
  latestEvent(name: string): SandboxEvent | undefined
  /**
   * The newest event that a `POST /v2/events` with this body created: same user or session, name, properties and
   * the rest of the request. What the local runtime shows for a delivery; events of batch imports are not matched.
   */
  eventFor(body: unknown): SandboxEvent | undefined
  requests(): SandboxRequestLog[]
  setFaults(faults: FaultSpec[]): void
  /** Later events that target this `session.id` get 400 `session_page_limit_exceeded`. */
  markSessionFull(sessionId: string): void
  /** Forgets users, events, jobs, idempotency keys, faults, full sessions and the request log. */
  reset(): void
  close(): Promise<void>
}

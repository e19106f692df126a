import type { SandboxCore } from './core'
import { ApiError, ErrorCodes, required } from './errors'
import type { JobKind } from './jobs'
import type { SandboxUser } from './types'
import { checkBatchBody, checkEventRequest, checkUserRequest } from './validation'

/** FullStory's v2 server routes (docs/fullstory-api.md sections 1, 5, 6, 7, 10). Handlers run after auth and faults. */

export interface RouteRequest {
  params: string[]
  query: URLSearchParams
  body: unknown
}

export interface RouteResponse {
  status: number
  body: unknown
  headers?: Record<string, string>
}

export interface Route {
  method: 'GET' | 'POST' | 'DELETE'
  pattern: RegExp
  /** Takes `Idempotency-Key` (the four create routes). */
  idempotent?: boolean
  handle(core: SandboxCore, request: RouteRequest): RouteResponse
}

const SEGMENT = '([^/]+)'
const ok = (body: unknown): RouteResponse => ({ status: 200, body })

export const ROUTES: Route[] = [
  {
    method: 'GET',
    pattern: /^\/me$/,
    handle: (core) => ok({ email: 'sandbox@example.com', orgId: 'o-SANDBOX-na1', role: core.role })
  },
  {
    method: 'POST',
    pattern: /^\/v2\/users$/,
    idempotent: true,
    handle: (core, { body }) => ok({ id: core.store.upsertUser(checkUserRequest(body)).id })
  },
  {
    method: 'DELETE',
    pattern: /^\/v2\/users$/,
    handle: (core, { query }) => {
      requireDeletePermission(core)
      const uid = query.get('uid')
      if (!uid) throw required('uid is required: DELETE /v2/users?uid=<uid>, or DELETE /v2/users/<id>')
      core.store.deleteUserByUid(uid)
      return ok({})
    }
  },
  {
    method: 'POST',
    pattern: /^\/v2\/events$/,
    idempotent: true,
    handle: (core, { body }) => {
      core.store.acceptEvent(checkEventRequest(body))
      return ok({})
    }
  },
  {
    method: 'GET',
    pattern: /^\/v2\/users$/,
    handle: (core, { query }) => {
      requireViewPermission(core)
      const users = core.store.listUsers().filter((user) => matchesQuery(user, query))
      return ok({ results: users.map((user) => userView(user, query)), total_records: String(users.length) })
    }
  },
  ...batchRoutes('users'),
  ...batchRoutes('events'),
  // After the batch routes, so `/v2/users/batch` is never read as a user id.
  {
    method: 'GET',
    pattern: new RegExp(`^/v2/users/${SEGMENT}$`),
    handle: (core, { params, query }) => {
      requireViewPermission(core)
      const user = core.store.userById(params[0])
      if (!user) throw new ApiError(404, ErrorCodes.userNotFound, `no user has the id "${params[0]}"`)
      return ok(userView(structuredClone(user), query))
    }
  },
  {
    method: 'DELETE',
    pattern: new RegExp(`^/v2/users/${SEGMENT}$`),
    handle: (core, { params }) => {
      requireDeletePermission(core)
      core.store.deleteUserById(params[0])
      return ok({})
    }
  }
]

function batchRoutes(kind: JobKind): Route[] {
  const base = `^/v2/${kind}/batch`
  return [
    {
      method: 'POST',
      pattern: new RegExp(`${base}$`),
      idempotent: true,
      handle: (core, { body }) => {
        const batch = checkBatchBody(body, kind)
        return ok({ job: core.jobs.create(kind, batch.requests, batch.shared) })
      }
    },
    {
      method: 'GET',
      pattern: new RegExp(`${base}/${SEGMENT}$`),
      handle: (core, { params }) => ok(core.jobs.status(kind, params[0]))
    },
    ...(['imports', 'errors'] as const).map((list): Route => ({
      method: 'GET',
      pattern: new RegExp(`${base}/${SEGMENT}/${list}$`),
      handle: (core, { params, query }) => {
        const page = core.jobs.page(
          kind,
          params[0],
          list,
          query.get('page_token'),
          query.get('include_schema') === 'true'
        )
        // FullStory answers 202 with an empty object while the job is still processing.
        return page ? ok(page) : { status: 202, body: {} }
      }
    }))
  ]
}

// Only Admin and Architect keys may view or delete data (docs/fullstory-api.md section 1).
function requireDeletePermission(core: SandboxCore): void {
  if (core.role === 'USER') {
    throw new ApiError(
      403,
      ErrorCodes.forbidden,
      'insufficient permissions: deleting users needs an Admin or Architect API key, not a Standard one'
    )
  }
}

function requireViewPermission(core: SandboxCore): void {
  if (core.role === 'USER') {
    throw new ApiError(
      403,
      ErrorCodes.forbidden,
      'insufficient permissions: viewing users needs an Admin or Architect API key, not a Standard one'
    )
  }
}

const USER_FILTERS = ['uid', 'email', 'display_name'] as const

function matchesQuery(user: SandboxUser, query: URLSearchParams): boolean {
  const identified = query.get('is_identified')
  if (identified !== null && (user.uid !== undefined) !== (identified === 'true')) return false
  return USER_FILTERS.every((field) => query.get(field) === null || user[field] === query.get(field))
}

/** GetUserResponse: the schema only on request, as `include_schema` does. */
function userView(user: SandboxUser, query: URLSearchParams): Record<string, unknown> {
  const { schema, created: _created, updated: _updated, ...rest } = user
  return { ...rest, is_being_deleted: false, ...(query.get('include_schema') === 'true' ? { schema } : {}) }
}

export type RouteMatch = { route: Route; params: string[] } | { allowed: string[] } | undefined

/** The route for a request; `{ allowed }` when the path exists under other methods. */
export function matchRoute(method: string, pathname: string): RouteMatch {
  const allowed: string[] = []
  for (const route of ROUTES) {
    const m = route.pattern.exec(pathname)
    if (!m) continue
    if (route.method === method) return { route, params: m.slice(1).map(decodeSegment) }
    allowed.push(route.method)
  }
  return allowed.length > 0 ? { allowed } : undefined
}

function decodeSegment(segment: string): string {
  try {
    return decodeURIComponent(segment)
  } catch {
    return segment
  }
}

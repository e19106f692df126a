import { ApiError, ErrorCodes, invalid, notFound } from './errors'
import { canonicalJson } from './idempotency'
import { dictionary, ownValue } from './own'
import { MAX_USER_PROPERTIES, fitsType, inferType, isPlainObject, leavesOf, mergeProperties } from './properties'
import type { EventRequest, PropertyType, SandboxEvent, SandboxUser } from './types'
import type { UserRequest } from './validation'

/**
 * What FullStory holds: users keyed by FullStory id and uid, and accepted events. Requests arrive validated;
 * the store applies the rules that depend on what it already holds (upserts, links, full sessions).
 */
export class Store {
  private users = new Map<string, SandboxUser>()
  private idsByUid = new Map<string, string>()
  private events: SandboxEvent[] = []
  private fullSessions = new Set<string>()
  private nextUserNumber = 1

  constructor(private readonly now: () => Date = () => new Date()) {}

  /** Upsert keyed on `uid` (or on FullStory `id` for batch items); properties merge with the newest value winning. */
  upsertUser(request: UserRequest): SandboxUser {
    const existing = this.findTarget(request)
    const properties = mergeProperties(existing?.properties ?? {}, request.properties)
    const leaves = leavesOf(properties)
    if (leaves.size > MAX_USER_PROPERTIES) {
      throw invalid(
        `the user would hold ${leaves.size} properties after this update (counted as leaf paths); a user can have at most ${MAX_USER_PROPERTIES}`
      )
    }
    // Paths are names the client chose (`constructor`, `toString`): only own entries count, see own.ts.
    const schema = dictionary<PropertyType>()
    for (const [path, value] of leaves) {
      const kept = existing && ownValue(existing.schema.properties, path)
      schema[path] = request.declared.get(path) ?? (kept && fitsType(value, kept) ? kept : inferType(value))
    }
    const timestamp = this.now().toISOString()
    const user: SandboxUser = existing ?? {
      id: this.newUserId(),
      properties: {},
      schema: { properties: {} },
      created: timestamp,
      updated: timestamp
    }
    if (request.uid !== undefined) user.uid = request.uid
    if (request.display_name !== undefined) user.display_name = request.display_name
    if (request.email !== undefined) user.email = request.email
    user.properties = properties
    user.schema = { properties: schema }
    user.updated = timestamp
    this.users.set(user.id, user)
    if (user.uid !== undefined) this.idsByUid.set(user.uid, user.id)
    return user
  }

  /** Files an event: links (or creates) the user it names, or a new anonymous user when it names nobody. */
  acceptEvent(event: EventRequest, jobId?: string): SandboxEvent {
    const sessionId = event.session?.id
    if (sessionId !== undefined && this.fullSessions.has(sessionId)) {
      throw new ApiError(
        400,
        ErrorCodes.sessionPageLimitExceeded,
        `session "${sessionId}" has reached its page limit and accepts no more events; send the event without the session`
      )
    }
    let user: SandboxUser | undefined
    if (event.user?.uid !== undefined) {
      const uid = event.user.uid
      user = this.userByUid(uid) ?? this.upsertUser({ uid, properties: {}, declared: new Map() })
    } else if (event.user?.id !== undefined) {
      user = this.users.get(event.user.id)
      if (!user) throw new ApiError(404, ErrorCodes.userNotFound, `no user has the id "${event.user.id}"`)
    } else if (sessionId === undefined && event.session?.uid === undefined) {
      user = this.upsertUser({ properties: {}, declared: new Map() })
    }
    const stored: SandboxEvent = { ...event, received: this.now().toISOString() }
    if (user) stored.user_id = user.id
    if (sessionId !== undefined) stored.session_id = sessionId
    if (jobId !== undefined) stored.job_id = jobId
    this.events.push(stored)
    return stored
  }

  deleteUserByUid(uid: string): void {
    const id = this.idsByUid.get(uid)
    if (id === undefined) throw notFound(`no user has the uid "${uid}"`)
    this.deleteUser(id)
  }

  deleteUserById(id: string): void {
    if (!this.users.has(id)) throw notFound(`no user has the id "${id}"`)
    this.deleteUser(id)
  }

  userById(id: string): SandboxUser | undefined {
    return this.users.get(id)
  }

  markSessionFull(sessionId: string): void {
    this.fullSessions.add(sessionId)
  }

  listUsers(): SandboxUser[] {
    return structuredClone([...this.users.values()])
  }

  listEvents(): SandboxEvent[] {
    return structuredClone(this.events)
  }

  /** One user, copied; unlike listUsers its cost does not grow with what the store holds. */
  findUser(uid: string): SandboxUser | undefined {
    const user = this.userByUid(uid)
    return user && structuredClone(user)
  }

  /** The newest event with this name, copied. */
  latestEvent(name: string): SandboxEvent | undefined {
    for (let i = this.events.length - 1; i >= 0; i--) {
      if (this.events[i].name === name) return structuredClone(this.events[i])
    }
    return undefined
  }

  /**
   * The newest event a `POST /v2/events` with this body created, copied. The whole request must match: first whom
   * it targets (user or session) and its name, then its properties, schema, timestamp and context. So another
   * user's event with the same name never answers for it, nor an event a batch import filed.
   */
  eventFor(body: unknown): SandboxEvent | undefined {
    // As FullStory received it: what JSON leaves out (undefined fields) is no part of the request.
    const sent = JSON.parse(JSON.stringify(body) ?? 'null') as unknown
    if (!isPlainObject(sent) || typeof sent.name !== 'string') return undefined
    const user = canonicalJson(sent.user)
    const session = canonicalJson(sent.session)
    const request = canonicalJson(sent)
    for (let i = this.events.length - 1; i >= 0; i--) {
      const event = this.events[i]
      if (event.job_id !== undefined || event.name !== sent.name) continue
      if (canonicalJson(event.user) !== user || canonicalJson(event.session) !== session) continue
      if (canonicalJson(requestOf(event)) === request) return structuredClone(event)
    }
    return undefined
  }

  reset(): void {
    this.users.clear()
    this.idsByUid.clear()
    this.events = []
    this.fullSessions.clear()
    this.nextUserNumber = 1
  }

  private findTarget(request: UserRequest): SandboxUser | undefined {
    if (request.id === undefined) return request.uid === undefined ? undefined : this.userByUid(request.uid)
    const user = this.users.get(request.id)
    if (!user) throw new ApiError(404, ErrorCodes.userNotFound, `no user has the id "${request.id}"`)
    if (request.uid !== undefined && request.uid !== user.uid) {
      // A uid is immutable once set, and one uid belongs to one user (docs/fullstory-api.md section 5).
      if (user.uid !== undefined) throw invalid(`user "${user.id}" already has a uid, and a uid cannot be changed`)
      if (this.idsByUid.has(request.uid)) throw invalid(`the uid "${request.uid}" already belongs to another user`)
    }
    return user
  }

  private userByUid(uid: string): SandboxUser | undefined {
    const id = this.idsByUid.get(uid)
    return id === undefined ? undefined : this.users.get(id)
  }

  private deleteUser(id: string): void {
    const user = this.users.get(id)
    if (user?.uid !== undefined) this.idsByUid.delete(user.uid)
    this.users.delete(id)
    this.events = this.events.filter((event) => event.user_id !== id)
  }

  private newUserId(): string {
    return `fsu_${this.nextUserNumber++}`
  }
}

/** The request body an event was filed from: the event without what the sandbox added to it. */
function requestOf(event: SandboxEvent): EventRequest {
  const { received: _received, user_id: _userId, session_id: _sessionId, job_id: _jobId, ...request } = event
  return request
}

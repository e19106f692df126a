import { ApiError, ErrorCodes, invalid, notFound } from './errors'
import { dictionary, ownValue } from './own'
import { leavesOf } from './properties'
import type { Store } from './store'
import type { EventContext, PropertyType } from './types'
import { checkEventRequest, checkUserRequest } from './validation'

/**
 * Batch import jobs (docs/fullstory-api.md section 7). A job stays PROCESSING for `delayMs`, then imports every
 * valid item through the same validators and store as the single-item routes, and lists each failure.
 */

export type JobKind = 'users' | 'events'
export type JobStatus = 'PROCESSING' | 'COMPLETED' | 'FAILED'

export interface JobMetadata {
  id: string
  status: JobStatus
  created: string
  finished?: string
}

export interface JobPage {
  results: unknown[]
  total_records: string
  next_page_token?: string
}

export const JOB_PAGE_SIZE = 1000
/** FullStory answers 429 from this many in-progress jobs, or this many queued operations. */
export const MAX_JOBS_IN_PROGRESS = 200
export const MAX_OPERATIONS_IN_PROGRESS = 500_000
const RETRY_AFTER_SECONDS = 5

interface Job {
  kind: JobKind
  metadata: JobMetadata
  requests: unknown[]
  shared?: { context?: EventContext }
  imports: unknown[]
  /** Users only: the schema paths of each import, for `include_schema`. */
  schemas: Record<string, PropertyType>[]
  errors: unknown[]
  timer?: NodeJS.Timeout
}

export class Jobs {
  private jobs = new Map<string, Job>()
  private nextJobNumber = 1

  constructor(
    private readonly store: Store,
    private readonly delayMs: number,
    private readonly now: () => Date = () => new Date()
  ) {}

  create(kind: JobKind, requests: unknown[], shared?: { context?: EventContext }): JobMetadata {
    const inProgress = [...this.jobs.values()].filter((job) => job.metadata.status === 'PROCESSING')
    const operations = inProgress.reduce((sum, job) => sum + job.requests.length, 0)
    if (inProgress.length >= MAX_JOBS_IN_PROGRESS || operations + requests.length > MAX_OPERATIONS_IN_PROGRESS) {
      throw new ApiError(
        429,
        ErrorCodes.tooManyRequests,
        `too many batch imports in progress (${inProgress.length} jobs, ${operations} operations); retry when some finish`,
        RETRY_AFTER_SECONDS
      )
    }
    const metadata: JobMetadata = { id: `job_${this.nextJobNumber++}`, status: 'PROCESSING', created: this.nowIso() }
    const job: Job = { kind, metadata, requests, shared, imports: [], schemas: [], errors: [] }
    job.timer = setTimeout(() => this.run(job), this.delayMs)
    this.jobs.set(metadata.id, job)
    return { ...metadata }
  }

  status(kind: JobKind, id: string): { imports: number; errors: number; job: JobMetadata } {
    const job = this.find(kind, id)
    return { imports: job.imports.length, errors: job.errors.length, job: { ...job.metadata } }
  }

  /** A page of imports or errors; `undefined` while the job is still processing (FullStory answers 202). */
  page(
    kind: JobKind,
    id: string,
    list: 'imports' | 'errors',
    pageToken: string | null,
    includeSchema = false
  ): JobPage | undefined {
    const job = this.find(kind, id)
    if (job.metadata.status === 'PROCESSING') return undefined
    const items = job[list]
    const offset = pageToken === null || pageToken === '' ? 0 : decodePageToken(pageToken, items.length)
    const end = Math.min(offset + JOB_PAGE_SIZE, items.length)
    const results = items.slice(offset, end).map((item, i) => {
      if (!includeSchema || list !== 'imports' || kind !== 'users') return item
      return { ...(item as object), schema: { properties: job.schemas[offset + i] } }
    })
    const page: JobPage = { results, total_records: String(items.length) }
    if (end < items.length) page.next_page_token = encodePageToken(end)
    return page
  }

  reset(): void {
    for (const job of this.jobs.values()) clearTimeout(job.timer)
    this.jobs.clear()
    this.nextJobNumber = 1
  }

  private find(kind: JobKind, id: string): Job {
    const job = this.jobs.get(id)
    if (!job || job.kind !== kind) throw notFound(`no ${kind} batch import job has the id "${id}"`)
    return job
  }

  private run(job: Job): void {
    for (const item of job.requests) {
      try {
        if (job.kind === 'users') this.importUser(job, item)
        else this.importEvent(job, item)
      } catch (error) {
        // A bug must not crash the host process from a timer: the item fails as FullStory's would on a 500.
        const failure =
          error instanceof ApiError
            ? error.toBody()
            : { message: 'Server error was encountered', code: ErrorCodes.serverError }
        if (!(error instanceof ApiError)) console.error('FullStory sandbox: unexpected error in a batch job', error)
        job.errors.push({ ...failure, [job.kind === 'users' ? 'user' : 'event']: item })
      }
    }
    job.metadata.status = job.errors.length > 0 ? 'FAILED' : 'COMPLETED'
    job.metadata.finished = this.nowIso()
    job.timer = undefined
  }

  private importUser(job: Job, item: unknown): void {
    const request = checkUserRequest(item, { batchItem: true })
    const user = this.store.upsertUser(request)
    const imported: Record<string, unknown> = { id: user.id, properties: request.properties }
    if (user.uid !== undefined) imported.uid = user.uid
    if (request.display_name !== undefined) imported.display_name = request.display_name
    if (request.email !== undefined) imported.email = request.email
    job.imports.push(imported)
    const schema = dictionary<PropertyType>()
    for (const path of leavesOf(request.properties).keys()) {
      const type = ownValue(user.schema.properties, path)
      if (type !== undefined) schema[path] = type
    }
    job.schemas.push(schema)
  }

  private importEvent(job: Job, item: unknown): void {
    const event = checkEventRequest(item)
    const sharedContext = job.shared?.context
    if (sharedContext !== undefined && event.context !== undefined) {
      // Listed with the conflicting `shared` object, as FullStory's FailedEventsImport allows.
      job.errors.push({
        message: 'the event has its own context while the batch sets shared.context; send one or the other',
        code: ErrorCodes.invalidArgument,
        event: item,
        shared: job.shared
      })
      return
    }
    const stored = this.store.acceptEvent(sharedContext ? { ...event, context: sharedContext } : event, job.metadata.id)
    const { user_id, session_id, received: _received, job_id: _job, ...body } = stored
    const imported: Record<string, unknown> = { ...body }
    if (user_id !== undefined) imported.user = { id: user_id, uid: this.store.userById(user_id)?.uid }
    if (session_id !== undefined) imported.session = { id: session_id }
    job.imports.push(imported)
  }

  private nowIso(): string {
    return this.now().toISOString()
  }
}

function encodePageToken(offset: number): string {
  return Buffer.from(`offset:${offset}`).toString('base64url')
}

function decodePageToken(token: string, total: number): number {
  const match = /^offset:(\d+)$/.exec(Buffer.from(token, 'base64url').toString('utf8'))
  const offset = match ? Number(match[1]) : NaN
  if (!Number.isSafeInteger(offset) || offset > total) throw invalid('page_token is not a token this job handed out')
  return offset
}

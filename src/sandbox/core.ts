import { Faults } from './faults'
import { IdempotencyStore } from './idempotency'
import { Jobs } from './jobs'
import { RequestLog } from './request-log'
import { Store } from './store'
import type { SandboxOptions, SandboxRole } from './types'

/** Everything one sandbox instance holds, shared by the FullStory routes, the control routes and the JS API. */
export interface SandboxCore {
  apiKey?: string
  role: SandboxRole
  store: Store
  jobs: Jobs
  faults: Faults
  idempotency: IdempotencyStore
  log: RequestLog
}

const ROLES: SandboxRole[] = ['ADMIN', 'ARCHITECT', 'USER']

export function createCore(options: SandboxOptions): SandboxCore {
  const role = options.role ?? 'ADMIN'
  if (!ROLES.includes(role)) throw new Error(`role must be one of ${ROLES.join(', ')}`)
  const jobDelayMs = options.jobDelayMs ?? 0
  if (!(jobDelayMs >= 0)) throw new Error('jobDelayMs must be a number of milliseconds')
  if (options.apiKey !== undefined && options.apiKey.trim() === '') throw new Error('apiKey must not be empty')
  const store = new Store()
  return {
    apiKey: options.apiKey,
    role,
    store,
    jobs: new Jobs(store, jobDelayMs),
    faults: new Faults(),
    idempotency: new IdempotencyStore(),
    log: new RequestLog()
  }
}

export function resetCore(core: SandboxCore): void {
  core.jobs.reset()
  core.store.reset()
  core.faults.reset()
  core.idempotency.reset()
  core.log.reset()
}

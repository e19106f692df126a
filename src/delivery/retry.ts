export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  /**
   * The longest this runner waits before a retry, Retry-After included. FullStory asking for longer fails the
   * delivery with the reason instead: waiting days would hold a request (or a backfill) open that long.
   */
  maxWaitMs: number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

/** Node's timers take at most 2^31 - 1 ms (24.8 days); a longer delay fires after 1 ms instead. */
export const MAX_TIMER_MS = 2 ** 31 - 1

export const DEFAULT_RETRY_POLICY: RetryPolicy = {
  attempts: 5,
  baseDelayMs: 250,
  maxDelayMs: 30_000,
  maxWaitMs: 5 * 60_000
}

export function sleep(ms: number): Promise<void> {
  // A wait past the timer limit would silently become 1 ms: a retry storm, not a wait.
  if (!(ms >= 0 && ms <= MAX_TIMER_MS)) return Promise.reject(new RangeError(`Cannot wait ${ms} ms.`))
  return new Promise<void>((resolve) => setTimeout(resolve, ms))
}

export type RetryWait = { waitMs: number } | { refusal: string }

/**
 * How long to wait before try number `attempt + 1`: exponential backoff with full jitter, so that many clients
 * failing together do not retry together, but never less than the Retry-After FullStory asked for, and never more
 * than the policy's cap. A Retry-After beyond the cap gives the reason not to retry instead.
 */
export function retryWait(attempt: number, retryAfterSeconds: number | undefined, policy: RetryPolicy): RetryWait {
  const cap = Math.min(policy.maxWaitMs, MAX_TIMER_MS)
  const asked = (retryAfterSeconds ?? 0) * 1000
  if (asked > cap) {
    return {
      refusal: `FullStory asked to wait ${retryAfterSeconds} s before trying again (Retry-After), longer than the ${describeMs(cap)} this runner waits at most; not retried`
    }
  }
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  const jittered = Math.round((policy.random ?? Math.random)() * ceiling)
  return { waitMs: Math.min(cap, Math.max(jittered, asked)) }
}

function describeMs(ms: number): string {
  return ms % 60_000 === 0 ? `${ms / 60_000} min` : `${ms / 1000} s`
}

export interface RetryableOutcome {
  retryable: boolean
  retryAfterSeconds?: number
}

/**
 * Runs `attempt` until its outcome is final, the policy's tries are spent, or FullStory asks for a wait over the
 * cap (`notRetried` says so); returns the last outcome.
 */
export async function withRetries<T extends RetryableOutcome>(
  attempt: (tryNumber: number) => Promise<T>,
  policy: RetryPolicy
): Promise<T & { tries: number; notRetried?: string }> {
  for (let tryNumber = 1; ; tryNumber++) {
    const outcome = await attempt(tryNumber)
    if (!outcome.retryable || tryNumber >= policy.attempts) return { ...outcome, tries: tryNumber }
    const next = retryWait(tryNumber - 1, outcome.retryAfterSeconds, policy)
    if ('refusal' in next) return { ...outcome, tries: tryNumber, notRetried: next.refusal }
    await (policy.sleep ?? sleep)(next.waitMs)
  }
}

export interface RetryPolicy {
  /** Tries in all, the first included. */
  attempts: number
  baseDelayMs: number
  maxDelayMs: number
  sleep?: (ms: number) => Promise<void>
  random?: () => number
}

export const DEFAULT_RETRY_POLICY: RetryPolicy = { attempts: 5, baseDelayMs: 250, maxDelayMs: 30_000 }

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms))

/**
 * How long to wait before try number `attempt + 1`: exponential backoff with full jitter, so that many clients
 * failing together do not retry together, but never less than the Retry-After FullStory asked for.
 */
export function retryDelayMs(attempt: number, retryAfterSeconds: number | undefined, policy: RetryPolicy): number {
  const ceiling = Math.min(policy.maxDelayMs, policy.baseDelayMs * 2 ** attempt)
  const jittered = Math.round((policy.random ?? Math.random)() * ceiling)
  return Math.max(jittered, (retryAfterSeconds ?? 0) * 1000)
}

export interface RetryableOutcome {
  retryable: boolean
  retryAfterSeconds?: number
}

/** Runs `attempt` until its outcome is final or the policy's tries are spent; returns the last outcome. */
export async function withRetries<T extends RetryableOutcome>(
  attempt: (tryNumber: number) => Promise<T>,
  policy: RetryPolicy
): Promise<T & { tries: number }> {
  for (let tryNumber = 1; ; tryNumber++) {
    const outcome = await attempt(tryNumber)
    if (!outcome.retryable || tryNumber >= policy.attempts) return { ...outcome, tries: tryNumber }
    await (policy.sleep ?? sleep)(retryDelayMs(tryNumber - 1, outcome.retryAfterSeconds, policy))
  }
}

import { DEFAULT_RETRY_POLICY, RetryPolicy } from '../delivery/retry'

/**
 * What one request to `npm start` may cost, in one place so the README can state it. Segment's own tracking API
 * takes 32 KB per call or event and 500 KB per batch; the rest keeps an answer and a request's memory in
 * proportion to what was sent.
 */
export const LIMITS = {
  /** A single call (/v1/track, /v1/identify, ...): Segment's 32 KB. */
  singleBodyBytes: 32 * 1024,
  /** A /v1/batch body: Segment's 500 KB. */
  batchBodyBytes: 500 * 1024,
  /** One event inside a batch: Segment's 32 KB; a larger one is reported by index and the rest go on. */
  batchItemBytes: 32 * 1024,
  /** Deliveries the page and /api/deliveries keep, newest first; older ones are forgotten. */
  keptDeliveries: 100,
  /** Deliveries per /api/deliveries page, by default and at most. */
  pageSize: 20,
  maxPageSize: 100
} as const

/** A caller is waiting on the HTTP answer, so npm start waits at most a minute for a retry (replay waits longer). */
export const RUNTIME_RETRY_POLICY: RetryPolicy = { ...DEFAULT_RETRY_POLICY, maxWaitMs: 60_000 }

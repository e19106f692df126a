import { createHash } from 'crypto'

/**
 * FullStory's `Idempotency-Key` semantics (docs/fullstory-api.md section 11): the first response for a key
 * is kept for 24 hours and replayed for the same request; the same key with a different request is an error.
 * 429 and 5xx answers are not kept (the staging doc's rule), so a retry with the same key runs again.
 */

export const IDEMPOTENCY_TTL_MS = 24 * 60 * 60 * 1000

export interface StoredResponse {
  status: number
  body: unknown
}

export type Lookup = { kind: 'new' } | { kind: 'replay'; response: StoredResponse } | { kind: 'conflict' }

interface Entry {
  fingerprint: string
  response: StoredResponse
  expires: number
}

export class IdempotencyStore {
  // Insertion order is expiry order (one TTL for all), so pruning stops at the first live entry.
  private entries = new Map<string, Entry>()

  constructor(
    private readonly ttlMs = IDEMPOTENCY_TTL_MS,
    private readonly now: () => number = Date.now
  ) {}

  lookup(key: string, fingerprint: string): Lookup {
    this.prune()
    const entry = this.entries.get(key)
    if (!entry) return { kind: 'new' }
    if (entry.fingerprint !== fingerprint) return { kind: 'conflict' }
    return { kind: 'replay', response: structuredClone(entry.response) }
  }

  remember(key: string, fingerprint: string, response: StoredResponse): void {
    if (!isStorable(response.status)) return
    this.entries.delete(key)
    this.entries.set(key, { fingerprint, response: structuredClone(response), expires: this.now() + this.ttlMs })
  }

  reset(): void {
    this.entries.clear()
  }

  private prune(): void {
    const now = this.now()
    for (const [key, entry] of this.entries) {
      if (entry.expires > now) return
      this.entries.delete(key)
    }
  }
}

export function isStorable(status: number): boolean {
  return status !== 429 && status < 500
}

/**
 * Identifies "the same request": route plus the body's JSON value with keys sorted, so a client that
 * re-serializes the same object in another key order is not told it sent a different request.
 */
export function requestFingerprint(method: string, path: string, body: unknown): string {
  // eslint-disable-next-line no-restricted-syntax -- not PII hashing: a fixed-size digest of request bodies (up to 50,000 items) so kept keys stay small
  return createHash('sha256').update(`${method} ${path}\n`).update(canonicalJson(body)).digest('hex')
}

/** A JSON value as text with object keys sorted: equal for equal values, whatever order their keys came in. */
export function canonicalJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(canonicalJson).join(',')}]`
  if (typeof value === 'object' && value !== null) {
    const entries = Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonicalJson((value as Record<string, unknown>)[key])}`)
    return `{${entries.join(',')}}`
  }
  return JSON.stringify(value) ?? 'null'
}

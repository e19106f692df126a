import type { SandboxRequestLog } from './types'

export const REQUEST_LOG_CAPACITY = 1000
/** Bodies larger than this are left out of the log, so a run of 50,000-item batches cannot exhaust memory. */
export const LOGGED_BODY_MAX_BYTES = 16 * 1024

/** The most recent requests to FullStory routes, oldest first. */
export class RequestLog {
  private entries: SandboxRequestLog[] = []

  constructor(private readonly capacity = REQUEST_LOG_CAPACITY) {}

  add(entry: SandboxRequestLog): void {
    this.entries.push(entry)
    if (this.entries.length > this.capacity) this.entries.splice(0, this.entries.length - this.capacity)
  }

  list(): SandboxRequestLog[] {
    return structuredClone(this.entries)
  }

  reset(): void {
    this.entries = []
  }
}

/** Keeps the scheme so a wrong scheme (Bearer) is visible, never the key itself. */
export function redactAuthorization(header: string): string {
  const scheme = /^(\S+)\s/.exec(header.trim())?.[1]
  return scheme ? `${scheme} [REDACTED]` : '[REDACTED]'
}

/** A JSON body worth keeping in the log, or undefined when it is too large or not JSON. */
export function loggable(text: string): unknown {
  if (text.length === 0 || Buffer.byteLength(text, 'utf8') > LOGGED_BODY_MAX_BYTES) return undefined
  try {
    return JSON.parse(text) as unknown
  } catch {
    return undefined
  }
}

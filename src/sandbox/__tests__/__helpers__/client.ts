import type { Sandbox } from '../../types'

export interface Reply {
  status: number
  body: any
  headers: Headers
}

export interface RequestOptions {
  body?: unknown
  /** Sent as is instead of JSON-encoding `body`. */
  raw?: string
  headers?: Record<string, string>
  /** Authorization header value; `null` sends none. */
  auth?: string | null
}

/** A tiny FullStory client over real HTTP, as the destination talks to the sandbox. */
export function clientFor(sandbox: Sandbox, apiKey = 'test-key') {
  const request = async (method: string, path: string, options: RequestOptions = {}): Promise<Reply> => {
    const headers: Record<string, string> = { 'Content-Type': 'application/json', ...options.headers }
    const auth = options.auth === undefined ? `Basic ${apiKey}` : options.auth
    if (auth !== null) headers.Authorization = auth
    const body = options.raw ?? (options.body === undefined ? undefined : JSON.stringify(options.body))
    const response = await fetch(`${sandbox.url}${path}`, { method, headers, body })
    const text = await response.text()
    return { status: response.status, body: text ? JSON.parse(text) : undefined, headers: response.headers }
  }
  return {
    request,
    get: (path: string, options?: RequestOptions) => request('GET', path, options),
    post: (path: string, body: unknown, options?: RequestOptions) => request('POST', path, { ...options, body }),
    del: (path: string, options?: RequestOptions) => request('DELETE', path, options)
  }
}

export type Client = ReturnType<typeof clientFor>

/** Polls until `check` returns a value, for asynchronous batch jobs. */
export async function eventually<T>(check: () => Promise<T | undefined>, timeoutMs = 2000): Promise<T> {
  const deadline = Date.now() + timeoutMs
  for (;;) {
    const value = await check()
    if (value !== undefined) return value
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** Expects FullStory's error shape with this status and code, and returns the message. */
export function expectError(reply: Reply, status: number, code: string): string {
  expect({ status: reply.status, code: reply.body?.code }).toEqual({ status, code })
  expect(Object.keys(reply.body).sort()).toEqual(['code', 'message'])
  expect(typeof reply.body.message).toBe('string')
  expect(reply.headers.get('content-type')).toBe('application/json')
  return reply.body.message as string
}

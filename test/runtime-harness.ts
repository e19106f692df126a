import { request } from 'http'
import type { Subscription } from '@segment/actions-core'
import { API_URL_ENV } from '../src/destinations/fullstory-cloud/api'
import { createDeliverer } from '../src/delivery/deliver'
import { presetSubscriptions } from '../src/delivery/subscriptions'
import { startSandbox } from '../src/sandbox'
import type { Sandbox } from '../src/sandbox'
import { RUNTIME_RETRY_POLICY } from '../src/runtime/limits'
import { startRuntime } from '../src/runtime/server'
import type { Runtime } from '../src/runtime/server'

export const API_KEY = 'runtime-test-key-0123456789'

/** The local runtime wired as `npm start` wires it, with fast retries so fault tests stay quick. */
export async function startLocalRuntime(
  subscriptions: Subscription[] = presetSubscriptions()
): Promise<{ runtime: Runtime; sandbox: Sandbox; stop: () => Promise<void> }> {
  const sandbox = await startSandbox({ apiKey: API_KEY })
  process.env[API_URL_ENV] = sandbox.url
  const deliverer = createDeliverer({
    settings: { apiKey: API_KEY },
    subscriptions,
    retry: { ...RUNTIME_RETRY_POLICY, attempts: 3, baseDelayMs: 1, maxDelayMs: 5 }
  })
  const runtime = await startRuntime({ deliverer, subscriptions, mode: { kind: 'sandbox', sandbox } })
  return {
    runtime,
    sandbox,
    stop: async () => {
      await runtime.close()
      await sandbox.close()
      delete process.env[API_URL_ENV]
    }
  }
}

export async function post(url: string, body: unknown): Promise<{ status: number; body: any }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: typeof body === 'string' ? body : JSON.stringify(body)
  })
  return { status: response.status, body: await response.json() }
}

/**
 * A request with headers fetch will not let a test choose (Host) or would add itself (Origin, Content-Type).
 * `host` defaults to the server's own; `body` is sent as given.
 */
export function rawRequest(
  url: string,
  options: { method?: string; path: string; headers?: Record<string, string>; body?: string }
): Promise<{ status: number; body: any }> {
  const { hostname, port } = new URL(url)
  return new Promise((resolve, reject) => {
    const req = request(
      { hostname, port, method: options.method ?? 'POST', path: options.path, headers: options.headers, setHost: true },
      (res) => {
        const chunks: Buffer[] = []
        res.on('data', (chunk: Buffer) => chunks.push(chunk))
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8')
          resolve({ status: res.statusCode ?? 0, body: text.startsWith('{') ? JSON.parse(text) : text })
        })
        res.on('error', reject)
      }
    )
    req.on('error', reject)
    req.end(options.body)
  })
}

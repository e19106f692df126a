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

import { API_URL_ENV, apiBaseUrl } from '../../destinations/fullstory-cloud/api'
import { startSandbox } from '../../sandbox'
import type { Sandbox } from '../../sandbox'

/** Where events go, chosen as `npm start` chooses: the real API with FULLSTORY_API_KEY, else an embedded sandbox. */
export interface Target {
  apiKey: string
  /** Recorded in the checkpoint: done lines were sent here and nowhere else. */
  id: string
  /** For the "Sending to" line. */
  description: string
  sandbox?: Sandbox
  close(): Promise<void>
}

/** The target's id, as a checkpoint records it, without starting or reaching anything. */
export function targetId(region: string): string {
  return process.env.FULLSTORY_API_KEY?.trim() ? apiBaseUrl({ region }) : EMBEDDED_SANDBOX
}

const EMBEDDED_SANDBOX = 'embedded-sandbox'

export async function openTarget(region: string): Promise<Target> {
  const apiKey = process.env.FULLSTORY_API_KEY?.trim()
  if (apiKey) {
    const url = apiBaseUrl({ region })
    const real = !process.env[API_URL_ENV]?.trim()
    return {
      apiKey,
      id: url,
      description: real
        ? `the REAL FullStory API at ${url} (FULLSTORY_API_KEY is set)`
        : `${url} (${API_URL_ENV} and FULLSTORY_API_KEY are set)`,
      close: () => Promise.resolve()
    }
  }
  const previous = process.env[API_URL_ENV]
  const ignored = previous?.trim()
  const sandbox = await startSandbox()
  // The destination reads its host from this variable; restore it so an in-process caller is left as it was.
  process.env[API_URL_ENV] = sandbox.url
  return {
    apiKey: 'sandbox-key',
    id: EMBEDDED_SANDBOX,
    description:
      `the embedded FullStory sandbox at ${sandbox.url} (no FULLSTORY_API_KEY set` +
      `${ignored ? `; ${API_URL_ENV} is ignored without a key` : ''}). ` +
      'It lives only as long as this run: set FULLSTORY_API_KEY to send to FullStory.',
    sandbox,
    close: async () => {
      if (previous === undefined) delete process.env[API_URL_ENV]
      else process.env[API_URL_ENV] = previous
      await sandbox.close()
    }
  }
}

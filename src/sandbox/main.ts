import { startSandbox } from './sandbox'
import type { SandboxRole } from './types'

/**
 * Runs the sandbox on its own: `npx tsx src/sandbox/main.ts`. The first line on stdout is its URL, so a parent
 * process can read it. Settings: PORT (default 0, a free port), FULLSTORY_SANDBOX_API_KEY,
 * FULLSTORY_SANDBOX_ROLE (ADMIN, ARCHITECT or USER) and FULLSTORY_SANDBOX_JOB_DELAY_MS.
 */
async function main(): Promise<void> {
  const env = process.env
  const port = Number(env.PORT ?? 0)
  if (!Number.isInteger(port) || port < 0 || port > 65535)
    throw new Error(`PORT must be a port number, got "${env.PORT}"`)
  const sandbox = await startSandbox({
    port,
    apiKey: env.FULLSTORY_SANDBOX_API_KEY || undefined,
    role: (env.FULLSTORY_SANDBOX_ROLE || undefined) as SandboxRole | undefined,
    jobDelayMs: env.FULLSTORY_SANDBOX_JOB_DELAY_MS ? Number(env.FULLSTORY_SANDBOX_JOB_DELAY_MS) : undefined
  })
  process.stdout.write(`${sandbox.url}\n`)
  process.stderr.write(`FullStory sandbox listening; state at ${sandbox.url}/__sandbox/state. Ctrl-C stops it.\n`)
  const stop = (): void => {
    sandbox.close().then(
      () => process.exit(0),
      () => process.exit(1)
    )
  }
  process.once('SIGINT', stop)
  process.once('SIGTERM', stop)
}

main().catch((error: unknown) => {
  process.stderr.write(`FullStory sandbox failed to start: ${error instanceof Error ? error.message : String(error)}\n`)
  process.exit(1)
})

/**
 * `npm start`: runs the destination locally the way Segment does. Without FULLSTORY_API_KEY it starts the embedded
 * FullStory sandbox and points the destination at it; with a key, events go to FullStory itself.
 */
import { Command } from 'commander'
import { API_URL_ENV, apiBaseUrl } from '../destinations/fullstory-cloud/api'
import { createDeliverer } from '../delivery/deliver'
import { loadSubscriptions, presetSubscriptions } from '../delivery/subscriptions'
import { startSandbox } from '../sandbox'
import { RUNTIME_RETRY_POLICY } from './limits'
import { RuntimeMode, startRuntime } from './server'

// Segment's runtime runs in UTC: a date written without a zone ("01/02/2024 10:00") is read as it would be there,
// whatever this machine's zone, so a local run sends the same bodies (and Idempotency-Keys) as Segment would.
process.env.TZ = 'UTC'

const program = new Command()
  .name('npm start --')
  .description('Run FullStory Cloud Mode (Actions) locally, as Segment runs it.')
  .option('-p, --port <port>', 'port on 127.0.0.1 (env PORT)', process.env.PORT ?? '3000')
  .option(
    '-m, --mappings <file>',
    "a JSON file of subscriptions in Segment's shape (env FULLSTORY_MAPPINGS); default: the destination's presets",
    process.env.FULLSTORY_MAPPINGS
  )
  .option('--region <region>', 'auto or eu1 (env FULLSTORY_REGION)', process.env.FULLSTORY_REGION ?? 'auto')
  .parse()

async function main() {
  const flags = program.opts<{ port: string; mappings?: string; region: string }>()
  const subscriptions = flags.mappings ? loadSubscriptions(flags.mappings) : presetSubscriptions()
  // An empty FULLSTORY_API_KEY means none: sandbox mode, with the sandbox's key (not an empty one it refuses).
  const apiKey = process.env.FULLSTORY_API_KEY?.trim() || undefined

  let mode: RuntimeMode
  if (apiKey) {
    mode = { kind: 'live', apiUrl: apiBaseUrl({ region: flags.region }) }
  } else {
    const sandbox = await startSandbox()
    process.env[API_URL_ENV] = sandbox.url
    mode = { kind: 'sandbox', sandbox }
  }
  const deliverer = createDeliverer({
    settings: { apiKey: apiKey ?? 'sandbox-key', region: flags.region },
    subscriptions,
    retry: RUNTIME_RETRY_POLICY
  })
  const runtime = await startRuntime({ port: Number(flags.port), deliverer, subscriptions, mode })

  const target =
    mode.kind === 'sandbox'
      ? `the embedded FullStory sandbox at ${mode.sandbox.url} (no FULLSTORY_API_KEY set)`
      : `Live mode (FULLSTORY_API_KEY is set): ${liveHost(mode.apiUrl)}`
  console.log(
    [
      `FullStory Cloud Mode (Actions) is running at ${runtime.url}`,
      `  Sending to: ${target}`,
      `  Subscriptions: ${subscriptions.map((s) => `${s.name ?? s.partnerAction} [${s.subscribe}]`).join(', ')}`,
      `  Open ${runtime.url}/ in a browser, or send Segment calls:`,
      `    curl -X POST ${runtime.url}/v1/track -H 'Content-Type: application/json' \\`,
      `      -d '{"userId":"user-1","event":"Signed Up","properties":{"plan":"pro"}}'`
    ].join('\n')
  )

  const stop = () => {
    void runtime
      .close()
      .then(() => (mode.kind === 'sandbox' ? mode.sandbox.close() : undefined))
      .finally(() => process.exit(0))
  }
  process.on('SIGINT', stop)
  process.on('SIGTERM', stop)
}

/** Where live events go, saying so when FULLSTORY_API_URL (a proxy, say) replaces FullStory's own host. */
function liveHost(apiUrl: string): string {
  return process.env[API_URL_ENV] ? `${apiUrl}, set by ${API_URL_ENV}` : `the real FullStory API at ${apiUrl}`
}

main().catch((error: Error) => {
  console.error(error.message)
  process.exit(1)
})

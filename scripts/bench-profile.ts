/**
 * `npm run bench:profile [-- --side ours|earlier|floor|earlier-floor|candidate] [--set mix|track|identify] [--seconds 20]
 * [--candidate <dir>] [--out file.cpuprofile]`: a CPU profile of one side of the per-event comparison, taken with
 * the inspector after a warm-up, so start-up and compilation stay out of it. Prints self time by origin (our
 * modules, each library, Node, V8, GC), the functions with the most self time, and the inclusive time under the
 * frames that matter per event and per request. --out keeps the profile for Chrome DevTools or speedscope.
 */
import { Session } from 'inspector'
import { writeFileSync } from 'fs'
import { Command, Option } from 'commander'
import type { SegmentEvent } from '@segment/actions-core'
import { loadEarlier } from '../bench/earlier'
import { eventMix, REALISTIC_MIX } from '../bench/events'
import { describeLoad, describeMachine } from '../bench/machine'
import { summarize } from '../bench/profile'
import type { CpuProfile, Probe } from '../bench/profile'
import { buildSides, withStubUrl } from '../bench/sides'
import type { Side, SideName } from '../bench/sides'
import { formatNumber } from '../bench/stats'
import { installStubTransport } from '../bench/stub-transport'
import { markdownTable } from '../bench/table'

const PROBES: Probe[] = [
  { name: 'actions-core: onSubscription (one subscription, one event)', functionName: 'onSubscription' },
  { name: '  destination-subscriptions: parseFql (per event, per subscription)', functionName: 'parseFql' },
  { name: '  actions-core: Action.execute (mapping, validation, perform)', functionName: 'execute', file: 'action.js' },
  { name: '    mapping-kit: transform (resolve directives)', functionName: 'transform', file: 'mapping-kit/index.js' },
  {
    name: '      mapping-kit: validate (the mapping itself, every event)',
    functionName: 'validate',
    file: 'validate.js'
  },
  { name: '    removeEmptyValues', functionName: 'removeEmptyValues' },
  { name: '    validateSchema (ajv, incl. datetime format)', functionName: 'validateSchema' },
  { name: '    performRequest (perform + request client)', functionName: 'performRequest' },
  { name: '      createRequestClient (extendRequest + extend ×2)', functionName: 'createRequestClient' },
  { name: '      extendRequest (ours: auth headers)', functionName: 'extendRequest' },
  { name: '      request client: mergeOptions (all calls)', functionName: 'mergeOptions' },
  { name: '        mergeHeaders (node-fetch Headers rebuilt)', functionName: 'mergeHeaders' },
  { name: '      request client: setOptions (AbortSignal, Request ×2, JSON)', functionName: 'setOptions' },
  { name: '        AbortSignal.any / new AbortController', functionName: /^(any|AbortController)$/ },
  { name: '        node-fetch: new Request', functionName: 'Request', file: 'node-fetch/lib/index.js' },
  { name: '        node-fetch: new Headers', functionName: 'Headers', file: 'node-fetch/lib/index.js' },
  { name: '        JSON.stringify', functionName: 'stringify' },
  {
    name: '      request client: fetch (clone, timeout timer, stub)',
    functionName: 'fetch',
    file: 'request-client.js'
  },
  { name: '      afterResponse hooks (prepareResponse: text, JSON.parse)', functionName: 'prepareResponse' },
  { name: 'ours: createUser', functionName: 'createUser' },
  { name: 'ours: createEvent', functionName: 'createEvent' },
  { name: '  ours: buildUserRequest', functionName: 'buildUserRequest' },
  { name: '  ours: buildEventRequest', functionName: 'buildEventRequest' },
  { name: '    ours: transformProperties', functionName: 'transformProperties' },
  { name: '    ours: buildContext', functionName: 'buildContext' },
  { name: '  ours: idempotencyKey', functionName: 'idempotencyKey' },
  { name: '  ours: send', functionName: 'send', file: /api\.[jt]s$/ },
  { name: 'earlier: normalizePropertyNames', functionName: 'normalizePropertyNames' },
  { name: 'PayloadValidationError (refused events)', functionName: /^(PayloadValidationError|captureStackTrace)$/ },
  { name: 'GC', functionName: '(garbage collector)' }
]

const SETS = {
  mix: () => eventMix(1000, 7),
  track: () => eventMix(1000, 8, { ...REALISTIC_MIX, identify: 0, page: 0 }),
  identify: () => eventMix(1000, 9, { ...REALISTIC_MIX, identify: 1, page: 0 })
}

async function main(): Promise<void> {
  const options = new Command('npm run bench:profile --')
    .addOption(
      new Option('--side <side>', 'which destination')
        .choices(['ours', 'earlier', 'floor', 'earlier-floor', 'candidate'])
        .default('ours')
    )
    .addOption(new Option('--set <set>', 'which events').choices(Object.keys(SETS)).default('mix'))
    .option('--seconds <n>', 'how long to profile', (value) => Number(value), 20)
    .option('--interval <µs>', 'sampling interval', (value) => Number(value), 100)
    .option('--candidate <dir>', 'a copy of src/ inside this repository')
    .option('--out <file>', 'also write the .cpuprofile')
    .parse(process.argv)
    .opts<{
      side: SideName
      set: keyof typeof SETS
      seconds: number
      interval: number
      candidate?: string
      out?: string
    }>()

  const earlier = options.side.startsWith('earlier') ? await loadEarlier() : undefined
  const transport = installStubTransport()
  try {
    await withStubUrl(async () => {
      const side = buildSides({ earlier, candidateDir: options.candidate }).find((each) => each.name === options.side)
      if (!side) throw new Error(`no side ${options.side} (a candidate needs --candidate <dir>)`)
      const events = SETS[options.set]()
      for (let i = 0; i < 3; i++) await runOnce(side, events) // warm-up: compiled, caches filled
      const session = new Session()
      session.connect()
      const post = <T>(method: string, params?: object) =>
        new Promise<T>((resolve, reject) =>
          session.post(method, params, (error, result) => (error ? reject(error) : resolve(result as T)))
        )
      await post('Profiler.enable')
      await post('Profiler.setSamplingInterval', { interval: options.interval })
      const deadline = Date.now() + options.seconds * 1000
      let handled = 0
      const cpu = process.cpuUsage()
      await post('Profiler.start')
      while (Date.now() < deadline) handled += await runOnce(side, events)
      const { profile } = await post<{ profile: CpuProfile }>('Profiler.stop')
      const used = process.cpuUsage(cpu)
      session.disconnect()
      if (options.out) writeFileSync(options.out, JSON.stringify(profile))
      report(options, profile, handled, (used.user + used.system) / handled)
    })
  } finally {
    transport.restore()
  }
}

async function runOnce(side: Side, events: SegmentEvent[]): Promise<number> {
  for (const event of events) {
    try {
      await side.destination.onEvent(event, side.settings)
    } catch {
      // Refused events cost what they cost.
    }
    side.destination.responses.length = 0
  }
  return events.length
}

function report(
  options: { side: string; set: string; seconds: number; interval: number },
  profile: CpuProfile,
  events: number,
  cpuPerEvent: number
): void {
  const summary = summarize(profile, PROBES)
  const perEvent = (ms: number) => formatNumber((ms * 1000) / events, 1)
  const percent = (share: number) => `${formatNumber(share * 100, 1)} %`
  console.log(
    `# CPU profile: ${options.side}, ${options.set}, ${options.seconds} s, sampled every ${options.interval} µs\n`
  )
  console.log(describeMachine())
  console.log(`Load average: ${describeLoad()}`)
  console.log(
    `${formatNumber(events)} events, ${formatNumber(summary.samples)} samples; ${formatNumber(cpuPerEvent, 1)} CPU µs per event ` +
      `(the profiler's own overhead included).\n`
  )
  console.log('## Self time by origin\n')
  console.log(
    markdownTable(
      ['origin', 'share', 'µs/event'],
      summary.categories.map((row) => [row.name, percent(row.share), perEvent(row.ms)]),
      [false, true, true]
    )
  )
  console.log('\n## Inclusive time under these frames (a sample counts once per frame, however deep)\n')
  console.log(
    markdownTable(
      ['frame', 'share', 'µs/event'],
      summary.probes.filter((row) => row.ms > 0).map((row) => [row.name, percent(row.share), perEvent(row.ms)]),
      [false, true, true]
    )
  )
  console.log('\n## Most self time\n')
  console.log(
    markdownTable(
      ['function', 'origin', 'share', 'µs/event'],
      summary.selfTop.map((row) => [row.name, row.category, percent(row.share), perEvent(row.ms)]),
      [false, false, true, true]
    )
  )
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

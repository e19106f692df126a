/**
 * `npm run bench [-- --quick | --full] [--no-earlier] [--candidate <dir>] [--only a,b,c]`: what a Segment event
 * costs through our destination beside Segment's existing FullStory destination and beside the framework floor
 * (a), what batching does to volume (b), and how much memory a replay takes (c). A benchmark, not a test: it
 * asserts only that the requests it times are ones FullStory accepts. The report goes to stdout; progress, one
 * line or bar per row, to stderr.
 */
import { Command, InvalidArgumentError } from 'commander'
import path from 'path'
import { installSignalHandlers, interruptedBy, onInterrupt } from './cleanup'
import { checkSides, compareSides } from './compare'
import type { CompareRow, EventSet } from './compare'
import { EARLIER_PACKAGE, EARLIER_VERSION, loadEarlier } from './earlier'
import type { EarlierDestination } from './earlier'
import { describeShares, eventMix, REALISTIC_MIX } from './events'
import { benchLoopback, SCENARIOS } from './loopback'
import { describeLoad, describeMachine } from './machine'
import { RunProgress } from './progress'
import type { RowPlan } from './progress'
import { benchReplay } from './replay'
import { printComparison, printLoopback, printReplay, printThroughput } from './report'
import { buildSides, withStubUrl } from './sides'
import { formatNumber, formatSpread } from './stats'
import { installStubTransport } from './stub-transport'
import { benchThroughput } from './throughput'

type Section = 'a' | 'b' | 'c'

interface Options {
  quick: boolean
  full: boolean
  earlier: boolean
  candidate?: string
  only: Section[]
  rounds?: number
  chunk?: number
  sides?: string[]
}

const PLANS = {
  quick: {
    compare: { events: 300, rounds: 5, warmupRounds: 1, chunk: 50 },
    throughput: { events: 1000, rounds: 2 },
    loopback: { seconds: 1, runs: 1 },
    replay: { sizes: [10_000], capped: undefined as number | undefined }
  },
  default: {
    compare: { events: 1000, rounds: 15, warmupRounds: 2, chunk: 50 },
    throughput: { events: 1000, rounds: 5 },
    loopback: { seconds: 2, runs: 2 },
    replay: { sizes: [10_000, 100_000], capped: 100_000 as number | undefined }
  },
  full: {
    compare: { events: 1000, rounds: 21, warmupRounds: 3, chunk: 50 },
    throughput: { events: 1000, rounds: 7 },
    loopback: { seconds: 3, runs: 3 },
    replay: { sizes: [100_000, 1_000_000], capped: 1_000_000 as number | undefined }
  }
}
const CLIENTS = 8
const HEAP_CAP_MIB = 96
const BATCH_SIZE = 100
/** Segment's default batch size for our actions (their `batch_size` field). */
const SEGMENT_BATCH_SIZE = 1000

/** Seconds per event and side-round of (a), and per replayed event, on an idle 2-core machine: for the ETA. */
const NOMINAL = { compareMicros: 250, replayEventsPerSecond: 4500, replayStartSeconds: 3 }

function parseOptions(argv: string[]): Options {
  const sections = (value: string): Section[] => {
    const list = value.split(',').map((part) => part.trim())
    for (const part of list) {
      if (part !== 'a' && part !== 'b' && part !== 'c') throw new InvalidArgumentError('sections are a, b and c')
    }
    return list as Section[]
  }
  const positive = (value: string) => {
    const number = Number(value)
    if (!Number.isInteger(number) || number < 1) throw new InvalidArgumentError('a positive whole number')
    return number
  }
  const program = new Command('npm run bench --')
    .description('FullStory Cloud Mode (Actions) benchmark')
    .option('--quick', 'a short smoke run (about a minute): fewer rounds, no heap-capped replay')
    .option(
      '--full',
      'replay a million events too (about 8 more minutes on an idle 2-core machine, 12 under load; 1.5 GB of temporary input)'
    )
    .option('--no-earlier', `skip Segment's existing destination (${EARLIER_PACKAGE}@${EARLIER_VERSION})`)
    .option('--candidate <dir>', 'also time a copy of src/ (inside this repository, e.g. .cache/…/src) beside ours')
    .option('--only <sections>', 'run only these sections: a (per event), b (volume), c (replay)', sections)
    .option('--rounds <n>', 'timed rounds per row of (a)', positive)
    .option('--chunk <n>', 'events a side runs before the next takes its turn, in (a)', positive)
    .option('--sides <list>', 'time only these sides in (a), e.g. ours,candidate', (value: string) =>
      value.split(',').map((part) => part.trim())
    )
    .parse(argv)
  const raw = program.opts<{
    quick?: boolean
    full?: boolean
    earlier: boolean
    candidate?: string
    only?: Section[]
    rounds?: number
    chunk?: number
    sides?: string[]
  }>()
  if (raw.quick && raw.full) program.error('--quick and --full exclude each other')
  return {
    quick: raw.quick === true,
    full: raw.full === true,
    earlier: raw.earlier,
    candidate: raw.candidate,
    only: raw.only ?? ['a', 'b', 'c'],
    rounds: raw.rounds,
    chunk: raw.chunk,
    sides: raw.sides
  }
}

async function main(): Promise<void> {
  const options = parseOptions(process.argv)
  installSignalHandlers()
  const base = options.quick ? PLANS.quick : options.full ? PLANS.full : PLANS.default
  const plan = {
    ...base,
    compare: {
      ...base.compare,
      rounds: options.rounds ?? base.compare.rounds,
      chunk: options.chunk ?? base.compare.chunk
    }
  }
  const has = (section: Section) => options.only.includes(section)
  const mode = options.quick ? ' (--quick)' : options.full ? ' (--full)' : ''

  // The plan first, so the run can say how long it will take and show where it is.
  const sideCount = options.sides?.length ?? 2 + (options.earlier ? 2 : 0) + (options.candidate ? 1 : 0)
  const compareSeconds =
    ((plan.compare.rounds + plan.compare.warmupRounds) * plan.compare.events * sideCount * NOMINAL.compareMicros) / 1e6
  const rows: RowPlan[] = []
  if (has('a') && options.earlier)
    rows.push({ label: `load ${EARLIER_PACKAGE}@${EARLIER_VERSION}`, estimateSeconds: 1 })
  if (has('a')) {
    rows.push({ label: '(a) checks: every side sends what it should', estimateSeconds: 2 })
    for (const label of ['(a) mix', '(a) track only', '(a) identify only'])
      rows.push({ label, estimateSeconds: compareSeconds })
  }
  if (has('b')) {
    const modes = options.earlier ? 3 : 2
    rows.push({
      label: '(b) volume: per event and import jobs, in process',
      estimateSeconds: ((plan.throughput.rounds + 1) * plan.throughput.events * modes * NOMINAL.compareMicros) / 1e6
    })
    for (const scenario of SCENARIOS) {
      rows.push({
        label: `(b) loopback: ${scenario.label}`,
        estimateSeconds: 0.4 + plan.loopback.seconds * plan.loopback.runs
      })
    }
    rows.push({
      label: '(b) loopback: Destination.onBatch import jobs',
      estimateSeconds: 0.4 + plan.loopback.seconds * plan.loopback.runs
    })
  }
  const replays = replayRuns(plan.replay)
  if (has('c')) rows.push(...replays.map(replayRow))
  const progress = new RunProgress(rows)
  onInterrupt(() => progress.stop())

  console.log(`# FullStory Cloud Mode (Actions) benchmark${mode}\n`)
  console.log(describeMachine())
  console.log(`Load average at start: ${describeLoad()}`)
  console.log(`Started: ${new Date().toISOString()}`)
  console.log(
    `Plan: ${rows.length} row${rows.length === 1 ? '' : 's'}, about ${RunProgress.describe(rows)} on an idle 2-core machine (longer under load)` +
      `${options.full || !has('c') ? '' : `; --full adds the million-event replay (about ${fullExtra()} more)`}.\n`
  )

  if (has('a') || has('b')) await inProcessSections(options, plan, progress, has)
  if (has('c')) {
    const results = []
    for (const [events, cap] of replays) {
      const row = progress.begin()
      const replay = await benchReplay(events, cap, row)
      if (interruptedBy()) return
      row.end(`${formatNumber(replay.events / replay.wallSeconds)} events/s, exit ${replay.exitCode}`)
      results.push({ replay, cap })
    }
    printReplay(results, plan.replay.sizes, HEAP_CAP_MIB)
  }
  console.log(`\nLoad average at end: ${describeLoad()}`)
}

/** The replay runs of a plan: each size without a heap cap, then the capped one. */
function replayRuns(replay: { sizes: number[]; capped?: number }): [number, number | undefined][] {
  return [
    ...replay.sizes.map((events): [number, undefined] => [events, undefined]),
    ...(replay.capped === undefined ? [] : [[replay.capped, HEAP_CAP_MIB] as [number, number]])
  ]
}

function replayRow([events, cap]: [number, number | undefined]): RowPlan {
  return {
    label: `(c) replay ${formatNumber(events)} events${cap ? `, heap capped at ${cap} MiB` : ''}`,
    estimateSeconds: NOMINAL.replayStartSeconds + (events / NOMINAL.replayEventsPerSecond) * (cap ? 1.15 : 1)
  }
}

/** What --full adds to a default run: its replays instead of the default ones. */
function fullExtra(): string {
  const seconds = (replay: { sizes: number[]; capped?: number }) =>
    replayRuns(replay)
      .map(replayRow)
      .reduce((sum, row) => sum + row.estimateSeconds, 0)
  return RunProgress.describe([
    { label: '', estimateSeconds: seconds(PLANS.full.replay) - seconds(PLANS.default.replay) }
  ])
}

async function inProcessSections(
  options: Options,
  plan: typeof PLANS.default,
  progress: RunProgress,
  has: (section: Section) => boolean
): Promise<void> {
  let earlier: EarlierDestination | undefined
  if (has('a') && options.earlier) {
    const row = progress.begin()
    earlier = await loadEarlier((line) => process.stderr.write(`${line}\n`))
    row.end(earlier.fetched ? 'fetched with npm pack' : 'from .cache/bench')
  } else if (has('b') && options.earlier) {
    earlier = await loadEarlier((line) => process.stderr.write(`${line}\n`))
  }
  const transport = installStubTransport()
  try {
    await withStubUrl(async () => {
      const sides = buildSides({
        earlier,
        candidateDir: options.candidate ? path.resolve(options.candidate) : undefined
      }).filter((side) => !options.sides || options.sides.includes(side.name))
      const mix = eventMix(plan.compare.events, 7)
      if (has('a')) {
        const row = progress.begin()
        const checks = await checkSides(sides, mix, transport.stats)
        row.end()
        const sets: EventSet[] = [
          { label: `mix: ${describeShares(REALISTIC_MIX)}`, events: mix },
          { label: 'track only', events: eventMix(plan.compare.events, 8, { ...REALISTIC_MIX, identify: 0, page: 0 }) },
          {
            label: 'identify only',
            events: eventMix(plan.compare.events, 9, { ...REALISTIC_MIX, identify: 1, page: 0 })
          }
        ]
        const results: CompareRow[] = []
        for (const set of sets) {
          const row = progress.begin()
          const result = await compareSides(sides, set, plan.compare, row)
          const headline = result.ratios[0]
          row.end(`${headline.numerator} / ${headline.denominator} ${formatSpread(headline.spread)}`)
          results.push(result)
        }
        printComparison(
          results,
          checks,
          sides.map((side) => side.name),
          plan.compare,
          earlier
        )
      }
      if (has('b')) {
        const row = progress.begin()
        const throughput = await benchThroughput(
          sides,
          eventMix(plan.throughput.events, 10),
          { rounds: plan.throughput.rounds, batchSize: SEGMENT_BATCH_SIZE },
          transport.stats,
          row
        )
        row.end()
        printThroughput(throughput, plan.throughput, earlier !== undefined)
      }
    })
  } finally {
    transport.restore()
  }
  if (has('b')) {
    const b = { ...plan.loopback, clients: CLIENTS, batchSize: BATCH_SIZE }
    printLoopback(await benchLoopback(b, progress), b)
  }
}

main().catch((error: unknown) => {
  // An interruption is reported, and exits, from its signal handler once everything is cleaned up.
  if (interruptedBy()) return
  console.error(error)
  process.exit(1)
})

/**
 * `npm run bench [-- --quick]`: what the destination costs on top of actions-core, how many events per second the
 * local runtime delivers into the sandbox, and how much memory a replay of a million events takes. A benchmark,
 * not a test: it asserts only that the requests it times are ones FullStory accepts.
 */
import { describeMachine } from './machine'
import { benchLoopback } from './loopback'
import { benchOnEvent } from './on-event'
import { benchReplay } from './replay'
import { formatBytes, formatNumber } from './stats'
import { markdownTable } from './table'

const quick = process.argv.includes('--quick')

const PLAN = quick
  ? {
      onEvent: { events: 400, rounds: 5, warmupRounds: 2 },
      loopback: { seconds: 1, runs: 1 },
      replayEvents: [10_000, 100_000]
    }
  : {
      onEvent: { events: 1000, rounds: 21, warmupRounds: 3 },
      loopback: { seconds: 3, runs: 3 },
      replayEvents: [100_000, 1_000_000]
    }
const CLIENTS = 8
const HEAP_CAP_MIB = 96
const BATCH_SIZE = 100

async function main(): Promise<void> {
  console.log(`# FullStory Cloud Mode (Actions) benchmark${quick ? ' (--quick)' : ''}\n`)
  console.log(describeMachine())
  console.log(`Started: ${new Date().toISOString()}\n`)

  const a = PLAN.onEvent
  const onEvent = await benchOnEvent(a)
  console.log(
    `## (a) Destination.onEvent, presets as subscriptions, transport stubbed\n\n` +
      `${a.events} events a round (seeded), ${a.rounds} rounds per side after ${a.warmupRounds} warm-up rounds, ` +
      `interleaved A/B; medians of per-event time.\n`
  )
  console.log(
    markdownTable(
      ['events', 'ours µs/event', 'floor µs/event', 'ours / floor', 'paired ratio'],
      onEvent.rows.map((row) => [
        row.label,
        formatNumber(row.ours, 1),
        formatNumber(row.floor, 1),
        formatNumber(row.ours / row.floor, 3),
        formatNumber(row.pairedRatio, 3)
      ]),
      [false, true, true, true, true]
    )
  )
  const headline = onEvent.rows[0]
  // Each round of ours is timed right beside a round of the floor, so their ratio cancels most of what a shared
  // machine does to both; the median of those ratios is steadier than the ratio of the two medians.
  console.log(`\nHeadline (mix): ours / floor = ${formatNumber(headline.pairedRatio, 3)} (median paired ratio)\n`)

  const b = { ...PLAN.loopback, clients: CLIENTS, batchSize: BATCH_SIZE }
  const loopback = await benchLoopback(b)
  console.log(
    `## (b) End to end over loopback HTTP into the sandbox\n\n` +
      `Runtime, sandbox and ${b.clients} keep-alive clients in this process; ${b.runs} run(s) of ${b.seconds} s per ` +
      `row, each on an empty sandbox; batches of ${b.batchSize}; median events/s acknowledged with 200.\n`
  )
  console.log(
    markdownTable(
      ['path', 'events/s', 'failed'],
      loopback.map((row) => [row.label, formatNumber(row.eventsPerSecond), String(row.failed)]),
      [false, true, true]
    )
  )

  const sizes = PLAN.replayEvents
  console.log(
    `\n## (c) fullstory-cloud replay --batch into a sandbox process\n\n` +
      `Flat memory: the peak grows far less than the input, and the largest run also completes with V8's heap ` +
      `capped at ${HEAP_CAP_MIB} MiB (--max-old-space-size), so its live set is bounded.\n`
  )
  const rss = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : formatBytes(bytes))
  const rows: string[][] = []
  const runs: [number, number | undefined][] = [
    ...sizes.map((n): [number, undefined] => [n, undefined]),
    [sizes[1], HEAP_CAP_MIB]
  ]
  for (const [events, cap] of runs) {
    const replay = await benchReplay(events, cap)
    rows.push([
      formatNumber(replay.events),
      cap === undefined ? 'none' : `${cap} MiB`,
      formatBytes(replay.fileBytes),
      rss(replay.peakRssBytes),
      `${formatNumber(replay.wallSeconds, 1)} s`,
      formatNumber(replay.events / replay.wallSeconds),
      String(replay.exitCode),
      rss(replay.sandboxPeakRssBytes)
    ])
    if (replay.failure) console.log(`The replay of ${formatNumber(events)} events failed:\n${replay.failure}\n`)
  }
  console.log(
    markdownTable(
      ['events', 'heap cap', 'file', 'CLI peak RSS', 'wall time', 'events/s', 'exit', 'sandbox peak RSS'],
      rows,
      [true, true, true, true, true, true, true, true]
    )
  )
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

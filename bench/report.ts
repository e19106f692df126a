/** The benchmark's report: each section's tables and the sentences that say how they were measured, as Markdown. */
import type { CompareRow, SideCheck } from './compare'
import { EARLIER_PACKAGE, EARLIER_VERSION } from './earlier'
import type { EarlierDestination } from './earlier'
import type { LoopbackRow } from './loopback'
import type { benchReplay } from './replay'
import type { SideName } from './sides'
import { formatBytes, formatNumber, formatSpread } from './stats'
import type { benchThroughput } from './throughput'
import { markdownTable } from './table'

const SIDE_TITLES: Record<SideName, string> = {
  ours: 'ours',
  earlier: 'earlier',
  floor: 'floor',
  'earlier-floor': 'earlier floor',
  candidate: 'candidate'
}

export function printComparison(
  rows: CompareRow[],
  checks: SideCheck[],
  sides: SideName[],
  plan: { events: number; rounds: number; warmupRounds: number; chunk?: number },
  earlier: EarlierDestination | undefined
): void {
  console.log(
    `## (a) Per event, side by side: Destination.onEvent, each destination's own presets, transport stubbed\n\n` +
      `ours: this repository; ` +
      (earlier ? `earlier: ${EARLIER_PACKAGE}@${EARLIER_VERSION} dist/destinations/fullstory; ` : '') +
      `floor${earlier ? ', earlier floor' : ''}: the same definition and presets whose actions each make one ` +
      `minimal request (\`{}\`), so a floor costs what the framework does for those presets and a destination ` +
      `costs its own code above it. All on the same actions-core ` +
      `instance, in one process. ${plan.events} seeded events a row, ${plan.rounds} rounds after ${plan.warmupRounds} ` +
      `warm-up rounds; in each round every side handles every event, taking turns ${plan.chunk ?? plan.events} events ` +
      `at a time in rotating order, so machine noise falls on all sides alike. CPU µs per event (median of rounds); ` +
      `ratios are the median of per-round paired ratios, with the interquartile range in brackets.\n`
  )
  console.log(
    markdownTable(
      ['side', 'events', 'requests sent', 'refused', 'first refusal'],
      checks.map((check) => [
        SIDE_TITLES[check.side],
        formatNumber(check.events),
        formatNumber(check.requests),
        formatNumber(check.refused),
        check.refusal ? check.refusal.slice(0, 70) : ''
      ]),
      [false, true, true, true, false]
    )
  )
  console.log('')
  const ratioNames = rows[0].ratios.map((ratio) => `${ratio.numerator} / ${ratio.denominator}`)
  console.log(
    markdownTable(
      ['events', ...sides.map((side) => `${SIDE_TITLES[side]} µs`), ...ratioNames],
      rows.map((row) => [
        row.label,
        ...sides.map((side) => formatNumber(row.perEvent[side] ?? NaN, 1)),
        ...row.ratios.map((ratio) => formatSpread(ratio.spread))
      ]),
      [false, ...sides.map(() => true), ...ratioNames.map(() => true)]
    )
  )
  // More than ours − earlier: both floors ran, so the difference can be split.
  if (rows[0].differences.length > 1) printDifferences(rows)
  const headline = rows.map((row) => `${formatNumber(row.ratios[0].spread.median, 3)} ${row.label.split(':')[0]}`)
  const [first] = rows[0].ratios
  console.log(
    `\nHeadline: ${first.numerator} / ${first.denominator} = ${headline.join(', ')} ` +
      `(median paired CPU ratio${first.denominator === 'earlier' ? '; the goal is at most 1.00' : ''}).\n`
  )
}

/** Where the difference between ours and the earlier destination lies: their presets, or their own code. */
function printDifferences(rows: CompareRow[]): void {
  const titles = rows[0].differences.map((difference) => difference.label)
  console.log(
    `\nWhere the difference lies, in CPU µs per event (median of per-round differences, interquartile range in ` +
      `brackets): what each destination's presets make the framework do, and what each one's own code costs above ` +
      `its floor.\n`
  )
  console.log(
    markdownTable(
      ['events', ...titles],
      rows.map((row) => [row.label.split(':')[0], ...row.differences.map((d) => formatSpread(d.spread, 1))]),
      [false, ...titles.map(() => true)]
    )
  )
}

export function printThroughput(
  rows: Awaited<ReturnType<typeof benchThroughput>>,
  plan: { events: number; rounds: number },
  withEarlier: boolean
): void {
  console.log(
    `## (b) Volume: per event and with import jobs\n\n` +
      `In process, transport stubbed: what each delivery mode costs before the network. ${plan.events} seeded events ` +
      `of the mix a round, ${plan.rounds} rounds, modes alternating. Requests and sent/accepted are per 1,000 ` +
      `events of the mix (page calls and anonymous tracks are in it).\n`
  )
  const table = rows.map((row) => [
    row.label,
    formatNumber(row.eventsPerSecond),
    formatNumber(row.cpuPerEvent, 1),
    formatNumber(row.requestsPer1000, 1),
    formatNumber(row.acceptedPer1000, 1)
  ])
  if (withEarlier) table.push(['earlier, import jobs', '—', '—', 'no batch action: as per event', '—'])
  console.log(
    markdownTable(
      ['delivery', 'events/s (1 core)', 'CPU µs/event', 'requests / 1,000 events', 'sent or accepted / 1,000'],
      table,
      [false, true, true, true, true]
    )
  )
}

export function printReplay(
  results: { replay: Awaited<ReturnType<typeof benchReplay>>; cap?: number }[],
  sizes: number[],
  heapCapMiB: number
): void {
  console.log(
    `\n## (c) fullstory-cloud replay --batch into a sandbox process\n\n` +
      `Sizes ${sizes.map((size) => formatNumber(size)).join(' and ')} (--full: 100,000 and 1,000,000). Flat memory: ` +
      `the peak grows far less than the input, and the largest run also completes with V8's heap capped at ` +
      `${heapCapMiB} MiB (--max-old-space-size), so its live set is bounded.\n`
  )
  const rss = (bytes: number | undefined) => (bytes === undefined ? 'n/a' : formatBytes(bytes))
  for (const { replay } of results) {
    if (replay.failure) console.log(`The replay of ${formatNumber(replay.events)} events failed:\n${replay.failure}\n`)
  }
  console.log(
    markdownTable(
      ['events', 'heap cap', 'file', 'CLI peak RSS', 'wall time', 'events/s', 'exit', 'sandbox peak RSS'],
      results.map(({ replay, cap }) => [
        formatNumber(replay.events),
        cap === undefined ? 'none' : `${cap} MiB`,
        formatBytes(replay.fileBytes),
        rss(replay.peakRssBytes),
        `${formatNumber(replay.wallSeconds, 1)} s`,
        formatNumber(replay.events / replay.wallSeconds),
        String(replay.exitCode),
        rss(replay.sandboxPeakRssBytes)
      ]),
      [true, true, true, true, true, true, true, true]
    )
  )
}

export function printLoopback(
  rows: LoopbackRow[],
  setup: { clients: number; runs: number; seconds: number; batchSize: number }
): void {
  console.log(
    `\n### Over loopback HTTP, our runtime into the sandbox\n\n` +
      `Runtime, sandbox and ${setup.clients} keep-alive clients in this process; ${setup.runs} run(s) of ${setup.seconds} s per ` +
      `row, each on an empty sandbox; batches of ${setup.batchSize}; median events/s acknowledged with 200. (The earlier ` +
      `destination cannot be pointed at the sandbox: its host is fixed.)\n`
  )
  console.log(
    markdownTable(
      ['path', 'events/s', 'failed'],
      rows.map((row) => [row.label, formatNumber(row.eventsPerSecond), String(row.failed)]),
      [false, true, true]
    )
  )
}

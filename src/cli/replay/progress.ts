import { Presets, SingleBar } from 'cli-progress'
import { formatCount, formatDuration } from './format'
import type { Stats } from './stats'

/** What progress shows, read on each tick. */
export interface ProgressView {
  /** Lines finished by this run (resumed lines skipped without work do not count toward the rate). */
  linesThisRun: number
  /** Input bytes behind done lines, earlier runs included; with `totalBytes`, gives the percentage and ETA. */
  doneBytes: number
  stats: Stats
}

export interface ProgressOptions {
  /** 'bar' on a TTY, 'lines' (a plain line every `intervalMs`) when stderr is a file or pipe, or 'off'. */
  mode: 'bar' | 'lines' | 'off'
  stream: NodeJS.WritableStream
  /** Input size when known (a file); stdin has none, so no percentage or ETA. */
  totalBytes?: number
  intervalMs?: number
  now?: () => number
}

export interface Progress {
  /** Draws the final state and stops the timer. */
  stop(): void
}

/** Rate and ETA of this run: bytes still to go at the pace this run has kept so far. */
export function measure(view: ProgressView, startBytes: number, elapsedMs: number, totalBytes?: number) {
  const seconds = elapsedMs / 1000
  const rate = seconds > 0 ? view.linesThisRun / seconds : 0
  const bytesRate = seconds > 0 ? (view.doneBytes - startBytes) / seconds : 0
  const etaMs =
    totalBytes !== undefined && bytesRate > 0 ? ((totalBytes - view.doneBytes) / bytesRate) * 1000 : undefined
  const percent = totalBytes ? Math.min(100, Math.floor((view.doneBytes / totalBytes) * 100)) : undefined
  return { rate, etaMs, percent }
}

export function startProgress(options: ProgressOptions, view: () => ProgressView): Progress {
  if (options.mode === 'off') return { stop: () => undefined }
  const now = options.now ?? Date.now
  const started = now()
  const startBytes = view().doneBytes
  const payload = () => {
    const current = view()
    const { rate, etaMs, percent } = measure(current, startBytes, now() - started, options.totalBytes)
    const { stats } = current
    return {
      current,
      percent,
      // Own names: cli-progress computes its own {eta} and {duration} from value changes, which a resumed run skews.
      tokens: {
        lines: formatCount(stats.lines),
        rate: formatCount(rate),
        etaText: formatDuration(etaMs),
        elapsedText: formatDuration(now() - started),
        sent: formatCount(stats.sent),
        failed: formatCount(stats.failed),
        counts: `sent ${formatCount(stats.sent)} · skipped ${formatCount(stats.skipped)} · failed ${formatCount(stats.failed)} · retried ${formatCount(stats.retried)}`
      }
    }
  }

  if (options.mode === 'bar') {
    const known = options.totalBytes !== undefined
    const bar = new SingleBar(
      {
        stream: options.stream,
        // Fits an 80-column terminal; skipped and retried are in the plain lines and the summary.
        format: known
          ? '{bar} {percentage}% | {lines} lines | {rate}/s | ETA {etaText} | sent {sent} · failed {failed}'
          : '{lines} lines | {rate}/s | {elapsedText} elapsed | sent {sent} · failed {failed}',
        hideCursor: true,
        barsize: 16,
        fps: 5
      },
      Presets.shades_classic
    )
    bar.start(options.totalBytes ?? 1, startBytes, payload().tokens)
    const timer = setInterval(() => {
      const { current, tokens } = payload()
      bar.update(known ? current.doneBytes : 0, tokens)
    }, options.intervalMs ?? 200)
    return {
      stop: () => {
        clearInterval(timer)
        const { current, tokens } = payload()
        bar.update(known ? current.doneBytes : 0, tokens)
        bar.stop()
      }
    }
  }

  const print = () => {
    const { percent, tokens } = payload()
    const share = percent === undefined ? '' : `${percent}% | `
    const eta = percent === undefined ? `${tokens.elapsedText} elapsed` : `ETA ${tokens.etaText}`
    options.stream.write(`replay: ${share}${tokens.lines} lines | ${tokens.rate} lines/s | ${eta} | ${tokens.counts}\n`)
  }
  const timer = setInterval(print, options.intervalMs ?? 5000)
  return { stop: () => clearInterval(timer) }
}

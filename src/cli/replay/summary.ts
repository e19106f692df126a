import { formatCount, formatSeconds } from './format'
import type { Stats } from './stats'

/**
 * Exit codes. A run that read every line is a success even when some lines were dead-lettered, but scripts need
 * to tell the two apart, so dead letters get their own code. Interrupted runs use the shell's 128 + signal.
 */
export const EXIT = {
  /** Every line done, none dead-lettered. */
  ok: 0,
  /** Could not start or had to stop (bad options, unreadable input, checkpoint mismatch, key refused). */
  fatal: 1,
  /** Every line done; some are in the dead-letter file. */
  deadLetters: 2,
  /** Stopped by SIGINT / SIGTERM; the checkpoint is saved and the same command resumes. */
  sigint: 130,
  sigterm: 143
} as const

export type Ending =
  | { kind: 'complete' }
  | { kind: 'already-complete' }
  | { kind: 'interrupted'; signal: 'SIGINT' | 'SIGTERM' }
  | { kind: 'fatal'; message: string }

/** How a run stopped by main.ts's AbortController ends: its reason is the signal's name. */
export const interruptedBy = (reason: unknown): Ending => ({
  kind: 'interrupted',
  signal: reason === 'SIGTERM' ? 'SIGTERM' : 'SIGINT'
})

export interface SummaryInput {
  ending: Ending
  input: string
  stats: Stats
  /** Lines finished by this run, and how long it took. */
  linesThisRun: number
  elapsedMs: number
  /** Lines an earlier run had finished when this one started. */
  resumedAfter: number
  watermark: number
  checkpoint: string
  deadLetter: string
}

export function exitCode(ending: Ending, stats: Stats): number {
  switch (ending.kind) {
    case 'fatal':
      return EXIT.fatal
    case 'interrupted':
      return ending.signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm
    default:
      return stats.failed > 0 ? EXIT.deadLetters : EXIT.ok
  }
}

export function formatSummary(s: SummaryInput): string {
  const { stats } = s
  const rate = s.elapsedMs > 0 ? s.linesThisRun / (s.elapsedMs / 1000) : 0
  const head = {
    complete: `Replay complete: ${s.input}`,
    'already-complete': `Nothing to do: every line of ${s.input} was already replayed, so nothing is left to send (use --restart to replay it again)`,
    interrupted: `Replay stopped after line ${formatCount(s.watermark)} of ${s.input}: run the same command to resume`,
    fatal: `Replay stopped after line ${formatCount(s.watermark)} of ${s.input}: fix the problem and run the same command to resume`
  }[s.ending.kind]
  const refused = stats.failed - stats.malformed
  const width = formatCount(Math.max(stats.sent, stats.skipped, stats.failed, stats.retried)).length
  const row = (label: string, n: number, note: string) =>
    `  ${label.padEnd(9)}${formatCount(n).padStart(width)}  ${note}`
  const lines = [
    head,
    ...(s.ending.kind === 'fatal' ? [`  Error: ${s.ending.message}`] : []),
    row('sent', stats.sent, 'events every matching subscription accepted'),
    row('skipped', stats.skipped, 'events no subscription matched'),
    row(
      'failed',
      stats.failed,
      `lines dead-lettered (${formatCount(stats.malformed)} malformed, ` +
        (stats.notUtf8 > 0 ? `of which ${formatCount(stats.notUtf8)} not valid UTF-8; ` : '') +
        `${formatCount(refused)} refused or out of tries)`
    ),
    row('retried', stats.retried, 'events that needed more than one try'),
    ...(stats.trimmed > 0
      ? [row('trimmed', stats.trimmed, "sent events with property values FullStory's rules cut or left out")]
      : []),
    `  ${formatCount(stats.lines)} lines in all${stats.blank ? ` (and ${formatCount(stats.blank)} blank lines ignored)` : ''}` +
      (s.resumedAfter > 0 ? `; resumed after line ${formatCount(s.resumedAfter)}` : ''),
    ...(s.ending.kind === 'already-complete'
      ? []
      : [
          `  This run: ${formatCount(s.linesThisRun)} lines in ${formatSeconds(s.elapsedMs)} (${formatCount(rate)} lines/s)`
        ]),
    `  Dead letters: ${stats.failed > 0 ? s.deadLetter : 'none'}`,
    `  Checkpoint:   ${s.checkpoint}`
  ]
  return `${lines.join('\n')}\n`
}

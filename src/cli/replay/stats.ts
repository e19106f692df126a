/**
 * Counts per input line. Every non-blank line ends as exactly one of sent, skipped or failed, so
 * `sent + skipped + failed === lines`; `retried` counts lines that needed more than one try, whatever their end.
 */
export interface Stats {
  lines: number
  /** Every subscription that matched it accepted it. */
  sent: number
  /** No subscription matched it (e.g. page calls with the presets). */
  skipped: number
  /** Dead-lettered: malformed, rejected, or out of tries for at least one subscription. */
  failed: number
  /** Of `failed`, lines that were not a valid Segment event at all. */
  malformed: number
  /** Of `malformed`, lines whose bytes are not UTF-8 text. */
  notUtf8: number
  retried: number
  /** Of `sent`, events some of whose property values FullStory's rules cut or left out (the destination warned). */
  trimmed: number
  /** Empty lines, ignored and not counted in `lines`. */
  blank: number
}

export type LineResult = 'sent' | 'skipped' | 'failed' | 'malformed' | 'not-utf8' | 'blank'

export const emptyStats = (): Stats => ({
  lines: 0,
  sent: 0,
  skipped: 0,
  failed: 0,
  malformed: 0,
  notUtf8: 0,
  retried: 0,
  trimmed: 0,
  blank: 0
})

export function count(stats: Stats, result: LineResult, retried = false, trimmed = false): void {
  if (result === 'blank') {
    stats.blank++
    return
  }
  stats.lines++
  if (result === 'malformed' || result === 'not-utf8') {
    if (result === 'not-utf8') stats.notUtf8++
    stats.malformed++
    stats.failed++
  } else stats[result]++
  if (retried) stats.retried++
  if (trimmed && result === 'sent') stats.trimmed++
}

import dayjs from 'dayjs'

// Groups: year, month, day, hour, minute, second, fraction, zone (Z or offset), offset sign, hours, minutes.
const ISO_8601 =
  /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(\.\d+)?)?(Z|([+-])(\d{2})(?::?(\d{2}))?)?)?$/i
// A number written as text, as JSON sources and actions-core's type coercion both produce.
const NUMERIC = /^[+-]?(\d+)(?:\.\d+)?$/
// ISO 8601's basic calendar date (20240131) and a year alone (2024), which read as epoch seconds would be 1970.
const BASIC_DATE = /^(\d{4})(?:(\d{2})(\d{2}))?$/
/** `Date#toISOString` has this length for years 0000 to 9999; outside them it writes ±YYYYYY, which FullStory refuses. */
const ISO_LENGTH = 24

/**
 * A Segment timestamp as UTC ISO-8601, or undefined when it cannot be read. ISO strings are checked field by
 * field and converted by arithmetic because date parsers roll impossible dates over (2024-02-30 would become
 * March 1st) and read years 0000-0099 as 1900-1999: a changed date is worse than a rejected one. Without an
 * offset an ISO string is UTC, and 24:00:00 is the end of its day. Numbers are epoch milliseconds; numeric strings
 * are epoch seconds, or milliseconds when they have 13 or more integer digits, as Segment's own validator reads
 * them, except eight digits that form a real date (20240131, ISO 8601's basic form) and four digits (a year), which
 * are those dates at midnight UTC. Dates outside the years 0000-9999 have no ISO-8601 form FullStory accepts, so
 * they are not read either.
 */
export function toUtcIso(value: string | number): string | undefined {
  if (typeof value === 'number') return isoString(value)
  // Segment's own timestamps are already in the output form: checked in place, they go out as they came.
  if (isCanonical(value)) return value
  const text = value.trim()
  const basic = BASIC_DATE.exec(text)
  if (basic) {
    const [year, month, day] = [Number(basic[1]), Number(basic[2] ?? 1), Number(basic[3] ?? 1)]
    if (isRealDate(year, month, day)) return isoString(utcMidnight(year, month, day))
  }
  const numeric = NUMERIC.exec(text)
  if (numeric) return isoString(numeric[1].length >= 13 ? Number(text) : Number(text) * 1000)
  const iso = ISO_8601.exec(text)
  if (iso) {
    return isoString(isoInstant(iso))
  }
  // Other forms ("Tue, 05 Mar 2024 10:00:00 GMT"): as Segment's validator reads them.
  const parsed = dayjs(text)
  return parsed.isValid() ? isoString(parsed.valueOf()) : undefined
}

function isoString(epochMs: number): string | undefined {
  const date = new Date(epochMs)
  if (Number.isNaN(date.getTime())) return undefined
  const iso = date.toISOString()
  return iso.length === ISO_LENGTH ? iso : undefined
}

/** Epoch milliseconds of a matched ISO string, or NaN when a field is out of range. */
function isoInstant(match: RegExpExecArray): number {
  const year = Number(match[1])
  const month = Number(match[2])
  const day = Number(match[3])
  const hour = Number(match[4] ?? 0)
  const minute = Number(match[5] ?? 0)
  const second = Number(match[6] ?? 0)
  const offsetHours = Number(match[10] ?? 0)
  const offsetMinutes = Number(match[11] ?? 0)
  const milliseconds = Number((match[7] ?? '').slice(1, 4).padEnd(3, '0'))
  const endOfDay = hour === 24 && minute === 0 && second === 0 && milliseconds === 0
  if (!isRealDate(year, month, day) || (hour > 23 && !endOfDay) || minute > 59 || second > 59) return NaN
  if (offsetHours > 23 || offsetMinutes > 59) return NaN
  const date = new Date(utcMidnight(year, month, day))
  date.setUTCHours(hour, minute, second, milliseconds) // 24:00 moves to the next day's midnight
  const sign = match[9] === '-' ? -1 : 1
  return date.getTime() - sign * (offsetHours * 60 + offsetMinutes) * 60_000
}

function utcMidnight(year: number, month: number, day: number): number {
  const date = new Date(0)
  date.setUTCFullYear(year, month - 1, day) // unlike Date.UTC, keeps years 0000-0099 as they are
  return date.getTime()
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  const days = month === 2 ? (leap ? 29 : 28) : month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
  return day <= days
}

// `YYYY-MM-DDTHH:MM:SS.sssZ`: where each separator sits; every other position holds a digit.
const CANONICAL_SEPARATORS: Record<number, number> = {
  4: 0x2d,
  7: 0x2d,
  10: 0x54,
  13: 0x3a,
  16: 0x3a,
  19: 0x2e,
  23: 0x5a
}

/** Whether `text` is exactly `Date#toISOString`'s form for a real instant of the years 0000-9999. */
function isCanonical(text: string): boolean {
  if (text.length !== ISO_LENGTH) return false
  for (let i = 0; i < ISO_LENGTH; i++) {
    const unit = text.charCodeAt(i)
    const separator = CANONICAL_SEPARATORS[i]
    if (separator !== undefined ? unit !== separator : unit < 0x30 || unit > 0x39) return false
  }
  const field = (at: number) => (text.charCodeAt(at) - 0x30) * 10 + text.charCodeAt(at + 1) - 0x30
  const year = field(0) * 100 + field(2)
  return isRealDate(year, field(5), field(8)) && field(11) <= 23 && field(14) <= 59 && field(17) <= 59
}

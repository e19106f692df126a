import dayjs from 'dayjs'
import utc from 'dayjs/plugin/utc'

dayjs.extend(utc)

const ISO_8601 = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?(Z|[+-]\d{2}(?::?\d{2})?)?)?$/i

/**
 * A Segment timestamp as UTC ISO-8601, or undefined when it cannot be read. ISO strings are checked field by
 * field because date parsers roll impossible dates over (2024-02-30 would become March 1st): a changed date is
 * worse than a rejected one. Numbers are epoch milliseconds; numeric strings are epoch seconds, or milliseconds
 * when they have 13 or more digits, as Segment's own validator reads them.
 */
export function toUtcIso(value: string | number): string | undefined {
  if (typeof value === 'number') return valid(dayjs(value))
  const text = value.trim()
  if (/^\d+$/.test(text)) return valid(text.length >= 13 ? dayjs(Number(text)) : dayjs.unix(Number(text)))
  const iso = ISO_8601.exec(text)
  if (iso) {
    const [, year, month, day, hour = '0', minute = '0', second = '0', offset] = iso
    if (!isRealDate(+year, +month, +day) || +hour > 23 || +minute > 59 || +second > 59) return undefined
    return valid(offset ? dayjs(text) : dayjs.utc(text))
  }
  return valid(dayjs(text))
}

function valid(date: dayjs.Dayjs): string | undefined {
  return date.isValid() ? date.utc().toISOString() : undefined
}

function isRealDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  return day <= new Date(Date.UTC(year, month, 0)).getUTCDate()
}

/**
 * The ISO-8601 profile the sandbox accepts: RFC 3339, the profile FullStory's `date-time` fields use.
 * A calendar date alone (`2024-01-31`) is accepted only where a `date` property is expected; event timestamps
 * need the full date-time with seconds and a `Z` or `±HH:MM` offset. Impossible dates (`2023-02-29`) are refused.
 */
const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|([+-])(\d{2}):(\d{2}))$/
const DATE_ONLY = /^(\d{4})-(\d{2})-(\d{2})$/
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]

export function isIsoDateTime(value: string): boolean {
  const m = DATE_TIME.exec(value)
  if (!m) return false
  const [, year, month, day, hour, minute, second, , offsetHours, offsetMinutes] = m
  return (
    isCalendarDate(Number(year), Number(month), Number(day)) &&
    Number(hour) <= 23 &&
    Number(minute) <= 59 &&
    // 60 allows a leap second, as RFC 3339 does.
    Number(second) <= 60 &&
    (offsetHours === undefined || (Number(offsetHours) <= 23 && Number(offsetMinutes) <= 59))
  )
}

/** A `date` property value: a calendar date or a full date-time. */
export function isIsoDate(value: string): boolean {
  const m = DATE_ONLY.exec(value)
  if (m) return isCalendarDate(Number(m[1]), Number(m[2]), Number(m[3]))
  return isIsoDateTime(value)
}

function isCalendarDate(year: number, month: number, day: number): boolean {
  if (month < 1 || month > 12 || day < 1) return false
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return day <= (month === 2 ? (leap ? 29 : 28) : DAYS_IN_MONTH[month - 1])
}

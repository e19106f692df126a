/**
 * Which FullStory type each value is declared as in `schema.properties`. FullStory infers `str` for strings,
 * `real` for every number and `bool` for booleans; only what inference gets wrong is declared: whole numbers
 * (`int`), ISO-8601 dates (`date`) and arrays (always, as their element types are not documented to be inferred).
 */

export type FullStoryType = 'str' | 'strs' | 'int' | 'ints' | 'real' | 'reals' | 'bool' | 'bools' | 'date' | 'dates'

export type Scalar = string | number | boolean

// Scalar kinds seen in an array, as bit flags.
export const KIND_STRING = 1
export const KIND_NUMBER = 2
export const KIND_BOOLEAN = 4

// FullStory v1 type suffixes (lowercase only, as v1 defined them), read as type hints: never removed from a name.
const SUFFIX_TYPES = new Map<string, FullStoryType>(
  (['str', 'strs', 'int', 'ints', 'real', 'reals', 'bool', 'bools', 'date', 'dates'] as const).map((t) => [t, t])
)

// Strict ISO-8601 profile (RFC 3339): a calendar date, or a full date-time with seconds and `Z` or `±HH:MM`.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2})))?$/
const MIN_DATE_LENGTH = 10 // 2024-01-31
const MAX_DATE_LENGTH = 35 // 2024-01-31T23:59:59.123456789+01:00

/**
 * The type a v1-style suffix at the end of a legal name asks for (`price_real` → `real`), or undefined. It is only a
 * hint: it applies when the value fits it, and the name reaches FullStory unchanged either way.
 */
export function suffixHint(name: string): FullStoryType | undefined {
  // Suffixes are 3 to 5 letters after a `_` that follows the name: look at those three places only (this runs for
  // every key), and slice only when one holds a `_`. A tail holding another `_` is no suffix.
  let underscore = -1
  for (let i = name.length - 4; i >= name.length - 6 && i >= 1; i--) {
    if (name.charCodeAt(i) === 0x5f) {
      underscore = i
      break
    }
  }
  return underscore < 1 ? undefined : SUFFIX_TYPES.get(name.slice(underscore + 1))
}

/** The declaration for a string: `date` for an ISO-8601 date, unless a `_str` hint asks to keep it a string. */
export function stringType(value: string, hint: FullStoryType | undefined): FullStoryType | undefined {
  return hint !== 'str' && isIsoDate(value) ? 'date' : undefined
}

/**
 * The declaration for a finite number: `int` for a whole number, unless a `_real` hint asks for a real. Whole
 * numbers beyond 2^53 are not exact in JSON, so they stay `real`.
 */
export function numberType(value: number, hint: FullStoryType | undefined): FullStoryType | undefined {
  return hint !== 'real' && Number.isSafeInteger(value) ? 'int' : undefined
}

/** The declaration for an array of one kind of scalar; a singular hint applies to its elements (`codes_str`). */
export function arrayType(elements: Scalar[], kind: number, hint: FullStoryType | undefined): FullStoryType {
  const plural = hint === undefined || hint.endsWith('s') ? hint : `${hint}s`
  if (kind === KIND_BOOLEAN) return 'bools'
  if (kind === KIND_NUMBER) {
    return plural !== 'reals' && elements.every((n) => Number.isSafeInteger(n)) ? 'ints' : 'reals'
  }
  return plural !== 'strs' && elements.every((s) => isIsoDate(s as string)) ? 'dates' : 'strs'
}

/** True for a strict ISO-8601 date (`YYYY-MM-DD`) or date-time (`YYYY-MM-DDTHH:MM:SS[.f]Z|±HH:MM`) that exists. */
export function isIsoDate(value: string): boolean {
  // Cheap rejections first: most strings are not dates.
  if (value.length < MIN_DATE_LENGTH || value.length > MAX_DATE_LENGTH) return false
  if (value.charCodeAt(4) !== 0x2d || value.charCodeAt(7) !== 0x2d) return false // '-'
  const m = ISO_DATE.exec(value)
  if (m === null) return false
  const month = Number(m[2])
  const day = Number(m[3])
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth(Number(m[1]), month)) return false
  if (m[4] === undefined) return true
  const timeValid = Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 59
  return timeValid && (m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59))
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

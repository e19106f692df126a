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

/**
 * True for a strict ISO-8601 date (`YYYY-MM-DD`) or date-time (`YYYY-MM-DDTHH:MM:SS[.f]Z|±HH:MM`, RFC 3339, with 1 to 9
 * fraction digits) that exists. Read character by character: it runs for every string value, and a regular
 * expression's match array was the largest part of its cost.
 */
export function isIsoDate(value: string): boolean {
  const length = value.length
  if (length !== 10 && (length < 20 || length > MAX_DATE_LENGTH)) return false
  if (value.charCodeAt(4) !== DASH || value.charCodeAt(7) !== DASH) return false
  const year = digits(value, 0, 4)
  const month = digits(value, 5, 2)
  const day = digits(value, 8, 2)
  if (year < 0 || month < 1 || month > 12 || day < 1 || day > daysInMonth(year, month)) return false
  if (length === 10) return true
  if (value.charCodeAt(10) !== LETTER_T || value.charCodeAt(13) !== COLON || value.charCodeAt(16) !== COLON)
    return false
  if (!isClock(digits(value, 11, 2), digits(value, 14, 2)) || !inRange(digits(value, 17, 2), 59)) return false
  let at = 19
  if (value.charCodeAt(at) === DOT) {
    const start = ++at
    while (at < length && isDigit(value.charCodeAt(at))) at++
    if (at === start || at - start > 9) return false
  }
  if (at === length - 1) return value.charCodeAt(at) === LETTER_Z
  const sign = value.charCodeAt(at)
  if ((sign !== PLUS && sign !== MINUS) || length - at !== 6 || value.charCodeAt(at + 3) !== COLON) return false
  return isClock(digits(value, at + 1, 2), digits(value, at + 4, 2))
}

const DASH = 0x2d
const COLON = 0x3a
const DOT = 0x2e
const PLUS = 0x2b
const MINUS = 0x2d
const LETTER_T = 0x54
const LETTER_Z = 0x5a

const isDigit = (unit: number) => unit >= 0x30 && unit <= 0x39
const inRange = (n: number, max: number) => n >= 0 && n <= max
const isClock = (hours: number, minutes: number) => inRange(hours, 23) && inRange(minutes, 59)

/** The number written by `count` ASCII digits at `start`, or -1 when any of them is not one. */
function digits(text: string, start: number, count: number): number {
  let n = 0
  for (let i = start; i < start + count; i++) {
    const unit = text.charCodeAt(i)
    if (!isDigit(unit)) return -1
    n = n * 10 + unit - 0x30
  }
  return n
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

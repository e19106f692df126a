import fc from 'fast-check'
import { isIsoDate } from '../src/destinations/fullstory-cloud/properties'

describe('isIsoDate (property-based)', () => {
  // The RFC 3339 profile as a pattern, with the calendar and clock checks: the reference the scanner must agree with.
  const PATTERN = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2})))?$/
  const leap = (year: number) => (year % 4 === 0 && year % 100 !== 0) || year % 400 === 0
  const DAYS = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
  const reference = (value: string): boolean => {
    const m = PATTERN.exec(value)
    if (!m) return false
    const [year, month, day] = [Number(m[1]), Number(m[2]), Number(m[3])]
    if (month < 1 || month > 12 || day < 1) return false
    if (day > DAYS[month - 1] + (month === 2 && leap(year) ? 1 : 0)) return false
    if (m[4] === undefined) return true
    const offsetOk = m[7] === undefined || (Number(m[7]) <= 23 && Number(m[8]) <= 59)
    return Number(m[4]) <= 23 && Number(m[5]) <= 59 && Number(m[6]) <= 59 && offsetOk
  }

  const digit = fc.constantFrom(...'0123456789')
  const digitsOf = (n: number) => fc.array(digit, { minLength: n, maxLength: n }).map((d) => d.join(''))
  // A field mostly in or just past its range, sometimes with a digit too few or too many.
  const field = (max: number, width: number) =>
    fc.oneof(
      { weight: 12, arbitrary: fc.integer({ min: 0, max }).map((n) => String(n).padStart(width, '0')) },
      { weight: 1, arbitrary: digitsOf(width - 1) },
      { weight: 1, arbitrary: digitsOf(width + 1) }
    )
  // A separator mostly right, sometimes not.
  const sep = (right: string, ...wrong: string[]) =>
    fc.oneof({ weight: 8, arbitrary: fc.constant(right) }, { weight: 1, arbitrary: fc.constantFrom(...wrong) })
  const time = fc.tuple(
    sep('T', 't', ' '),
    field(25, 2),
    sep(':', '-', ''),
    field(61, 2),
    sep(':', ''),
    field(61, 2),
    fc.oneof(
      { weight: 2, arbitrary: fc.constant('') },
      { weight: 3, arbitrary: fc.integer({ min: 0, max: 11 }).map((n) => '.' + '5'.repeat(n)) }
    ),
    fc.oneof(
      { weight: 3, arbitrary: fc.constant('Z') },
      { weight: 3, arbitrary: fc.tuple(fc.constantFrom('+', '-'), field(25, 2), sep(':', ''), field(61, 2)) },
      { weight: 1, arbitrary: fc.constantFrom('', 'z', '+') }
    )
  )
  const nearDate = fc
    .tuple(field(2400, 4), sep('-', '/', ''), field(13, 2), sep('-', '.'), field(32, 2), fc.option(time))
    .map(([year, s1, month, s2, day, clock]) => {
      const date = `${year}${s1}${month}${s2}${day}`
      if (!clock) return date
      const [t, hh, c1, mm, c2, ss, fraction, zone] = clock
      return `${date}${t}${hh}${c1}${mm}${c2}${ss}${fraction}${typeof zone === 'string' ? zone : zone.join('')}`
    })

  it('agrees with the RFC 3339 pattern and the calendar on strings near the format and on any string', () => {
    fc.assert(
      fc.property(fc.oneof(nearDate, fc.string({ maxLength: 40 })), (value) => {
        expect(isIsoDate(value)).toBe(reference(value))
      }),
      { numRuns: 5000 }
    )
  })
})

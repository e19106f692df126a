/**
 * fast-check arbitraries for property rules: JSON-like objects with awkward keys, deep nesting, mixed arrays, long
 * strings and big numbers, and the option sets transformProperties takes.
 */
import fc from 'fast-check'

/** A name FullStory accepts: a letter, then letters, digits and underscores. */
export const LEGAL_SEGMENT = /^[A-Za-z][A-Za-z0-9_]*$/

/** How many inputs each property-based test of the property rules draws. */
export const NUM_RUNS = 300

/** Names a naive rule would get wrong: suffixes, collisions with rewritten names, prototype keys, empty and non-ASCII. */
export const trickyKey = fc.constantFrom(
  'a',
  'A',
  'a b',
  'a-b',
  'a_b',
  'a_b_2',
  'plan',
  'plan_str',
  'logins_int',
  'x_ints',
  'when_date',
  'p_real_bool',
  '2fa',
  'p_2fa',
  '',
  '_',
  '名前',
  '😀',
  'values',
  'values_2',
  'unnamed',
  'a.b',
  'constructor',
  '__proto__'
)
export const key = fc.oneof(
  { weight: 3, arbitrary: trickyKey },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 10 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  // Long names, so nested paths cross the 512-character limit.
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 200, maxLength: 400 }) }
)

export const isoDate = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .chain((d) => fc.constantFrom(d.toISOString(), d.toISOString().slice(0, 10), d.toISOString().replace('Z', '+05:30')))

// Strings near the 8192-byte limit, made of 1-, 2-, 3- and 4-byte characters, JSON escapes and lone surrogates.
export const longString = fc
  .tuple(
    fc.constantFrom('x', 'é', '€', '😀', '"', '\n', '\u0001', '\ud800', 'a😀'),
    fc.integer({ min: 1500, max: 9000 })
  )
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)))

export const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: isoDate },
  { weight: 1, arbitrary: longString }
)

export const number = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(), // includes NaN, ±Infinity and -0
  fc.constantFrom(2 ** 53, 2 ** 53 + 2, 1e21, -1e300, 0.1, -0, NaN, Infinity, -Infinity)
)

export const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null))

// Large arrays of numbers or strings, to cross the 8192-byte array limit.
export const bigArray = fc.oneof(
  fc.array(fc.integer(), { minLength: 700, maxLength: 2000 }),
  fc.integer({ min: 100, max: 1200 }).map((n) => Array.from({ length: n }, (_, i) => `item-${i}`))
)

export const { value } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 5, withCrossShrink: true },
    { weight: 6, arbitrary: scalar },
    { weight: 2, arbitrary: tie('array') },
    { weight: 2, arbitrary: tie('object') },
    { weight: 1, arbitrary: tie('arrayOfObjects') },
    { weight: 1, arbitrary: bigArray }
  ),
  array: fc.array(tie('value'), { maxLength: 6 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 6 }),
  arrayOfObjects: fc.array(tie('object'), { maxLength: 4 })
}))

export const input: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(key, value, { maxKeys: 12 })

export const options = fc.record(
  {
    maxProperties: fc.integer({ min: 0, max: 40 }),
    excludeCount: fc.integer({ min: 0, max: 3 })
  },
  { requiredKeys: [] }
)

import fc from 'fast-check'
import {
  DroppedProperty,
  FullStoryType,
  MAX_PATH_LENGTH,
  MAX_VALUE_BYTES,
  TransformResult,
  isIsoDate,
  normalizePropertyName,
  transformProperties
} from '../src/destinations/fullstory-cloud/properties'

const NUM_RUNS = 300

// ---------------------------------------------------------------------------------------------
// Arbitraries: JSON-like objects with awkward keys, deep nesting, mixed arrays, long strings, big numbers
// ---------------------------------------------------------------------------------------------

const trickyKey = fc.constantFrom(
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
const key = fc.oneof(
  { weight: 3, arbitrary: trickyKey },
  { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 10 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 6 }) },
  // Long names, so nested paths cross the 512-character limit.
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 200, maxLength: 400 }) }
)

const isoDate = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .chain((d) => fc.constantFrom(d.toISOString(), d.toISOString().slice(0, 10), d.toISOString().replace('Z', '+05:30')))

// Strings near the 8192-byte limit, made of 1-, 2-, 3- and 4-byte characters, JSON escapes and lone surrogates.
const longString = fc
  .tuple(
    fc.constantFrom('x', 'é', '€', '😀', '"', '\n', '\u0001', '\ud800', 'a😀'),
    fc.integer({ min: 1500, max: 9000 })
  )
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)))

const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 12 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'binary', maxLength: 12 }) },
  { weight: 2, arbitrary: isoDate },
  { weight: 1, arbitrary: longString }
)

const number = fc.oneof(
  fc.integer(),
  fc.maxSafeInteger(),
  fc.double(), // includes NaN, ±Infinity and -0
  fc.constantFrom(2 ** 53, 2 ** 53 + 2, 1e21, -1e300, 0.1, -0, NaN, Infinity, -Infinity)
)

const scalar = fc.oneof(text, number, fc.boolean(), fc.constant(null))

// Large arrays of numbers or strings, to cross the 8192-byte array limit.
const bigArray = fc.oneof(
  fc.array(fc.integer(), { minLength: 700, maxLength: 2000 }),
  fc.integer({ min: 100, max: 1200 }).map((n) => Array.from({ length: n }, (_, i) => `item-${i}`))
)

const { value } = fc.letrec((tie) => ({
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

const input: fc.Arbitrary<Record<string, unknown>> = fc.dictionary(key, value, { maxKeys: 12 })

const options = fc.record(
  {
    maxProperties: fc.integer({ min: 0, max: 40 }),
    excludeCount: fc.integer({ min: 0, max: 3 })
  },
  { requiredKeys: [] }
)

function buildOptions(data: Record<string, unknown>, opts: { maxProperties?: number; excludeCount?: number }) {
  const exclude = Object.keys(data).slice(0, opts.excludeCount ?? 0)
  return { maxProperties: opts.maxProperties, exclude }
}

// ---------------------------------------------------------------------------------------------
// Oracles, written independently of the implementation
// ---------------------------------------------------------------------------------------------

/** Input leaves: every scalar (null and NaN included) and every empty array or object. */
function countInputLeaves(v: unknown): number {
  if (v === null || typeof v !== 'object') return 1
  const children = Array.isArray(v) ? v : Object.values(v)
  if (children.length === 0) return 1
  return children.reduce((sum: number, child) => sum + countInputLeaves(child), 0)
}

interface Leaf {
  path: string
  value: unknown
}

function outputLeaves(properties: Record<string, unknown>, prefix = '', out: Leaf[] = []): Leaf[] {
  for (const [name, v] of Object.entries(properties)) {
    const path = prefix === '' ? name : `${prefix}.${name}`
    if (typeof v === 'object' && v !== null && !Array.isArray(v)) outputLeaves(v as Record<string, unknown>, path, out)
    else out.push({ path, value: v })
  }
  return out
}

/** Output values a user can search for: each scalar, and each element of an array. */
function countOutputValues(result: TransformResult): number {
  return outputLeaves(result.properties).reduce((n, leaf) => n + (Array.isArray(leaf.value) ? leaf.value.length : 1), 0)
}

function countDropped(dropped: DroppedProperty[]): number {
  return dropped.filter((d) => d.reason !== 'truncated').reduce((n, d) => n + (d.count ?? 1), 0)
}

/** Scalars of a value as text (mixed arrays become strings, so text is what must survive). */
function scalarTexts(v: unknown, out: string[] = []): string[] {
  if (v === null || (typeof v === 'number' && !Number.isFinite(v))) return out
  if (Array.isArray(v)) v.forEach((e) => scalarTexts(e, out))
  else if (typeof v === 'object') Object.values(v).forEach((e) => scalarTexts(e, out))
  else if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') out.push(String(v))
  return out
}

const LEGAL_SEGMENT = /^[A-Za-z][A-Za-z0-9_]*$/
/** What a rewritten name looks like in the default style: no `__`, no `_` at either end. */
const CANONICAL_SEGMENT = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/
/** A v1 type suffix at the end of a name: a hint for the declared type, never removed. */
const SUFFIX_HINT = /_(str|int|real|bool|date)s?$/
const utf8Bytes = (s: string) => Buffer.byteLength(s, 'utf8')
/** Own entries only: a path such as 'constructor' must not find Object.prototype members. */
const declaredType = (schema: Record<string, FullStoryType>, path: string) =>
  Object.prototype.hasOwnProperty.call(schema, path) ? schema[path] : undefined

function valueMatchesType(v: unknown, type: FullStoryType): boolean {
  const each = (check: (e: unknown) => boolean) => Array.isArray(v) && v.length > 0 && v.every(check)
  const isDate = (e: unknown) => typeof e === 'string' && isIsoDate(e) && !Number.isNaN(Date.parse(e))
  switch (type) {
    case 'int':
      return Number.isSafeInteger(v)
    case 'date':
      return isDate(v)
    case 'ints':
      return each((e) => Number.isSafeInteger(e))
    case 'reals':
      return each((e) => typeof e === 'number')
    case 'strs':
      return each((e) => typeof e === 'string')
    case 'bools':
      return each((e) => typeof e === 'boolean')
    case 'dates':
      return each(isDate)
    default:
      return false // str, real and bool are what inference gives: never declared
  }
}

/**
 * Every limit and shape rule FullStory imposes, checked on one result. Violations are collected as
 * text and asserted once: one `expect` per array element would make the suite slow.
 */
function sendabilityViolations(result: TransformResult, maxProperties?: number): string[] {
  const violations: string[] = []
  const fail = (path: string, rule: string) => violations.push(`${path}: ${rule}`)

  const visit = (obj: Record<string, unknown>, prefix: string) => {
    const names = Object.keys(obj)
    if (prefix !== '' && names.length === 0) fail(prefix, 'empty object')
    for (const name of names) {
      const path = prefix === '' ? name : `${prefix}.${name}`
      if (!LEGAL_SEGMENT.test(name)) fail(path, `illegal name ${name}`)
      if (path.length > MAX_PATH_LENGTH) fail(path, `path of ${path.length} characters`)
      const v = obj[name]
      if (typeof v === 'string') {
        if (utf8Bytes(v) > MAX_VALUE_BYTES) fail(path, `string of ${utf8Bytes(v)} bytes`)
      } else if (typeof v === 'number') {
        if (!Number.isFinite(v)) fail(path, `non-finite ${v}`)
      } else if (Array.isArray(v)) {
        const kind = typeof v[0]
        if (v.length === 0) fail(path, 'empty array')
        if (!['string', 'number', 'boolean'].includes(kind)) fail(path, `array of ${kind}`)
        // One type per array: no objects, nulls or nested arrays.
        if (v.some((e) => typeof e !== kind || e === null)) fail(path, 'array with mixed elements')
        if (v.some((e) => typeof e === 'number' && !Number.isFinite(e))) fail(path, 'non-finite array element')
        const bytes = utf8Bytes(JSON.stringify(v))
        if (bytes > MAX_VALUE_BYTES) fail(path, `array of ${bytes} bytes`)
        if (declaredType(result.schema, path) === undefined) fail(path, 'array without schema')
      } else if (typeof v === 'object' && v !== null) {
        visit(v as Record<string, unknown>, path)
      } else if (typeof v !== 'boolean') {
        fail(path, `unexpected ${typeof v}`)
      }
    }
  }
  visit(result.properties, '')

  const leaves = new Map(outputLeaves(result.properties).map((leaf) => [leaf.path, leaf.value]))
  if (maxProperties !== undefined && leaves.size > maxProperties) fail('', `${leaves.size} leaves > ${maxProperties}`)
  for (const [path, type] of Object.entries(result.schema)) {
    if (!leaves.has(path)) fail(path, `schema ${type} for a path that is not a leaf`)
    else if (!valueMatchesType(leaves.get(path), type)) fail(path, `schema ${type} does not match the value`)
  }
  return violations
}

/** The same object graph with every object's keys in reverse order. */
function reverseKeys(v: unknown): unknown {
  if (Array.isArray(v)) return v.map(reverseKeys)
  if (v === null || typeof v !== 'object') return v
  const out: Record<string, unknown> = {}
  for (const k of Object.keys(v).reverse()) {
    Object.defineProperty(out, k, { value: reverseKeys((v as Record<string, unknown>)[k]), enumerable: true })
  }
  return out
}

const sortDropped = (dropped: DroppedProperty[]) => dropped.map((d) => JSON.stringify(d)).sort()

// ---------------------------------------------------------------------------------------------
// Properties
// ---------------------------------------------------------------------------------------------

describe('transformProperties (property-based)', () => {
  it('always produces something FullStory accepts: legal names, short paths, small values, leaf limit, typed schema', () => {
    fc.assert(
      fc.property(input, options, (data, opts) => {
        const { maxProperties, exclude } = buildOptions(data, opts)
        expect(sendabilityViolations(transformProperties(data, { maxProperties, exclude }), maxProperties)).toEqual([])
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('accounts for every input leaf: surviving values + dropped == input leaves', () => {
    fc.assert(
      fc.property(input, options, (data, opts) => {
        const result = transformProperties(data, buildOptions(data, opts))
        const inputLeaves = Object.values(data).reduce((n: number, v) => n + countInputLeaves(v), 0)
        expect(countOutputValues(result) + countDropped(result.dropped)).toBe(inputLeaves)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('is idempotent: transforming the output again changes and drops nothing', () => {
    fc.assert(
      fc.property(input, options, (data, opts) => {
        const { maxProperties, exclude } = buildOptions(data, opts)
        const first = transformProperties(data, { maxProperties, exclude })
        // `exclude` names original keys, already gone from the output; the limit applies again.
        const second = transformProperties(first.properties, { maxProperties })
        expect(second.properties).toEqual(first.properties)
        expect(second.dropped).toEqual([])
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('does not depend on the order of keys anywhere in the input', () => {
    fc.assert(
      fc.property(input, options, (data, opts) => {
        const { maxProperties } = buildOptions(data, opts)
        const forward = transformProperties(data, { maxProperties })
        const backward = transformProperties(reverseKeys(data) as Record<string, unknown>, { maxProperties })
        expect(backward.properties).toEqual(forward.properties)
        expect(backward.schema).toEqual(forward.schema)
        expect(sortDropped(backward.dropped)).toEqual(sortDropped(forward.dropped))
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('keeps exactly the first maxProperties leaves, in sorted path order, of the unlimited result', () => {
    fc.assert(
      fc.property(input, fc.integer({ min: 0, max: 20 }), (data, maxProperties) => {
        const all = outputLeaves(transformProperties(data).properties).sort((a, b) => (a.path < b.path ? -1 : 1))
        const limited = outputLeaves(transformProperties(data, { maxProperties }).properties)
        expect(limited.sort((a, b) => (a.path < b.path ? -1 : 1))).toEqual(all.slice(0, maxProperties))
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('sends every value unchanged when no size or length limit is involved', () => {
    const shortScalar = fc.oneof(
      fc.string({ unit: 'binary', maxLength: 12 }),
      isoDate,
      number,
      fc.boolean(),
      fc.constant(null)
    )
    const shortKey = fc.oneof(trickyKey, fc.string({ unit: 'binary', maxLength: 8 }))
    const { shortValue } = fc.letrec((tie) => ({
      shortValue: fc.oneof(
        { depthSize: 'small', maxDepth: 5 },
        { weight: 5, arbitrary: shortScalar },
        { weight: 2, arbitrary: fc.array(tie('shortValue'), { maxLength: 6 }) },
        { weight: 2, arbitrary: fc.dictionary(shortKey, tie('shortValue'), { maxKeys: 6 }) },
        { weight: 1, arbitrary: fc.array(fc.dictionary(shortKey, tie('shortValue'), { maxKeys: 4 }), { maxLength: 4 }) }
      )
    }))
    fc.assert(
      fc.property(fc.dictionary(shortKey, shortValue, { maxKeys: 12 }), (data) => {
        const result = transformProperties(data)
        // Only nulls, empties and non-finite numbers may be dropped here; every other value arrives.
        for (const d of result.dropped) expect(['null', 'empty', 'non-finite']).toContain(d.reason)
        expect(scalarTexts(result.properties).sort()).toEqual(scalarTexts(data).sort())
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('declares exactly what inference would get wrong, and declares it the same way again', () => {
    fc.assert(
      fc.property(input, (data) => {
        const result = transformProperties(data)
        for (const { path, value: v } of outputLeaves(result.properties)) {
          // A name ending like a v1 suffix may keep a whole number real (`_real`) or a date a string (`_str`).
          const hint = SUFFIX_HINT.exec(path)?.[1]
          const expected: FullStoryType | undefined = Array.isArray(v)
            ? declaredType(result.schema, path) // checked by sendabilityViolations; arrays are always declared
            : Number.isSafeInteger(v) && hint !== 'real'
              ? 'int'
              : typeof v === 'string' && isIsoDate(v) && hint !== 'str'
                ? 'date'
                : undefined
          expect({ path, type: declaredType(result.schema, path) }).toEqual({ path, type: expected })
        }
        expect(transformProperties(result.properties).schema).toEqual(result.schema)
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('normalizePropertyName (property-based)', () => {
  const anyName = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
    trickyKey
  )

  it('keeps a legal name exactly, makes any other legal, and is idempotent, in both styles', () => {
    fc.assert(
      fc.property(anyName, fc.constantFrom('replace' as const, 'remove' as const), (raw, style) => {
        const name = normalizePropertyName(raw, style)
        expect(name).toMatch(LEGAL_SEGMENT)
        if (LEGAL_SEGMENT.test(raw)) expect(name).toBe(raw)
        else if (style === 'replace') expect(name).toMatch(CANONICAL_SEGMENT)
        expect(normalizePropertyName(name, style)).toBe(name)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("'remove' deletes only characters FullStory does not allow, prefixing a name that would not start with a letter", () => {
    fc.assert(
      fc.property(anyName, (raw) => {
        const kept = raw.replace(/[^A-Za-z0-9_]/g, '')
        const name = normalizePropertyName(raw, 'remove')
        if (kept === '') expect(name).toBe('unnamed')
        else expect(name).toBe(/^[A-Za-z]/.test(kept) ? kept : `p_${kept}`)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('never deletes a letter or digit: other characters become separators', () => {
    fc.assert(
      fc.property(anyName, (raw) => {
        const alphanumerics = raw.replace(/[^A-Za-z0-9]/g, '')
        const name = normalizePropertyName(raw)
        if (alphanumerics === '') expect(name).toBe('unnamed')
        else if (/^[A-Za-z]/.test(alphanumerics)) expect(name.replace(/_/g, '')).toBe(alphanumerics)
        else expect(name.replace(/_/g, '')).toBe(`p${alphanumerics}`)
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

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

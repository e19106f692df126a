import fc from 'fast-check'
import {
  DroppedProperty,
  FullStoryType,
  MAX_PATH_LENGTH,
  MAX_VALUE_BYTES,
  TransformResult,
  isIsoDate,
  transformProperties
} from '../src/destinations/fullstory-cloud/properties'
import { input, isoDate, LEGAL_SEGMENT, number, NUM_RUNS, options, trickyKey } from './__helpers__/property-arbitraries'

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

/**
 * FullStory v2 property rules (DESIGN.md section 4, fullstory-api.md section 8).
 *
 * `transformProperties` turns Segment traits or event properties into a FullStory `properties`
 * object plus the `schema.properties` declarations inference would otherwise get wrong.
 * It is a single pass over the input: output objects are built as the input is read, nothing is
 * cloned or JSON round-tripped, and the input is never mutated. Only an over-limit payload
 * (more than `maxProperties` leaves) takes a second pass, over the output.
 *
 * The rules, with examples, are in docs/property-rules.md. Each rule that removes a value records
 * it in `dropped`, so callers can log what did not reach FullStory.
 */

export type FullStoryType = 'str' | 'strs' | 'int' | 'ints' | 'real' | 'reals' | 'bool' | 'bools' | 'date' | 'dates'

/**
 * Why a value did not reach FullStory. `truncated` is informational: the value was sent, shortened.
 */
export type DropReason =
  | 'null' // null or undefined (also inside arrays)
  | 'empty' // an object or array that was empty in the input
  | 'excluded' // a top-level key named in `options.exclude`
  | 'limit' // beyond `maxProperties` leaves
  | 'path-too-long' // the dotted path would be 512 characters or more
  | 'non-finite' // NaN, Infinity, -Infinity, an invalid Date
  | 'array-too-large' // trailing array elements beyond 8192 JSON bytes
  | 'truncated' // a string cut to fit 8192 bytes (value kept)
  | 'too-deep' // arrays nested more than MAX_ARRAY_NESTING deep (or a cyclic array)
  | 'unsupported' // functions and symbols (only reachable from JS callers)
  | 'circular' // a reference to an enclosing object or array (only reachable from JS callers)

export interface TransformOptions {
  /** Users: 500. Events: undefined = no count limit. Counted as leaf paths (an array is one leaf). */
  maxProperties?: number
  /** Original top-level keys to leave out (e.g. 'email', 'name' already sent as top-level fields). */
  exclude?: string[]
  /** A list to append what the rules remove to (returned as `dropped`), so a caller can gather several sources. */
  dropped?: DroppedProperty[]
}

export interface DroppedProperty {
  /** Dotted output path the value would have had (the original key for `excluded`). */
  path: string
  reason: DropReason
  /** How many input leaf values this entry stands for, when more than one (array elements, subtrees). */
  count?: number
}

export interface TransformResult {
  /** JSON-safe, every name legal for FullStory. */
  properties: Record<string, unknown>
  /** Keyed by dotted path, e.g. 'address.zip': 'int'; {} when nothing to declare. */
  schema: Record<string, FullStoryType>
  /** What a documented rule removed (and, with reason 'truncated', what it shortened). */
  dropped: DroppedProperty[]
}

export const MAX_USER_PROPERTIES = 500
export const MAX_VALUE_BYTES = 8192
/** The dotted path must be UNDER 512 characters. */
export const MAX_PATH_LENGTH = 511

/** Prefix for a name that would not start with a letter: `2fa` → `p_2fa`. */
export const NAME_PREFIX = 'p_'
/** Name for a key with no usable character at all: `''`, `'---'`, `'名前'`. */
export const FALLBACK_NAME = 'unnamed'
/** Key holding the scalars of an array that mixes scalars and objects: `[1, {a: 2}]` → `{a: [2], values: [1]}`. */
export const MIXED_SCALARS_NAME = 'values'
/** Arrays nested deeper than this are dropped ('too-deep'). Bounds recursion on hostile or cyclic input. */
export const MAX_ARRAY_NESTING = 64

// Runs of characters that are not letters or digits (underscores included, so runs of `_` collapse too).
const NON_ALPHANUMERIC_RUN = /[^A-Za-z0-9]+/g
const EDGE_UNDERSCORE = /^_|_$/g
const STARTS_WITH_LETTER = /^[A-Za-z]/
// FullStory v1 type suffixes. Lowercase only, as v1 defined them.
const LEGACY_SUFFIX = /_(?:str|int|real|bool|date)s?$/

// Strict ISO-8601 profile (RFC 3339): a calendar date, or a full date-time with seconds and `Z` or `±HH:MM`.
const ISO_DATE = /^(\d{4})-(\d{2})-(\d{2})(?:T(\d{2}):(\d{2}):(\d{2})(?:\.\d{1,9})?(?:Z|[+-](\d{2}):(\d{2})))?$/
const MIN_DATE_LENGTH = 10 // 2024-01-31
const MAX_DATE_LENGTH = 35 // 2024-01-31T23:59:59.123456789+01:00

// A JSON number is at most 25 characters (`-0.0000012345678901234567`); used for a cheap size bound.
const MAX_NUMBER_JSON_BYTES = 25

// Scalar kinds seen in an array, as bit flags.
const KIND_STRING = 1
const KIND_NUMBER = 2
const KIND_BOOLEAN = 4

/** Marks the bucket of scalars in a transposed array of objects; never collides with a real key. */
const MIXED_SCALARS = Symbol('mixed scalars')
type EntryKey = string | typeof MIXED_SCALARS
/** Where transformEntries reads each key's value: an input object, or the buckets of a transposed array. */
type EntrySource = { [key: string]: unknown; [MIXED_SCALARS]?: unknown }

type Scalar = string | number | boolean

interface Context {
  schema: Record<string, FullStoryType>
  dropped: DroppedProperty[]
  leafCount: number
  /** Objects and arrays being transformed, to stop on cycles (JSON has none; JS callers might). */
  ancestors: Set<object>
}

interface ParsedName {
  name: string
  /** Type declared by a legacy v1 suffix (the outermost one), if any. */
  declared?: FullStoryType
}

// ---------------------------------------------------------------------------------------------
// Public API
// ---------------------------------------------------------------------------------------------

/**
 * Applies FullStory's v2 property rules to traits or event properties. Pure and deterministic:
 * names, values and declarations do not depend on the input's key order (output keys keep the
 * input's order), and transforming `properties` again gives the same `properties`.
 */
export function transformProperties(
  input: Record<string, unknown> | undefined,
  options: TransformOptions = {}
): TransformResult {
  const ctx: Context = { schema: {}, dropped: options.dropped ?? [], leafCount: 0, ancestors: new Set() }
  if (input === null || typeof input !== 'object') return { properties: {}, schema: ctx.schema, dropped: ctx.dropped }

  let keys = Object.keys(input)
  const exclude = options.exclude
  if (exclude !== undefined && exclude.length > 0) {
    keys = keys.filter((key) => {
      if (!exclude.includes(key)) return true
      drop(ctx, key, 'excluded', countLeaves(input[key]))
      return false
    })
  }

  ctx.ancestors.add(input)
  const properties = transformEntries(keys, input, '', ctx) ?? {}

  const max = options.maxProperties
  if (max !== undefined && ctx.leafCount > max) enforceLeafLimit(properties, ctx, Math.max(0, Math.floor(max)))

  return { properties, schema: ctx.schema, dropped: ctx.dropped }
}

/** Puts a transform's output on a request body, leaving out `properties` and `schema` when they are empty. */
export function attachProperties(
  body: { properties?: Record<string, unknown>; schema?: { properties: Record<string, FullStoryType> } },
  properties: Record<string, unknown>,
  schema: Record<string, FullStoryType>
): void {
  if (hasOwnKeys(properties)) body.properties = properties
  if (hasOwnKeys(schema)) body.schema = { properties: schema }
}

/**
 * The per-segment name rule alone (no collision handling): illegal characters become `_`, runs of
 * `_` collapse, edge `_` are trimmed, legacy type suffixes are removed, and a name that does not
 * start with a letter gets NAME_PREFIX (an empty one becomes FALLBACK_NAME). Idempotent.
 */
export function normalizePropertyName(name: string): string {
  return parseName(name).name
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

/** The longest prefix of `value` that fits `maxBytes` of UTF-8, never splitting a character. */
export function truncateUtf8(value: string, maxBytes: number = MAX_VALUE_BYTES): string {
  // Every UTF-16 code unit encodes to at most 3 UTF-8 bytes, so short strings need no measuring.
  if (value.length * 3 <= maxBytes || Buffer.byteLength(value, 'utf8') <= maxBytes) return value
  return value.slice(0, fittingPrefixLength(value, maxBytes, false))
}

/**
 * Moves the top-level property `from` of a transform's output to the name `to`, with its schema declarations,
 * so they keep describing the same values. Leaves whose dotted path would no longer be under 512 characters
 * are left out, as the path rule leaves them out anywhere else.
 */
export function renameProperty(
  properties: Record<string, unknown>,
  schema: Record<string, FullStoryType>,
  from: string,
  to: string
): void {
  const value = properties[from]
  delete properties[from]
  for (const path of Object.keys(schema)) {
    if (path !== from && !path.startsWith(`${from}.`)) continue
    const moved = to + path.slice(from.length)
    if (moved.length <= MAX_PATH_LENGTH) schema[moved] = schema[path]
    delete schema[path]
  }
  const kept = withinPathLimit(value, to)
  if (kept !== undefined) properties[to] = kept
}

function withinPathLimit(value: unknown, path: string): unknown {
  if (!isOutputObject(value)) return path.length <= MAX_PATH_LENGTH ? value : undefined
  let out: Record<string, unknown> | undefined
  for (const name of Object.keys(value)) {
    const kept = withinPathLimit(value[name], `${path}.${name}`)
    if (kept !== undefined) (out ??= {})[name] = kept
  }
  return out
}

// ---------------------------------------------------------------------------------------------
// Names
// ---------------------------------------------------------------------------------------------

/**
 * Whether the name rule leaves `raw` unchanged: a letter first, then letters, digits and single `_`
 * between them, and no legacy suffix. Most keys pass, so this hand-written scan saves the rewrite.
 */
function isFinalName(raw: string): boolean {
  const length = raw.length
  if (length === 0 || !isLetter(raw.charCodeAt(0))) return false
  let lastUnderscore = -1
  for (let i = 1; i < length; i++) {
    const unit = raw.charCodeAt(i)
    if (unit === 0x5f) {
      if (lastUnderscore === i - 1) return false // `__`
      lastUnderscore = i
    } else if (!isLetter(unit) && (unit < 0x30 || unit > 0x39)) {
      return false
    }
  }
  if (lastUnderscore === -1) return true
  const tail = length - lastUnderscore - 1
  if (tail === 0) return false
  return tail < 3 || tail > 5 || !LEGACY_SUFFIX.test(raw) // suffixes are 3 to 5 letters
}

function isLetter(unit: number): boolean {
  return (unit >= 0x41 && unit <= 0x5a) || (unit >= 0x61 && unit <= 0x7a)
}

function parseName(raw: string): ParsedName {
  if (isFinalName(raw)) return { name: raw }
  let parsed = parsedNames.get(raw)
  if (parsed === undefined) {
    parsed = rewriteName(raw)
    if (raw.length <= MAX_CACHED_NAME_LENGTH) {
      if (parsedNames.size >= MAX_CACHED_NAMES) parsedNames.clear()
      parsedNames.set(raw, parsed)
    }
  }
  return parsed
}

// The same names come back event after event, and the rule is pure: rewritten names are remembered (bounded).
const parsedNames = new Map<string, ParsedName>()
const MAX_CACHED_NAMES = 2048
const MAX_CACHED_NAME_LENGTH = 256

function rewriteName(raw: string): ParsedName {
  let name = raw.replace(NON_ALPHANUMERIC_RUN, '_').replace(EDGE_UNDERSCORE, '')
  let declared: FullStoryType | undefined
  // Strip repeatedly (`a_str_int` → `a`) so the result never ends in a suffix: that keeps the rule idempotent.
  // A suffix always follows at least one alphanumeric character, so stripping never empties the name.
  let match: RegExpExecArray | null
  while ((match = LEGACY_SUFFIX.exec(name)) !== null) {
    declared ??= match[0].slice(1) as FullStoryType // the outermost suffix is the v1 declaration
    name = name.slice(0, match.index)
  }

  if (name === '') name = FALLBACK_NAME
  else if (!STARTS_WITH_LETTER.test(name)) name = NAME_PREFIX + name
  return { name, declared }
}

/**
 * Gives every key of one object a distinct name. A key already equal to its normalized name keeps
 * it; each other normalized name goes bare to the key that sorts first; the rest get `_2`, `_3`, ...
 * skipping taken names. Sorting makes the outcome independent of the input's key order.
 */
function assignNames(keys: EntryKey[], bases: string[]): string[] {
  if (!hasCollision(keys, bases)) return bases // the common case

  const names = new Array<string>(keys.length)
  const taken = new Set<string>()
  const pending: number[] = []
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === bases[i]) {
      names[i] = bases[i]
      taken.add(bases[i])
    } else {
      pending.push(i)
    }
  }
  pending.sort((a, b) => compareBaseThenKey(bases[a], keys[a], bases[b], keys[b]))

  for (const i of pending) {
    if (!taken.has(bases[i])) {
      names[i] = bases[i]
      taken.add(bases[i])
    }
  }
  for (const i of pending) {
    if (names[i] !== undefined) continue
    let n = 2
    while (taken.has(`${bases[i]}_${n}`)) n++
    names[i] = `${bases[i]}_${n}`
    taken.add(names[i])
  }
  return names
}

/**
 * Distinct keys that the name rule left unchanged cannot collide with each other, so only the
 * renamed ones need checking (against all the others).
 */
function hasCollision(keys: EntryKey[], bases: string[]): boolean {
  let renamed = 0
  for (let i = 0; i < keys.length; i++) if (keys[i] !== bases[i]) renamed++
  if (renamed * bases.length > 256) return new Set(bases).size !== bases.length
  for (let i = 0; i < keys.length; i++) {
    if (keys[i] === bases[i]) continue
    for (let j = 0; j < bases.length; j++) if (j !== i && bases[j] === bases[i]) return true
  }
  return false
}

function compareBaseThenKey(baseA: string, keyA: EntryKey, baseB: string, keyB: EntryKey): number {
  if (baseA !== baseB) return baseA < baseB ? -1 : 1
  if (keyA === keyB) return 0
  // The bucket of mixed scalars yields to real keys.
  if (typeof keyA !== 'string') return 1
  if (typeof keyB !== 'string') return -1
  return keyA < keyB ? -1 : keyA > keyB ? 1 : 0
}

// ---------------------------------------------------------------------------------------------
// Values
// ---------------------------------------------------------------------------------------------

/**
 * Transforms the entries of one object (a real one, or the transposition of an array of objects).
 * Returns undefined when nothing survives, so emptied objects disappear.
 */
function transformEntries(
  keys: EntryKey[],
  source: EntrySource,
  path: string,
  ctx: Context
): Record<string, unknown> | undefined {
  // A child path is at least `path` + '.' + one character: past this length none can fit.
  if (path.length > MAX_PATH_LENGTH - 2) {
    let count = 0
    for (const key of keys) count += countLeaves(source[key])
    drop(ctx, path, 'path-too-long', count)
    return undefined
  }

  // Most keys are already legal names: the array of rewritten names is only made once one is not.
  let bases: string[] | undefined
  let declared: (FullStoryType | undefined)[] | undefined // only legacy suffixes declare anything
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
    if (typeof key === 'string' && isFinalName(key)) {
      if (bases !== undefined) bases[i] = key
      continue
    }
    bases ??= keys.slice(0, i) as string[]
    if (typeof key !== 'string') {
      bases[i] = MIXED_SCALARS_NAME
      continue
    }
    const parsed = parseName(key)
    bases[i] = parsed.name
    if (parsed.declared !== undefined) (declared ??= new Array(keys.length))[i] = parsed.declared
  }
  const names = bases === undefined ? (keys as string[]) : assignNames(keys, bases)

  let out: Record<string, unknown> | undefined
  for (let i = 0; i < keys.length; i++) {
    const name = names[i]
    const value = transformValue(source[keys[i]], declared?.[i], path === '' ? name : `${path}.${name}`, ctx)
    if (value !== undefined) (out ??= {})[name] = value
  }
  return out
}

function transformValue(value: unknown, declared: FullStoryType | undefined, path: string, ctx: Context): unknown {
  switch (typeof value) {
    case 'string':
      return emitString(value, declared, path, ctx)
    case 'number':
      return emitNumber(value, declared, path, ctx)
    case 'boolean':
      return emitLeaf(value, undefined, path, ctx)
    case 'bigint':
      return transformValue(bigintToJson(value), declared, path, ctx)
    case 'undefined':
      drop(ctx, path, 'null')
      return undefined
    case 'object':
      if (value === null) {
        drop(ctx, path, 'null')
        return undefined
      }
      if (Array.isArray(value)) return transformArray(value, declared, path, ctx)
      if (value instanceof Date) return transformValue(dateToJson(value), declared, path, ctx)
      return transformObject(value as Record<string, unknown>, path, ctx)
    default:
      drop(ctx, path, 'unsupported')
      return undefined
  }
}

function transformObject(obj: Record<string, unknown>, path: string, ctx: Context): unknown {
  const keys = Object.keys(obj)
  if (keys.length === 0) {
    drop(ctx, path, 'empty')
    return undefined
  }
  if (ctx.ancestors.has(obj)) {
    drop(ctx, path, 'circular')
    return undefined
  }
  ctx.ancestors.add(obj)
  const out = transformEntries(keys, obj, path, ctx)
  ctx.ancestors.delete(obj)
  return out
}

/** Records one leaf of the output (a scalar or a whole array) and its schema declaration. */
function emitLeaf(value: unknown, type: FullStoryType | undefined, path: string, ctx: Context): unknown {
  if (path.length > MAX_PATH_LENGTH) {
    drop(ctx, path, 'path-too-long', Array.isArray(value) ? value.length : 1)
    return undefined
  }
  ctx.leafCount++
  if (type !== undefined) ctx.schema[path] = type
  return value
}

function emitString(value: string, declared: FullStoryType | undefined, path: string, ctx: Context): unknown {
  if (path.length > MAX_PATH_LENGTH) return emitLeaf(value, undefined, path, ctx)
  const cut = truncateUtf8(value)
  if (cut !== value) drop(ctx, path, 'truncated')
  // Plain strings are inferred as `str`; only dates need declaring, unless `_str` asked for a string.
  return emitLeaf(cut, declared !== 'str' && isIsoDate(cut) ? 'date' : undefined, path, ctx)
}

function emitNumber(value: number, declared: FullStoryType | undefined, path: string, ctx: Context): unknown {
  if (!Number.isFinite(value)) {
    drop(ctx, path, 'non-finite')
    return undefined
  }
  // Every JSON number is inferred `real`: whole numbers need `int`, unless `_real` asked for a real.
  // Whole numbers beyond 2^53 are not exact in JSON, so they stay `real`.
  return emitLeaf(value, declared !== 'real' && Number.isSafeInteger(value) ? 'int' : undefined, path, ctx)
}

// ---------------------------------------------------------------------------------------------
// Arrays
// ---------------------------------------------------------------------------------------------

/** What one walk over a (possibly nested) array found. */
interface ArrayContents {
  scalars: Scalar[]
  kinds: number
  objects: Record<string, unknown>[]
  objectKeys: string[][]
  nulls: number
  nonFinite: number
  empty: number
  tooDeep: number
  unsupported: number
  circular: number
}

function transformArray(array: unknown[], declared: FullStoryType | undefined, path: string, ctx: Context): unknown {
  if (path.length > MAX_PATH_LENGTH) {
    drop(ctx, path, 'path-too-long', countLeaves(array))
    return undefined
  }
  if (array.length === 0) {
    drop(ctx, path, 'empty')
    return undefined
  }
  const flatKinds = flatScalarKinds(array)
  if (flatKinds !== 0) return emitScalarArray(array.slice() as Scalar[], flatKinds, pluralOf(declared), path, ctx)
  if (ctx.ancestors.has(array)) {
    drop(ctx, path, 'circular')
    return undefined
  }

  const contents: ArrayContents = {
    scalars: [],
    kinds: 0,
    objects: [],
    objectKeys: [],
    nulls: 0,
    nonFinite: 0,
    empty: 0,
    tooDeep: 0,
    unsupported: 0,
    circular: 0
  }
  ctx.ancestors.add(array)
  collectElements(array, contents, 0, ctx.ancestors)
  ctx.ancestors.delete(array)
  recordArrayDrops(contents, path, ctx)

  if (contents.objects.length > 0) return transposeObjects(contents, path, ctx)
  if (contents.scalars.length === 0) return undefined
  return emitScalarArray(contents.scalars, contents.kinds, pluralOf(declared), path, ctx)
}

/** Kinds in an array of only strings, finite numbers and booleans (the common case); 0 for any other array. */
function flatScalarKinds(array: unknown[]): number {
  let kinds = 0
  for (const element of array) {
    if (typeof element === 'string') kinds |= KIND_STRING
    else if (typeof element === 'boolean') kinds |= KIND_BOOLEAN
    else if (typeof element === 'number' && Number.isFinite(element)) kinds |= KIND_NUMBER
    else return 0
  }
  return kinds
}

/** Flattens nested arrays, separating scalars from objects and counting what gets dropped. */
function collectElements(array: unknown[], contents: ArrayContents, nesting: number, ancestors: Set<object>): void {
  for (const element of array) {
    switch (typeof element) {
      case 'string':
        contents.scalars.push(element)
        contents.kinds |= KIND_STRING
        break
      case 'number':
        if (Number.isFinite(element)) {
          contents.scalars.push(element)
          contents.kinds |= KIND_NUMBER
        } else {
          contents.nonFinite++
        }
        break
      case 'boolean':
        contents.scalars.push(element)
        contents.kinds |= KIND_BOOLEAN
        break
      case 'bigint':
        collectElements([bigintToJson(element)], contents, nesting, ancestors)
        break
      case 'undefined':
        contents.nulls++
        break
      case 'object':
        if (element === null) {
          contents.nulls++
        } else if (ancestors.has(element)) {
          contents.circular++
        } else if (Array.isArray(element)) {
          if (element.length === 0) {
            contents.empty++
          } else if (nesting >= MAX_ARRAY_NESTING) {
            contents.tooDeep += countLeaves(element)
          } else {
            ancestors.add(element)
            collectElements(element, contents, nesting + 1, ancestors)
            ancestors.delete(element)
          }
        } else if (element instanceof Date) {
          collectElements([dateToJson(element)], contents, nesting, ancestors)
        } else {
          const keys = Object.keys(element)
          if (keys.length === 0) {
            contents.empty++
          } else {
            contents.objects.push(element as Record<string, unknown>)
            contents.objectKeys.push(keys)
          }
        }
        break
      default:
        contents.unsupported++
    }
  }
}

function recordArrayDrops(contents: ArrayContents, path: string, ctx: Context): void {
  if (contents.nulls > 0) drop(ctx, path, 'null', contents.nulls)
  if (contents.nonFinite > 0) drop(ctx, path, 'non-finite', contents.nonFinite)
  if (contents.empty > 0) drop(ctx, path, 'empty', contents.empty)
  if (contents.tooDeep > 0) drop(ctx, path, 'too-deep', contents.tooDeep)
  if (contents.unsupported > 0) drop(ctx, path, 'unsupported', contents.unsupported)
  if (contents.circular > 0) drop(ctx, path, 'circular', contents.circular)
}

/**
 * FullStory does not index arrays of objects, so `[{sku:'a'}, {sku:'b'}]` becomes `{sku: ['a','b']}`:
 * one bucket per key, values in element order, then transformed like any object whose values are
 * arrays (nested objects recurse, nested arrays flatten). Scalars found beside the objects go to a
 * MIXED_SCALARS_NAME bucket.
 */
function transposeObjects(contents: ArrayContents, path: string, ctx: Context): unknown {
  // No prototype, so a key like `__proto__` is a bucket like any other.
  const buckets = Object.create(null) as { [key: string]: unknown[] | undefined; [MIXED_SCALARS]?: unknown[] }
  const keys: EntryKey[] = []
  for (let i = 0; i < contents.objects.length; i++) {
    const object = contents.objects[i]
    for (const key of contents.objectKeys[i]) {
      const bucket = buckets[key]
      if (bucket === undefined) {
        buckets[key] = [object[key]]
        keys.push(key)
      } else {
        bucket.push(object[key])
      }
    }
  }
  if (contents.scalars.length > 0) {
    keys.push(MIXED_SCALARS)
    buckets[MIXED_SCALARS] = contents.scalars
  }
  // The element objects are the parents of the bucket values: a value pointing back at one is a cycle.
  const added: object[] = []
  for (const object of contents.objects) {
    if (ctx.ancestors.has(object)) continue // the same object twice in one array: not a cycle
    ctx.ancestors.add(object)
    added.push(object)
  }
  const out = transformEntries(keys, buckets, path, ctx)
  for (const object of added) ctx.ancestors.delete(object)
  return out
}

function emitScalarArray(
  scalars: Scalar[],
  kinds: number,
  declared: FullStoryType | undefined,
  path: string,
  ctx: Context
): unknown {
  let elements = scalars
  let kind = kinds
  if (kinds !== KIND_STRING && kinds !== KIND_NUMBER && kinds !== KIND_BOOLEAN) {
    // FullStory arrays hold one type: mixed scalars become strings so every value stays searchable.
    elements = scalars.map(String)
    kind = KIND_STRING
  }
  elements = capArrayBytes(elements, path, ctx)
  // Arrays are always declared: FullStory's inference of array element types is not documented.
  return emitLeaf(elements, arrayType(elements, kind, declared), path, ctx)
}

function arrayType(elements: Scalar[], kind: number, declared: FullStoryType | undefined): FullStoryType {
  if (kind === KIND_BOOLEAN) return 'bools'
  if (kind === KIND_NUMBER) {
    return declared !== 'reals' && elements.every((n) => Number.isSafeInteger(n)) ? 'ints' : 'reals'
  }
  return declared !== 'strs' && elements.every((s) => isIsoDate(s as string)) ? 'dates' : 'strs'
}

/**
 * Keeps the array within MAX_VALUE_BYTES as JSON: elements are kept in order while they fit and the
 * rest are dropped ('array-too-large'). A first element too large on its own is cut (it can only be a
 * string), so the limit never empties an array.
 */
function capArrayBytes(elements: Scalar[], path: string, ctx: Context): Scalar[] {
  let bound = 2 // brackets
  for (const element of elements) {
    bound += (typeof element === 'string' ? element.length * 6 + 2 : MAX_NUMBER_JSON_BYTES) + 1
  }
  if (bound <= MAX_VALUE_BYTES) return elements // cheap upper bound: the common case stops here

  let used = 2
  for (let i = 0; i < elements.length; i++) {
    const cost = jsonBytes(elements[i]) + (i > 0 ? 1 : 0)
    if (used + cost <= MAX_VALUE_BYTES) {
      used += cost
      continue
    }
    let kept = elements.slice(0, i)
    if (i === 0) {
      const first = elements[0] as string
      kept = [first.slice(0, fittingPrefixLength(first, MAX_VALUE_BYTES - 4, true))] // 4 = brackets and quotes
      drop(ctx, path, 'truncated')
    }
    if (elements.length > kept.length) drop(ctx, path, 'array-too-large', elements.length - kept.length)
    return kept
  }
  return elements
}

// ---------------------------------------------------------------------------------------------
// Count limit
// ---------------------------------------------------------------------------------------------

interface OutputLeaf {
  path: string
  parent: Record<string, unknown>
  name: string
}

/** Keeps the first `max` leaves in sorted path order and drops the rest ('limit'). */
function enforceLeafLimit(properties: Record<string, unknown>, ctx: Context, max: number): void {
  const leaves: OutputLeaf[] = []
  collectOutputLeaves(properties, '', leaves)
  leaves.sort((a, b) => (a.path < b.path ? -1 : 1)) // paths are unique
  for (let i = max; i < leaves.length; i++) {
    const { path, parent, name } = leaves[i]
    const value = parent[name]
    delete parent[name]
    delete ctx.schema[path]
    drop(ctx, path, 'limit', Array.isArray(value) ? value.length : 1)
  }
  removeEmptyObjects(properties)
}

function collectOutputLeaves(object: Record<string, unknown>, prefix: string, leaves: OutputLeaf[]): void {
  for (const name of Object.keys(object)) {
    const value = object[name]
    const path = prefix === '' ? name : `${prefix}.${name}`
    if (isOutputObject(value)) collectOutputLeaves(value, path, leaves)
    else leaves.push({ path, parent: object, name })
  }
}

/** Removes objects left empty by the count limit; returns whether `object` itself is now empty. */
function removeEmptyObjects(object: Record<string, unknown>): boolean {
  for (const name of Object.keys(object)) {
    const value = object[name]
    if (isOutputObject(value) && removeEmptyObjects(value)) delete object[name]
  }
  return Object.keys(object).length === 0
}

// Unlike Object.keys(...).length, allocates nothing: this runs for every request body.
function hasOwnKeys(object: object): boolean {
  for (const key in object) if (Object.prototype.hasOwnProperty.call(object, key)) return true
  return false
}

function isOutputObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function drop(ctx: Context, path: string, reason: DropReason, count = 1): void {
  ctx.dropped.push(count === 1 ? { path, reason } : { path, reason, count })
}

/**
 * Input leaves under a value: each scalar (null included) and each empty object or array counts one.
 * Used to account for whole subtrees dropped at once. Only reached on rare paths, so the cycle
 * guard (JS callers only; JSON has no cycles) costs nothing in the common case.
 */
function countLeaves(value: unknown, ancestors?: Set<object>): number {
  if (value === null || typeof value !== 'object' || value instanceof Date) return 1
  const children: unknown[] = Array.isArray(value) ? value : Object.values(value)
  if (children.length === 0 || ancestors?.has(value)) return 1
  ancestors ??= new Set()
  ancestors.add(value)
  let count = 0
  for (const child of children) count += countLeaves(child, ancestors)
  ancestors.delete(value)
  return count
}

function pluralOf(type: FullStoryType | undefined): FullStoryType | undefined {
  // A singular suffix on an array applies to its elements (`codes_str: [...]` declares `strs`).
  return type === undefined || type.endsWith('s') ? type : ((type + 's') as FullStoryType)
}

/** BigInt is not JSON: exact integers become numbers, larger ones decimal strings. */
function bigintToJson(value: bigint): number | string {
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : value.toString()
}

/** A Date becomes its ISO string; an invalid Date becomes NaN, which the number rule drops. */
function dateToJson(value: Date): string | number {
  return Number.isNaN(value.getTime()) ? NaN : value.toISOString()
}

function daysInMonth(year: number, month: number): number {
  if (month === 2) return year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0) ? 29 : 28
  return month === 4 || month === 6 || month === 9 || month === 11 ? 30 : 31
}

/** Bytes one JSON array element takes. */
function jsonBytes(value: Scalar): number {
  if (typeof value === 'string') return encodedLength(value, true) + 2
  return typeof value === 'number' ? String(value).length : value ? 4 : 5
}

/** Bytes of `value` in UTF-8, or (json) inside a JSON string literal, quotes excluded. */
function encodedLength(value: string, json: boolean): number {
  let bytes = 0
  for (let i = 0; i < value.length; i++) {
    const unit = value.charCodeAt(i)
    if (isSurrogatePair(value, i)) {
      bytes += 4
      i++
    } else {
      bytes += unitBytes(unit, json)
    }
  }
  return bytes
}

/** Length of the longest prefix of `value` that encodes within `budget` bytes, never splitting a pair. */
function fittingPrefixLength(value: string, budget: number, json: boolean): number {
  let bytes = 0
  for (let i = 0; i < value.length; i++) {
    const pair = isSurrogatePair(value, i)
    bytes += pair ? 4 : unitBytes(value.charCodeAt(i), json)
    if (bytes > budget) return i
    if (pair) i++
  }
  return value.length
}

function isSurrogatePair(value: string, i: number): boolean {
  const unit = value.charCodeAt(i)
  if (unit < 0xd800 || unit > 0xdbff) return false
  const next = value.charCodeAt(i + 1)
  return next >= 0xdc00 && next <= 0xdfff
}

/** Bytes for one UTF-16 code unit that is not part of a surrogate pair. */
function unitBytes(unit: number, json: boolean): number {
  if (json) {
    if (unit === 0x22 || unit === 0x5c) return 2 // \" and \\
    if (unit < 0x20) return unit === 0x08 || unit === 0x09 || unit === 0x0a || unit === 0x0c || unit === 0x0d ? 2 : 6
    if (unit >= 0xd800 && unit <= 0xdfff) return 6 // JSON.stringify escapes a lone surrogate as \udXXX
  }
  if (unit < 0x80) return 1
  if (unit < 0x800) return 2
  return 3 // includes a lone surrogate, which UTF-8 encodes as U+FFFD
}

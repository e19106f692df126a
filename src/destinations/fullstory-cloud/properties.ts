/**
 * FullStory v2 property rules, applied to Segment traits or event properties.
 *
 * `transformProperties` turns them into a FullStory `properties` object plus the `schema.properties` declarations
 * inference would otherwise get wrong. It is a single pass over the input: output objects are built as the input
 * is read, nothing is cloned or JSON round-tripped, and the input is never mutated. Only an over-limit payload
 * (more than `maxProperties` leaves) takes a second pass, over the output.
 *
 * Names are in property-names.ts, declared types in property-types.ts, size limits in property-limits.ts. The rules,
 * with examples, are in docs/property-rules.md. Each rule that removes a value records it in `dropped`, so callers
 * can report what did not reach FullStory.
 */
import {
  assignNames,
  DEFAULT_PROPERTY_NAME_STYLE,
  EntryKey,
  isLegalName,
  legalName,
  MIXED_SCALARS,
  MIXED_SCALARS_NAME,
  PropertyNameStyle
} from './property-names'
import {
  arrayType,
  FullStoryType,
  KIND_BOOLEAN,
  KIND_NUMBER,
  KIND_STRING,
  numberType,
  Scalar,
  stringType,
  suffixHint
} from './property-types'
import {
  capArrayBytes,
  countLeaves,
  enforceLeafLimit,
  MAX_ARRAY_NESTING,
  MAX_PATH_LENGTH,
  recordDrop,
  truncateUtf8,
  withinPathLimit
} from './property-limits'

export type { FullStoryType } from './property-types'
export type { PropertyNameStyle } from './property-names'
export { isIsoDate } from './property-types'
export { FALLBACK_NAME, MIXED_SCALARS_NAME, NAME_PREFIX } from './property-names'
export {
  MAX_ARRAY_NESTING,
  MAX_PATH_LENGTH,
  MAX_USER_PROPERTIES,
  MAX_VALUE_BYTES,
  truncateUtf8
} from './property-limits'

/**
 * Why a value did not reach FullStory as sent. `truncated` is informational: the value was sent, shortened.
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
  | 'no-session-id' // a session URL that holds no FullStory session ID (the event went to the user instead)

export interface TransformOptions {
  /** Users: 500. Events: undefined = no count limit. Counted as leaf paths (an array is one leaf). */
  maxProperties?: number
  /** Original top-level keys to leave out (e.g. 'email', 'name' already sent as top-level fields). */
  exclude?: string[]
  /** A list to append what the rules remove to (returned as `dropped`), so a caller can gather several sources. */
  dropped?: DroppedProperty[]
  /** How names FullStory would refuse are rewritten; legal names are never changed. */
  names?: PropertyNameStyle
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

/** Where transformEntries reads each key's value: an input object, or the buckets of a transposed array. */
type EntrySource = { [key: string]: unknown; [MIXED_SCALARS]?: unknown }

interface Context {
  schema: Record<string, FullStoryType>
  dropped: DroppedProperty[]
  names: PropertyNameStyle
  leafCount: number
  /** Objects and arrays being transformed, to stop on cycles (JSON has none; JS callers might). */
  ancestors: Set<object>
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
  const ctx: Context = {
    schema: {},
    dropped: options.dropped ?? [],
    names: options.names ?? DEFAULT_PROPERTY_NAME_STYLE,
    leafCount: 0,
    ancestors: new Set()
  }
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
  if (max !== undefined && ctx.leafCount > max) {
    enforceLeafLimit(properties, ctx.schema, Math.max(0, Math.floor(max)), ctx.dropped)
  }

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
 * The name rule for one key alone (no collision handling): a legal name is kept exactly; any other is rewritten
 * in the given style and gets NAME_PREFIX when it would not start with a letter (FALLBACK_NAME when nothing is
 * left). Idempotent.
 */
export function normalizePropertyName(name: string, style?: PropertyNameStyle): string {
  return legalName(name, style)
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
  for (let i = 0; i < keys.length; i++) {
    const key = keys[i]
    if (typeof key === 'string' && isLegalName(key)) {
      if (bases !== undefined) bases[i] = key
      continue
    }
    bases ??= keys.slice(0, i) as string[]
    bases[i] = typeof key === 'string' ? legalName(key, ctx.names) : MIXED_SCALARS_NAME
  }
  const names = bases === undefined ? (keys as string[]) : assignNames(keys, bases)

  let out: Record<string, unknown> | undefined
  for (let i = 0; i < keys.length; i++) {
    const name = names[i]
    const value = transformValue(source[keys[i]], suffixHint(name), path === '' ? name : `${path}.${name}`, ctx)
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
  return emitLeaf(cut, stringType(cut, declared), path, ctx)
}

function emitNumber(value: number, declared: FullStoryType | undefined, path: string, ctx: Context): unknown {
  if (!Number.isFinite(value)) {
    drop(ctx, path, 'non-finite')
    return undefined
  }
  return emitLeaf(value, numberType(value, declared), path, ctx)
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
  if (flatKinds !== 0) return emitScalarArray(array.slice() as Scalar[], flatKinds, declared, path, ctx)
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
  return emitScalarArray(contents.scalars, contents.kinds, declared, path, ctx)
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
  elements = capArrayBytes(elements, path, ctx.dropped)
  // Arrays are always declared: FullStory's inference of array element types is not documented.
  return emitLeaf(elements, arrayType(elements, kind, declared), path, ctx)
}

// ---------------------------------------------------------------------------------------------
// Helpers
// ---------------------------------------------------------------------------------------------

function drop(ctx: Context, path: string, reason: DropReason, count = 1): void {
  recordDrop(ctx.dropped, path, reason, count)
}

// Unlike Object.keys(...).length, allocates nothing: this runs for every request body.
function hasOwnKeys(object: object): boolean {
  for (const key in object) if (Object.prototype.hasOwnProperty.call(object, key)) return true
  return false
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

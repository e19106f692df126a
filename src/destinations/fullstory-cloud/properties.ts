/**
 * FullStory v2 property rules, applied to Segment traits or event properties.
 *
 * `transformProperties` turns them into a FullStory `properties` object plus the `schema.properties` declarations
 * inference would otherwise get wrong. It is a single pass over the input: output objects are built as the input
 * is read, nothing is cloned or JSON round-tripped, and the input is never mutated. Only an over-limit payload
 * (more than `maxProperties` leaves) takes a second pass, over the output.
 *
 * Names are in property-names.ts, declared types in property-types.ts, size limits in property-limits.ts, arrays in
 * property-arrays.ts, what objects and arrays share in property-walk.ts, dotted paths in property-paths.ts. The rules,
 * with examples, are in docs/property-rules.md. Each rule that removes a value records it in `dropped`, so callers
 * can report what did not reach FullStory.
 */
import {
  assignNames,
  DEFAULT_PROPERTY_NAME_STYLE,
  EntryKey,
  isLegalName,
  legalName,
  MIXED_SCALARS_NAME,
  PropertyNameStyle
} from './property-names'
import { FullStoryType, numberType, stringType, suffixHint } from './property-types'
import { countLeaves, enforceLeafLimit, MAX_PATH_LENGTH, truncateUtf8, withinPathLimit } from './property-limits'
import type { DroppedProperty } from './dropped'
import { childPath } from './property-paths'
import { transformArray } from './property-arrays'
import { bigintToJson, dateToJson, drop, emitLeaf, entryValue } from './property-walk'
import type { Context, EntrySource } from './property-walk'

export type { FullStoryType } from './property-types'
export type { DroppedProperty, DropReason } from './dropped'
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

export interface TransformResult {
  /** JSON-safe, every name legal for FullStory. */
  properties: Record<string, unknown>
  /** Keyed by dotted path, e.g. 'address.zip': 'int'; {} when nothing to declare. */
  schema: Record<string, FullStoryType>
  /** What a documented rule removed (and, with reason 'truncated', what it shortened). */
  dropped: DroppedProperty[]
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
    ancestors: new Set(),
    entries: transformEntries
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
    for (let i = 0; i < keys.length; i++) count += countLeaves(entryValue(source, keys, i))
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
    const value = transformValue(entryValue(source, keys, i), suffixHint(name), childPath(path, name), ctx)
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

// Unlike Object.keys(...).length, allocates nothing: this runs for every request body.
function hasOwnKeys(object: object): boolean {
  for (const key in object) if (Object.prototype.hasOwnProperty.call(object, key)) return true
  return false
}

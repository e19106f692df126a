/**
 * The property rules for arrays: flat arrays of one type are kept, mixed scalars become strings, nested arrays
 * flatten, arrays of objects are transposed into an object of arrays, and an array's JSON is kept within the value
 * limit. Part of the walk in properties.ts (rules and examples: docs/property-rules.md).
 */
import { MIXED_SCALARS } from './property-names'
import type { EntryKey } from './property-names'
import { arrayType, KIND_BOOLEAN, KIND_NUMBER, KIND_STRING } from './property-types'
import type { FullStoryType, Scalar } from './property-types'
import { capArrayBytes, countLeaves, MAX_ARRAY_NESTING, MAX_PATH_LENGTH } from './property-limits'
import { bigintToJson, dateToJson, drop, emitLeaf } from './property-walk'
import type { Context } from './property-walk'

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

export function transformArray(
  array: unknown[],
  declared: FullStoryType | undefined,
  path: string,
  ctx: Context
): unknown {
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
  // Buckets by position, found through a Map: any key (`__proto__` too) is a bucket like any other, and no object
  // is built with keys that change from event to event.
  const positions = new Map<string, number>()
  const keys: EntryKey[] = []
  const buckets: unknown[][] = []
  for (let i = 0; i < contents.objects.length; i++) {
    const object = contents.objects[i]
    for (const key of contents.objectKeys[i]) {
      const at = positions.get(key)
      if (at === undefined) {
        positions.set(key, keys.length)
        keys.push(key)
        buckets.push([object[key]])
      } else {
        buckets[at].push(object[key])
      }
    }
  }
  if (contents.scalars.length > 0) {
    keys.push(MIXED_SCALARS)
    buckets.push(contents.scalars)
  }
  // The element objects are the parents of the bucket values: a value pointing back at one is a cycle.
  const added: object[] = []
  for (const object of contents.objects) {
    if (ctx.ancestors.has(object)) continue // the same object twice in one array: not a cycle
    ctx.ancestors.add(object)
    added.push(object)
  }
  const out = ctx.entries(keys, buckets, path, ctx)
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

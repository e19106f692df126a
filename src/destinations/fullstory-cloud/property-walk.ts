/**
 * What the walk of the property rules shares between objects (properties.ts) and arrays (property-arrays.ts): its
 * state, how a leaf is emitted with its schema declaration, and how a removal is recorded.
 */
import type { DroppedProperty, DropReason } from './dropped'
import type { EntryKey, PropertyNameStyle } from './property-names'
import type { FullStoryType } from './property-types'
import { MAX_PATH_LENGTH, recordDrop } from './property-limits'

/**
 * Where transformEntries reads each key's value: an input object (by key), or the buckets of a transposed array of
 * objects (by the key's position).
 */
export type EntrySource = Record<string, unknown> | unknown[][]

export interface Context {
  schema: Record<string, FullStoryType>
  dropped: DroppedProperty[]
  names: PropertyNameStyle
  leafCount: number
  /** Objects and arrays being transformed, to stop on cycles (JSON has none; JS callers might). */
  ancestors: Set<object>
  /** Transforms the entries of an object: given here so that arrays of objects recurse without a module cycle. */
  entries: (keys: EntryKey[], source: EntrySource, path: string, ctx: Context) => Record<string, unknown> | undefined
}

/** Records one leaf of the output (a scalar or a whole array) and its schema declaration. */
export function emitLeaf(value: unknown, type: FullStoryType | undefined, path: string, ctx: Context): unknown {
  if (path.length > MAX_PATH_LENGTH) {
    drop(ctx, path, 'path-too-long', Array.isArray(value) ? value.length : 1)
    return undefined
  }
  ctx.leafCount++
  if (type !== undefined) ctx.schema[path] = type
  return value
}

export function entryValue(source: EntrySource, keys: EntryKey[], i: number): unknown {
  return Array.isArray(source) ? source[i] : source[keys[i] as string]
}

export function drop(ctx: Context, path: string, reason: DropReason, count = 1): void {
  recordDrop(ctx.dropped, path, reason, count)
}

/** BigInt is not JSON: exact integers become numbers, larger ones decimal strings. */
export function bigintToJson(value: bigint): number | string {
  const n = Number(value)
  return Number.isSafeInteger(n) ? n : value.toString()
}

/** A Date becomes its ISO string; an invalid Date becomes NaN, which the number rule drops. */
export function dateToJson(value: Date): string | number {
  return Number.isNaN(value.getTime()) ? NaN : value.toISOString()
}

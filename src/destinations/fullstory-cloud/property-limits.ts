/**
 * FullStory's size limits on properties: values of at most 8192 bytes, dotted paths under 512 characters, at
 * most 500 user properties. Each function that cuts or leaves something out tells `drop` what and why.
 */
import type { DroppedProperty, DropReason } from './dropped'
import type { FullStoryType, Scalar } from './property-types'

export const MAX_USER_PROPERTIES = 500
export const MAX_VALUE_BYTES = 8192
/** The dotted path must be UNDER 512 characters. */
export const MAX_PATH_LENGTH = 511
/** Arrays nested deeper than this are dropped ('too-deep'). Bounds recursion on hostile or cyclic input. */
export const MAX_ARRAY_NESTING = 64

/** Records what a rule removed or cut, in the shape `dropped` lists hold (a count only when more than one). */
export function recordDrop(dropped: DroppedProperty[], path: string, reason: DropReason, count = 1): void {
  dropped.push(count === 1 ? { path, reason } : { path, reason, count })
}

// A JSON number is at most 25 characters (`-0.0000012345678901234567`); used for a cheap size bound.
const MAX_NUMBER_JSON_BYTES = 25

/** The longest prefix of `value` that fits `maxBytes` of UTF-8, never splitting a character. */
export function truncateUtf8(value: string, maxBytes: number = MAX_VALUE_BYTES): string {
  // Every UTF-16 code unit encodes to at most 3 UTF-8 bytes, so short strings need no measuring.
  if (value.length * 3 <= maxBytes || Buffer.byteLength(value, 'utf8') <= maxBytes) return value
  return value.slice(0, fittingPrefixLength(value, maxBytes, false))
}

/**
 * Keeps the array within MAX_VALUE_BYTES as JSON: elements are kept in order while they fit and the
 * rest are dropped ('array-too-large'). A first element too large on its own is cut (it can only be a
 * string), so the limit never empties an array.
 */
export function capArrayBytes(elements: Scalar[], path: string, dropped: DroppedProperty[]): Scalar[] {
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
      recordDrop(dropped, path, 'truncated')
    }
    if (elements.length > kept.length) recordDrop(dropped, path, 'array-too-large', elements.length - kept.length)
    return kept
  }
  return elements
}

/**
 * Input leaves under a value: each scalar (null included) and each empty object or array counts one. Used to
 * account for whole subtrees dropped at once, which may be nested arbitrarily deep: it walks with a stack of its
 * own, never the call stack, and counts a value met again on its current path (a cycle) once.
 */
export function countLeaves(root: unknown): number {
  if (root === null || typeof root !== 'object' || root instanceof Date) return 1
  let count = 0
  const onPath = new Set<object>()
  // Each frame is a container and the children still to visit; a container leaves the path once they are done.
  const stack: { container: object; children: unknown[]; next: number }[] = []
  const enter = (value: object): void => {
    const children: unknown[] = Array.isArray(value) ? value : Object.values(value)
    if (children.length === 0 || onPath.has(value)) {
      count++
      return
    }
    onPath.add(value)
    stack.push({ container: value, children, next: 0 })
  }
  enter(root)
  while (stack.length > 0) {
    const frame = stack[stack.length - 1]
    if (frame.next === frame.children.length) {
      onPath.delete(frame.container)
      stack.pop()
      continue
    }
    const child = frame.children[frame.next++]
    if (child === null || typeof child !== 'object' || child instanceof Date) count++
    else enter(child)
  }
  return count
}

/** Keeps a renamed value's leaves whose dotted path stays within MAX_PATH_LENGTH. */
export function withinPathLimit(value: unknown, path: string): unknown {
  if (!isOutputObject(value)) return path.length <= MAX_PATH_LENGTH ? value : undefined
  let out: Record<string, unknown> | undefined
  for (const name of Object.keys(value)) {
    const kept = withinPathLimit(value[name], `${path}.${name}`)
    if (kept !== undefined) (out ??= {})[name] = kept
  }
  return out
}

interface OutputLeaf {
  path: string
  parent: Record<string, unknown>
  name: string
}

/** Keeps the first `max` leaves in sorted path order and drops the rest ('limit'). */
export function enforceLeafLimit(
  properties: Record<string, unknown>,
  schema: Record<string, FullStoryType>,
  max: number,
  dropped: DroppedProperty[]
): void {
  const leaves: OutputLeaf[] = []
  collectOutputLeaves(properties, '', leaves)
  leaves.sort((a, b) => (a.path < b.path ? -1 : 1)) // paths are unique
  for (let i = max; i < leaves.length; i++) {
    const { path, parent, name } = leaves[i]
    const value = parent[name]
    delete parent[name]
    delete schema[path]
    recordDrop(dropped, path, 'limit', Array.isArray(value) ? value.length : 1)
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

/** An object of the transform's output (its depth is bounded by the path limit, so recursing over it is safe). */
export function isOutputObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
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

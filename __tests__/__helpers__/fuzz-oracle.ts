import type { InputField } from '@segment/actions-core'
import type { DroppedProperty } from '../../src/destinations/fullstory-cloud/properties'

/**
 * Checks for the fuzz suite, written from the README's rules rather than from the implementation.
 */

/** Drop reasons that JSON input can reach (non-finite, unsupported and circular need JavaScript callers). */
export const JSON_DROP_REASONS = new Set([
  'null',
  'empty',
  'excluded',
  'limit',
  'path-too-long',
  'array-too-large',
  'truncated',
  'too-deep'
])

/** Input leaves: every scalar (null included) and every empty array or object counts one. */
export function countInputLeaves(value: unknown): number {
  if (value === null || typeof value !== 'object') return 1
  const children = Array.isArray(value) ? value : Object.values(value)
  if (children.length === 0) return 1
  return children.reduce((sum: number, child) => sum + countInputLeaves(child), 0)
}

/** Output leaves of a properties object: each array element counts one, as an input scalar would. */
export function countOutputValues(properties: Record<string, unknown>): number {
  let count = 0
  for (const value of Object.values(properties)) {
    if (Array.isArray(value)) count += value.length
    else if (typeof value === 'object' && value !== null) count += countOutputValues(value as Record<string, unknown>)
    else count++
  }
  return count
}

/** Dotted path → value for every leaf (a whole array is one leaf), as FullStory's schema paths name them. */
export function leafMap(properties: Record<string, unknown>, prefix = '', out = new Map<string, unknown>()) {
  for (const [name, value] of Object.entries(properties)) {
    const path = prefix === '' ? name : `${prefix}.${name}`
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      leafMap(value as Record<string, unknown>, path, out)
    } else {
      out.set(path, value)
    }
  }
  return out
}

/** The tree without leaves whose dotted path is 512 characters or more, and without objects left empty. */
export function withoutLongPaths(properties: Record<string, unknown>, prefix = ''): Record<string, unknown> {
  const out: Record<string, unknown> = {}
  for (const [name, value] of Object.entries(properties)) {
    const path = prefix === '' ? name : `${prefix}.${name}`
    if (typeof value === 'object' && value !== null && !Array.isArray(value)) {
      const kept = withoutLongPaths(value as Record<string, unknown>, path)
      if (Object.keys(kept).length > 0) out[name] = kept
    } else if (path.length < 512) {
      out[name] = value
    }
  }
  return out
}

/** Every scalar value in a tree, as the string FullStory would index (arrays flattened). */
export function scalarValues(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const element of value) scalarValues(element, out)
  else if (typeof value === 'object' && value !== null)
    for (const child of Object.values(value)) scalarValues(child, out)
  else if (typeof value === 'string') out.push(value)
  else if (typeof value === 'number' || typeof value === 'boolean') out.push(String(value))
  return out
}

export function droppedCount(dropped: DroppedProperty[]): number {
  return dropped.filter((d) => d.reason !== 'truncated').reduce((sum, d) => sum + (d.count ?? 1), 0)
}

/** Every label and key a schema error could name, for an action's fields and their object properties. */
export function fieldNames(fields: Record<string, InputField>): string[] {
  const names: string[] = []
  for (const [key, field] of Object.entries(fields)) {
    names.push(key, field.label)
    for (const [childKey, child] of Object.entries(field.properties ?? {})) names.push(childKey, child.label)
  }
  return names
}

/** Words a PayloadValidationError uses to name the field at fault. */
export const VALIDATION_FIELD_WORDS = /userId|email|displayName|event name|timestamp|session/i

import { invalid } from './errors'
import { isIsoDate } from './iso-date'
import { dictionary, ownValue } from './own'
import type { PropertyType } from './types'

/**
 * FullStory's v2 rules for custom properties (docs/fullstory-api.md section 8), shared by users and events.
 * Every check throws an `ApiError` naming the offending dotted path.
 */

export const MAX_USER_PROPERTIES = 500
export const MAX_VALUE_BYTES = 8192
/** The dotted path must stay under 512 characters. */
export const MAX_PATH_LENGTH = 511

export const PROPERTY_TYPES: readonly PropertyType[] = [
  'str',
  'strs',
  'int',
  'ints',
  'real',
  'reals',
  'bool',
  'bools',
  'date',
  'dates'
]

const NAME = /^[A-Za-z][A-Za-z0-9_]*$/
// Integers must fit int64; beyond that a JSON number can only be a real.
const INT64_LIMIT = 2 ** 63

/** A leaf of a properties tree: a scalar or an array, keyed by its dotted path. */
export type Leaves = Map<string, unknown>

/** Checks a `properties` object and returns its leaves (an array is one leaf; empty objects have none). */
export function checkProperties(value: unknown, field: string): Leaves {
  if (!isPlainObject(value)) throw invalid(`${field} must be a JSON object`)
  const leaves: Leaves = new Map()
  walk(value, '', field, leaves)
  return leaves
}

export function checkUserPropertyCount(leaves: Leaves, field: string): void {
  if (leaves.size > MAX_USER_PROPERTIES) {
    throw invalid(
      `${field} holds ${leaves.size} properties (counted as leaf paths); a user can have at most ${MAX_USER_PROPERTIES}`
    )
  }
}

/**
 * Checks `schema` against the request's own property leaves: every declared path must be a leaf of this
 * request, and its value must fit the declared type. Returns the declarations, by path.
 */
export function checkSchema(value: unknown, leaves: Leaves, field: string): Map<string, PropertyType> {
  if (!isPlainObject(value)) throw invalid(`${field} must be a JSON object of the form { "properties": { ... } }`)
  for (const key of Object.keys(value)) {
    if (key !== 'properties') throw invalid(`${field}.${key} is not a schema field; only "properties" is`)
  }
  const result = new Map<string, PropertyType>()
  if (value.properties === undefined) return result
  const declared = value.properties
  if (!isPlainObject(declared)) throw invalid(`${field}.properties must be a JSON object mapping paths to types`)
  for (const [path, type] of Object.entries(declared)) {
    const where = `${field}.properties["${path}"]`
    if (typeof type !== 'string' || !isPropertyType(type)) {
      throw invalid(`${where} must be one of ${PROPERTY_TYPES.join(', ')}`)
    }
    if (!leaves.has(path)) {
      throw invalid(`${where} declares a type for "${path}", which is not a property (or is an object) in this request`)
    }
    if (!fitsType(leaves.get(path), type)) {
      throw invalid(
        `${where} declares "${path}" as ${type}, which its value (${describe(leaves.get(path))}) does not fit`
      )
    }
    result.set(path, type)
  }
  return result
}

export function isPropertyType(value: string): value is PropertyType {
  return (PROPERTY_TYPES as readonly string[]).includes(value)
}

export function fitsType(value: unknown, type: PropertyType): boolean {
  if (type.endsWith('s')) {
    const single = type.slice(0, -1) as PropertyType
    return Array.isArray(value) && value.every((element) => fitsType(element, single))
  }
  switch (type) {
    case 'str':
      return typeof value === 'string'
    case 'int':
      return typeof value === 'number' && Number.isInteger(value) && Math.abs(value) < INT64_LIMIT
    case 'real':
      return typeof value === 'number'
    case 'bool':
      return typeof value === 'boolean'
    case 'date':
      return typeof value === 'string' && isIsoDate(value)
    default:
      return false
  }
}

/** The type FullStory infers when none is declared: every number is a real, and no string is taken for a date. */
export function inferType(value: unknown): PropertyType {
  if (Array.isArray(value)) {
    if (value.length > 0 && value.every((e) => typeof e === 'number')) return 'reals'
    if (value.length > 0 && value.every((e) => typeof e === 'boolean')) return 'bools'
    return 'strs'
  }
  if (typeof value === 'number') return 'real'
  if (typeof value === 'boolean') return 'bool'
  return 'str'
}

/** Leaves of an already valid properties object. */
export function leavesOf(properties: Record<string, unknown>): Leaves {
  const leaves: Leaves = new Map()
  const visit = (object: Record<string, unknown>, prefix: string): void => {
    for (const [key, value] of Object.entries(object)) {
      const path = prefix ? `${prefix}.${key}` : key
      if (isPlainObject(value)) visit(value, path)
      else leaves.set(path, value)
    }
  }
  visit(properties, '')
  return leaves
}

/**
 * Deep merge where the newest value wins; objects merge key by key, anything else replaces. The merged objects are
 * dictionaries (see own.ts), so no name can reach or change a prototype.
 */
export function mergeProperties(
  older: Record<string, unknown>,
  newer: Record<string, unknown>
): Record<string, unknown> {
  const result = Object.assign(dictionary<unknown>(), older)
  for (const [key, value] of Object.entries(newer)) {
    const previous = ownValue(result, key)
    result[key] = isPlainObject(value) && isPlainObject(previous) ? mergeProperties(previous, value) : value
  }
  return result
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
}

function walk(object: Record<string, unknown>, prefix: string, field: string, leaves: Leaves): void {
  for (const [key, value] of Object.entries(object)) {
    const path = prefix ? `${prefix}.${key}` : key
    checkName(key, path, field)
    if (isPlainObject(value)) {
      walk(value, path, field, leaves)
      continue
    }
    checkValue(value, path, field)
    leaves.set(path, value)
  }
}

function checkName(key: string, path: string, field: string): void {
  const shown = `${field}.${shorten(path)}`
  if (!NAME.test(key)) {
    throw invalid(
      `${shown}: property name "${shorten(key)}" is not allowed; names start with a letter (A-Z, a-z) and hold only letters, digits and underscores`
    )
  }
  if (path.length > MAX_PATH_LENGTH) {
    throw invalid(`${shown}: the dotted property path is ${path.length} characters; it must be under 512`)
  }
}

function checkValue(value: unknown, path: string, field: string): void {
  const shown = `${field}.${shorten(path)}`
  if (typeof value === 'string') {
    const bytes = Buffer.byteLength(value, 'utf8')
    if (bytes > MAX_VALUE_BYTES) {
      throw invalid(`${shown}: the value is ${bytes} bytes; property values are at most ${MAX_VALUE_BYTES} bytes`)
    }
    return
  }
  if (typeof value === 'number' || typeof value === 'boolean') return
  if (Array.isArray(value)) {
    for (const element of value) {
      if (isPlainObject(element)) throw invalid(`${shown}: arrays of objects are not supported`)
      if (typeof element !== 'string' && typeof element !== 'number' && typeof element !== 'boolean') {
        throw invalid(`${shown}: arrays may hold only strings, numbers and booleans, not ${describe(element)}`)
      }
    }
    const bytes = Buffer.byteLength(JSON.stringify(value), 'utf8')
    if (bytes > MAX_VALUE_BYTES) {
      throw invalid(
        `${shown}: the array is ${bytes} bytes as JSON; property values are at most ${MAX_VALUE_BYTES} bytes`
      )
    }
    return
  }
  throw invalid(
    `${shown}: ${describe(value)} is not a property value; use a string, number, boolean, array of those, or object`
  )
}

function describe(value: unknown): string {
  if (value === null) return 'null'
  if (Array.isArray(value)) return 'an array'
  if (typeof value === 'string') return JSON.stringify(shorten(value))
  if (typeof value === 'object') return 'an object'
  return typeof value === 'number' || typeof value === 'boolean' ? String(value) : typeof value
}

function shorten(text: string): string {
  return text.length > 80 ? `${text.slice(0, 77)}...` : text
}

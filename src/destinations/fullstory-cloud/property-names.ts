/**
 * FullStory's property name rule: letters, digits and `_`, starting with a letter. A name that already
 * follows it reaches FullStory exactly as written, whatever it ends with (`signup_date`, `plan_str` and
 * `a__b` are the customer's own names). Only a name that breaks the rule is rewritten, in one of two styles.
 */

/** How a name that breaks FullStory's rule is rewritten (the destination setting `propertyNameStyle`). */
export type PropertyNameStyle = 'replace' | 'remove'

export const PROPERTY_NAME_STYLES: Record<PropertyNameStyle, string> = {
  replace: 'Replace other characters with _ (First Name → First_Name)',
  remove: "Remove other characters, as Segment's earlier FullStory destination did (First Name → FirstName)"
}

export const DEFAULT_PROPERTY_NAME_STYLE: PropertyNameStyle = 'replace'

/** The style a setting names; anything else (unset, or a value from a future version) is the default. */
export function propertyNameStyle(setting: string | undefined): PropertyNameStyle {
  return setting === 'remove' ? 'remove' : DEFAULT_PROPERTY_NAME_STYLE
}

/** Prefix for a name that would not start with a letter: `2fa` → `p_2fa`. */
export const NAME_PREFIX = 'p_'
/** Name for a key with no usable character at all: `''`, `'---'`, `'名前'`. */
export const FALLBACK_NAME = 'unnamed'
/** Key holding the scalars of an array that mixes scalars and objects: `[1, {a: 2}]` → `{a: [2], values: [1]}`. */
export const MIXED_SCALARS_NAME = 'values'

/** Marks the bucket of scalars in a transposed array of objects; never collides with a real key. */
export const MIXED_SCALARS = Symbol('mixed scalars')
export type EntryKey = string | typeof MIXED_SCALARS

// `replace`: each run of characters that are not letters or digits (underscores included, so that a rewritten
// name has no `__`) becomes one `_`, and `_` at either end goes.
const NON_ALPHANUMERIC_RUN = /[^A-Za-z0-9]+/g
const EDGE_UNDERSCORE = /^_|_$/g
// `remove`: characters FullStory does not allow are deleted, nothing else changes.
const ILLEGAL_CHARACTERS = /[^A-Za-z0-9_]+/g
const STARTS_WITH_LETTER = /^[A-Za-z]/

/** Whether FullStory accepts `name` as it is. A hand-written scan: most keys pass, and this runs for every key. */
export function isLegalName(name: string): boolean {
  const length = name.length
  if (length === 0 || !isLetter(name.charCodeAt(0))) return false
  for (let i = 1; i < length; i++) {
    const unit = name.charCodeAt(i)
    if (unit !== 0x5f && !isLetter(unit) && (unit < 0x30 || unit > 0x39)) return false
  }
  return true
}

/** The name FullStory receives for one key, before collisions are resolved. Idempotent: a legal name is kept. */
export function legalName(raw: string, style: PropertyNameStyle = DEFAULT_PROPERTY_NAME_STYLE): string {
  if (isLegalName(raw)) return raw
  const cache = rewritten[style]
  let name = cache.get(raw)
  if (name === undefined) {
    name = rewriteName(raw, style)
    if (raw.length <= MAX_CACHED_NAME_LENGTH) {
      if (cache.size >= MAX_CACHED_NAMES) cache.clear()
      cache.set(raw, name)
    }
  }
  return name
}

// The same names come back event after event, and the rule is pure: rewritten names are remembered (bounded).
const rewritten: Record<PropertyNameStyle, Map<string, string>> = { replace: new Map(), remove: new Map() }
const MAX_CACHED_NAMES = 2048
const MAX_CACHED_NAME_LENGTH = 256

function rewriteName(raw: string, style: PropertyNameStyle): string {
  const name =
    style === 'remove'
      ? raw.replace(ILLEGAL_CHARACTERS, '')
      : raw.replace(NON_ALPHANUMERIC_RUN, '_').replace(EDGE_UNDERSCORE, '')
  if (name === '') return FALLBACK_NAME
  return STARTS_WITH_LETTER.test(name) ? name : NAME_PREFIX + name
}

function isLetter(unit: number): boolean {
  return (unit >= 0x41 && unit <= 0x5a) || (unit >= 0x61 && unit <= 0x7a)
}

/**
 * Gives every key of one object a distinct name. A key already equal to its legal name keeps it; each other
 * legal name goes bare to the key that sorts first; the rest get `_2`, `_3`, ... skipping taken names.
 * Sorting makes the outcome independent of the input's key order.
 */
export function assignNames(keys: EntryKey[], bases: string[]): string[] {
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
  // Keys of one base come in order, and a suffix once taken stays taken: each search starts after the base's last
  // suffix, so thousands of keys on one base cost linear time, not quadratic.
  const lastSuffix = new Map<string, number>()
  for (const i of pending) {
    if (names[i] !== undefined) continue
    let n = (lastSuffix.get(bases[i]) ?? 1) + 1
    while (taken.has(`${bases[i]}_${n}`)) n++
    lastSuffix.set(bases[i], n)
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

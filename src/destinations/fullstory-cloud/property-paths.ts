/**
 * Dotted property paths (`shipping.address.zip`), the keys of FullStory's `schema.properties`.
 *
 * A path built afresh for every event is a new string, and V8 must look each one up in its string table before it
 * can be a key: that lookup cost more than everything else the schema does (docs/performance.md). The same paths
 * come back event after event, so each is built once and handed out again, within a bound.
 */

/** Paths remembered at most; past it the memory starts over (hostile payloads can name endless keys). */
const MAX_CACHED_PATHS = 8192
/** Longer paths are not remembered: FullStory's limit (MAX_PATH_LENGTH) keeps them rare. */
const MAX_CACHED_PATH_LENGTH = 256

const children = new Map<string, Map<string, string>>()
let cached = 0

/** `parent.name`, or `name` at the top level (`parent` empty). */
export function childPath(parent: string, name: string): string {
  if (parent === '') return name
  let names = children.get(parent)
  let path = names?.get(name)
  if (path !== undefined) return path
  path = `${parent}.${name}`
  if (path.length <= MAX_CACHED_PATH_LENGTH) {
    if (cached >= MAX_CACHED_PATHS) {
      children.clear()
      cached = 0
      names = undefined
    }
    if (names === undefined) {
      names = new Map()
      children.set(parent, names)
    }
    names.set(name, path)
    cached++
  }
  return path
}

/** How many paths are remembered now (for tests of the bound). */
export function cachedPathCount(): number {
  return cached
}

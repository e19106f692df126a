/**
 * Objects keyed by names a client chose: property names and dotted paths. Such a name can be a member every
 * plain object inherits (`constructor`, `toString`, `valueOf`, ...) or `__proto__`. Reads go through `ownValue`,
 * so an inherited member never answers for a name the object does not hold; objects the sandbox fills with such
 * names are `dictionary()` objects, which have no prototype, so `__proto__` is stored as an ordinary key.
 */

/** An empty object without a prototype, for keys a client chose. */
export function dictionary<T>(): Record<string, T> {
  return Object.create(null) as Record<string, T>
}

export function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key)
}

/** `object[key]` when the object itself holds `key`; never a member it inherits. */
export function ownValue<T>(object: Record<string, T>, key: string): T | undefined {
  return hasOwn(object, key) ? object[key] : undefined
}

import {
  FALLBACK_NAME,
  MAX_PATH_LENGTH,
  MAX_USER_PROPERTIES,
  MAX_VALUE_BYTES,
  MIXED_SCALARS_NAME,
  NAME_PREFIX,
  transformProperties,
  truncateUtf8
} from '../properties'

const utf8Bytes = (value: string) => Buffer.byteLength(value, 'utf8')
const jsonBytes = (value: unknown) => Buffer.byteLength(JSON.stringify(value), 'utf8')

describe('exported limits', () => {
  it('match FullStory v2 limits', () => {
    expect(MAX_USER_PROPERTIES).toBe(500)
    expect(MAX_VALUE_BYTES).toBe(8192)
    expect(MAX_PATH_LENGTH).toBe(511)
    expect(NAME_PREFIX).toBe('p_')
    expect(FALLBACK_NAME).toBe('unnamed')
    expect(MIXED_SCALARS_NAME).toBe('values')
  })
})

describe('rule 5: nulls, empties, non-finite numbers and limits', () => {
  it('drops nulls and undefined', () => {
    const result = transformProperties({ a: null, b: undefined, c: 'kept' })
    expect(result.properties).toEqual({ c: 'kept' })
    expect(result.dropped).toEqual([
      { path: 'a', reason: 'null' },
      { path: 'b', reason: 'null' }
    ])
  })

  it('drops empty objects, and objects that become empty without a second entry', () => {
    const result = transformProperties({ empty: {}, cleaned: { a: null, b: { c: null } }, kept: { d: 1, e: null } })
    expect(result.properties).toEqual({ kept: { d: 1 } })
    expect(result.dropped).toEqual([
      { path: 'empty', reason: 'empty' },
      { path: 'cleaned.a', reason: 'null' },
      { path: 'cleaned.b.c', reason: 'null' },
      { path: 'kept.e', reason: 'null' }
    ])
  })

  it('drops non-finite numbers with a reason', () => {
    const result = transformProperties({ a: NaN, b: Infinity, c: -Infinity, d: [1, NaN, Infinity] })
    expect(result.properties).toEqual({ d: [1] })
    expect(result.dropped).toEqual([
      { path: 'a', reason: 'non-finite' },
      { path: 'b', reason: 'non-finite' },
      { path: 'c', reason: 'non-finite' },
      { path: 'd', reason: 'non-finite', count: 2 }
    ])
  })

  it('keeps empty strings, zero and false', () => {
    expect(transformProperties({ s: '', n: 0, b: false }).properties).toEqual({ s: '', n: 0, b: false })
  })

  describe('maxProperties', () => {
    it('keeps the first N leaf paths in sorted order and drops the rest', () => {
      const result = transformProperties({ z: 1, y: [1, 2], x: { w: 1, v: 2 }, a: null }, { maxProperties: 2 })
      // Leaves in sorted order: x.v, x.w, y, z. An array is one leaf.
      expect(result.properties).toEqual({ x: { w: 1, v: 2 } })
      expect(result.schema).toEqual({ 'x.w': 'int', 'x.v': 'int' })
      expect(result.dropped).toEqual([
        { path: 'a', reason: 'null' },
        { path: 'y', reason: 'limit', count: 2 },
        { path: 'z', reason: 'limit' }
      ])
    })

    it('removes objects emptied by the limit', () => {
      const result = transformProperties({ a: 1, b: { c: 2 } }, { maxProperties: 1 })
      expect(result.properties).toEqual({ a: 1 })
      expect(result.schema).toEqual({ a: 'int' })
    })

    it('counts transposed arrays as one leaf each', () => {
      const input = { p: [{ sku: 'a', price: 1 }], q: 1 }
      expect(transformProperties(input, { maxProperties: 3 }).dropped).toEqual([])
      expect(transformProperties(input, { maxProperties: 2 }).properties).toEqual({ p: { price: [1], sku: ['a'] } })
    })

    it('keeps 500 user properties out of 600, deterministically', () => {
      const input: Record<string, number> = {}
      for (let i = 0; i < 600; i++) input[`k${String(i).padStart(3, '0')}`] = i
      const result = transformProperties(input, { maxProperties: MAX_USER_PROPERTIES })
      expect(Object.keys(result.properties)).toHaveLength(500)
      expect(result.properties.k499).toBe(499)
      expect(result.properties.k500).toBeUndefined()
      expect(result.dropped).toHaveLength(100)
      expect(result.dropped[0]).toEqual({ path: 'k500', reason: 'limit' })

      const reversed = Object.fromEntries(Object.entries(input).reverse())
      expect(transformProperties(reversed, { maxProperties: MAX_USER_PROPERTIES }).properties).toEqual(
        result.properties
      )
    })

    it('sends nothing when maxProperties is 0, and no limit applies when it is undefined', () => {
      expect(transformProperties({ a: 1 }, { maxProperties: 0 }).properties).toEqual({})
      const input: Record<string, number> = {}
      for (let i = 0; i < 1000; i++) input[`k${i}`] = i
      expect(Object.keys(transformProperties(input).properties)).toHaveLength(1000)
    })
  })

  describe('string values', () => {
    it('cuts strings to 8192 UTF-8 bytes', () => {
      const result = transformProperties({ s: 'x'.repeat(9000) })
      expect(result.properties.s).toBe('x'.repeat(8192))
      expect(result.dropped).toEqual([{ path: 's', reason: 'truncated' }])
    })

    it('keeps a string of exactly 8192 bytes', () => {
      const value = 'é'.repeat(4096)
      expect(transformProperties({ s: value })).toEqual({ properties: { s: value }, schema: {}, dropped: [] })
    })

    it('never splits a multibyte character', () => {
      expect(truncateUtf8('é'.repeat(5000))).toBe('é'.repeat(4096))
      expect(truncateUtf8('€'.repeat(3000))).toBe('€'.repeat(2730)) // 8190 bytes: a 3-byte character would not fit
      expect(truncateUtf8('aé', 2)).toBe('a')
    })

    it('never splits a surrogate pair', () => {
      const cut = truncateUtf8('a' + '😀'.repeat(3000))
      expect(cut).toBe('a' + '😀'.repeat(2047))
      expect(utf8Bytes(cut)).toBe(8189)
      expect(truncateUtf8('😀', 3)).toBe('')
    })

    it('counts a lone surrogate as the 3 bytes UTF-8 encodes it to', () => {
      const value = '\ud800'.repeat(3000)
      const cut = truncateUtf8(value)
      expect(cut).toHaveLength(2730)
      expect(utf8Bytes(cut)).toBeLessThanOrEqual(MAX_VALUE_BYTES)
    })
  })

  describe('array values', () => {
    it('drops trailing elements beyond 8192 bytes of JSON', () => {
      const numbers = Array.from({ length: 3000 }, (_, i) => i)
      const result = transformProperties({ n: numbers })
      const kept = result.properties.n as number[]
      expect(jsonBytes(kept)).toBeLessThanOrEqual(MAX_VALUE_BYTES)
      expect(jsonBytes([...kept, kept.length])).toBeGreaterThan(MAX_VALUE_BYTES)
      expect(kept).toEqual(numbers.slice(0, kept.length))
      expect(result.dropped).toEqual([{ path: 'n', reason: 'array-too-large', count: 3000 - kept.length }])
      expect(result.schema).toEqual({ n: 'ints' })
    })

    it('counts JSON escapes', () => {
      const result = transformProperties({ q: ['"'.repeat(3000), '\n'.repeat(3000), 'x'] })
      expect(result.properties.q).toEqual(['"'.repeat(3000)])
      expect(jsonBytes(result.properties.q)).toBeLessThanOrEqual(MAX_VALUE_BYTES)
    })

    it('cuts a first element too large on its own, so the array is not emptied', () => {
      const result = transformProperties({ a: ['x'.repeat(9000), 'y'], b: ['😀'.repeat(3000)] })
      expect(result.properties.a).toEqual(['x'.repeat(8188)])
      expect(jsonBytes(result.properties.a)).toBe(MAX_VALUE_BYTES)
      expect(result.properties.b).toEqual(['😀'.repeat(2047)])
      expect(result.dropped).toEqual([
        { path: 'a', reason: 'truncated' },
        { path: 'a', reason: 'array-too-large' },
        { path: 'b', reason: 'truncated' }
      ])
    })
  })
})

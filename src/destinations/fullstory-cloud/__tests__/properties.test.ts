import {
  FALLBACK_NAME,
  MAX_ARRAY_NESTING,
  MAX_PATH_LENGTH,
  MAX_USER_PROPERTIES,
  MAX_VALUE_BYTES,
  MIXED_SCALARS_NAME,
  NAME_PREFIX,
  isIsoDate,
  normalizePropertyName,
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

describe('rule 1: names', () => {
  it.each([
    ['Order Total', 'Order_Total'],
    ['shipping-method', 'shipping_method'],
    ['2fa', 'p_2fa'],
    ['first.name', 'first_name'],
    ['a  --  b', 'a_b'],
    ['a__b-c', 'a_b_c'],
    ['__a__', 'a'],
    ['camelCase', 'camelCase'],
    ['UPPER', 'UPPER'],
    ['café', 'caf'],
    ['prénom', 'pr_nom'],
    ['😀 smile', 'smile'],
    ['_2fa', 'p_2fa'],
    ['$price', 'price'],
    ['', 'unnamed'],
    ['---', 'unnamed'],
    ['名前', 'unnamed']
  ])('normalizes %j to %j', (input, expected) => {
    expect(normalizePropertyName(input)).toBe(expected)
  })

  it.each(['signup_date', 'plan_str', 'is_real', 'a__b', 'plan_', 'x_1', 'Order_Total', 'a_str_int'])(
    'sends the legal name %j exactly as written',
    (name) => {
      expect(normalizePropertyName(name)).toBe(name)
      expect(Object.keys(transformProperties({ [name]: 1 }).properties)).toEqual([name])
    }
  )

  it('replaces characters with _ rather than deleting them', () => {
    // 'ab' would be a silent deletion; 'a_b' keeps the word boundary.
    expect(normalizePropertyName('a-b')).toBe('a_b')
    expect(normalizePropertyName('a b')).toBe('a_b')
  })

  it('is idempotent', () => {
    for (const style of ['replace', 'remove'] as const) {
      for (const name of ['Order Total', '2fa', '', '名前', 'a_str_int', 'x__y__', 'p_2fa', 'unnamed', '_x', 'a-_b']) {
        const once = normalizePropertyName(name, style)
        expect(normalizePropertyName(once, style)).toBe(once)
      }
    }
  })

  it('renames keys at every depth and uses dotted paths in the schema', () => {
    const result = transformProperties({ 'Home Address': { 'zip-code': 10115, 'Street Name': 'Main' } })
    expect(result.properties).toEqual({ Home_Address: { zip_code: 10115, Street_Name: 'Main' } })
    expect(result.schema).toEqual({ 'Home_Address.zip_code': 'int' })
  })

  it('keeps both values when two keys normalize alike: the exact name first, then _2, _3 in sorted key order', () => {
    const result = transformProperties({ 'a-b': 2, 'a b': 1, a_b: 3, 'a!b': 4 })
    // 'a_b' already equals its name; the others sort as 'a b' < 'a!b' < 'a-b' (code unit order).
    expect(result.properties).toEqual({ a_b: 3, a_b_2: 1, a_b_3: 4, a_b_4: 2 })
    expect(result.dropped).toEqual([])
  })

  it('gives the bare name to the key that sorts first when none equals it', () => {
    expect(transformProperties({ 'plan-': 'x', 'plan ': 'y' }).properties).toEqual({ plan: 'y', plan_2: 'x' })
  })

  it('skips suffixed names that are already taken', () => {
    const result = transformProperties({ 'a b': 1, 'a-b': 2, a_b_2: 3 })
    expect(result.properties).toEqual({ a_b: 1, a_b_2: 3, a_b_3: 2 })
  })

  it('does not depend on the order of the input keys', () => {
    const forward = transformProperties({ 'a b': 1, 'a-b': 2, a_b_2: 3, '2fa': 4, p_2fa: 5 })
    const backward = transformProperties({ p_2fa: 5, '2fa': 4, a_b_2: 3, 'a-b': 2, 'a b': 1 })
    expect(backward).toEqual(forward)
    expect(forward.properties).toEqual({ a_b: 1, a_b_2: 3, a_b_3: 2, p_2fa: 5, p_2fa_2: 4 })
  })

  it('resolves collisions of fallback names', () => {
    expect(transformProperties({ '!!': 2, '': 1, 名前: 3 }).properties).toEqual({
      unnamed: 1,
      unnamed_2: 2,
      unnamed_3: 3
    })
  })

  it('handles keys that are Object.prototype members', () => {
    const input = JSON.parse('{"__proto__": 1, "constructor": 2, "toString": "x"}') as Record<string, unknown>
    const result = transformProperties(input)
    expect(Object.keys(result.properties)).toEqual(['proto', 'constructor', 'toString'])
    expect(Object.getPrototypeOf(result.properties)).toBe(Object.prototype)
    expect(result.properties.proto).toBe(1)
    expect(result.schema).toEqual({ proto: 'int', constructor: 'int' })
  })

  describe('paths under 512 characters', () => {
    it('keeps a 511-character top-level name and drops a 512-character one', () => {
      const ok = 'a'.repeat(511)
      const tooLong = 'b'.repeat(512)
      const result = transformProperties({ [ok]: 1, [tooLong]: 'x' })
      expect(result.properties).toEqual({ [ok]: 1 })
      expect(result.dropped).toEqual([{ path: tooLong, reason: 'path-too-long' }])
    })

    it('drops a nested leaf whose dotted path would reach 512 characters', () => {
      const parent = 'p'.repeat(300)
      const fits = 'f'.repeat(210) // 300 + 1 + 210 = 511
      const tooLong = 't'.repeat(211) // 512
      const result = transformProperties({ [parent]: { [fits]: 1, [tooLong]: [1, 2] } })
      expect(result.properties).toEqual({ [parent]: { [fits]: 1 } })
      expect(result.schema).toEqual({ [`${parent}.${fits}`]: 'int' })
      expect(result.dropped).toEqual([{ path: `${parent}.${tooLong}`, reason: 'path-too-long', count: 2 }])
    })

    it('drops a whole object with one entry when none of its children can fit', () => {
      const parent = 'p'.repeat(510)
      const result = transformProperties({ [parent]: { a: 1, b: { c: 2, d: [3, 4] } } })
      expect(result.properties).toEqual({})
      expect(result.dropped).toEqual([{ path: parent, reason: 'path-too-long', count: 4 }])
    })

    it('counts the collision suffix in the path length', () => {
      const base = 'n'.repeat(510)
      const result = transformProperties({ [base]: 1, [`${base}!`]: 2 })
      expect(result.properties).toEqual({ [base]: 1 })
      expect(result.dropped).toEqual([{ path: `${base}_2`, reason: 'path-too-long' }])
    })
  })
})

describe('rule 2: names that end like a v1 type suffix', () => {
  it('keeps the name exactly and declares what the value needs, as for any other name', () => {
    const result = transformProperties({
      plan_str: 'pro',
      logins_int: 5,
      active_bool: true,
      signup_date: '2024-01-31',
      renewal_date: '2025-01-31T00:00:00Z',
      tags_strs: ['a', 'b'],
      ids_ints: [1, 2],
      flags_bools: [true],
      visits_dates: ['2024-01-31']
    })
    expect(result.properties).toEqual({
      plan_str: 'pro',
      logins_int: 5,
      active_bool: true,
      signup_date: '2024-01-31',
      renewal_date: '2025-01-31T00:00:00Z',
      tags_strs: ['a', 'b'],
      ids_ints: [1, 2],
      flags_bools: [true],
      visits_dates: ['2024-01-31']
    })
    // str, real and bool are what inference gives anyway, so they are not declared.
    expect(result.schema).toEqual({
      logins_int: 'int',
      signup_date: 'date',
      renewal_date: 'date',
      tags_strs: 'strs',
      ids_ints: 'ints',
      flags_bools: 'bools',
      visits_dates: 'dates'
    })
  })

  it('reads the suffix as a type hint when the value fits it: _real keeps a whole number real, _str a date a string', () => {
    const result = transformProperties({
      price_real: 3,
      code_str: '2024-01-31',
      ids_reals: [1, 2],
      d_strs: ['2024-01-31']
    })
    expect(result.properties).toEqual({
      price_real: 3,
      code_str: '2024-01-31',
      ids_reals: [1, 2],
      d_strs: ['2024-01-31']
    })
    expect(result.schema).toEqual({ ids_reals: 'reals', d_strs: 'strs' })
  })

  it('infers the type from the value when it does not fit the suffix', () => {
    const result = transformProperties({
      count_int: 2.5,
      when_date: 'tomorrow',
      zip_int: '10115',
      flag_bool: 'yes',
      name_strs: 'solo',
      ids_ints: [1, 'a'],
      is_real: true
    })
    expect(result.properties).toEqual({
      count_int: 2.5,
      when_date: 'tomorrow',
      zip_int: '10115',
      flag_bool: 'yes',
      name_strs: 'solo',
      ids_ints: ['1', 'a'],
      is_real: true
    })
    expect(result.schema).toEqual({ ids_ints: 'strs' })
  })

  it('applies a singular suffix on an array to its elements', () => {
    const result = transformProperties({ codes_str: ['2024-01-31'], n_real: [1, 2] })
    expect(result.schema).toEqual({ codes_str: 'strs', n_real: 'reals' })
  })

  it('reads the last suffix only', () => {
    const result = transformProperties({ a_str_int: 5, b_int_str: '2024-01-31' })
    expect(result.properties).toEqual({ a_str_int: 5, b_int_str: '2024-01-31' })
    expect(result.schema).toEqual({ a_str_int: 'int' })
  })

  it('reads a suffix that a rewritten name ends with, and at every depth', () => {
    const result = transformProperties({ 'price-real': 4, address: { zip_str: '10115', 'since date': '2020-02-02' } })
    expect(result.properties).toEqual({ price_real: 4, address: { zip_str: '10115', since_date: '2020-02-02' } })
    expect(result.schema).toEqual({ 'address.since_date': 'date' })
  })

  it('never lets a name that looks suffixed collide with the name without it', () => {
    const result = transformProperties({ signup: '2024-01-01', signup_date: '2024-02-02', 'signup date': 'x' })
    expect(result.properties).toEqual({ signup: '2024-01-01', signup_date: '2024-02-02', signup_date_2: 'x' })
  })

  it('takes only lowercase suffixes after an underscore as hints', () => {
    const result = transformProperties({ price_REAL: 3, pricereal: 3, real: 3, _real: 3 })
    expect(result.properties).toEqual({ price_REAL: 3, pricereal: 3, real: 3, real_2: 3 })
    expect(result.schema).toEqual({ price_REAL: 'int', pricereal: 'int', real: 'int', real_2: 'int' })
  })
})

describe("propertyNameStyle 'remove': names as Segment's earlier FullStory destination sent them", () => {
  it.each([
    ['first-property', 'firstproperty'],
    ['First Name', 'FirstName'],
    ['ünïcode', 'ncode'],
    ['a.b', 'ab'],
    ['signup_date', 'signup_date'],
    ['a__b', 'a__b'],
    ['2fa', 'p_2fa'],
    ['_private', 'p__private'],
    ['名前', 'unnamed']
  ])('names %j %j', (input, expected) => {
    expect(normalizePropertyName(input, 'remove')).toBe(expected)
    expect(Object.keys(transformProperties({ [input]: 1 }, { names: 'remove' }).properties)).toEqual([expected])
  })

  it('keeps both values when two keys are named alike, where the earlier destination kept only the last', () => {
    const result = transformProperties({ 'a-b': 1, ab: 2, 'a b': 3 }, { names: 'remove' })
    expect(result.properties).toEqual({ ab: 2, ab_2: 3, ab_3: 1 })
  })

  it('applies at every depth and inside arrays of objects', () => {
    const result = transformProperties({ 'Home Address': { 'zip-code': 1 }, rows: [{ 'a b': 1 }] }, { names: 'remove' })
    expect(result.properties).toEqual({ HomeAddress: { zipcode: 1 }, rows: { ab: [1] } })
  })
})

describe('rule 3: schema', () => {
  it('declares int for safe whole numbers only', () => {
    const result = transformProperties({ a: 2, b: -7, c: 0, d: 2.5, e: 2 ** 53, f: 1e21, g: Number.MAX_SAFE_INTEGER })
    expect(result.schema).toEqual({ a: 'int', b: 'int', c: 'int', g: 'int' })
    expect(result.properties).toEqual({ a: 2, b: -7, c: 0, d: 2.5, e: 2 ** 53, f: 1e21, g: Number.MAX_SAFE_INTEGER })
  })

  it('declares nothing that inference gets right', () => {
    const result = transformProperties({ s: 'hello', b: false, r: 0.5, n: '42', t: 'true' })
    expect(result.schema).toEqual({})
  })

  it('declares date for strict ISO-8601 strings and uses dotted paths for nested values', () => {
    const result = transformProperties({
      signup: '2024-02-29',
      lastSeen: '2024-01-31T23:59:59.123Z',
      address: { zip: 10115, movedIn: '2020-06-01T08:00:00+02:00' }
    })
    expect(result.schema).toEqual({
      signup: 'date',
      lastSeen: 'date',
      'address.zip': 'int',
      'address.movedIn': 'date'
    })
  })

  it.each([
    '2024-01-31',
    '2024-02-29',
    '2000-02-29',
    '2024-01-31T00:00:00Z',
    '2024-01-31T23:59:59.1Z',
    '2024-01-31T23:59:59.123456789+01:00',
    '2024-12-31T12:30:45-05:30'
  ])('accepts %j as a date', (value) => {
    expect(isIsoDate(value)).toBe(true)
  })

  it.each([
    '2023-02-29',
    '1900-02-29',
    '2024-04-31',
    '2024-13-01',
    '2024-00-10',
    '2024-01-00',
    '2024-1-31',
    '24-01-31',
    '20240131',
    '2024/01/31',
    '2024-01-31T24:00:00Z',
    '2024-01-31T10:60:00Z',
    '2024-01-31T10:00:60Z',
    '2024-01-31T10:00:00',
    '2024-01-31T10:00Z',
    '2024-01-31 10:00:00Z',
    '2024-01-31t10:00:00z',
    '2024-01-31T10:00:00+0100',
    '2024-01-31T10:00:00+24:00',
    '2024-01-31T10:00:00.Z',
    '2024-01-31T10:00:00.1234567890Z',
    'Jan 31 2024',
    '1706659200000',
    ' 2024-01-31'
  ])('rejects %j as a date', (value) => {
    expect(isIsoDate(value)).toBe(false)
  })

  it('always declares arrays with their plural type', () => {
    const result = transformProperties({
      s: ['a'],
      b: [true, false],
      r: [0.5, 1],
      i: [1, 2],
      d: ['2024-01-31', '2024-02-01T00:00:00Z'],
      mixedDates: ['2024-01-31', 'later']
    })
    expect(result.schema).toEqual({ s: 'strs', b: 'bools', r: 'reals', i: 'ints', d: 'dates', mixedDates: 'strs' })
  })

  it('keeps arrays with unsafe whole numbers real', () => {
    expect(transformProperties({ ids: [1, 2 ** 60] }).schema).toEqual({ ids: 'reals' })
  })

  it('returns an empty schema when there is nothing to declare', () => {
    expect(transformProperties({ plan: 'pro' })).toEqual({ properties: { plan: 'pro' }, schema: {}, dropped: [] })
  })
})

describe('rule 4: arrays', () => {
  it('turns an array of objects into an object of arrays (README example)', () => {
    const result = transformProperties({
      products: [
        { sku: 'a', price: 1 },
        { sku: 'b', price: 2.5 }
      ]
    })
    expect(result.properties).toEqual({ products: { sku: ['a', 'b'], price: [1, 2.5] } })
    expect(result.schema).toEqual({ 'products.sku': 'strs', 'products.price': 'reals' })
    expect(result.dropped).toEqual([])
  })

  it('recurses into nested objects with dotted paths', () => {
    const result = transformProperties({
      items: [{ dims: { w: 1, unit: 'cm' } }, { dims: { w: 2, h: 3.5 } }]
    })
    expect(result.properties).toEqual({ items: { dims: { w: [1, 2], unit: ['cm'], h: [3.5] } } })
    expect(result.schema).toEqual({ 'items.dims.w': 'ints', 'items.dims.unit': 'strs', 'items.dims.h': 'reals' })
  })

  it('flattens arrays found inside the objects', () => {
    const result = transformProperties({ orders: [{ tags: ['a', 'b'] }, { tags: ['c'] }, { tags: [] }] })
    expect(result.properties).toEqual({ orders: { tags: ['a', 'b', 'c'] } })
    expect(result.dropped).toEqual([{ path: 'orders.tags', reason: 'empty' }])
  })

  it('transposes arrays of objects nested in arrays of objects', () => {
    const result = transformProperties({
      carts: [{ lines: [{ sku: 'a' }, { sku: 'b' }] }, { lines: [{ sku: 'c', qty: 2 }] }]
    })
    expect(result.properties).toEqual({ carts: { lines: { sku: ['a', 'b', 'c'], qty: [2] } } })
    expect(result.schema).toEqual({ 'carts.lines.sku': 'strs', 'carts.lines.qty': 'ints' })
  })

  it('keeps keys missing from some objects, and collects values in element order', () => {
    const result = transformProperties({ rows: [{ a: 1 }, { b: 'x' }, { a: 3, b: 'y' }] })
    expect(result.properties).toEqual({ rows: { a: [1, 3], b: ['x', 'y'] } })
  })

  it('renames element keys like object keys; alike keys from different elements stay apart', () => {
    const result = transformProperties({ rows: [{ 'a b': 1 }, { 'a-b': 2 }, { price_real: 3 }] })
    expect(result.properties).toEqual({ rows: { a_b: [1], a_b_2: [2], price_real: [3] } })
    expect(result.schema).toEqual({ 'rows.a_b': 'ints', 'rows.a_b_2': 'ints', 'rows.price_real': 'reals' })
  })

  it('turns mixed scalars into strings', () => {
    const result = transformProperties({ mixed: [1, 'a', true, 2.5] })
    expect(result.properties).toEqual({ mixed: ['1', 'a', 'true', '2.5'] })
    expect(result.schema).toEqual({ mixed: 'strs' })
  })

  it('flattens nested arrays', () => {
    const result = transformProperties({ n: [1, [2, [3, [4]]]], s: [['a'], [['b']]] })
    expect(result.properties).toEqual({ n: [1, 2, 3, 4], s: ['a', 'b'] })
    expect(result.schema).toEqual({ n: 'ints', s: 'strs' })
  })

  it('keeps scalars mixed with objects under "values"', () => {
    const result = transformProperties({ list: ['x', { y: 1 }, 2, [{ y: 2 }]] })
    expect(result.properties).toEqual({ list: { y: [1, 2], values: ['x', '2'] } })
    expect(result.schema).toEqual({ 'list.y': 'ints', 'list.values': 'strs' })
  })

  it('gives "values" a suffix when an element key already uses it', () => {
    const result = transformProperties({ list: ['x', { values: 1 }] })
    expect(result.properties).toEqual({ list: { values: [1], values_2: ['x'] } })
  })

  it('treats a key holding a scalar in one element and an object in another like a mixed array', () => {
    const result = transformProperties({ rows: [{ a: 1 }, { a: { b: 2 } }] })
    expect(result.properties).toEqual({ rows: { a: { b: [2], values: [1] } } })
  })

  it('drops nulls inside arrays, counting them', () => {
    const result = transformProperties({ tags: ['a', null, 'b', null], rows: [{ a: null }, { a: 1 }] })
    expect(result.properties).toEqual({ tags: ['a', 'b'], rows: { a: [1] } })
    expect(result.dropped).toEqual([
      { path: 'tags', reason: 'null', count: 2 },
      { path: 'rows.a', reason: 'null' }
    ])
  })

  it('drops empty arrays, and arrays left with nothing', () => {
    const result = transformProperties({ none: [], nulls: [null, null], empties: [[], {}], keep: 1 })
    expect(result.properties).toEqual({ keep: 1 })
    expect(result.dropped).toEqual([
      { path: 'none', reason: 'empty' },
      { path: 'nulls', reason: 'null', count: 2 },
      { path: 'empties', reason: 'empty', count: 2 }
    ])
  })

  it('is stable when transformed again', () => {
    const first = transformProperties({ products: [{ sku: 'a', price: 1 }, 'loose', { sku: 'b', tags: ['x', 1] }] })
    expect(transformProperties(first.properties).properties).toEqual(first.properties)
    expect(transformProperties(first.properties).schema).toEqual(first.schema)
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

describe('rule 6: every leaf value reaches FullStory unless a rule drops it', () => {
  it('sends every value of a typical Segment identify payload', () => {
    const traits = {
      email: 'jane@example.com',
      name: 'Jane Doe',
      'Order Total': 129.99,
      'shipping-method': 'ups',
      plan_str: 'pro',
      logins_int: 42,
      '2fa': true,
      createdAt: '2024-03-01T10:20:30.000Z',
      address: { city: 'Berlin', zip: 10115 },
      tags: ['vip', 'beta'],
      products: [
        { sku: 'a', price: 1 },
        { sku: 'b', price: 2.5 }
      ],
      unknown: null
    }
    const result = transformProperties(traits, { exclude: ['email', 'name'], maxProperties: MAX_USER_PROPERTIES })
    expect(result).toEqual({
      properties: {
        Order_Total: 129.99,
        shipping_method: 'ups',
        plan_str: 'pro',
        logins_int: 42,
        p_2fa: true,
        createdAt: '2024-03-01T10:20:30.000Z',
        address: { city: 'Berlin', zip: 10115 },
        tags: ['vip', 'beta'],
        products: { sku: ['a', 'b'], price: [1, 2.5] }
      },
      schema: {
        logins_int: 'int',
        createdAt: 'date',
        'address.zip': 'int',
        tags: 'strs',
        'products.sku': 'strs',
        'products.price': 'reals'
      },
      dropped: [
        { path: 'email', reason: 'excluded' },
        { path: 'name', reason: 'excluded' },
        { path: 'unknown', reason: 'null' }
      ]
    })
  })
})

describe('exclude', () => {
  it('leaves out the original top-level keys only', () => {
    const result = transformProperties(
      { email: 'a@b.c', Email: 'other', profile: { email: 'nested' } },
      { exclude: ['email'] }
    )
    expect(result.properties).toEqual({ Email: 'other', profile: { email: 'nested' } })
    expect(result.dropped).toEqual([{ path: 'email', reason: 'excluded' }])
  })

  it('does not let an excluded key claim a name', () => {
    expect(transformProperties({ name: 'x', 'name!': 'y' }, { exclude: ['name'] }).properties).toEqual({ name: 'y' })
  })

  it('counts the leaves of an excluded object', () => {
    expect(transformProperties({ name: { first: 'a', last: 'b' } }, { exclude: ['name'] }).dropped).toEqual([
      { path: 'name', reason: 'excluded', count: 2 }
    ])
  })
})

describe('dropped', () => {
  it('appends to a list the caller gives, keeping what it held', () => {
    const earlier = { path: 'segmentAnonymousId', reason: 'truncated' as const }
    const list = [earlier]
    const result = transformProperties({ a: null, b: 1 }, { dropped: list })
    expect(result.dropped).toBe(list)
    expect(list).toEqual([earlier, { path: 'a', reason: 'null' }])
  })
})

describe('input handling', () => {
  it('returns empty results for undefined or empty input', () => {
    const empty = { properties: {}, schema: {}, dropped: [] }
    expect(transformProperties(undefined)).toEqual(empty)
    expect(transformProperties({})).toEqual(empty)
  })

  it('does not mutate its input', () => {
    const input = { 'a b': [{ x: 1 }, null], s: 'x'.repeat(9000), n: { m: null } }
    const copy = JSON.parse(JSON.stringify(input)) // structuredClone is not a global under jest 27 (the monorepo)
    transformProperties(input, { maxProperties: 1, exclude: ['n'] })
    expect(input).toEqual(copy)
  })

  it('does not share arrays with its input', () => {
    const tags = ['a', 'b']
    const result = transformProperties({ tags })
    expect(result.properties.tags).toEqual(tags)
    expect(result.properties.tags).not.toBe(tags)
  })

  it('produces output that survives a JSON round trip unchanged', () => {
    const result = transformProperties({ d: new Date('2024-01-31T00:00:00Z'), big: 12n, huge: 2n ** 70n, n: -0 })
    expect(JSON.parse(JSON.stringify(result.properties))).toEqual({
      d: '2024-01-31T00:00:00.000Z',
      big: 12,
      huge: '1180591620717411303424',
      n: 0
    })
    expect(result.schema).toEqual({ d: 'date', big: 'int', n: 'int' })
  })

  describe('values only JS callers can send', () => {
    it('drops invalid dates, functions and symbols with a reason', () => {
      const result = transformProperties({ d: new Date('nope'), f: () => 1, s: Symbol('x'), a: [() => 1, 'ok'] })
      expect(result.properties).toEqual({ a: ['ok'] })
      expect(result.dropped).toEqual([
        { path: 'd', reason: 'non-finite' },
        { path: 'f', reason: 'unsupported' },
        { path: 's', reason: 'unsupported' },
        { path: 'a', reason: 'unsupported' }
      ])
    })

    it('stops at cycles', () => {
      const node: Record<string, unknown> = { name: 'root' }
      node.self = node
      node.children = [node, { name: 'child', parent: node }]
      const list: unknown[] = [1]
      list.push(list)
      node.list = list
      const result = transformProperties(node)
      expect(result.properties).toEqual({ name: 'root', children: { name: ['child'] }, list: [1] })
      expect(result.dropped).toEqual([
        { path: 'self', reason: 'circular' },
        { path: 'children', reason: 'circular' },
        { path: 'children.parent', reason: 'circular' },
        { path: 'list', reason: 'circular' }
      ])
    })

    it('drops arrays nested too deep', () => {
      let deep: unknown = ['bottom']
      for (let i = 0; i < MAX_ARRAY_NESTING + 5; i++) deep = [deep]
      const result = transformProperties({ deep, ok: [[['fine']]] })
      expect(result.properties).toEqual({ ok: ['fine'] })
      expect(result.dropped).toEqual([{ path: 'deep', reason: 'too-deep' }])
    })
  })
})

import { normalizePropertyName, transformProperties } from '../properties'

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

  it('numbers thousands of keys on one name in order, skipping suffixes other keys already hold', () => {
    // 0x100 onwards are letters outside FullStory's set: every key is rewritten to `a`.
    const input: Record<string, number> = { a_7: -7, a_500: -500 }
    for (let i = 0; i < 5000; i++) input[`a${String.fromCharCode(0x100 + i)}`] = i
    const { properties } = transformProperties(input)
    const expected: Record<string, number> = { a_7: -7, a_500: -500, a: 0 }
    for (let i = 1, n = 2; i < 5000; i++, n++) {
      while (n === 7 || n === 500) n++
      expected[`a_${n}`] = i
    }
    expect(properties).toEqual(expected)
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
    const input = {
      plan_str: 'pro',
      logins_int: 5,
      active_bool: true,
      signup_date: '2024-01-31',
      renewal_date: '2025-01-31T00:00:00Z',
      tags_strs: ['a', 'b'],
      ids_ints: [1, 2],
      flags_bools: [true],
      visits_dates: ['2024-01-31']
    }
    const result = transformProperties(input)
    // Every name and value goes out as it came.
    expect(result.properties).toEqual(input)
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

import { MAX_ARRAY_NESTING, MAX_USER_PROPERTIES, transformProperties } from '../properties'

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

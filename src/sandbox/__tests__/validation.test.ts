import { validateCreateEvent, validateCreateUser } from '..'
import { isIsoDate, isIsoDateTime } from '../iso-date'

const nested = (depth: number, leaf: unknown): Record<string, unknown> =>
  depth === 0 ? { leaf } : { [`level${depth}`]: nested(depth - 1, leaf) }
const manyProperties = (count: number) => Object.fromEntries(Array.from({ length: count }, (_, i) => [`p${i}`, i]))

describe('validateCreateUser', () => {
  it('accepts what FullStory documents', () => {
    expect(
      validateCreateUser({
        uid: 'u'.repeat(256),
        display_name: 'd'.repeat(256),
        email: `${'e'.repeat(116)}@example.com`,
        properties: {
          plan: 'pro',
          seats: 5,
          trial: false,
          tags: ['a', 'b'],
          mixed: ['a', 1, true],
          address: { city: 'Atlanta', geo: { lat: 33.7 } },
          empty: {},
          none: []
        },
        schema: {
          properties: { seats: 'int', 'address.geo.lat': 'real', tags: 'strs', none: 'dates', 'address.city': 'str' }
        }
      })
    ).toBeUndefined()
    expect(validateCreateUser({})).toBeUndefined()
    // Names that end like a v1 type suffix are ordinary legal names: Segment's earlier destination sent them for years.
    expect(
      validateCreateUser({ uid: 'u', properties: { signup_date: '2024-01-01', plan_str: 'x', a: { b_ints: [1] } } })
    ).toBeUndefined()
    expect(validateCreateUser({ properties: manyProperties(500) })).toBeUndefined()
  })

  it.each([
    ['a body that is not an object', [], 'invalid_argument', 'must be a JSON object'],
    ['an unknown field', { uid: 'u', type_conversion: 'x' }, 'invalid_argument', 'type_conversion'],
    ['an id on a single create', { id: 'fsu_1' }, 'invalid_argument', 'id is not a field'],
    ['a numeric uid', { uid: 42 }, 'invalid_argument', 'uid must be a string'],
    ['an empty uid', { uid: '' }, 'invalid_argument', 'uid must not be empty'],
    ['a uid over 256 characters', { uid: 'u'.repeat(257) }, 'invalid_argument', 'uid is 257 characters'],
    ['a display_name over 256', { display_name: 'd'.repeat(257) }, 'invalid_argument', 'display_name is 257'],
    ['an email over 128', { email: 'e'.repeat(129) }, 'invalid_argument', 'email is 129'],
    ['a null email', { email: null }, 'invalid_argument', 'email must be a string'],
    ['properties that are an array', { properties: [1] }, 'invalid_argument', 'properties must be a JSON object'],
    ['a name with a hyphen', { properties: { 'first-name': 'a' } }, 'invalid_argument', 'properties.first-name'],
    ['a name starting with a digit', { properties: { '2fa': true } }, 'invalid_argument', 'properties.2fa'],
    ['a name starting with _', { properties: { _x: 1 } }, 'invalid_argument', 'properties._x'],
    ['a nested bad name', { properties: { a: { 'b c': 1 } } }, 'invalid_argument', 'properties.a.b c'],
    ['an array of objects', { properties: { items: [{ sku: 'a' }] } }, 'invalid_argument', 'arrays of objects'],
    ['an array of arrays', { properties: { grid: [[1]] } }, 'invalid_argument', 'properties.grid'],
    ['null in an array', { properties: { tags: ['a', null] } }, 'invalid_argument', 'properties.tags'],
    ['a null value', { properties: { gone: null } }, 'invalid_argument', 'properties.gone: null'],
    [
      'a string over 8192 bytes',
      { properties: { bio: 'é'.repeat(4097) } },
      'invalid_argument',
      'properties.bio: the value is 8194 bytes'
    ],
    [
      'an array over 8192 bytes of JSON',
      { properties: { ids: Array.from({ length: 2000 }, () => 'abc') } },
      'invalid_argument',
      'properties.ids: the array is'
    ],
    [
      'a dotted path of 512 characters',
      { properties: { ['a'.repeat(300)]: { ['b'.repeat(211)]: 1 } } },
      'invalid_argument',
      'must be under 512'
    ],
    ['501 properties', { properties: manyProperties(501) }, 'invalid_argument', 'holds 501 properties'],
    [
      '501 leaves in nested objects',
      { properties: { a: manyProperties(250), b: manyProperties(250), c: 1 } },
      'invalid_argument',
      'holds 501 properties'
    ],
    ['a schema that is not an object', { schema: 'int' }, 'invalid_argument', 'schema must be a JSON object'],
    ['an unknown schema field', { schema: { types: {} } }, 'invalid_argument', 'schema.types'],
    [
      'an unknown schema type',
      { properties: { n: 1 }, schema: { properties: { n: 'integer' } } },
      'invalid_argument',
      'schema.properties["n"] must be one of'
    ],
    [
      'a schema path that is not a property',
      { properties: { n: 1 }, schema: { properties: { m: 'int' } } },
      'invalid_argument',
      '"m", which is not a property'
    ],
    [
      'a schema path naming an object',
      { properties: { a: { b: 1 } }, schema: { properties: { a: 'str' } } },
      'invalid_argument',
      'is not a property (or is an object)'
    ],
    [
      'an int declaration on a fraction',
      { properties: { n: 2.5 }, schema: { properties: { n: 'int' } } },
      'invalid_argument',
      'declares "n" as int'
    ],
    [
      'a date declaration on a non-date',
      { properties: { d: 'yesterday' }, schema: { properties: { d: 'date' } } },
      'invalid_argument',
      'declares "d" as date'
    ],
    [
      'a plural declaration on a scalar',
      { properties: { t: 'a' }, schema: { properties: { t: 'strs' } } },
      'invalid_argument',
      'declares "t" as strs'
    ],
    [
      'a plural declaration with one misfit',
      { properties: { n: [1, 2.5] }, schema: { properties: { n: 'ints' } } },
      'invalid_argument',
      'declares "n" as ints'
    ]
  ])('rejects %s', (_case, body, code, message) => {
    const error = validateCreateUser(body)
    expect(error?.code).toBe(code)
    expect(error?.message).toContain(message)
  })

  it('checks every declared type against its value', () => {
    const fits: [unknown, string][] = [
      ['text', 'str'],
      [['a'], 'strs'],
      [-3, 'int'],
      [[1, 2], 'ints'],
      [1, 'real'],
      [[1.5], 'reals'],
      [true, 'bool'],
      [[false], 'bools'],
      ['2024-02-29', 'date'],
      [['2024-01-31T23:59:59.123+01:00'], 'dates']
    ]
    for (const [value, type] of fits) {
      expect(validateCreateUser({ properties: { v: value }, schema: { properties: { v: type } } })).toBeUndefined()
      expect(validateCreateUser({ properties: { v: {} }, schema: { properties: { v: type } } })?.code).toBe(
        'invalid_argument'
      )
    }
    expect(validateCreateUser({ properties: { v: 1e20 }, schema: { properties: { v: 'int' } } })?.message).toContain(
      'as int'
    )
  })

  it('judges the JSON FullStory would receive, not the JS object', () => {
    expect(validateCreateUser({ uid: 'u', email: undefined, properties: { at: new Date(0) } })).toBeUndefined()
    expect(validateCreateUser({ properties: { n: NaN } })?.message).toContain('properties.n: null')
    expect(validateCreateUser({ properties: { n: BigInt(1) } })?.message).toContain('cannot be serialized')
    const cyclic: Record<string, unknown> = {}
    cyclic.self = cyclic
    expect(validateCreateUser({ properties: cyclic })?.code).toBe('invalid_argument')
  })

  it('counts characters, not UTF-16 units, against length limits', () => {
    expect(validateCreateUser({ uid: '😀'.repeat(256) })).toBeUndefined()
    expect(validateCreateUser({ uid: '😀'.repeat(257) })?.message).toContain('257 characters')
  })

  it('allows deep nesting while the dotted path stays under 512 characters', () => {
    expect(validateCreateUser({ properties: nested(60, 1) })).toBeUndefined()
    expect(validateCreateUser({ properties: nested(80, 1) })?.message).toContain('under 512')
  })
})

describe('validateCreateEvent', () => {
  const base = { name: 'Order Completed' }

  it.each([
    ['a uid and use_most_recent', { user: { uid: 'u1' }, session: { use_most_recent: true } }],
    ['a FullStory user id and use_most_recent', { user: { id: 'fsu_1' }, session: { use_most_recent: true } }],
    ['a uid alone', { user: { uid: 'u1' } }],
    ['a session id alone', { session: { id: '123456789:987654321' } }],
    ['a session uid alone', { session: { uid: 'other-system-session' } }],
    ['use_most_recent false without a user', { session: { use_most_recent: false } }],
    ['no identification (anonymous)', {}],
    [
      'every documented field',
      {
        timestamp: '2024-03-04T05:06:07.123Z',
        properties: { total: 9.99, count: 2, items: ['a', 'b'] },
        schema: { properties: { count: 'int' } },
        user: { uid: 'u1' },
        context: {
          browser: { url: 'https://x.example', user_agent: 'UA', initial_referrer: '' },
          mobile: { app_id: 'com.x', app_version: '1.2', app_name: 'X', build_variant: 'release' },
          device: {
            manufacturer: 'Apple',
            model: 'iPhone',
            screen_width: 1170,
            screen_height: 2532,
            viewport_width: 390,
            viewport_height: 844
          },
          location: {
            country: 'US',
            region: 'California',
            city: 'San Francisco',
            latitude: -90,
            longitude: 180,
            ip_address: '198.51.100.4'
          }
        }
      }
    ],
    ['a timestamp with an offset', { timestamp: '2024-03-04T05:06:07+05:30' }],
    ['a name of 250 characters', { name: 'n'.repeat(250) }]
  ])('accepts %s', (_case, fields) => {
    expect(validateCreateEvent({ ...base, ...fields })).toBeUndefined()
  })

  it.each([
    ['a missing name', {}, 'required_field', 'name is required'],
    ['an empty name', { name: '' }, 'invalid_argument', 'events must have a non-empty name'],
    ['a numeric name', { name: 7 }, 'invalid_argument', 'name must be a string'],
    ['a name over 250 characters', { name: 'n'.repeat(251) }, 'invalid_argument', 'name is 251 characters'],
    ['an unknown field', { ...base, type: 'track' }, 'invalid_argument', 'type is not a field'],
    ['a numeric timestamp', { ...base, timestamp: 1700000000 }, 'invalid_argument', 'timestamp must be'],
    ['a date-only timestamp', { ...base, timestamp: '2024-03-04' }, 'invalid_argument', 'timestamp must be'],
    ['an impossible timestamp', { ...base, timestamp: '2023-02-29T00:00:00Z' }, 'invalid_argument', 'timestamp'],
    ['a timestamp without zone', { ...base, timestamp: '2024-03-04T05:06:07' }, 'invalid_argument', 'timestamp'],
    [
      'a user alongside session.id',
      { ...base, user: { uid: 'u1' }, session: { id: '1:2' } },
      'invalid_argument',
      'a user is not accepted alongside'
    ],
    [
      'a user alongside session.uid',
      { ...base, user: { uid: 'u1' }, session: { uid: 's' } },
      'invalid_argument',
      'session.uid identifies'
    ],
    [
      'use_most_recent without a user',
      { ...base, session: { use_most_recent: true } },
      'required_field',
      'needs user.uid or user.id'
    ],
    [
      'use_most_recent with session.id',
      { ...base, session: { id: '1:2', use_most_recent: true } },
      'invalid_argument',
      'cannot be combined with session.id'
    ],
    ['an empty user', { ...base, user: {} }, 'required_field', 'user needs a uid or an id'],
    ['a user with uid and id', { ...base, user: { uid: 'u', id: 'i' } }, 'invalid_argument', 'not both'],
    ['an unknown user field', { ...base, user: { email: 'a@b.c' } }, 'invalid_argument', 'user.email'],
    ['a uid over 256', { ...base, user: { uid: 'u'.repeat(257) } }, 'invalid_argument', 'user.uid is 257'],
    ['a session id without a colon', { ...base, session: { id: '12345' } }, 'invalid_argument', 'deviceId'],
    ['a session id with an empty part', { ...base, session: { id: '12345:' } }, 'invalid_argument', 'deviceId'],
    [
      'a session URL as session id',
      { ...base, session: { id: 'https://app.fullstory.com/s/1%3A2' } },
      'invalid_argument',
      'session.id'
    ],
    [
      'a non-boolean use_most_recent',
      { ...base, user: { uid: 'u' }, session: { use_most_recent: 'yes' } },
      'invalid_argument',
      'must be a boolean'
    ],
    ['an array of objects', { ...base, properties: { p: [{ a: 1 }] } }, 'invalid_argument', 'arrays of objects'],
    [
      'an event schema on a missing path',
      { ...base, properties: {}, schema: { properties: { n: 'int' } } },
      'invalid_argument',
      'not a property'
    ],
    [
      'an unknown context group',
      { ...base, context: { integration: 'segment' } },
      'invalid_argument',
      'context.integration'
    ],
    [
      'an unknown browser key',
      { ...base, context: { browser: { referrer_url: '' } } },
      'invalid_argument',
      'context.browser.referrer_url'
    ],
    [
      'a numeric url',
      { ...base, context: { browser: { url: 1 } } },
      'invalid_argument',
      'context.browser.url must be a string'
    ],
    [
      'a fractional screen width',
      { ...base, context: { device: { screen_width: 10.5 } } },
      'invalid_argument',
      'screen_width must be a 32-bit integer'
    ],
    [
      'a width beyond int32',
      { ...base, context: { device: { viewport_width: 2 ** 31 } } },
      'invalid_argument',
      'viewport_width'
    ],
    [
      'a country name',
      { ...base, context: { location: { country: 'United States' } } },
      'invalid_argument',
      'ISO 3166-1 alpha-2'
    ],
    ['a lowercase country', { ...base, context: { location: { country: 'us' } } }, 'invalid_argument', 'country'],
    ['a latitude out of range', { ...base, context: { location: { latitude: 91 } } }, 'invalid_argument', 'latitude'],
    ['a string longitude', { ...base, context: { location: { longitude: '10' } } }, 'invalid_argument', 'longitude'],
    ['a context that is a string', { ...base, context: 'web' }, 'invalid_argument', 'context must be a JSON object']
  ])('rejects %s', (_case, body, code, message) => {
    const error = validateCreateEvent(body)
    expect(error?.code).toBe(code)
    expect(error?.message).toContain(message)
  })

  it('has no property count limit for events, but keeps the value size limit', () => {
    expect(validateCreateEvent({ ...base, properties: manyProperties(900) })).toBeUndefined()
    expect(validateCreateEvent({ ...base, properties: { note: 'x'.repeat(8193) } })?.message).toContain('8193 bytes')
  })
})

describe('the ISO-8601 profile', () => {
  it('accepts RFC 3339 date-times and, for date properties, calendar dates', () => {
    for (const ok of ['2024-02-29T12:00:00Z', '1999-12-31T23:59:60.5-08:00', '2024-01-01T00:00:00.123456789+14:00']) {
      expect(isIsoDateTime(ok)).toBe(true)
    }
    for (const bad of [
      '2024-02-30T00:00:00Z',
      '2024-13-01T00:00:00Z',
      '2024-01-01T24:00:00Z',
      '2024-01-01 00:00:00Z'
    ]) {
      expect(isIsoDateTime(bad)).toBe(false)
    }
    expect(isIsoDate('2000-02-29')).toBe(true)
    expect(isIsoDate('1900-02-29')).toBe(false)
    expect(isIsoDate('0000-02-29')).toBe(true)
    expect(isIsoDate('2024-1-1')).toBe(false)
  })
})

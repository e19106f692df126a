import fc from 'fast-check'

/**
 * Arbitrary Segment events for the fuzz suite: what a source can really send (JSON, so no NaN, Dates or cycles
 * survive), with awkward strings, numbers, shapes and types everywhere a mapping reads from.
 */

// ---------------------------------------------------------------------------------------------
// Scalars
// ---------------------------------------------------------------------------------------------

const oddText = fc.constantFrom(
  '',
  ' ',
  '\t\n',
  '名前',
  '😀',
  'a😀b',
  '\ud800', // a lone surrogate
  '\u0000',
  '"quoted"\\',
  'null',
  'undefined',
  '__proto__',
  'constructor',
  'ünïcödé',
  'x'.repeat(300)
)

/** Strings near or over FullStory's 8192-byte value limit, in 1- to 4-byte characters. */
const oversized = fc
  .tuple(fc.constantFrom('x', 'é', '€', '😀', '"', '\n'), fc.integer({ min: 2000, max: 9500 }))
  .map(([unit, n]) => unit.repeat(Math.ceil(n / unit.length)))

export const text = fc.oneof(
  { weight: 4, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 16 }) },
  { weight: 2, arbitrary: fc.string({ unit: 'grapheme', maxLength: 8 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'binary', maxLength: 8 }) },
  { weight: 2, arbitrary: oddText },
  { weight: 1, arbitrary: oversized }
)

export const number = fc.oneof(
  fc.integer(),
  fc.integer({ min: -(2 ** 31), max: 0 }),
  fc.maxSafeInteger(),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.constantFrom(0, -0, 0.1, -1, 2 ** 53, 2 ** 53 + 2, 2 ** 63, 1e21, -1e300, 1.7976931348623157e308, 5e-324)
)

const isoDate = fc
  .date({ min: new Date('0001-01-01T00:00:00Z'), max: new Date('9999-12-31T23:59:59Z'), noInvalidDate: true })
  .map((d) => d.toISOString())
  .chain((iso) => fc.constantFrom(iso, iso.slice(0, 10), iso.replace('Z', '+05:30')))

export const scalar = fc.oneof(
  { weight: 5, arbitrary: text },
  { weight: 3, arbitrary: number },
  { weight: 1, arbitrary: isoDate },
  { weight: 1, arbitrary: fc.boolean() },
  { weight: 1, arbitrary: fc.constant(null) }
)

// ---------------------------------------------------------------------------------------------
// Objects: traits and properties
// ---------------------------------------------------------------------------------------------

/**
 * Property names. Not `__proto__`: actions-core's mapping copies objects with Object.assign, which turns that own
 * key into a prototype, so the action never receives it (a framework limit, outside the destination's reach).
 */
export const key = fc
  .oneof(
    { weight: 3, arbitrary: fc.string({ unit: 'grapheme-ascii', maxLength: 10 }) },
    {
      weight: 3,
      arbitrary: fc.constantFrom(
        ...['a', 'a b', 'a-b', 'a_b', 'plan_str', 'n_int', '2fa', '', '_', '名前', 'values', 'a.b'],
        // Legal names that end like v1 type suffixes, or hold `__`: sent exactly as written.
        ...['signup_date', 'signup', 'is_real', 'price_real', 'a__b', 'plan_']
      )
    },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme', maxLength: 6 }) },
    { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 150, maxLength: 300 }) }
  )
  .filter((name) => name !== '__proto__')

const { value: jsonValue } = fc.letrec((tie) => ({
  value: fc.oneof(
    { depthSize: 'small', maxDepth: 4, withCrossShrink: true },
    { weight: 6, arbitrary: scalar },
    { weight: 2, arbitrary: tie('array') },
    { weight: 2, arbitrary: tie('object') },
    { weight: 1, arbitrary: tie('arrayOfObjects') }
  ),
  array: fc.array(tie('value'), { maxLength: 5 }),
  object: fc.dictionary(key, tie('value'), { maxKeys: 5, noNullPrototype: true }),
  arrayOfObjects: fc.array(tie('object'), { maxLength: 4 })
}))

/** Objects or arrays nested far deeper than anyone means to, under short or long keys. */
const deep = fc
  .tuple(fc.integer({ min: 10, max: 90 }), fc.constantFrom('k', 'level', 'x'.repeat(40)), scalar, fc.boolean())
  .map(([depth, name, leaf, arrays]) => {
    let v: unknown = leaf
    for (let i = 0; i < depth; i++) v = arrays ? [v, i] : { [name]: v, i }
    return v
  })

/** Large arrays, to cross the 8192-byte array limit. */
const bigArray = fc.oneof(
  fc.array(fc.integer(), { minLength: 700, maxLength: 2500 }),
  fc.integer({ min: 100, max: 1200 }).map((n) => Array.from({ length: n }, (_, i) => `item-${i}`))
)

const value = fc.oneof(
  { weight: 12, arbitrary: jsonValue },
  { weight: 1, arbitrary: deep },
  { weight: 1, arbitrary: bigArray }
)

/** More keys than FullStory keeps for a user (500), so the count limit is reached. */
const manyKeys = fc
  .tuple(fc.integer({ min: 480, max: 620 }), fc.boolean())
  .map(([n, nested]) => Object.fromEntries(Array.from({ length: n }, (_, i) => [`k${i}`, nested ? { v: i } : i])))

export const propertiesObject: fc.Arbitrary<Record<string, unknown>> = fc.oneof(
  { weight: 10, arbitrary: fc.dictionary(key, value, { maxKeys: 10, noNullPrototype: true }) },
  { weight: 1, arbitrary: manyKeys }
)

/** A value of the wrong type for a string, number or object field. */
export const wrongType = fc.oneof(
  fc.constantFrom<unknown>({}, [], [1, 2], { nested: true }, true, null),
  fc.array(scalar, { minLength: 2, maxLength: 3 }),
  number
)

/** Usually `valid`; now and then a value of the wrong type, which actions-core's schema check refuses. */
const mostly = <T>(valid: fc.Arbitrary<T>, wrongWeight = 1, validWeight = 12) =>
  fc.oneof({ weight: validWeight, arbitrary: valid }, { weight: wrongWeight, arbitrary: wrongType })

// ---------------------------------------------------------------------------------------------
// Fields
// ---------------------------------------------------------------------------------------------

const identifier = fc.oneof(
  { weight: 5, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 1, maxLength: 20 }) },
  { weight: 2, arbitrary: text },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 250, maxLength: 262 }) },
  { weight: 1, arbitrary: fc.string({ unit: 'grapheme', minLength: 120, maxLength: 140 }) }
)

export const userId = mostly(identifier)

export const anonymousId = fc.oneof(identifier, fc.integer())

/** Timestamps from the sensible to the absurd: every form Segment, a JS client or a hand-written file sends. */
export const timestamp = fc.oneof(
  { weight: 16, arbitrary: isoDate },
  {
    weight: 3,
    arbitrary: fc.constantFrom<unknown>(
      '2024-02-30T10:00:00Z',
      '2023-02-29',
      '2024-01-01T24:00:00Z',
      '2024-01-01T10:00:00.5',
      '2024-01-01T10:00:00+02',
      '2024-01-01 10:00',
      '0000-01-01',
      '0099-05-05T00:00:00',
      '9999-12-31T23:59:59-01:00',
      '10000-01-01',
      '-000001-01-01T00:00:00Z',
      'Tue, 05 Mar 2024 10:00:00 GMT',
      'Jan 1 2024',
      'next tuesday',
      '',
      '  ',
      '-5',
      '+5',
      '1700000000.5',
      '00000000000000000005',
      '1e+21',
      8.64e15,
      -8.64e15,
      -1,
      0,
      1e21,
      1704069000000,
      1704069000,
      {},
      true
    )
  },
  { weight: 2, arbitrary: fc.integer({ min: -9e15, max: 9e15 }) },
  { weight: 1, arbitrary: fc.integer({ min: -9e15, max: 9e15 }).map(String) },
  { weight: 1, arbitrary: text }
)

const sessionPart = fc.oneof(
  { weight: 8, arbitrary: fc.stringMatching(/^[A-Za-z0-9]{1,12}$/) },
  { weight: 1, arbitrary: fc.constantFrom('', 'a b', 'a/b', 'a:b', '%', '😀', '\n') }
)

export const sessionUrl = fc.oneof(
  { weight: 4, arbitrary: fc.tuple(sessionPart, sessionPart).map(([device, session]) => `${device}:${session}`) },
  {
    weight: 3,
    arbitrary: fc
      .tuple(sessionPart, sessionPart, fc.constantFrom('https://app.fullstory.com/ui/o-1/session/', 'HTTP://x/y/'))
      .map(([device, session, base]) => `${base}${encodeURIComponent(`${device}:${session}`)}`)
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<unknown>(
      'https://',
      'https://app.fullstory.com/',
      'https://x/%E0%A4%A',
      ' 1:2 ',
      '1:2:3',
      42,
      ''
    )
  },
  { weight: 1, arbitrary: text }
)

// Context has sixteen mapped parts: a wrong type in any one refuses the event, so each is rarely wrong.
const contextString = mostly(text, 1, 60)
const contextNumber = fc.oneof(
  { weight: 40, arbitrary: number },
  { weight: 8, arbitrary: fc.constantFrom<unknown>('1080', '', null, 90.000001, -180.5, 1e10, -3, 2.5) },
  { weight: 1, arbitrary: fc.constantFrom<unknown>('wide', [1, 2], {}) }
)

/** Segment's context, every part optional, with odd values in each. */
export const context = fc.record(
  {
    ip: contextString,
    userAgent: contextString,
    locale: contextString,
    page: fc.record({ url: contextString, referrer: contextString, path: contextString }, { requiredKeys: [] }),
    app: fc.record({ name: contextString, version: contextString, namespace: contextString }, { requiredKeys: [] }),
    device: fc.record({ manufacturer: contextString, model: contextString }, { requiredKeys: [] }),
    screen: fc.record({ width: contextNumber, height: contextNumber }, { requiredKeys: [] }),
    location: fc.record(
      {
        city: contextString,
        region: contextString,
        country: fc.oneof(
          fc.constantFrom<unknown>('US', 'de', ' gb ', 'United States', 'USA', 'Ü1', ''),
          fc.stringMatching(/^[A-Za-z]{2}$/),
          contextString
        ),
        latitude: contextNumber,
        longitude: contextNumber
      },
      { requiredKeys: [] }
    )
  },
  { requiredKeys: [] }
)

// ---------------------------------------------------------------------------------------------
// Events
// ---------------------------------------------------------------------------------------------

/** Traits that also feed FullStory's top-level email and display_name, with their duplicates and clashes. */
const identityTraits = fc.record(
  {
    email: mostly(
      fc.oneof(
        { weight: 6, arbitrary: fc.emailAddress() },
        { weight: 2, arbitrary: text },
        { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 120, maxLength: 135 }) }
      ),
      1,
      8
    ),
    name: mostly(text, 1, 8),
    displayName: text,
    display_name: text,
    segmentAnonymousId: scalar
  },
  { requiredKeys: [] }
)

const traits = mostly(fc.tuple(propertiesObject, identityTraits).map(([rest, ids]) => ({ ...rest, ...ids })))

const properties = mostly(propertiesObject)

const messageId = fc.oneof(fc.string({ unit: 'grapheme', maxLength: 40 }), fc.integer())

/** Mostly events with every field present; one in four with any of them missing. */
function event<T extends Record<string, fc.Arbitrary<unknown>>>(fields: T) {
  return fc.oneof(
    { weight: 3, arbitrary: fc.record(fields) },
    { weight: 1, arbitrary: fc.record(fields, { requiredKeys: ['type'] }) }
  )
}

export const identifyEvent = event({
  type: fc.constant('identify'),
  userId,
  anonymousId,
  messageId,
  timestamp,
  traits,
  context
})

export const trackEvent = event({
  type: fc.constant('track'),
  event: mostly(
    fc.oneof(
      { weight: 8, arbitrary: fc.string({ unit: 'grapheme', minLength: 1, maxLength: 40 }) },
      { weight: 3, arbitrary: text },
      { weight: 1, arbitrary: fc.string({ unit: 'grapheme-ascii', minLength: 245, maxLength: 255 }) }
    )
  ),
  userId,
  anonymousId,
  messageId,
  timestamp,
  properties,
  context,
  // Read by the session mappings below.
  fullstory: fc.record(
    { sessionUrl, recent: fc.oneof({ weight: 6, arbitrary: fc.boolean() }, { weight: 1, arbitrary: text }) },
    { requiredKeys: [] }
  )
})

/** Mappings a workspace could save for Track Custom Event, on top of the defaults. */
export const trackMapping = fc.constantFrom<Record<string, unknown>>(
  {},
  { sessionUrl: { '@path': '$.fullstory.sessionUrl' } },
  { useRecentSession: false },
  { useRecentSession: { '@path': '$.fullstory.recent' }, sessionUrl: { '@path': '$.fullstory.sessionUrl' } }
)

/** What a source really delivers: the event after a JSON round trip. */
export function asDelivered<T>(event: T): T {
  return JSON.parse(JSON.stringify(event)) as T
}

// ---------------------------------------------------------------------------------------------
// Timestamps with a known instant
// ---------------------------------------------------------------------------------------------

const pad = (n: number, width: number) => String(n).padStart(width, '0')

/** An ISO-8601 timestamp in any form the destination reads, with the RFC 3339 text of the instant it denotes. */
export const isoTimestamp = fc
  .record({
    year: fc.oneof(fc.integer({ min: 0, max: 9999 }), fc.constantFrom(0, 1, 99, 100, 1900, 2024, 9999)),
    month: fc.integer({ min: 1, max: 12 }),
    day: fc.integer({ min: 1, max: 31 }), // impossible days included
    hour: fc.integer({ min: 0, max: 23 }),
    minute: fc.integer({ min: 0, max: 59 }),
    second: fc.integer({ min: 0, max: 59 }),
    fraction: fc.stringMatching(/^\d{0,9}$/),
    separator: fc.constantFrom('T', ' ', 't'),
    zone: fc.oneof(
      fc.constantFrom('Z', 'z', ''),
      fc
        .tuple(
          fc.constantFrom('+', '-'),
          fc.integer({ min: 0, max: 23 }),
          fc.integer({ min: 0, max: 59 }),
          fc.boolean()
        )
        .map(([sign, hours, minutes, colon]) => `${sign}${pad(hours, 2)}${colon ? ':' : ''}${pad(minutes, 2)}`)
    )
  })
  .map((t) => {
    const date = `${pad(t.year, 4)}-${pad(t.month, 2)}-${pad(t.day, 2)}`
    const time = `${pad(t.hour, 2)}:${pad(t.minute, 2)}:${pad(t.second, 2)}`
    const fraction = t.fraction ? `.${t.fraction}` : ''
    // The same instant in the ECMAScript date-time format, which Date parses exactly for 4-digit years.
    const zone = /^[+-]\d{4}$/.test(t.zone) ? `${t.zone.slice(0, 3)}:${t.zone.slice(3)}` : t.zone.toUpperCase() || 'Z'
    const milliseconds = t.fraction.padEnd(3, '0').slice(0, 3)
    return {
      text: `${date}${t.separator}${time}${fraction}${t.zone}`,
      instant: `${date}T${time}.${milliseconds}${zone}`,
      realDay: t.day <= daysInMonth(t.year, t.month)
    }
  })

function daysInMonth(year: number, month: number): number {
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0)
  return [31, leap ? 29 : 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]
}

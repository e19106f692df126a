import { isIsoDate, transformProperties } from '../properties'

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

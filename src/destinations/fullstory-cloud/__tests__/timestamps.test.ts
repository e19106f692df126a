import { toUtcIso } from '../timestamps'

// Regressions found by the repo's fuzz suite: timestamps that were sent changed, or that FullStory refuses. That
// the sandbox accepts these values is checked outside this folder (root __tests__/regressions.sandbox.test.ts).
describe('toUtcIso', () => {
  it('refuses dates outside the years 0000-9999, which have no RFC 3339 form FullStory accepts', () => {
    for (const value of [
      8.64e15,
      -62167219200001,
      '10000-01-01',
      '-000001-01-01T00:00:00Z',
      '0000-01-01T00:30:00+01:00'
    ]) {
      expect(toUtcIso(value)).toBeUndefined()
    }
    expect(toUtcIso(253402300799999)).toBe('9999-12-31T23:59:59.999Z')
  })

  it('keeps the years 0000-0099 instead of reading them as 1900-1999', () => {
    expect(toUtcIso('0099-05-05')).toBe('0099-05-05T00:00:00.000Z')
    expect(toUtcIso('0001-01-01T00:00:00')).toBe('0001-01-01T00:00:00.000Z')
    expect(toUtcIso('0000-02-29')).toBe('0000-02-29T00:00:00.000Z') // year 0 is a leap year
  })

  it('reads a short fraction of a second without an offset as tenths, not milliseconds', () => {
    expect(toUtcIso('2024-01-01T10:00:00.5')).toBe('2024-01-01T10:00:00.500Z')
    expect(toUtcIso('2024-01-01 10:00:00.25')).toBe('2024-01-01T10:00:00.250Z')
  })

  it('reads signed and fractional numeric strings as epoch seconds, not as calendar text', () => {
    expect(toUtcIso('-5')).toBe('1969-12-31T23:59:55.000Z') // was 2001-05-01
    expect(toUtcIso('+5')).toBe('1970-01-01T00:00:05.000Z')
    expect(toUtcIso('1700000000.5')).toBe('2023-11-14T22:13:20.500Z') // was 1699-11-30
    expect(toUtcIso('-1700000000000')).toBe('1916-02-18T01:46:40.000Z') // 13 digits: milliseconds
  })

  it('reads an offset written as hours only', () => {
    expect(toUtcIso('2024-01-01T10:00:00+02')).toBe('2024-01-01T08:00:00.000Z')
  })

  it('still reads what it read before', () => {
    expect(toUtcIso('2024-05-06T07:08:09.123+02:00')).toBe('2024-05-06T05:08:09.123Z')
    expect(toUtcIso('2024-01-01T05:30:00')).toBe('2024-01-01T05:30:00.000Z')
    expect(toUtcIso('1704069000')).toBe('2024-01-01T00:30:00.000Z')
    expect(toUtcIso(1704069000000)).toBe('2024-01-01T00:30:00.000Z')
    expect(toUtcIso('Tue, 05 Mar 2024 10:00:00 GMT')).toBe('2024-03-05T10:00:00.000Z')
    expect(toUtcIso('2024-02-30T10:00:00Z')).toBeUndefined()
  })

  it('reads 24:00:00 as the end of its day, and nothing later than that', () => {
    expect(toUtcIso('2024-01-31T24:00:00Z')).toBe('2024-02-01T00:00:00.000Z')
    expect(toUtcIso('2024-12-31T24:00:00.000+01:00')).toBe('2024-12-31T23:00:00.000Z')
    expect(toUtcIso('2024-01-31T24:00:01Z')).toBeUndefined()
    expect(toUtcIso('2024-01-31T24:30:00Z')).toBeUndefined()
    expect(toUtcIso('2024-01-31T24:00:00.001Z')).toBeUndefined()
    expect(toUtcIso('2024-01-31T25:00:00Z')).toBeUndefined()
  })

  it("reads ISO 8601's basic date (eight digits) and a year alone as dates, not as seconds after 1970", () => {
    expect(toUtcIso('20240131')).toBe('2024-01-31T00:00:00.000Z')
    expect(toUtcIso(' 2024 ')).toBe('2024-01-01T00:00:00.000Z')
    expect(toUtcIso('00010101')).toBe('0001-01-01T00:00:00.000Z')
    // Eight digits that are no date, and other lengths, stay epoch seconds.
    expect(toUtcIso('20241399')).toBe('1970-08-23T06:36:39.000Z')
    expect(toUtcIso('12345')).toBe('1970-01-01T03:25:45.000Z')
    expect(toUtcIso('+2024')).toBe('1970-01-01T00:33:44.000Z')
  })
})

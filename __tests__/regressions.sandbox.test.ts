import { buildEventRequest } from '../src/destinations/fullstory-cloud/events'
import { toUtcIso } from '../src/destinations/fullstory-cloud/timestamps'
import { buildUserRequest } from '../src/destinations/fullstory-cloud/users'
import type { Payload } from '../src/destinations/fullstory-cloud/trackEvent/generated-types'
import type { UserFields } from '../src/destinations/fullstory-cloud/users'
import { validateCreateEvent, validateCreateUser } from '../src/sandbox'

// The fuzz regressions pinned in the destination folder (its timestamps, users and events tests) check what the
// builders return; the folder must not import the sandbox, so that FullStory (as the sandbox models it) accepts those
// very bodies is checked here, with the same inputs. Each check also shows the sandbox refusing what was sent
// before the fix, so an acceptance can fail.

const user = (overrides: Partial<UserFields>): UserFields => ({ uid: 'u1', ...overrides })
const event = (overrides: Partial<Payload>): Payload => ({ name: 'Clicked', ...overrides })
const refused = (words: string) => ({ code: 'invalid_argument', message: expect.stringContaining(words) })

describe('timestamps (folder: __tests__/timestamps.test.ts)', () => {
  it('the year 0000 kept by toUtcIso is a timestamp FullStory accepts', () => {
    const timestamp = toUtcIso('0000-02-29')
    expect(timestamp).toBe('0000-02-29T00:00:00.000Z')
    expect(validateCreateEvent({ name: 'e', timestamp })).toBeUndefined()
    // Read as 1900 or with a 5-digit year, it would not be: the sandbox checks the RFC 3339 form.
    expect(validateCreateEvent({ name: 'e', timestamp: '+010000-01-01T00:00:00.000Z' })).toMatchObject(
      refused('timestamp')
    )
  })
})

describe('buildUserRequest: segmentAnonymousId (folder: __tests__/users.test.ts)', () => {
  it('an anonymous ID cut to 8192 bytes is accepted, the uncut one refused', () => {
    expect(validateCreateUser(buildUserRequest(user({ anonymousId: '€'.repeat(3000) })))).toBeUndefined()
    expect(validateCreateUser({ uid: 'u1', properties: { segmentAnonymousId: '€'.repeat(3000) } })).toMatchObject(
      refused('9000 bytes')
    )
  })

  it("a displaced trait's schema declarations move with it", () => {
    const body = buildUserRequest(user({ anonymousId: 'anon-1', traits: { segmentAnonymousId: 0, plan: 'pro' } }))
    expect(body.schema).toEqual({ properties: { segmentAnonymousId_2: 'int' } })
    expect(validateCreateUser(body)).toBeUndefined()
    // Left on the anonymous ID, the declaration would describe a string as an int.
    expect(validateCreateUser({ ...body, schema: { properties: { segmentAnonymousId: 'int' } } })).toMatchObject(
      refused('as int')
    )
  })

  it('nested declarations move too, leaving out leaves whose longer path would reach 512 characters', () => {
    const fits = 'a'.repeat(489)
    const tooLong = 'b'.repeat(492)
    const body = buildUserRequest(
      user({ anonymousId: 'anon-1', traits: { segmentAnonymousId: { [fits]: 1, [tooLong]: '2024-01-31' } } })
    )
    expect(validateCreateUser(body)).toBeUndefined()
    expect(
      validateCreateUser({ ...body, properties: { ...body.properties, segmentAnonymousId_2: { [tooLong]: 'x' } } })
    ).toMatchObject(refused('513 characters'))
  })
})

describe('buildEventRequest: the user an event names (folder: __tests__/events.test.ts)', () => {
  it('a 256-character userId is accepted, 257 characters refused', () => {
    expect(validateCreateEvent(buildEventRequest(event({ userId: 'u'.repeat(256) })))).toBeUndefined()
    expect(validateCreateEvent({ name: 'Clicked', user: { uid: 'u'.repeat(257) } })).toMatchObject(refused('257'))
  })
})

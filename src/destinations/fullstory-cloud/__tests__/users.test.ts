import { buildUserRequest } from '../users'
import type { UserFields } from '../users'
import type { DroppedProperty } from '../properties'

const payload = (overrides: Partial<UserFields>): UserFields => ({ uid: 'u1', ...overrides })

// Regressions found by the repo's fuzz suite: requests FullStory refuses, built from identify calls. That the
// sandbox accepts each body built here is checked outside this folder (root __tests__/regressions.sandbox.test.ts).
describe('buildUserRequest: segmentAnonymousId', () => {
  it('cuts an anonymous ID over 8192 bytes like any property string', () => {
    const body = buildUserRequest(payload({ anonymousId: '€'.repeat(3000) })) // 9000 bytes
    expect(body.properties?.segmentAnonymousId).toBe('€'.repeat(2730)) // 8190 bytes: a 4th byte would split one
  })

  it("moves a displaced trait's schema declarations with it, so they do not describe the anonymous ID", () => {
    const body = buildUserRequest(payload({ anonymousId: 'anon-1', traits: { segmentAnonymousId: 0, plan: 'pro' } }))
    expect(body.properties).toEqual({ segmentAnonymousId: 'anon-1', segmentAnonymousId_2: 0, plan: 'pro' })
    expect(body.schema).toEqual({ properties: { segmentAnonymousId_2: 'int' } })
  })

  it('moves nested declarations too, leaving out leaves whose longer path would reach 512 characters', () => {
    const fits = 'a'.repeat(489) // segmentAnonymousId_2.<489> is 510 characters
    const tooLong = 'b'.repeat(492) // segmentAnonymousId.<492> is 511, segmentAnonymousId_2.<492> would be 513
    const body = buildUserRequest(
      payload({ anonymousId: 'anon-1', traits: { segmentAnonymousId: { [fits]: 1, [tooLong]: '2024-01-31' } } })
    )
    expect(body.properties).toEqual({ segmentAnonymousId: 'anon-1', segmentAnonymousId_2: { [fits]: 1 } })
    expect(body.schema).toEqual({ properties: { [`segmentAnonymousId_2.${fits}`]: 'int' } })
  })

  it('keeps a trait equal to the anonymous ID under the name, with no copy', () => {
    const body = buildUserRequest(payload({ anonymousId: 'anon-1', traits: { segmentAnonymousId: 'anon-1' } }))
    expect(body.properties).toEqual({ segmentAnonymousId: 'anon-1' })
  })
})

describe("buildUserRequest: values over FullStory's email and display name limits", () => {
  const longEmail = `${'a'.repeat(124)}@example.com` // 136 characters; FullStory's email takes 128

  it('leaves a long email out of the email field, keeps the trait as a property, and reports it', () => {
    const dropped: DroppedProperty[] = []
    const body = buildUserRequest(
      { uid: 'u1', email: longEmail, traits: { email: longEmail, plan: 'pro' } },
      { dropped }
    )
    expect(body).toEqual({ uid: 'u1', properties: { email: longEmail, plan: 'pro' } })
    expect(dropped).toEqual([{ path: 'email', reason: 'too-long' }])
  })

  it('sends an email of exactly 128 characters in its field, with no copy in the properties', () => {
    const email = `${'a'.repeat(116)}@example.com`
    expect(buildUserRequest({ uid: 'u1', email, traits: { email } })).toEqual({ uid: 'u1', email })
  })

  it('cuts a long display name to 256 characters, never inside a character, and keeps the whole name as a trait', () => {
    const dropped: DroppedProperty[] = []
    const name = `${'n'.repeat(255)}😀 and more`
    const body = buildUserRequest({ uid: 'u1', displayName: name, traits: { name } }, { dropped })
    expect(body.display_name).toBe('n'.repeat(255))
    expect(body.properties).toEqual({ name })
    expect(dropped).toEqual([{ path: 'displayName', reason: 'truncated' }])
  })
})

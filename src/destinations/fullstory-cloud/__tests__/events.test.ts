import { PayloadValidationError } from '@segment/actions-core'
import { buildEventRequest } from '../events'
import type { Payload } from '../trackEvent/generated-types'

const payload = (overrides: Partial<Payload>): Payload => ({ name: 'Clicked', ...overrides })

// Regression found by the repo's fuzz suite: a uid over 256 characters was sent, and FullStory refuses it. That the
// sandbox accepts the body built here is checked outside this folder (root __tests__/regressions.sandbox.test.ts).
describe('buildEventRequest: the user an event names', () => {
  it('refuses a userId over 256 characters instead of sending a request FullStory rejects', () => {
    const build = () => buildEventRequest(payload({ userId: ' '.repeat(256) + '!' }))
    expect(build).toThrow(PayloadValidationError)
    expect(build).toThrow('userId is 257 characters long; FullStory accepts at most 256.')
  })

  it('sends a 256-character userId', () => {
    const body = buildEventRequest(payload({ userId: 'u'.repeat(256) }))
    expect(body.user).toEqual({ uid: 'u'.repeat(256) })
  })

  it('applies the uid rule to a mapped userId even when a session URL identifies the event', () => {
    expect(() => buildEventRequest(payload({ userId: 'u'.repeat(300), sessionUrl: '12:34' }))).toThrow(
      'userId is 300 characters long; FullStory accepts at most 256.'
    )
    expect(buildEventRequest(payload({ sessionUrl: '12:34' }))).toEqual({ name: 'Clicked', session: { id: '12:34' } })
  })
})

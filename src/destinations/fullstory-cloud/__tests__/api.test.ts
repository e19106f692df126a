import nock from 'nock'
import { createTestEvent, createTestIntegration, IntegrationError } from '@segment/actions-core'
import definition from '../index'

const testDestination = createTestIntegration(definition)
beforeEach(() => testDestination.responses.splice(0))
const API = 'https://api.fullstory.com'

const track = () =>
  testDestination.testAction('trackEvent', {
    event: createTestEvent({ type: 'track', event: 'Clicked', userId: 'u1', messageId: 'm1' }),
    settings: { apiKey: 'test-key' },
    useDefaultMappings: true
  })

// Regression found by __tests__/fuzz.test.ts: actions-core read a clone of each response while the original
// stayed unread, and node-fetch stalls such a clone past 16 KB, so a long answer hung the request for good.
describe('send: answers over 16 KB', () => {
  it('reads a long error answer and maps it', async () => {
    const message = 'x'.repeat(40_000)
    nock(API).post('/v2/events').reply(400, { message, code: 'invalid_argument' })
    const error = await track().catch((e: unknown) => e)
    expect(error).toBeInstanceOf(IntegrationError)
    // FullStory's message is shown, cut to a bound: a hostile answer cannot flood Segment's delivery log.
    expect((error as Error).message).toContain('x'.repeat(300))
    expect((error as Error).message.length).toBeLessThan(600)
  })

  it('reads a long success answer', async () => {
    nock(API)
      .post('/v2/events')
      .reply(200, { padding: 'x'.repeat(40_000) })
    const [response] = await track()
    expect(response.status).toBe(200)
    expect((response as unknown as { data: { padding: string } }).data.padding).toHaveLength(40_000)
  })
})

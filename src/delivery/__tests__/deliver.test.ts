import nock from 'nock'
import type { SegmentEvent, Subscription } from '@segment/actions-core'
import { API_URL_ENV } from '../../destinations/fullstory-cloud/api'
import { createDeliverer } from '../deliver'
import { presetSubscriptions } from '../subscriptions'

const API = 'http://127.0.0.1:9412'
const API_KEY = 'na1.Secret/key+0123=='
const track = { type: 'track', event: 'Clicked', userId: 'u1', messageId: 'm1' } as unknown as SegmentEvent

beforeAll(() => {
  process.env[API_URL_ENV] = API
  nock.disableNetConnect()
})
afterAll(() => {
  delete process.env[API_URL_ENV]
  nock.enableNetConnect()
})
afterEach(() => nock.cleanAll())

describe('a subscription whose mapping cannot run', () => {
  // Mappings files are checked at start-up (subscriptions.ts); a runner handing the deliverer one directly still
  // gets an outcome for the event, not an exception.
  const broken = (enable_batching: boolean): Subscription => ({
    subscribe: 'type = "track"',
    partnerAction: 'trackEvent',
    mapping: { userId: { '@path': '$.userId' }, name: { '@path': 5 }, enable_batching }
  })
  const deliverer = (subscription: Subscription) =>
    createDeliverer({
      settings: { apiKey: API_KEY },
      subscriptions: [subscription],
      retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1 }
    })
  const expected = {
    status: 'rejected',
    exchanges: [],
    error: expect.objectContaining({
      message: '/name/@path should be a string or a mapping directive but it is a number.'
    })
  }

  it("ends the event rejected with mapping-kit's message, without a stack trace, and sends nothing", async () => {
    const delivery = await deliverer(broken(false)).deliver(track)
    expect(delivery.outcomes).toEqual([expect.objectContaining(expected)])
  })

  it('does the same for every event of a batch', async () => {
    const deliveries = await deliverer(broken(true)).deliverBatch([track, { ...track, messageId: 'm2' }])
    expect(deliveries.map((delivery) => delivery.outcomes)).toEqual([
      [expect.objectContaining(expected)],
      [expect.objectContaining(expected)]
    ])
  })
})

/** Every spelling of the key an echo could use, as `scrub` knows them. */
const spellings = [API_KEY, API_KEY.toLowerCase(), encodeURIComponent(API_KEY), 'na1.Secret\\/key+0123==']

async function deliveredWith(status: number, body: string | object, contentType: string) {
  nock(API).post('/v2/events').reply(status, body, { 'Content-Type': contentType })
  const deliverer = createDeliverer({
    settings: { apiKey: API_KEY },
    subscriptions: presetSubscriptions(),
    retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1, maxWaitMs: 1 }
  })
  return deliverer.deliver(track)
}

describe('what a delivery shows of its requests (the page, the tracking API, dead letters)', () => {
  it.each([
    ['a JSON error that echoes the key in every spelling, in values and names', 400, 'application/json'],
    ['a proxy error page', 502, 'text/html'],
    ['a success that echoes the key', 200, 'application/json']
  ])('never holds the key: %s', async (_, status, contentType) => {
    const echo = spellings.join(' ')
    const body =
      contentType === 'text/html'
        ? `<html>key ${echo}</html>`
        : { message: `bad key ${echo}`, code: 'bad', [API_KEY]: { list: [echo] } }
    const delivery = await deliveredWith(status, body, contentType)
    const shown = JSON.stringify(delivery)
    for (const spelling of spellings) expect(shown).not.toContain(spelling)
    const { exchanges } = delivery.outcomes.find((outcome) => outcome.action === 'trackEvent')!
    expect(exchanges).toHaveLength(1)
    expect(exchanges[0].request.headers.authorization).toBe('Basic [redacted]')
    expect(JSON.stringify(exchanges[0].response.body)).toContain('[redacted]')
    // What is not the key is shown as FullStory sent it.
    expect(exchanges[0].response.status).toBe(status)
    expect(exchanges[0].request.body).toMatchObject({ name: 'Clicked', user: { uid: 'u1' } })
  })

  it('keeps a name `__proto__` in an answer as a name, not as a prototype', async () => {
    const delivery = await deliveredWith(400, '{"message":"m","__proto__":{"polluted":true}}', 'application/json')
    const body = delivery.outcomes.find((outcome) => outcome.action === 'trackEvent')!.exchanges[0].response
      .body as Record<string, unknown>
    expect(Object.getPrototypeOf(body)).toBe(Object.prototype)
    expect(Object.prototype.hasOwnProperty.call(body, '__proto__')).toBe(true)
    expect((body as { polluted?: unknown }).polluted).toBeUndefined()
  })
})

import nock from 'nock'
import type { SegmentEvent } from '@segment/actions-core'
import { API_URL_ENV } from '../../destinations/fullstory-cloud/api'
import { createDeliverer } from '../deliver'
import { presetSubscriptions } from '../subscriptions'

const API = 'http://127.0.0.1:9411'
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

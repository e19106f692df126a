import nock from 'nock'
import type { SegmentEvent, Subscription } from '@segment/actions-core'
import { API_URL_ENV } from '../../destinations/fullstory-cloud/api'
import { createDeliverer } from '../deliver'

const API = 'http://127.0.0.1:9412'
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
      settings: { apiKey: 'k-123456' },
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

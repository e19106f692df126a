import nock from 'nock'
import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import packageEntry from '../src'
import definition from '../src/destinations/fullstory-cloud'
import { PAGE_VIEW_SUBSCRIPTIONS } from '../test/recipes'

const API = 'https://api.fullstory.com'
const presetSubscriptions = (definition.presets ?? []).map((preset) => ({
  ...preset,
  subscribe: 'subscribe' in preset ? preset.subscribe : ''
}))
const settingsWith = (subscriptions: unknown[]) => ({ apiKey: 'e2e-key', subscriptions }) as unknown as JSONObject

const event = (overrides: Partial<SegmentEvent> & Pick<SegmentEvent, 'type'>): SegmentEvent => ({
  messageId: `m-${Math.random()}`,
  timestamp: '2024-03-04T05:06:07.000Z',
  anonymousId: 'anon-1',
  context: { ip: '198.51.100.4', page: { url: 'https://shop.example.com/pricing' } },
  ...overrides
})

describe('the destination as Segment runs it', () => {
  const destination = new Destination(definition)

  it('is the default export of the package entry', () => {
    expect(packageEntry).toBe(definition)
  })

  it('routes identify and track through the presets and leaves page calls alone', async () => {
    const users = nock(API).post('/v2/users').reply(200, { id: 'fs-1' })
    const events = nock(API).post('/v2/events').reply(200, {})
    const settings = settingsWith(presetSubscriptions)

    await destination.onEvent(event({ type: 'identify', userId: 'u1', traits: { name: 'Ann', plan: 'pro' } }), settings)
    await destination.onEvent(
      event({ type: 'track', userId: 'u1', event: 'Upgraded', properties: { seats: 5 } }),
      settings
    )
    const page = await destination.onEvent(event({ type: 'page', userId: 'u1', name: 'Pricing' }), settings)

    expect(users.isDone() && events.isDone()).toBe(true)
    expect(page.map((result) => result.output)).toEqual(['not subscribed', 'not subscribed'])
  })

  it('sends page and screen calls as "Viewed … " events with the README recipe', async () => {
    const bodies: Record<string, any>[] = []
    nock(API)
      .post('/v2/events', (body) => bodies.push(body) > 0)
      .times(3)
      .reply(200, {})
    const settings = settingsWith([...presetSubscriptions, ...PAGE_VIEW_SUBSCRIPTIONS])

    await destination.onEvent(
      event({ type: 'page', userId: 'u1', name: 'Pricing', properties: { plan: 'pro' } }),
      settings
    )
    await destination.onEvent(event({ type: 'screen', userId: 'u1', name: 'Home' }), settings)
    await destination.onEvent(event({ type: 'page', userId: 'u1' }), settings)

    expect(bodies.map((b) => b.name)).toEqual(['Viewed Pricing Page', 'Viewed Home Screen', 'Viewed Page'])
    expect(bodies[0]).toMatchObject({
      user: { uid: 'u1' },
      properties: { plan: 'pro' },
      context: { browser: { url: 'https://shop.example.com/pricing' } }
    })
  })
})

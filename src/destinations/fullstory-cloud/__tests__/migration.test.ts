import nock from 'nock'
import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../index'

/**
 * Saved subscriptions of Segment's earlier FullStory destination (same slug), as customers have them: its presets
 * (which name identifyUserV2 and trackEventV2) and typical customised mappings of all four of its actions. Each
 * runs through Destination.onEvent, as Segment runs it, and must produce the request FullStory expects.
 */
const API = 'https://api.fullstory.com'
const destination = new Destination(definition)

/** The earlier destination's preset mappings: its fields' defaults. */
const EARLIER_PRESETS = {
  identifyUserV2: {
    uid: { '@path': '$.userId' },
    anonymousId: { '@path': '$.anonymousId' },
    displayName: { '@path': '$.traits.name' },
    email: { '@path': '$.traits.email' },
    properties: { '@path': '$.traits' }
  },
  trackEventV2: {
    userId: { '@path': '$.userId' },
    name: { '@path': '$.event' },
    properties: { '@path': '$.properties' },
    timestamp: { '@path': '$.timestamp' }
  },
  // Its v1 actions share our action keys; customers who never moved to V2 have these.
  identifyUser: {
    userId: { '@path': '$.userId' },
    anonymousId: { '@path': '$.anonymousId' },
    displayName: { '@path': '$.traits.name' },
    email: { '@path': '$.traits.email' },
    traits: { '@path': '$.traits' }
  },
  trackEvent: {
    userId: { '@path': '$.userId' },
    name: { '@path': '$.event' },
    properties: { '@path': '$.properties' },
    timestamp: { '@path': '$.timestamp' }
  }
}

const subscription = (partnerAction: string, subscribe: string, mapping: JSONObject) => ({
  name: `saved ${partnerAction}`,
  subscribe,
  partnerAction,
  mapping
})

const settingsWith = (subscriptions: unknown[], extra: JSONObject = {}): JSONObject => {
  const settings: unknown = { apiKey: 'migrating-key', ...extra, subscriptions }
  return settings as JSONObject
}

const identify: SegmentEvent = {
  type: 'identify',
  userId: 'user-7',
  anonymousId: 'anon-7',
  messageId: 'msg-identify-7',
  timestamp: '2024-02-03T04:05:06.000Z',
  traits: {
    name: 'Grace Hopper',
    email: 'grace@example.com',
    plan: 'enterprise',
    'first-property': 'kept',
    signup_date: '2024-01-15',
    logins: 12
  }
}

const track: SegmentEvent = {
  type: 'track',
  event: 'Order Completed',
  userId: 'user-7',
  anonymousId: 'anon-7',
  messageId: 'msg-track-7',
  timestamp: '2024-02-03T04:05:06.000Z',
  context: { page: { url: 'https://shop.example.com/cart' }, ip: '203.0.113.9' },
  properties: { total: 42.5, items: 3, renewal_date: '2025-02-03', 'coupon-code': 'SPRING' }
}

interface Captured {
  path: string
  body: any
  key?: string
}

function captureFullStory(): Captured[] {
  const captured: Captured[] = []
  nock(API)
    .persist()
    .post(/.*/)
    .reply(function (path, body) {
      const key = this.req.headers['idempotency-key']
      captured.push({ path, body, key: key === undefined ? undefined : String(key) })
      return [200, path.endsWith('/batch') ? { job: { id: 'job-1', status: 'PROCESSING' } } : {}]
    })
  return captured
}

afterEach(() => {
  nock.cleanAll()
  destination.responses.length = 0
})

describe("the earlier destination's presets (identifyUserV2, trackEventV2)", () => {
  const presets = [
    subscription('identifyUserV2', 'type = "identify"', EARLIER_PRESETS.identifyUserV2),
    subscription('trackEventV2', 'type = "track"', EARLIER_PRESETS.trackEventV2)
  ]

  it('deliver identify calls as FullStory users, instead of answering "not subscribed"', async () => {
    const captured = captureFullStory()
    const results = await destination.onEvent(identify, settingsWith(presets))
    expect(results.map((r) => r.output)).toContain('Action Executed')
    expect(captured).toEqual([
      {
        path: '/v2/users',
        key: undefined, // a saved mapping has no messageId field: no Idempotency-Key (the README says what to add)
        body: {
          uid: 'user-7',
          email: 'grace@example.com',
          display_name: 'Grace Hopper',
          properties: {
            plan: 'enterprise',
            first_property: 'kept',
            signup_date: '2024-01-15',
            logins: 12,
            segmentAnonymousId: 'anon-7'
          },
          schema: { properties: { signup_date: 'date', logins: 'int' } }
        }
      }
    ])
  })

  it('deliver track calls as FullStory events on the most recent session, with no context unless mapped', async () => {
    const captured = captureFullStory()
    await destination.onEvent(track, settingsWith(presets))
    expect(captured).toEqual([
      {
        path: '/v2/events',
        key: undefined,
        body: {
          name: 'Order Completed',
          user: { uid: 'user-7' },
          // useRecentSession is not in the saved mapping: left unset, it now counts as on.
          session: { use_most_recent: true },
          timestamp: '2024-02-03T04:05:06.000Z',
          properties: { total: 42.5, items: 3, renewal_date: '2025-02-03', coupon_code: 'SPRING' },
          schema: { properties: { items: 'int', renewal_date: 'date' } }
        }
      }
    ])
  })

  it('gain an Idempotency-Key and context once the README fields are added to the saved mapping', async () => {
    const captured = captureFullStory()
    const upgraded = subscription('trackEventV2', 'type = "track"', {
      ...EARLIER_PRESETS.trackEventV2,
      messageId: { '@path': '$.messageId' },
      context: { browser_url: { '@path': '$.context.page.url' }, location_ip_address: { '@path': '$.context.ip' } }
    })
    await destination.onEvent(track, settingsWith([upgraded]))
    expect(captured[0].key).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
    expect(captured[0].body.context).toEqual({
      browser: { url: 'https://shop.example.com/cart' },
      location: { ip_address: '203.0.113.9' }
    })
  })

  it('name properties as the earlier destination did when the setting asks for it, still losing none', async () => {
    const captured = captureFullStory()
    const event = { ...identify, traits: { 'first-property': 'a', firstproperty: 'b', 'First Name': 'Grace' } }
    await destination.onEvent(event, settingsWith(presets, { propertyNameStyle: 'remove' }))
    expect(captured[0].body.properties).toEqual({
      firstproperty_2: 'a',
      firstproperty: 'b',
      FirstName: 'Grace',
      segmentAnonymousId: 'anon-7'
    })
  })

  it('are hidden: a new mapping is made with Identify User and Track Custom Event', () => {
    expect(definition.actions.identifyUserV2.hidden).toBe(true)
    expect(definition.actions.trackEventV2.hidden).toBe(true)
    expect((definition.presets ?? []).map((p) => p.partnerAction)).toEqual(['identifyUser', 'trackEvent'])
  })

  it('accept exactly the earlier field keys with the earlier defaults', () => {
    for (const action of ['identifyUserV2', 'trackEventV2'] as const) {
      const fields = definition.actions[action].fields
      for (const [key, mapping] of Object.entries(EARLIER_PRESETS[action])) {
        expect({ key, default: fields[key]?.default }).toEqual({ key, default: mapping })
      }
    }
    const track = definition.actions.trackEventV2.fields
    expect([track.useRecentSession.default, track.sessionUrl.default]).toEqual([undefined, undefined])
    expect(definition.actions.identifyUserV2.fields.uid.required).not.toBe(true)
  })

  it('send the same request as the visible actions for the same event', async () => {
    const earlier = captureFullStory()
    await destination.onEvent(identify, settingsWith(presets))
    await destination.onEvent(track, settingsWith(presets))
    nock.cleanAll()
    const ours = captureFullStory()
    const visible = (definition.presets ?? []).map((p) =>
      subscription(p.partnerAction, 'subscribe' in p ? p.subscribe : '', p.mapping as JSONObject)
    )
    await destination.onEvent(identify, settingsWith(visible))
    await destination.onEvent(track, settingsWith(visible))
    const withoutContext = ours.map(({ path, body: { context: _context, ...body } }) => ({ path, body }))
    expect(earlier.map(({ path, body }) => ({ path, body }))).toEqual(withoutContext)
  })

  it('batch through import jobs like the visible actions', async () => {
    const captured = captureFullStory()
    const batching = subscription('trackEventV2', 'type = "track"', {
      ...EARLIER_PRESETS.trackEventV2,
      enable_batching: true
    })
    await destination.onBatch(
      [track, { ...track, messageId: 'msg-track-8', event: 'Refunded' }],
      settingsWith([batching])
    )
    expect(captured.map((c) => [c.path, c.body.requests.map((r: { name: string }) => r.name)])).toEqual([
      ['/v2/events/batch', ['Order Completed', 'Refunded']]
    ])
  })
})

describe("customised mappings of the earlier destination's actions", () => {
  it('identifyUser (v1): the same keys as ours, sent through the v2 API', async () => {
    const captured = captureFullStory()
    await destination.onEvent(
      identify,
      settingsWith([subscription('identifyUser', 'type = "identify"', EARLIER_PRESETS.identifyUser)])
    )
    expect(captured[0]).toMatchObject({
      path: '/v2/users',
      body: { uid: 'user-7', email: 'grace@example.com', display_name: 'Grace Hopper' }
    })
  })

  it('trackEvent (v1) with the session fields mapped from properties, as its own tests map them', async () => {
    const captured = captureFullStory()
    const mapping = {
      ...EARLIER_PRESETS.trackEvent,
      useRecentSession: { '@path': '$.properties.useRecentSession' },
      sessionUrl: { '@path': '$.properties.sessionUrl' }
    }
    const event = {
      ...track,
      properties: { ...track.properties, useRecentSession: true, sessionUrl: 'session/url/12345%3A678' }
    }
    await destination.onEvent(event, settingsWith([subscription('trackEvent', 'type = "track"', mapping)]))
    expect(captured[0].body).toMatchObject({ name: 'Order Completed', session: { id: '12345:678' } })
    expect(captured[0].body).not.toHaveProperty('user')
  })

  it('trackEventV2 mapping a custom event name and a property subset', async () => {
    const captured = captureFullStory()
    const mapping = {
      ...EARLIER_PRESETS.trackEventV2,
      name: { '@template': 'Segment: {{event}}' },
      properties: { total: { '@path': '$.properties.total' } },
      useRecentSession: false
    }
    await destination.onEvent(track, settingsWith([subscription('trackEventV2', 'event = "Order Completed"', mapping)]))
    expect(captured[0].body).toEqual({
      name: 'Segment: Order Completed',
      user: { uid: 'user-7' },
      timestamp: '2024-02-03T04:05:06.000Z',
      properties: { total: 42.5 }
    })
  })

  it('identifyUserV2 without a uid is refused clearly, where the earlier destination created an anonymous user', async () => {
    const captured = captureFullStory()
    const run = destination.onEvent(
      { ...identify, userId: undefined },
      settingsWith([subscription('identifyUserV2', 'type = "identify"', EARLIER_PRESETS.identifyUserV2)])
    )
    await expect(run).rejects.toThrow(/needs a userId.*only an anonymousId/)
    expect(captured).toEqual([])
  })
})

import nock from 'nock'
import { createTestEvent, createTestIntegration, PayloadValidationError } from '@segment/actions-core'
import type { JSONObject } from '@segment/actions-core'
import definition from '../../index'
import { recordingObservers } from '../../__tests__/__helpers__/observers'

const testDestination = createTestIntegration(definition)

// The harness keeps the requests of a call that threw; start each test with none.
beforeEach(() => testDestination.responses.splice(0))
const API = 'https://api.fullstory.com'
const settings = { apiKey: 'test-key' }

const track = (overrides: Record<string, unknown> = {}) =>
  createTestEvent({
    type: 'track',
    event: 'Order Completed',
    userId: 'user-42',
    messageId: 'msg-track-1',
    timestamp: '2024-05-06T07:08:09.123+02:00',
    properties: { total: 19.99, items: 2, coupon: 'SPRING' },
    ...overrides
  })

const bodyOf = (responses: { options: { body?: unknown } }[], index = 0) =>
  JSON.parse(String(responses[index].options.body)) as Record<string, any>
const keyOf = (response: { request: Request }) => response.request.headers.get('idempotency-key')

function send(event = track(), mapping?: JSONObject) {
  return testDestination.testAction('trackEvent', { event, settings, mapping, useDefaultMappings: true })
}

describe('Track Custom Event: body', () => {
  it('sends the event with the default mapping', async () => {
    const scope = nock(API).post('/v2/events').reply(200, {})
    const responses = await send()
    expect(scope.isDone()).toBe(true)
    expect(bodyOf(responses)).toEqual({
      name: 'Order Completed',
      timestamp: '2024-05-06T05:08:09.123Z',
      user: { uid: 'user-42' },
      session: { use_most_recent: true },
      properties: { total: 19.99, items: 2, coupon: 'SPRING' },
      schema: { properties: { items: 'int' } },
      context: {
        browser: {
          url: 'https://segment.com/academy/',
          user_agent: expect.stringContaining('iPhone OS 9_1')
        },
        // "United States" is not an ISO 3166-1 alpha-2 code, so country is left out; the rest is kept.
        location: { ip_address: '8.8.8.8', city: 'San Francisco', latitude: 40.2964197, longitude: -76.9411617 }
      }
    })
  })

  it('maps every part of Segment context it knows', async () => {
    nock(API).post('/v2/events').reply(200, {})
    const responses = await send(
      track({
        context: {
          ip: '203.0.113.9',
          userAgent: 'FooApp/1.0',
          page: { url: 'https://example.com/p', referrer: 'https://google.com/' },
          app: { name: 'Foo', version: '1.2.3', namespace: 'com.example.foo' },
          device: { manufacturer: 'Apple', model: 'iPhone15,2' },
          screen: { width: 1179, height: 2556 },
          location: { city: 'Paris', region: 'Île-de-France', country: 'fr', latitude: 48.85, longitude: 2.35 }
        }
      })
    )
    expect(bodyOf(responses).context).toEqual({
      browser: { url: 'https://example.com/p', user_agent: 'FooApp/1.0', initial_referrer: 'https://google.com/' },
      mobile: { app_name: 'Foo', app_version: '1.2.3', app_id: 'com.example.foo' },
      device: { manufacturer: 'Apple', model: 'iPhone15,2', screen_width: 1179, screen_height: 2556 },
      location: {
        ip_address: '203.0.113.9',
        city: 'Paris',
        region: 'Île-de-France',
        country: 'FR',
        latitude: 48.85,
        longitude: 2.35
      }
    })
  })

  it('takes a part mapped in Event Context over Segment Context, and only mapped parts when Segment Context is cleared', async () => {
    nock(API).post('/v2/events').times(2).reply(200, {})
    const event = track({ context: { ip: '203.0.113.9', page: { url: 'https://example.com/p' } } })
    const overridden = await send(event, { context: { browser_url: { '@path': '$.properties.coupon' } } })
    expect(bodyOf(overridden).context).toEqual({
      browser: { url: 'SPRING' },
      location: { ip_address: '203.0.113.9' }
    })
    const only = await send(event, { segmentContext: {}, context: { location_city: 'Lyon' } })
    expect(bodyOf(only).context).toEqual({ location: { city: 'Lyon' } })
  })

  it('leaves out context parts FullStory would refuse, or of the wrong type, and sends the event anyway', async () => {
    nock(API).post('/v2/events').reply(200, {})
    const responses = await send(
      track({
        context: {
          screen: { width: 1179.5, height: -1 },
          location: { country: 'Germany', latitude: 123, longitude: -200, city: 42 },
          page: { url: ['not', 'a', 'url'] }
        }
      })
    )
    expect(bodyOf(responses).context).toBeUndefined()
    expect(bodyOf(responses).name).toBe('Order Completed')
  })

  it('sends timestamps in UTC', async () => {
    nock(API).post('/v2/events').times(3).reply(200, {})
    const iso = await send(track({ timestamp: '2024-01-01T00:30:00-05:00' }))
    const epochMs = await send(track({ timestamp: 1704069000000 }))
    const noOffset = await send(track({ timestamp: '2024-01-01T05:30:00' }))
    expect([iso, epochMs, noOffset].map((r) => bodyOf(r).timestamp)).toEqual([
      '2024-01-01T05:30:00.000Z',
      '2024-01-01T00:30:00.000Z',
      '2024-01-01T05:30:00.000Z'
    ])
  })

  it('rejects an impossible timestamp instead of rolling it over or dropping it', async () => {
    const scope = nock(API).post('/v2/events').reply(200, {})
    const run = send(track({ timestamp: '2024-02-30T10:00:00Z' }))
    await expect(run).rejects.toThrow(PayloadValidationError)
    await expect(send(track({ timestamp: '2024-02-30T10:00:00Z' }))).rejects.toThrow(/timestamp "2024-02-30T10:00:00Z"/)
    expect(scope.isDone()).toBe(false)
  })

  it('rejects an unreadable timestamp before sending', async () => {
    const scope = nock(API).post('/v2/events').reply(200, {})
    await expect(send(track({ timestamp: 'next tuesday' }))).rejects.toThrow(/Timestamp must be a valid date-like/)
    expect(scope.isDone()).toBe(false)
  })

  it('rejects event names FullStory cannot take, and accepts exactly 250 characters', async () => {
    const scope = nock(API).post('/v2/events').reply(200, {})
    await expect(send(track({ event: 'x'.repeat(251) }))).rejects.toThrow(
      /251 characters long; FullStory accepts at most 250/
    )
    await expect(send(track({ event: '   ' }))).rejects.toThrow(PayloadValidationError)
    expect(scope.isDone()).toBe(false)
    const responses = await send(track({ event: 'x'.repeat(250) }))
    expect(bodyOf(responses).name).toHaveLength(250)
  })
})

describe('Track Custom Event: identification', () => {
  const sessionId = '4899282983383940:4827483826883842'
  const replayUrl = `https://app.fullstory.com/ui/o-ABC-na1/session/${encodeURIComponent(sessionId)}`

  it.each([
    ['a session replay URL', replayUrl],
    ['a session replay URL with a query', `${replayUrl}?ref=segment#t=10`],
    ['a raw session id', sessionId],
    ['a URL-encoded raw session id', encodeURIComponent(sessionId)]
  ])('targets the session alone when given %s, never together with a user', async (_, sessionUrl) => {
    nock(API).post('/v2/events').reply(200, {})
    const responses = await send(track(), { sessionUrl })
    const body = bodyOf(responses)
    expect(body.session).toEqual({ id: sessionId })
    expect(body.user).toBeUndefined()
  })

  it('uses the uid with use_most_recent by default', async () => {
    nock(API).post('/v2/events').reply(200, {})
    const body = bodyOf(await send())
    expect([body.user, body.session]).toEqual([{ uid: 'user-42' }, { use_most_recent: true }])
  })

  it('uses the uid alone when Attach to Most Recent Session is off', async () => {
    nock(API).post('/v2/events').reply(200, {})
    const body = bodyOf(await send(track(), { useRecentSession: false }))
    expect(body.user).toEqual({ uid: 'user-42' })
    expect(body).not.toHaveProperty('session')
  })

  it('refuses an event with neither user nor session and sends nothing', async () => {
    const scope = nock(API).post('/v2/events').reply(200, {})
    const run = send(track({ userId: null }))
    await expect(run).rejects.toThrow(PayloadValidationError)
    await expect(send(track({ userId: null }))).rejects.toThrow(/needs a userId or a FullStory session URL/)
    expect(scope.isDone()).toBe(false)
  })

  it('sends the event to the user, and warns, when the session URL holds no session id', async () => {
    nock(API).post('/v2/events').reply(200, {})
    const { warnings, logger } = recordingObservers()
    const responses = await testDestination.testAction('trackEvent', {
      event: track(),
      settings,
      mapping: { sessionUrl: 'https://app.fullstory.com/ui/o-ABC-na1/home' },
      useDefaultMappings: true,
      logger
    })
    const body = bodyOf(responses)
    expect(body.user).toEqual({ uid: 'user-42' })
    expect(body.session).toEqual({ use_most_recent: true })
    expect(warnings).toEqual([expect.stringContaining('sessionUrl (no-session-id)')])
  })

  it('refuses a session URL that holds no session id when there is no userId to send the event to', async () => {
    const scope = nock(API).post('/v2/events').reply(200, {})
    await expect(
      send(track({ userId: null }), { sessionUrl: 'https://app.fullstory.com/ui/o-ABC-na1/home' })
    ).rejects.toThrow(/holds no FullStory session ID .* and no userId is mapped/)
    expect(scope.isDone()).toBe(false)
  })

  it('falls back to the user once when the session has reached its page limit', async () => {
    const requests: Record<string, any>[] = []
    nock(API)
      .post('/v2/events', (body) => requests.push(body) > 0)
      .reply(400, { message: 'session page limit exceeded', code: 'session_page_limit_exceeded' })
    nock(API)
      .post('/v2/events', (body) => requests.push(body) > 0)
      .reply(200, {})
    const responses = await send(track(), { sessionUrl: replayUrl })
    expect(requests.map((r) => [r.user, r.session])).toEqual([
      [undefined, { id: sessionId }],
      [{ uid: 'user-42' }, { use_most_recent: true }]
    ])
    const [first, second] = responses
    expect(keyOf(first)).not.toBe(keyOf(second))
    expect(requests[1].name).toBe(requests[0].name)
  })

  it('reports the full session clearly when there is no user to fall back to', async () => {
    nock(API).post('/v2/events').reply(400, { message: 'limit', code: 'session_page_limit_exceeded' })
    const scope = nock(API).post('/v2/events').reply(200, {})
    await expect(send(track({ userId: null }), { sessionUrl: sessionId })).rejects.toThrow(
      /reached its page limit and the event has no userId/
    )
    expect(scope.isDone()).toBe(false)
  })

  it('does not retry other 400s without the session', async () => {
    nock(API).post('/v2/events').reply(400, { message: 'bad name', code: 'invalid_argument' })
    const scope = nock(API).post('/v2/events').reply(200, {})
    await expect(send(track(), { sessionUrl: sessionId })).rejects.toMatchObject({ code: 'invalid_argument' })
    expect(scope.isDone()).toBe(false)
  })
})

describe('Track Custom Event: compatibility and idempotency', () => {
  it('runs a mapping saved for the upstream trackEvent action unchanged', async () => {
    nock(API).post('/v2/events').reply(200, {})
    const upstreamMapping = {
      userId: { '@path': '$.userId' },
      name: { '@path': '$.event' },
      properties: { '@path': '$.properties' },
      timestamp: { '@path': '$.timestamp' },
      useRecentSession: true,
      sessionUrl: { '@path': '$.properties.sessionUrl' }
    }
    const responses = await testDestination.testAction('trackEvent', {
      event: track({ properties: { total: 5 } }),
      settings,
      mapping: upstreamMapping
    })
    expect(bodyOf(responses)).toEqual({
      name: 'Order Completed',
      timestamp: '2024-05-06T05:08:09.123Z',
      user: { uid: 'user-42' },
      session: { use_most_recent: true },
      properties: { total: 5 },
      schema: { properties: { total: 'int' } }
    })
  })

  it('keeps the Idempotency-Key and body identical across two tries of one event', async () => {
    nock(API).post('/v2/events').reply(429, { message: 'slow down', code: 'too_many_requests' }, { 'Retry-After': '7' })
    nock(API).post('/v2/events').reply(200, {})
    const event = track({ timestamp: undefined })
    await expect(send(event)).rejects.toThrow(/retry after 7 seconds/)
    const [firstTry] = testDestination.responses.splice(0)
    const [secondTry] = await send(event)
    expect(keyOf(secondTry)).toBe(keyOf(firstTry))
    expect(secondTry.options.body).toBe(firstTry.options.body)
    expect(bodyOf([secondTry])).not.toHaveProperty('timestamp')
  })
})

describe('Track Custom Event: what the property rules leave out', () => {
  it('sends the event with a long value cut to 8 KB and logs the path, never the value', async () => {
    nock(API).post('/v2/events').reply(200, {})
    const { warnings, logger } = recordingObservers()
    const responses = await testDestination.testAction('trackEvent', {
      event: track({ properties: { note: 'secret '.repeat(2000), total: 5 } }),
      settings,
      useDefaultMappings: true,
      logger
    })
    expect(Buffer.byteLength(bodyOf(responses).properties.note)).toBe(8192)
    expect(warnings).toEqual(['trackEvent: 1 value did not reach FullStory as sent: note (truncated).'])
    expect(warnings[0]).not.toContain('secret')
  })

  it('logs nothing when every value went out as sent', async () => {
    nock(API).post('/v2/events').reply(200, {})
    const { warnings, logger } = recordingObservers()
    await testDestination.testAction('trackEvent', {
      event: track({ properties: { total: 5, coupon: null } }),
      settings,
      useDefaultMappings: true,
      logger
    })
    expect(warnings).toEqual([])
  })
})

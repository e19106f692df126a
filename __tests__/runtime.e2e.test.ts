import { mkdtempSync, readFileSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import path from 'path'
import { loadSubscriptions, presetSubscriptions } from '../src/delivery/subscriptions'
import { API_KEY, post, startLocalRuntime } from '../test/runtime-harness'
import { PAGE_VIEW_SUBSCRIPTIONS } from '../test/recipes'

// Real HTTP servers on loopback, with retries: sized for a 2-core machine with every core busy.
jest.setTimeout(30_000)

describe('local runtime over loopback, with the embedded sandbox', () => {
  let local: Awaited<ReturnType<typeof startLocalRuntime>>
  // A runtime and sandbox per test: a delivery still going when a test fails cannot land in the next test's sandbox.
  beforeEach(async () => {
    local = await startLocalRuntime()
  })
  afterEach(() => local.stop())

  it('delivers identify and track calls into the sandbox as FullStory would hold them', async () => {
    const identify = await post(`${local.runtime.url}/v1/identify`, {
      userId: 'u-1',
      anonymousId: 'a-1',
      traits: { name: 'Ann', email: 'ann@example.com', 'Team Size': 12, tags: ['x', 'y'] }
    })
    const track = await post(`${local.runtime.url}/v1/track`, {
      userId: 'u-1',
      event: 'Order Completed',
      properties: { total: 10.5, 'shipping-method': 'ups', items: 3 },
      context: { page: { url: 'https://shop.example.com/cart' }, ip: '198.51.100.1' }
    })
    expect([identify.status, track.status]).toEqual([200, 200])

    const [user] = local.sandbox.users()
    expect(user).toMatchObject({
      uid: 'u-1',
      display_name: 'Ann',
      email: 'ann@example.com',
      properties: { Team_Size: 12, tags: ['x', 'y'], segmentAnonymousId: 'a-1' }
    })
    expect(user.schema.properties).toMatchObject({ Team_Size: 'int', tags: 'strs' })
    const [event] = local.sandbox.events()
    expect(event).toMatchObject({
      name: 'Order Completed',
      user_id: user.id,
      properties: { total: 10.5, shipping_method: 'ups', items: 3 },
      schema: { properties: { items: 'int' } },
      context: { browser: { url: 'https://shop.example.com/cart' }, location: { ip_address: '198.51.100.1' } }
    })
  })

  it('answers with each delivery: mapped payload, request with the key redacted, response, sandbox record', async () => {
    const { body } = await post(`${local.runtime.url}/v1/track`, {
      userId: 'u-2',
      event: 'Clicked',
      properties: { n: 1 }
    })
    const outcome = body.deliveries[0].outcomes.find((o: { action: string }) => o.action === 'trackEvent')
    expect(outcome).toMatchObject({
      status: 'sent',
      payload: { userId: 'u-2', name: 'Clicked', properties: { n: 1 } },
      sandbox: { name: 'Clicked', properties: { n: 1 } }
    })
    const [exchange] = outcome.exchanges
    expect(exchange.request).toMatchObject({ method: 'POST', headers: { authorization: 'Basic [redacted]' } })
    expect(exchange.request.url).toBe(`${local.sandbox.url}/v2/events`)
    expect(exchange.response.status).toBe(200)
    expect(JSON.stringify(body)).not.toContain(API_KEY)
    const identifyOutcome = body.deliveries[0].outcomes.find((o: { action: string }) => o.action === 'identifyUser')
    expect(identifyOutcome.status).toBe('not-subscribed')
  })

  it("shows the destination's warnings on the outcome: which property values FullStory's rules cut or left out", async () => {
    const { body } = await post(`${local.runtime.url}/v1/identify`, {
      userId: 'u-3',
      traits: { bio: 'b'.repeat(9000), plan: 'pro' }
    })
    const outcome = body.deliveries[0].outcomes.find((o: { action: string }) => o.action === 'identifyUser')
    expect(outcome.status).toBe('sent')
    expect(outcome.warnings).toEqual(['identifyUser: 1 value did not reach FullStory as sent: bio (truncated).'])
    const clean = await post(`${local.runtime.url}/v1/identify`, { userId: 'u-4', traits: { plan: 'pro' } })
    expect(
      clean.body.deliveries[0].outcomes.find((o: { action: string }) => o.action === 'identifyUser')
    ).not.toHaveProperty('warnings')
  })

  it('runs a /v1/batch call event by event, merging the shared context', async () => {
    const { status, body } = await post(`${local.runtime.url}/v1/batch`, {
      context: { ip: '203.0.113.5' },
      batch: [
        { type: 'identify', userId: 'u-3', traits: { plan: 'pro' } },
        { type: 'track', userId: 'u-3', event: 'A' },
        { type: 'page', userId: 'u-3', name: 'Home' }
      ]
    })
    expect(status).toBe(200)
    expect(body.events.map((e: { index: number; result: string }) => [e.index, e.result])).toEqual([
      [0, 'delivered'],
      [1, 'delivered'],
      [2, 'not-subscribed']
    ])
    expect(local.sandbox.events().map((e) => [e.name, e.context?.location?.ip_address])).toEqual([['A', '203.0.113.5']])
    expect(local.sandbox.users().map((u) => u.uid)).toEqual(['u-3'])
  })

  it.each([
    ['not JSON', '/v1/track', '{nope', /not valid JSON/],
    ['an array', '/v1/track', '[]', /must be a JSON object/],
    ['no user', '/v1/track', { event: 'X' }, /needs a userId or an anonymousId/],
    ['no event name', '/v1/track', { userId: 'u' }, /a track event needs an "event" name/],
    [
      'a type that contradicts the path',
      '/v1/track',
      { type: 'page', userId: 'u', event: 'X' },
      /was sent to \/v1\/track/
    ],
    [
      'properties that are not an object',
      '/v1/track',
      { userId: 'u', event: 'X', properties: [1] },
      /"properties" must be an object/
    ],
    ['an empty batch', '/v1/batch', { batch: [] }, /at least one event/],
    ['a batch whose shared context is not an object', '/v1/batch', { batch: [{}], context: 1 }, /"context" must be/]
  ])('rejects %s with a 400 and a clear message, sending nothing', async (_, route, body, message) => {
    const response = await post(`${local.runtime.url}${route}`, body)
    expect(response.status).toBe(400)
    expect(response.body.message).toMatch(message)
    expect(local.sandbox.events()).toHaveLength(0)
  })

  it('rejects a body over 500 KB with a 413', async () => {
    const response = await post(`${local.runtime.url}/v1/track`, {
      userId: 'u',
      event: 'X',
      properties: { big: 'x'.repeat(600_000) }
    })
    expect(response.status).toBe(413)
  })

  it('retries through transient FullStory failures and delivers once', async () => {
    local.sandbox.setFaults([{ status: 503, count: 2, path: '/v2/events' }])
    const { status, body } = await post(`${local.runtime.url}/v1/track`, {
      userId: 'u-4',
      event: 'Retried',
      messageId: 'm-r'
    })
    expect(status).toBe(200)
    const outcome = body.deliveries[0].outcomes.find((o: { action: string }) => o.action === 'trackEvent')
    expect(outcome).toMatchObject({ status: 'sent', tries: 3 })
    expect(local.sandbox.events().filter((e) => e.name === 'Retried')).toHaveLength(1)
  })

  it('says 503 when FullStory keeps failing, so the caller knows the event is not delivered yet', async () => {
    local.sandbox.setFaults([{ status: 429, retryAfter: 0, path: '/v2/events' }])
    const { status, body } = await post(`${local.runtime.url}/v1/track`, { userId: 'u-5', event: 'Throttled' })
    expect(status).toBe(503)
    expect(body.success).toBe(false)
    const outcome = body.deliveries[0].outcomes.find((o: { action: string }) => o.action === 'trackEvent')
    expect(outcome).toMatchObject({ status: 'retryable', tries: 3, error: { status: 429 } })
  })

  it('does not retry when Retry-After is longer than its cap (3,000,000 s overflowed the timer to 1 ms)', async () => {
    local.sandbox.setFaults([{ status: 429, retryAfter: 3_000_000, path: '/v2/events' }])
    const { status, body } = await post(`${local.runtime.url}/v1/track`, { userId: 'u-5', event: 'Throttled' })
    expect(status).toBe(503)
    const outcome = body.deliveries[0].outcomes.find((o: { action: string }) => o.action === 'trackEvent')
    expect(outcome).toMatchObject({ status: 'retryable', tries: 1, error: { status: 429 } })
    expect(outcome.error.notRetried).toMatch(/asked to wait 3000000 s .*longer than the 1 min this runner waits/)
    expect(local.sandbox.requests().filter((r) => r.path === '/v2/events')).toHaveLength(1)
  })

  it('reports a permanent rejection without retrying it', async () => {
    const { status, body } = await post(`${local.runtime.url}/v1/track`, { anonymousId: 'a', event: 'Nobody' })
    expect(status).toBe(422)
    const outcome = body.deliveries[0].outcomes.find((o: { action: string }) => o.action === 'trackEvent')
    expect(outcome).toMatchObject({ status: 'rejected', tries: 1, error: { type: 'PayloadValidationError' } })
  })

  it('lists recent deliveries and serves the page and the definition', async () => {
    await post(`${local.runtime.url}/v1/track`, { userId: 'u', event: 'Listed' })
    const { deliveries } = await (await fetch(`${local.runtime.url}/api/deliveries`)).json()
    expect(deliveries[0].event.event).toBe('Listed')
    const definition = await (await fetch(`${local.runtime.url}/api/definition`)).json()
    expect(definition).toMatchObject({ name: 'FullStory Cloud Mode (Actions)', mode: 'sandbox' })
    expect(definition.actions.map((a: { slug: string }) => a.slug)).toEqual(['identifyUser', 'trackEvent'])
    const page = await fetch(`${local.runtime.url}/`)
    expect(page.headers.get('content-type')).toContain('text/html')
  })
})

describe('what the answer says became of an event', () => {
  let local: Awaited<ReturnType<typeof startLocalRuntime>>
  beforeEach(async () => {
    local = await startLocalRuntime()
  })
  afterEach(() => local.stop())

  const trackOutcome = (body: any) => body.deliveries[0].outcomes.find((o: any) => o.action === 'trackEvent')

  it.each([
    ['a 300-character event name', { event: 'x'.repeat(300) }, 'name', '$.event', /at most 250/],
    ['an unreadable timestamp', { event: 'Dated', timestamp: 'next tuesday' }, 'timestamp', '$.timestamp', /date/]
  ])('refuses %s with 422, the reason and the field, never success', async (_, fields, field, source, reason) => {
    const { status, body } = await post(`${local.runtime.url}/v1/track`, { userId: 'u-1', ...fields })
    expect(status).toBe(422)
    expect(body).toMatchObject({ success: false, result: 'refused' })
    expect(body.message).toMatch(
      new RegExp(`^Refused: Track Custom Event \\(field ${field}, mapped from \\${source}\\): .*${reason.source}`)
    )
    expect(trackOutcome(body)).toMatchObject({ status: 'rejected', error: { field, source } })
    expect(body.deliveries[0].result).toBe('refused')
    expect(local.sandbox.events()).toEqual([])
  })

  it('says "not subscribed", not delivered, for a call no subscription matches', async () => {
    for (const type of ['page', 'screen']) {
      const { status, body } = await post(`${local.runtime.url}/v1/${type}`, { userId: 'u-1', name: 'Home' })
      expect(status).toBe(200)
      expect(body).toMatchObject({ success: true, result: 'not-subscribed' })
      expect(body.message).toBe(`Not subscribed: no subscription matches this ${type} call, so nothing was sent.`)
    }
  })

  it('says delivered only when every matching subscription sent the event', async () => {
    const { status, body } = await post(`${local.runtime.url}/v1/track`, { userId: 'u-1', event: 'Fine' })
    expect(status).toBe(200)
    expect(body).toMatchObject({ success: true, result: 'delivered', message: 'Delivered by Track Custom Event.' })
  })

  it('says failed, with 503, when a subscription could not deliver it yet', async () => {
    local.sandbox.setFaults([{ status: 500, path: '/v2/events' }])
    const { status, body } = await post(`${local.runtime.url}/v1/track`, { userId: 'u-1', event: 'Later' })
    expect(status).toBe(503)
    expect(body).toMatchObject({ success: false, result: 'failed' })
    expect(body.message).toMatch(/^Failed, not delivered yet \(send it again\): Track Custom Event after 3 tries: /)
  })

  it('derives a missing messageId from the event, so a batch sent again after a 503 is not delivered twice', async () => {
    local.sandbox.setFaults([{ status: 503, count: 3, path: '/v2/events' }])
    const batch = {
      batch: [
        { type: 'track', userId: 'u-8', event: 'First' },
        { type: 'track', userId: 'u-8', event: 'Second' },
        { type: 'track', userId: 'u-8', event: 'Second' } // the same twice: two events, as sent
      ]
    }
    const first = await post(`${local.runtime.url}/v1/batch`, batch)
    expect(first.status).toBe(503)
    expect(first.body.events.map((e: any) => e.result)).toEqual(['failed', 'delivered', 'delivered'])

    const again = await post(`${local.runtime.url}/v1/batch`, batch)
    expect(again.status).toBe(200)
    expect(again.body.events.map((e: any) => e.messageId)).toEqual(first.body.events.map((e: any) => e.messageId))
    expect(new Set(again.body.events.map((e: any) => e.messageId)).size).toBe(3)
    expect(local.sandbox.events().map((e) => e.name)).toEqual(['Second', 'Second', 'First'])

    // An empty messageId is no id: it would send no Idempotency-Key at all.
    const single = await post(`${local.runtime.url}/v1/track`, { userId: 'u-8', event: 'Third', messageId: '' })
    expect(single.body.deliveries[0].event.messageId).toMatch(/^local-[0-9a-f]{32}$/)
  })
})

describe('local runtime with two subscriptions for the same event', () => {
  it('sends each /v1/batch event once per subscription', async () => {
    const [identify, track] = presetSubscriptions()
    const local = await startLocalRuntime([track, { ...identify, subscribe: 'type = "track"' }])
    try {
      const { body } = await post(`${local.runtime.url}/v1/batch`, {
        batch: [{ type: 'track', userId: 'u', event: 'A' }]
      })
      expect(body.events[0]).toMatchObject({ result: 'delivered' })
      const paths = local.sandbox.requests().map((r) => r.path)
      expect(paths.sort()).toEqual(['/v2/events', '/v2/users'])
    } finally {
      await local.stop()
    }
  })
})

describe('local runtime with a mappings file', () => {
  it('uses the subscriptions of the file, such as the README page-view recipe', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'fs-mappings-')), 'mappings.json')
    writeFileSync(file, JSON.stringify([...presetSubscriptions(), ...PAGE_VIEW_SUBSCRIPTIONS]))
    const local = await startLocalRuntime(loadSubscriptions(file))
    try {
      await post(`${local.runtime.url}/v1/page`, { userId: 'u-6', name: 'Pricing' })
      expect(local.sandbox.events().map((e) => e.name)).toEqual(['Viewed Pricing Page'])
    } finally {
      await local.stop()
    }
  })
})

describe('the documented mappings-file example for npm start (docs/local-runtime.md)', () => {
  it('delivers identify, track and page calls as given, each under an Idempotency-Key', async () => {
    const readme = readFileSync(path.join(__dirname, '..', 'docs', 'local-runtime.md'), 'utf8')
    // The page's JSON blocks that are whole mappings files (arrays of subscriptions): there is one.
    const files = [...readme.matchAll(/```json\n([\s\S]*?)```/g)]
      .map((block) => JSON.parse(block[1]) as unknown)
      .filter((value) => Array.isArray(value) && value.every((entry) => 'partnerAction' in entry))
    expect(files).toHaveLength(1)
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'fs-readme-')), 'mappings.json')
    writeFileSync(file, JSON.stringify(files[0]))
    const local = await startLocalRuntime(loadSubscriptions(file))
    try {
      const calls = [
        ['identify', { userId: 'u-r', traits: { name: 'Ann', email: 'ann@example.com', plan: 'pro' } }],
        ['track', { userId: 'u-r', event: 'Signed Up', properties: { plan: 'pro' } }],
        ['page', { userId: 'u-r', name: 'Pricing' }]
      ] as const
      for (const [type, body] of calls) {
        const answer = await post(`${local.runtime.url}/v1/${type}`, body)
        expect([type, answer.body.result]).toEqual([type, 'delivered'])
      }
      expect(local.sandbox.users()).toMatchObject([{ uid: 'u-r', display_name: 'Ann', email: 'ann@example.com' }])
      expect(local.sandbox.events().map((e) => e.name)).toEqual(['Signed Up', 'Viewed Pricing Page'])
      expect(local.sandbox.requests().map((r) => Boolean(r.idempotencyKey))).toEqual([true, true, true])
    } finally {
      await local.stop()
    }
  })
})

describe('local runtime with batching on in a mapping', () => {
  it('sends the matching events of a /v1/batch call as one import job, as Segment would', async () => {
    const subscriptions = presetSubscriptions().map((s) => ({ ...s, mapping: { ...s.mapping, enable_batching: true } }))
    const local = await startLocalRuntime(subscriptions)
    try {
      const { status, body } = await post(`${local.runtime.url}/v1/batch`, {
        batch: [
          { type: 'track', userId: 'u-7', event: 'One' },
          { type: 'track', anonymousId: 'only-anon', event: 'Nobody' },
          { type: 'track', userId: 'u-7', event: 'Two' }
        ]
      })
      expect(status).toBe(200)
      expect(body.events.map((e: any) => e.result)).toEqual(['delivered', 'refused', 'delivered'])
      expect(body.events[1].errors[0].message).toMatch(/needs a userId or a FullStory session URL/)
      // The full deliveries are on the page, newest first; the job's exchange is written once, not under each event.
      const { deliveries } = await (await fetch(`${local.runtime.url}/api/deliveries`)).json()
      const [two, , one] = deliveries.map((d: any) => d.outcomes.find((o: any) => o.action === 'trackEvent'))
      expect(two.exchanges[0].request.url).toBe(`${local.sandbox.url}/v2/events/batch`)
      expect(two.exchanges[0].request.body.requests).toHaveLength(2)
      expect(one.exchanges).toBeUndefined()
      expect(one.exchangesInDelivery).toBe(body.events[2].delivery)
      expect(JSON.stringify(deliveries).split('/v2/events/batch')).toHaveLength(2)
      await new Promise((resolve) => setTimeout(resolve, 20))
      expect(local.sandbox.events().map((e) => [e.name, Boolean(e.job_id)])).toEqual([
        ['One', true],
        ['Two', true]
      ])
    } finally {
      await local.stop()
    }
  })
})

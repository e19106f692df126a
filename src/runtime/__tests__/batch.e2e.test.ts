import { post, startLocalRuntime } from '../../../test/runtime-harness'
import { LIMITS } from '../limits'

// Real HTTP servers on loopback: sized for a 2-core machine with every core busy.
jest.setTimeout(30_000)

const nested = (depth: number): unknown => {
  let value: unknown = 'bottom'
  for (let i = 0; i < depth; i++) value = { a: value }
  return value
}

describe('local runtime: /v1/batch items, limits and the deliveries list', () => {
  let local: Awaited<ReturnType<typeof startLocalRuntime>>
  beforeEach(async () => {
    local = await startLocalRuntime()
  })
  afterEach(() => local.stop())

  it('delivers the valid items of a batch and reports each bad one by index, as Segment drops only those', async () => {
    const { status, body } = await post(`${local.runtime.url}/v1/batch`, {
      batch: [
        { type: 'track', userId: 'u', event: 'Good' },
        { type: 'bogus', userId: 'u' },
        { type: 'track', event: 'No user' },
        { type: 'identify', userId: 'u', traits: [1] },
        { type: 'track', userId: 'u', event: 'Big', properties: { big: 'x'.repeat(40_000) } },
        { type: 'track', userId: 'u', event: 'Deep', properties: nested(600) },
        { type: 'track', userId: 'u', event: 'x'.repeat(300) },
        { type: 'track', userId: 'u', event: 'Also good' }
      ]
    })
    expect(status).toBe(200)
    const delivered = { result: 'delivered', messageId: expect.any(String), delivery: expect.any(Number) }
    expect(body.events).toEqual([
      { index: 0, ...delivered },
      {
        index: 1,
        result: 'invalid',
        error: 'batch[1]: "type" must be one of identify, track, page, screen, group, alias.'
      },
      { index: 2, result: 'invalid', error: 'batch[2]: needs a userId or an anonymousId.' },
      { index: 3, result: 'invalid', error: 'batch[3]: "traits" must be an object.' },
      {
        index: 4,
        result: 'invalid',
        error: expect.stringMatching(/^batch\[4\] is \d+ bytes; an event takes at most 32768\.$/)
      },
      { index: 5, result: 'invalid', error: 'batch[5]: it is nested more than 512 levels deep.' },
      {
        index: 6,
        result: 'refused',
        messageId: expect.any(String),
        delivery: expect.any(Number),
        errors: [
          {
            subscription: 'Track Custom Event',
            result: 'refused',
            message: 'The event name is 300 characters long; FullStory accepts at most 250.',
            field: 'name',
            source: '$.event',
            tries: 1
          }
        ]
      },
      { index: 7, ...delivered }
    ])
    expect(body).toMatchObject({
      success: false,
      message: '8 events: 2 delivered, 1 refused, 5 invalid.',
      counts: { delivered: 2, 'not-subscribed': 0, refused: 1, failed: 0, invalid: 5 }
    })
    expect(local.sandbox.events().map((e) => e.name)).toEqual(['Good', 'Also good'])
  })

  it('answers 400 when no item of a batch is an event, saying why for each', async () => {
    const { status, body } = await post(`${local.runtime.url}/v1/batch`, { batch: [{ userId: 'u' }, 7] })
    expect(status).toBe(400)
    expect(body.events.map((e: { error: string }) => e.error)).toEqual([
      expect.stringMatching(/^batch\[0\]: "type" must be one of/),
      expect.stringMatching(/^batch\[1\]: "type" must be one of/)
    ])
  })

  it('refuses an event nested thousands of levels deep with a 400, instead of overflowing the stack', async () => {
    // Written out by hand: JSON.stringify itself overflows on such a value.
    const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`
    const { status, body } = await post(
      `${local.runtime.url}/v1/track`,
      `{"userId":"u","event":"Deep","properties":${deep}}`
    )
    expect(status).toBe(400)
    expect(body.message).toBe('The event: it is nested more than 512 levels deep.')
  })

  it('refuses a body that is not UTF-8 rather than sending U+FFFD in place of its bytes', async () => {
    const body = Buffer.concat([Buffer.from('{"userId":"u","event":"Caf'), Buffer.from([0xe9]), Buffer.from('"}')])
    const response = await fetch(`${local.runtime.url}/v1/track`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body
    })
    expect(response.status).toBe(400)
    expect(await response.json()).toEqual({ success: false, message: 'The body is not valid UTF-8.' })
    expect(local.sandbox.events()).toEqual([])
  })

  it("takes a single call of at most 32 KB and a batch of at most 500 KB, as Segment's API does", async () => {
    const big = { userId: 'u', event: 'Big', properties: { text: 'x'.repeat(LIMITS.singleBodyBytes) } }
    const single = await post(`${local.runtime.url}/v1/track`, big)
    expect(single.status).toBe(413)
    expect(single.body.message).toBe('The body is over 32768 bytes; /v1/track takes at most that.')
    const batch = Array.from({ length: 20 }, () => ({
      type: 'track',
      ...big,
      properties: { text: 'x'.repeat(30_000) }
    }))
    const tooLarge = await post(`${local.runtime.url}/v1/batch`, { batch })
    expect(tooLarge.status).toBe(413)
    expect(local.sandbox.events()).toEqual([])
  })

  it('answers a batch with a summary per event, smaller than the request; the exchanges stay in /api/deliveries', async () => {
    const batch = Array.from({ length: 300 }, (_, n) => ({
      type: n % 10 === 5 ? 'page' : 'track',
      userId: `u-${n % 7}`,
      event: 'Order Completed',
      properties: { n, total: n * 1.5, 'shipping-method': 'express', items: [{ sku: 'A-1', price: 49.5 }] },
      context: { ip: '203.0.113.7', page: { url: 'https://shop.example.com/checkout' } }
    }))
    const request = JSON.stringify({ batch })
    const response = await fetch(`${local.runtime.url}/v1/batch`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: request
    })
    const text = await response.text()
    expect(response.status).toBe(200)
    expect(text.length).toBeLessThan(request.length)
    const body = JSON.parse(text)
    expect(body.counts).toMatchObject({ delivered: 270, 'not-subscribed': 30 })
    expect(text).not.toContain('exchanges')

    // The page's list is paged, newest first, and keeps the last 100 deliveries with their HTTP exchanges.
    const ids: number[] = []
    let next: string | null = '/api/deliveries'
    while (next) {
      const page: { deliveries: any[]; next: string | null } = await (await fetch(`${local.runtime.url}${next}`)).json()
      expect(page.deliveries.length).toBeLessThanOrEqual(LIMITS.pageSize)
      ids.push(...page.deliveries.map((d) => d.id))
      if (ids.length === 1) expect(page.deliveries[0].outcomes[1].exchanges[0].response.status).toBe(200)
      next = page.next
    }
    const newest = body.events[299].delivery
    expect(ids).toEqual(Array.from({ length: LIMITS.keptDeliveries }, (_, i) => newest - i))
    const wide = await fetch(`${local.runtime.url}/api/deliveries?limit=101`)
    expect(wide.status).toBe(400)
    expect((await wide.json()).message).toBe('limit must be a whole number from 1 to 100.')
  })
})

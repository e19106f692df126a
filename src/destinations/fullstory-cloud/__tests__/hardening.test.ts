import nock from 'nock'
import { Destination, IntegrationError, InvalidAuthenticationError } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../index'
import { transformProperties } from '../properties'
import { recordingObservers } from './__helpers__/observers'

/** Hostile input and hostile answers: nothing is lost, the key goes nowhere but FullStory, every bound holds. */
const API = 'https://api.fullstory.com'
const API_KEY = 'na1.hardening-key-0123'
const destination = new Destination(definition)
const trackPreset = (definition.presets ?? []).find((p) => p.partnerAction === 'trackEvent')!
const trackMapping = trackPreset.mapping as JSONObject

const track = (overrides: Partial<SegmentEvent> = {}): SegmentEvent => ({
  type: 'track',
  event: 'Order Completed',
  userId: 'u-1',
  messageId: 'msg-1',
  timestamp: '2024-05-01T10:00:00.000Z',
  properties: { total: 10 },
  ...overrides
})

const settingsWith = (subscriptions: unknown[], apiKey = API_KEY): JSONObject => {
  const settings: unknown = { apiKey, subscriptions }
  return settings as JSONObject
}

interface Captured {
  host: string
  path: string
  body: any
  key?: string
  authorization?: string
}

function capture(host: string, captured: Captured[], reply: [number, unknown, Record<string, string>?] = [200, {}]) {
  nock(host)
    .persist()
    .post(/.*/)
    .reply(function (path, body) {
      const header = (name: string) =>
        this.req.headers[name] === undefined ? undefined : String(this.req.headers[name])
      captured.push({ host, path, body, key: header('idempotency-key'), authorization: header('authorization') })
      return reply
    })
  return captured
}

afterEach(() => {
  nock.cleanAll()
  destination.responses.length = 0
})

describe('Idempotency-Key', () => {
  const revenue = {
    name: 'Revenue',
    subscribe: 'event = "Order Completed"',
    partnerAction: 'trackEvent',
    mapping: { ...trackMapping, name: 'Revenue' }
  }
  const general = {
    name: 'All tracks',
    subscribe: 'type = "track"',
    partnerAction: 'trackEvent',
    mapping: trackMapping
  }

  it('differs between two subscriptions of one action on one message, so FullStory keeps both events', async () => {
    const captured = capture(API, [])
    await destination.onEvent(track(), settingsWith([general, revenue]))
    expect(captured.map((c) => c.body.name).sort()).toEqual(['Order Completed', 'Revenue'])
    expect(new Set(captured.map((c) => c.key)).size).toBe(2)
  })

  it("differs between Segment's subscriptions even with the same mapping, by their IDs", async () => {
    const captured = capture(API, [])
    const withId = (ID: string) => ({ ...general, ID })
    await destination.onEvent(track(), settingsWith([withId('sub-1'), withId('sub-2')]))
    expect(captured).toHaveLength(2)
    expect(captured[0].key).not.toBe(captured[1].key)
  })

  it('stays the same when Segment retries the same delivery', async () => {
    const captured = capture(API, [])
    await destination.onEvent(track(), settingsWith([{ ...general, ID: 'sub-1' }]))
    await destination.onEvent(track(), settingsWith([{ ...general, ID: 'sub-1' }]))
    await destination.onEvent(track(), settingsWith([revenue]))
    await destination.onEvent(track(), settingsWith([{ ...revenue, mapping: { ...revenue.mapping } }]))
    expect(captured[0].key).toBe(captured[1].key)
    expect(captured[2].key).toBe(captured[3].key)
  })
})

describe('the API key', () => {
  it('is trimmed of what pasting adds, and sent', async () => {
    const captured = capture(API, [])
    await destination.onEvent(track(), settingsWith([trackPreset], `  ${API_KEY}\r\n`))
    expect(captured.map((c) => c.authorization)).toEqual([`Basic ${API_KEY}`])
  })

  it.each([
    ['an inner line break', `na1.hard\nening-key`],
    ['a carriage return', `na1.hard\rening-key`],
    ['a character outside Latin-1', `na1.hard\u201cening-key`],
    ['a control character', `na1.hard\u0000ening-key`]
  ])('holding %s, is refused before any request, in a message that never shows it', async (_case, key) => {
    const captured = capture(API, [])
    const error = await destination.onEvent(track(), settingsWith([trackPreset], key)).catch((e: Error) => e)
    expect(error).toBeInstanceOf(InvalidAuthenticationError)
    expect((error as Error).message).toMatch(/^The FullStory API key holds .* which no HTTP header can carry/)
    for (const part of key.split(/[^A-Za-z0-9.-]/)) expect((error as Error).message).not.toContain(part)
    expect(captured).toEqual([])
  })
})

describe('redirects', () => {
  it.each([301, 302, 303])(
    'a %i is an error naming the Location, never a success and never followed',
    async (status) => {
      const elsewhere = capture('https://elsewhere.example', [])
      capture(API, [], [status, '', { Location: 'https://elsewhere.example/v2/events' }])
      const error = await destination.onEvent(track(), settingsWith([trackPreset])).catch((e: Error) => e)
      expect(error).toBeInstanceOf(IntegrationError)
      expect(error).toMatchObject({ code: 'UNEXPECTED_REDIRECT', status })
      expect((error as Error).message).toContain(`(HTTP ${status} to https://elsewhere.example/v2/events)`)
      expect(elsewhere).toEqual([])
    }
  )

  it.each([307, 308])('a %i to another host or port never carries the key there', async (status) => {
    const elsewhere = capture('http://127.0.0.1:9', [])
    capture(API, [], [status, '', { Location: `http://127.0.0.1:9/v2/events?key=${API_KEY}` }])
    const error = await destination.onEvent(track(), settingsWith([trackPreset])).catch((e: Error) => e)
    expect(error).toMatchObject({ code: 'UNEXPECTED_REDIRECT' })
    expect((error as Error).message).toContain('http://127.0.0.1:9/v2/events?key=[redacted]')
    expect(elsewhere).toEqual([])
  })
})

describe('error answers of hostile size', () => {
  it('are scrubbed of the key and bounded, message and code alike', async () => {
    const message = `${'m'.repeat(3_000_000)} ${API_KEY}`
    const code = `${API_KEY}${'c'.repeat(100_000)}`
    capture(API, [], [400, { message, code }])
    const error = (await destination.onEvent(track(), settingsWith([trackPreset])).catch((e: unknown) => e)) as {
      message: string
      code: string
    }
    expect(error).toBeInstanceOf(IntegrationError)
    expect(error.message.length).toBeLessThan(700)
    expect(error.message).toContain('m'.repeat(300))
    expect(error.code.length).toBeLessThanOrEqual(64)
    expect(`${error.message} ${error.code}`).not.toContain(API_KEY)
  })
})

describe('context values', () => {
  it('are cut to 8 KB, at a character boundary, and the cut is reported', async () => {
    const captured = capture(API, [])
    const { warnings, logger } = recordingObservers()
    const userAgent = 'Mozilla/5.0 '.repeat(450_000) // 5.4 MB
    const url = `https://shop.example.com/${'é'.repeat(500_000)}`
    const event = track({ context: { userAgent, page: { url } } })
    await destination.onEvent(event, settingsWith([trackPreset]), { logger })
    const context = captured[0].body.context
    expect(Buffer.byteLength(context.browser.user_agent)).toBe(8192)
    expect(userAgent.startsWith(context.browser.user_agent)).toBe(true)
    expect(Buffer.byteLength(context.browser.url)).toBeLessThanOrEqual(8192)
    expect(url.startsWith(context.browser.url)).toBe(true)
    expect(warnings).toEqual([expect.stringContaining('context.browser_user_agent (truncated)')])
    expect(warnings[0]).toContain('context.browser_url (truncated)')
  })
})

describe('nesting nothing may recurse through without a bound', () => {
  it('drops objects nested 5,000 deep by the path rule, counting their leaves', () => {
    let deep: Record<string, unknown> = { leaf: 1 }
    for (let i = 0; i < 5_000; i++) deep = { n: deep }
    const result = transformProperties({ deep, kept: 'yes' })
    expect(result.properties.kept).toBe('yes')
    expect(result.dropped).toEqual([{ path: expect.stringMatching(/^deep(\.n)+$/), reason: 'path-too-long' }])
  })

  it('drops arrays nested 10,000 deep as too deep, counting their leaves', () => {
    let deep: unknown[] = [1, 2]
    for (let i = 0; i < 10_000; i++) deep = [deep]
    const result = transformProperties({ deep, kept: 'yes' })
    expect(result.properties).toEqual({ kept: 'yes' })
    expect(result.dropped).toEqual([{ path: 'deep', reason: 'too-deep', count: 2 }])
  })

  it('sends the rest of an event whose properties are nested past the path limit', async () => {
    // (actions-core's own mapping step recurses too, and overflows near 4,000 levels before any action runs: the
    // local runtime and replay catch that and report the event; see docs/property-rules.md.)
    const captured = capture(API, [])
    let deep: Record<string, unknown> = { leaf: 1 }
    for (let i = 0; i < 1_000; i++) deep = { n: deep }
    await destination.onEvent(
      track({ properties: { deep, total: 3 } } as Partial<SegmentEvent>),
      settingsWith([trackPreset])
    )
    expect(captured[0].body.properties).toEqual({ total: 3 })
  })
})

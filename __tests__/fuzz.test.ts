import fc from 'fast-check'
import nock from 'nock'
import {
  Destination,
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RetryableError
} from '@segment/actions-core'
import type { JSONObject, SegmentEvent, Subscription } from '@segment/actions-core'
import definition from '../src/destinations/fullstory-cloud'
import { MAX_USER_PROPERTIES, transformProperties, truncateUtf8 } from '../src/destinations/fullstory-cloud/properties'
import { validateCreateEvent, validateCreateUser } from '../src/sandbox'
import { recordingObservers } from '../src/destinations/fullstory-cloud/__tests__/__helpers__/observers'
import { MAX_LISTED_PATH_LENGTH, MAX_LISTED_PATHS } from '../src/destinations/fullstory-cloud/dropped'
import * as arb from './__helpers__/segment-arbitraries'
import {
  JSON_DROP_REASONS,
  VALIDATION_FIELD_WORDS,
  countInputLeaves,
  countOutputValues,
  droppedCount,
  fieldNames,
  withoutLongPaths,
  scalarValues
} from './__helpers__/fuzz-oracle'

/**
 * Fuzzing both actions the way Segment runs them (Destination.onEvent / onBatch with the presets, FullStory
 * mocked by nock). Every outcome must be one of:
 * - a success whose request FullStory's documented rules accept (the sandbox validators), with every input
 *   leaf either sent or reported by a documented drop;
 * - a rejection before anything is sent, of a class that tells Segment not to retry, naming the field at fault.
 * Never an uncaught TypeError or RangeError, and never a request FullStory would refuse.
 */

const API = 'https://api.fullstory.com'
const API_KEY = 'fuzz-secret-key'
const LEGAL_NAME = /^[A-Za-z][A-Za-z0-9_]*$/
// FUZZ_RUNS=5000 npx jest __tests__/fuzz.test.ts searches deeper; CI keeps the default.
const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 200)
jest.setTimeout(Math.max(30_000, NUM_RUNS * 60))

const presets = (definition.presets ?? []).flatMap((preset) =>
  'subscribe' in preset ? [{ ...preset, subscribe: preset.subscribe }] : []
)
const identifyPreset = presets.find((p) => p.partnerAction === 'identifyUser')!
const trackPreset = presets.find((p) => p.partnerAction === 'trackEvent')!
const FIELD_NAMES = {
  identifyUser: fieldNames(definition.actions.identifyUser.fields),
  trackEvent: fieldNames(definition.actions.trackEvent.fields)
}

const destination = new Destination(definition)
const settingsWith = (subscriptions: Subscription[]) => ({ apiKey: API_KEY, subscriptions }) as unknown as JSONObject

interface Sent {
  path: string
  body: any
}

type Reply = (path: string, index: number) => [number, unknown, Record<string, string>?]

/** Captures every request to FullStory; answers 200 unless `reply` says otherwise. */
function interceptFullStory(reply?: Reply): Sent[] {
  nock.cleanAll()
  const sent: Sent[] = []
  nock(API)
    .persist()
    .post(/.*/)
    .reply((path, body) => {
      sent.push({ path, body: typeof body === 'string' ? JSON.parse(body) : body })
      if (reply) return reply(path, sent.length - 1)
      if (path.endsWith('/batch')) return [200, { job: { id: `job_${sent.length}`, status: 'PROCESSING' } }]
      return [200, path === '/v2/users' ? { id: 'fsu_1' } : {}]
    })
  return sent
}

/** Longest error text: our sentence around a bounded message, code and Location. */
const MAX_ERROR_TEXT = 1_200

/** Longest possible warning: ten shortened paths, their reasons, and the sentence around them. */
const MAX_WARNING_LENGTH = MAX_LISTED_PATHS * (MAX_LISTED_PATH_LENGTH + 40) + 200

async function deliver(event: unknown, subscription: Subscription, reply?: Reply) {
  const sent = interceptFullStory(reply)
  const { warnings, logger } = recordingObservers()
  try {
    await destination.onEvent(event as SegmentEvent, settingsWith([subscription]), { logger })
    return { sent, error: undefined }
  } catch (error) {
    return { sent, error }
  } finally {
    destination.responses.length = 0
    // What the destination logs is bounded and never holds the key.
    for (const line of warnings) {
      expect(line).not.toContain(API_KEY)
      expect(line.length).toBeLessThanOrEqual(MAX_WARNING_LENGTH)
    }
  }
}

/** A refusal Segment will not retry, before any request, that says which field is at fault. */
function expectClearRejection(error: unknown, sent: Sent[], action: keyof typeof FIELD_NAMES) {
  expect(sent).toEqual([])
  const { name, message } = error as Error
  expect(typeof message === 'string' && message.trim().length > 0).toBe(true)
  if (error instanceof PayloadValidationError) {
    expect(message).toMatch(VALIDATION_FIELD_WORDS)
  } else {
    // actions-core's schema validation, for a value of the wrong type in a mapped field.
    expect(name).toBe('AggregateAjvError')
    expect(FIELD_NAMES[action].some((field) => message.includes(field))).toBe(true)
  }
}

const asObject = (value: unknown): Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Record<string, unknown>) : {}

const roundTrip = (value: unknown): any => JSON.parse(JSON.stringify(value))

/**
 * No data loss: the property rules account for every input leaf (sent, or dropped for a documented reason),
 * what was sent is exactly what the rules produce, and no sent value was invented.
 */
function expectAccounted(
  input: Record<string, unknown>,
  sent: Record<string, unknown>,
  expected: unknown,
  extras: string[]
) {
  expect(sent).toEqual(expected)
  const inputStrings = [...new Set(scalarValues(input))]
  const known = new Set([...inputStrings, ...extras])
  for (const value of scalarValues(sent)) {
    // A value over 8192 bytes is sent cut: it is then the start of an input string.
    if (known.has(value) || inputStrings.some((s) => s.length > value.length && s.startsWith(value))) continue
    throw new Error(`sent a value that is in no input: ${JSON.stringify(value).slice(0, 80)}`)
  }
}

/** The rules' own bookkeeping: every input leaf is in the output or in `dropped`, for a reason JSON can reach. */
function transformAccounted(input: Record<string, unknown>, options: { maxProperties?: number; exclude?: string[] }) {
  const result = transformProperties(input, options)
  for (const { reason } of result.dropped) expect(JSON_DROP_REASONS.has(reason)).toBe(true)
  const inputLeaves = Object.values(input).reduce((sum: number, value) => sum + countInputLeaves(value), 0)
  expect(countOutputValues(result.properties) + droppedCount(result.dropped)).toBe(inputLeaves)
  // README: a name FullStory already accepts reaches it exactly as written (unless every value under it was dropped).
  for (const key of Object.keys(input)) {
    if (!LEGAL_NAME.test(key) || options.exclude?.includes(key)) continue
    const kept = Object.prototype.hasOwnProperty.call(result.properties, key)
    expect(kept || result.dropped.some(({ path }) => path === key || path.startsWith(`${key}.`))).toBe(true)
  }
  return result
}

describe('fuzz: Identify User', () => {
  it('sends only users FullStory accepts, losing no trait, or refuses clearly', async () => {
    await fc.assert(
      fc.asyncProperty(arb.identifyEvent, async (generated) => {
        const event = arb.asDelivered(generated) as Record<string, any>
        const { sent, error } = await deliver(event, identifyPreset)
        if (error) return expectClearRejection(error, sent, 'identifyUser')

        expect(sent).toHaveLength(1)
        const body = sent[0].body
        expect(validateCreateUser(body)).toBeUndefined()

        const traits = asObject(event.traits)
        // README: kept as a property, so cut to 8192 bytes like any property string.
        const anonymousId = event.anonymousId === undefined ? '' : truncateUtf8(String(event.anonymousId))
        // README: a trait already sent as email or display_name (same value) is not repeated.
        const exclude = [
          ...(body.email !== undefined && traits.email === body.email ? ['email'] : []),
          ...['name', 'displayName', 'display_name'].filter(
            (key) => body.display_name !== undefined && traits[key] === body.display_name
          )
        ]
        const maxProperties = anonymousId ? MAX_USER_PROPERTIES - 1 : MAX_USER_PROPERTIES
        const result = transformAccounted(traits, { maxProperties, exclude })
        const expected = roundTrip(result.properties)
        const sentProperties = { ...body.properties }
        // README: the anonymous ID owns `segmentAnonymousId`; a trait with another value there moves to `_2`, ...
        if (anonymousId) {
          expect(sentProperties.segmentAnonymousId).toBe(anonymousId)
          delete sentProperties.segmentAnonymousId
          const own = expected.segmentAnonymousId
          delete expected.segmentAnonymousId
          if (own !== undefined && own !== anonymousId) {
            let suffix = 2
            while (`segmentAnonymousId_${suffix}` in expected) suffix++
            expected[`segmentAnonymousId_${suffix}`] = own
          }
        }
        expectAccounted(traits, sentProperties, withoutLongPaths(expected), [anonymousId])
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('fuzz: Track Custom Event', () => {
  it('sends only events FullStory accepts, losing no property, or refuses clearly', async () => {
    await fc.assert(
      fc.asyncProperty(arb.trackEvent, arb.trackMapping, async (generated, mapping) => {
        const event = arb.asDelivered(generated) as Record<string, any>
        const subscription = { ...trackPreset, mapping: { ...trackPreset.mapping, ...mapping } } as Subscription
        const { sent, error } = await deliver(event, subscription)
        if (error) return expectClearRejection(error, sent, 'trackEvent')

        expect(sent).toHaveLength(1)
        const body = sent[0].body
        expect(validateCreateEvent(body)).toBeUndefined()
        const properties = asObject(event.properties)
        const result = transformAccounted(properties, {})
        expectAccounted(properties, body.properties ?? {}, roundTrip(result.properties), [])
        expect(body.schema?.properties ?? {}).toEqual(result.schema)
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('fuzz: timestamps', () => {
  const track = (timestamp: unknown) => ({ type: 'track', event: 'Fuzzed', userId: 'u1', timestamp })
  const expectTimestampRefused = (error: unknown, sent: Sent[]) => {
    expectClearRejection(error, sent, 'trackEvent')
    expect((error as Error).message).toMatch(/timestamp/i)
  }

  it('sends the exact instant of an ISO-8601 timestamp, or refuses it; never a changed date', async () => {
    await fc.assert(
      fc.asyncProperty(arb.isoTimestamp, async ({ text, instant, realDay }) => {
        const { sent, error } = await deliver(track(text), trackPreset)
        const expected = realDay ? new Date(instant).toISOString() : undefined
        // Only years 0000-9999 have an RFC 3339 form; an impossible day is refused, never rolled over.
        if (expected === undefined || !/^\d{4}-/.test(expected)) return expectTimestampRefused(error, sent)
        if (error) {
          // actions-core's own date check runs first; some ISO forms (such as "+05" offsets) do not pass it.
          expect((error as Error).name).toBe('AggregateAjvError')
          return expectTimestampRefused(error, sent)
        }
        expect(sent[0].body.timestamp).toBe(expected)
        expect(validateCreateEvent(sent[0].body)).toBeUndefined()
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('reads epoch numbers and numeric strings as documented, within the years FullStory accepts', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.oneof(fc.integer({ min: -9e15, max: 9e15 }), fc.integer({ min: -1e11, max: 1e11 })),
        fc.boolean(),
        async (epoch, asText) => {
          const { sent, error } = await deliver(track(asText ? String(epoch) : epoch), trackPreset)
          // Documented: numbers are epoch milliseconds; numeric strings are seconds, or milliseconds from 13 digits.
          const milliseconds = !asText || String(Math.abs(epoch)).length >= 13 ? epoch : epoch * 1000
          const date = new Date(milliseconds)
          if (Number.isNaN(date.getTime()) || !/^\d{4}-/.test(date.toISOString())) {
            return expectTimestampRefused(error, sent)
          }
          // actions-core's own check reads every numeric string as seconds, so it refuses 13-digit ones past 2243.
          if (asText && (error as Error)?.name === 'AggregateAjvError') return expectTimestampRefused(error, sent)
          expect(error).toBeUndefined()
          expect(sent[0].body.timestamp).toBe(date.toISOString())
        }
      ),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('fuzz: FullStory error answers', () => {
  // A session the event targets, so a full session is retried without it (README: Identification rules).
  const event = { type: 'track', event: 'Fuzzed', userId: 'u1', messageId: 'm1', fullstory: { sessionUrl: '12:34' } }
  const subscription = {
    ...trackPreset,
    mapping: { ...trackPreset.mapping, sessionUrl: { '@path': '$.fullstory.sessionUrl' } }
  } as Subscription

  it('maps every answer to the error that makes Segment retry or not, with its reason and without the key', async () => {
    await fc.assert(
      fc.asyncProperty(arb.errorAnswer, async ({ status, body, retryAfter, location }) => {
        const headers = {
          ...(retryAfter === undefined ? {} : { 'Retry-After': retryAfter }),
          ...(location === undefined ? {} : { Location: location })
        }
        const { sent, error } = await deliver(event, subscription, (_path, index) =>
          index === 0 ? [status, body, headers] : [200, {}]
        )
        const { message, code } = typeof body === 'object' ? body : ({} as { message?: string; code?: string })
        const thrown = error as Error & { status?: number; code?: string }

        // Whatever the answer holds, what reaches Segment is bounded and never holds the key.
        expect(thrown?.message?.length ?? 0).toBeLessThanOrEqual(MAX_ERROR_TEXT)
        expect(thrown?.message ?? '').not.toContain(API_KEY)
        expect(String(thrown?.code ?? '')).not.toContain(API_KEY)
        expect(String(thrown?.code ?? '').length).toBeLessThanOrEqual(64)

        if (status < 400) {
          // README: FullStory never redirects its API, so a redirect is an error naming it, and is never followed.
          expect(sent).toHaveLength(1)
          expect(thrown).toBeInstanceOf(IntegrationError)
          expect(thrown.code).toBe('UNEXPECTED_REDIRECT')
          expect(thrown.message).toContain(`HTTP ${status}`)
          return
        }

        const rejection = status !== 401 && status !== 403 && status !== 408 && status !== 429 && status < 500
        if (rejection && code === 'session_page_limit_exceeded') {
          expect(error).toBeUndefined()
          expect(sent).toHaveLength(2)
          expect(sent[1].body).toMatchObject({ user: { uid: 'u1' }, session: { use_most_recent: true } })
          expect(validateCreateEvent(sent[1].body)).toBeUndefined()
          return
        }
        expect(sent).toHaveLength(1)
        expect(thrown.message).toContain('FullStory')
        expect(thrown.message).toContain(`HTTP ${status}`)
        // FullStory's own message is shown (scrubbed, and cut after 300 characters).
        const shown = message?.split(API_KEY).join('[redacted]')
        if (shown?.trim()) expect(thrown.message).toContain(shown.slice(0, 100))

        if (status === 401 || status === 403) {
          expect(thrown).toBeInstanceOf(InvalidAuthenticationError)
        } else if (!rejection) {
          expect(thrown).toBeInstanceOf(RetryableError)
          // README: the same status, except that an unusual 5xx (and 501, not retryable in Segment) becomes 503.
          expect(thrown.status).toBe(status <= 511 && status !== 501 ? status : 503)
        } else {
          expect(thrown).toBeInstanceOf(IntegrationError)
          expect(thrown.status).toBe(status)
          // README: FullStory's code when it is an identifier (scrubbed, at most 64 characters), else HTTP_<status>.
          expect(thrown.code).toMatch(/^[A-Za-z0-9_.:-]{1,64}$/)
          if (typeof code === 'string' && /^[A-Za-z0-9_.:-]{1,64}$/.test(code) && !code.includes(API_KEY)) {
            expect(thrown.code).toBe(code)
          }
          if (typeof code !== 'string' || code.trim() === '') expect(thrown.code).toBe(`HTTP_${status}`)
        }
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('fuzz: API keys as pasted', () => {
  it('sends the trimmed key, or refuses a key no header can carry before any request, never showing it', async () => {
    await fc.assert(
      fc.asyncProperty(arb.apiKey, async (key) => {
        nock.cleanAll()
        const authorizations: string[] = []
        nock(API)
          .persist()
          .post(/.*/)
          .reply(function () {
            authorizations.push(String(this.req.headers.authorization))
            return [200, {}]
          })
        const settings = { apiKey: key, subscriptions: [trackPreset] } as unknown as JSONObject
        const event = { type: 'track', event: 'Keyed', userId: 'u1', messageId: 'm1' } as SegmentEvent
        let error: unknown
        try {
          await destination.onEvent(event, settings)
        } catch (caught) {
          error = caught
        } finally {
          destination.responses.length = 0
        }
        const trimmed = key.trim()
        if (/^[\t\x20-\x7e\x80-\xff]+$/.test(trimmed) && !/^\s*$/.test(trimmed)) {
          expect(error).toBeUndefined()
          expect(authorizations).toEqual([`Basic ${trimmed}`])
          return
        }
        expect(authorizations).toEqual([])
        expect(error).toBeInstanceOf(InvalidAuthenticationError)
        const text = `${(error as Error).message} ${(error as Error).stack ?? ''}`
        if (trimmed.length >= 4) expect(text).not.toContain(trimmed)
        for (const part of ['fuzz-secret', 'secret-key']) expect((error as Error).message).not.toContain(part)
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

describe('fuzz: batches through import jobs', () => {
  const batching = (preset: Subscription) =>
    ({ ...preset, mapping: { ...preset.mapping, enable_batching: true } }) as Subscription

  for (const [action, events, validate] of [
    ['identifyUser', arb.identifyEvent, validateCreateUser],
    ['trackEvent', arb.trackEvent, validateCreateEvent]
  ] as const) {
    it(`${action}: every item is in the job FullStory accepts, or refused on its own with a clear reason`, async () => {
      const subscription = batching(action === 'identifyUser' ? identifyPreset : trackPreset)
      await fc.assert(
        fc.asyncProperty(fc.array(events, { minLength: 1, maxLength: 12 }), async (generated) => {
          const sent = interceptFullStory()
          const results = await destination.onBatch(
            arb.asDelivered(generated) as unknown as SegmentEvent[],
            settingsWith([subscription])
          )
          destination.responses.length = 0
          const nodes = (results[0] as { multistatus: { status: number; errormessage?: string; sent?: unknown }[] })
            .multistatus
          expect(nodes).toHaveLength(generated.length)
          const accepted = nodes.filter((node) => node.status === 200)
          for (const node of nodes) {
            if (node.status === 200) {
              expect(validate(node.sent)).toBeUndefined()
            } else {
              expect(node.status).toBe(400)
              expect(node.errormessage).toMatch(
                new RegExp(`${VALIDATION_FIELD_WORDS.source}|${FIELD_NAMES[action].join('|')}`, 'i')
              )
            }
          }
          expect(sent).toHaveLength(accepted.length > 0 ? 1 : 0)
          if (accepted.length > 0) {
            expect(sent[0].body.requests).toHaveLength(accepted.length)
            for (const request of sent[0].body.requests) expect(validate(request)).toBeUndefined()
          }
        }),
        { numRuns: NUM_RUNS / 2 }
      )
    })
  }
})

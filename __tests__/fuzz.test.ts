import fc from 'fast-check'
import type { SegmentEvent, Subscription } from '@segment/actions-core'
import { MAX_USER_PROPERTIES, transformProperties, truncateUtf8 } from '../src/destinations/fullstory-cloud/properties'
import { validateCreateEvent, validateCreateUser } from '../src/sandbox'
import * as arb from './__helpers__/segment-arbitraries'
import { LEGAL_SEGMENT } from './__helpers__/property-arbitraries'
import {
  JSON_DROP_REASONS,
  VALIDATION_FIELD_WORDS,
  countInputLeaves,
  countOutputValues,
  droppedCount,
  withoutLongPaths,
  scalarValues
} from './__helpers__/fuzz-oracle'
import {
  deliver,
  destination,
  expectClearRejection,
  FIELD_NAMES,
  FUZZ_TEST_TIMEOUT,
  identifyPreset,
  interceptFullStory,
  NUM_RUNS,
  Sent,
  settingsWith,
  trackPreset
} from './__helpers__/fuzz-harness'

/**
 * Fuzzing both actions the way Segment runs them (Destination.onEvent / onBatch with the presets, FullStory
 * mocked by nock). Every outcome must be one of:
 * - a success whose request FullStory's documented rules accept (the sandbox validators), with every input
 *   leaf either sent or reported by a documented drop;
 * - a rejection before anything is sent, of a class that tells Segment not to retry, naming the field at fault.
 * Never an uncaught TypeError or RangeError, and never a request FullStory would refuse.
 */

jest.setTimeout(FUZZ_TEST_TIMEOUT)

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
    if (!LEGAL_SEGMENT.test(key) || options.exclude?.includes(key)) continue
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

/**
 * What the fuzz tests share: the destination with its presets, as Segment runs it, and FullStory mocked by nock so
 * every request is captured and any answer can be given. Delivering an event also checks what it logged: bounded,
 * and never the key.
 */
import nock from 'nock'
import { Destination, PayloadValidationError } from '@segment/actions-core'
import type { JSONObject, SegmentEvent, Subscription } from '@segment/actions-core'
import definition from '../../src/destinations/fullstory-cloud'
import { recordingObservers } from '../../src/destinations/fullstory-cloud/__tests__/__helpers__/observers'
import { MAX_LISTED_PATH_LENGTH, MAX_LISTED_PATHS } from '../../src/destinations/fullstory-cloud/dropped'
import { fieldNames, VALIDATION_FIELD_WORDS } from './fuzz-oracle'

export const API = 'https://api.fullstory.com'
export const API_KEY = 'fuzz-secret-key'
// FUZZ_RUNS=5000 npx jest __tests__/fuzz searches deeper (both fuzz files); CI keeps the default.
export const NUM_RUNS = Number(process.env.FUZZ_RUNS ?? 200)
/** Per test: every fuzz property delivers NUM_RUNS events through the destination, on a machine that may be busy. */
export const FUZZ_TEST_TIMEOUT = Math.max(30_000, NUM_RUNS * 60)

const presets = (definition.presets ?? []).flatMap((preset) =>
  'subscribe' in preset ? [{ ...preset, subscribe: preset.subscribe }] : []
)
export const identifyPreset = presets.find((p) => p.partnerAction === 'identifyUser')!
export const trackPreset = presets.find((p) => p.partnerAction === 'trackEvent')!
export const FIELD_NAMES = {
  identifyUser: fieldNames(definition.actions.identifyUser.fields),
  trackEvent: fieldNames(definition.actions.trackEvent.fields)
}

export const destination = new Destination(definition)
export const settingsWith = (subscriptions: Subscription[]) =>
  ({ apiKey: API_KEY, subscriptions }) as unknown as JSONObject

export interface Sent {
  path: string
  body: any
}

export type Reply = (path: string, index: number) => [number, unknown, Record<string, string>?]

/** Captures every request to FullStory; answers 200 unless `reply` says otherwise. */
export function interceptFullStory(reply?: Reply): Sent[] {
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
export const MAX_ERROR_TEXT = 1_200

/** Longest possible warning: ten shortened paths, their reasons, and the sentence around them. */
export const MAX_WARNING_LENGTH = MAX_LISTED_PATHS * (MAX_LISTED_PATH_LENGTH + 40) + 200

export async function deliver(event: unknown, subscription: Subscription, reply?: Reply) {
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
export function expectClearRejection(error: unknown, sent: Sent[], action: keyof typeof FIELD_NAMES) {
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

import { createHash } from 'crypto'
import { readFileSync, writeFileSync } from 'fs'
import path from 'path'
import { Destination } from '@segment/actions-core'
import type { DestinationDefinition, JSONObject, SegmentEvent, Subscription } from '@segment/actions-core'
import ours from '../src/destinations/fullstory-cloud'
import { eventMix, REALISTIC_MIX } from './events'
import { presetSubscriptions } from '../src/delivery/subscriptions'
import { withStubUrl } from './sides'
import { installStubTransport } from './stub-transport'
import type { SentRequest } from './stub-transport'

/**
 * A fixed, seeded corpus of Segment events through our destination exactly as the benchmark runs it (presets as
 * subscriptions, transport stubbed): every event through `Destination.onEvent`, then the same events through
 * `Destination.onBatch` with Send in Batches on, 100 at a time. The SHA-256 of every request body, and of every
 * request whole (method, URL, headers, body), is compared with bench/digest.expected.json: a performance change
 * proves with it that no request changed. A change meant to alter what is sent updates the file
 * (`npm run bench:digest -- --update`) in the same commit, so the diff shows it.
 */
export const EXPECTED_FILE = path.join(__dirname, 'digest.expected.json')
export const CORPUS = {
  description:
    'eventMix(400, seed 2024, realistic mix) plus 8 edge cases; onEvent for each, then onBatch with enable_batching in batches of 100',
  events: 400,
  seed: 2024,
  batchSize: 100
}

export interface Digest {
  corpus: string
  events: number
  requests: number
  /** Events onEvent refused (no request sent). */
  refused: number
  /** SHA-256 of every request body, in order, each followed by a newline. */
  bodies: string
  /** SHA-256 of every request's method, URL, sorted headers and body. */
  requestsDigest: string
}

/** Inputs the seeded mix does not produce but the property rules and the batch path must handle the same way. */
function edgeCases(): SegmentEvent[] {
  const base = { anonymousId: 'anon-edge', timestamp: '2024-03-04T05:06:07.890Z', context: { ip: '203.0.113.9' } }
  const deep: JSONObject = { leaf: 'bottom' }
  let nested = deep
  for (let i = 0; i < 12; i++) nested = { [`level-${i}`]: nested }
  return [
    { ...base, type: 'identify', messageId: 'edge-1', userId: 'edge-user-1', traits: { bio: 'é'.repeat(6000) } },
    {
      ...base,
      type: 'identify',
      messageId: 'edge-2',
      userId: 'edge-user-2',
      traits: Object.fromEntries(Array.from({ length: 620 }, (_, i) => [`trait ${i}`, i]))
    },
    { ...base, type: 'track', messageId: 'edge-3', userId: 'edge-user-3', event: 'Deep', properties: nested },
    {
      ...base,
      type: 'track',
      messageId: 'edge-4',
      userId: 'edge-user-4',
      event: 'Big Array',
      properties: {
        numbers: Array.from({ length: 3000 }, (_, i) => i * 1.5),
        words: ['a', 'b'],
        mixed: [1, 'two', true]
      }
    },
    {
      ...base,
      type: 'identify',
      messageId: 'edge-5',
      userId: 'edge-user-5',
      traits: { 'first-property': 1, first_property: 2, 'Ünïcödé name': 'ok', '': 'empty name', nothing: null }
    },
    {
      ...base,
      type: 'track',
      messageId: 'edge-6',
      userId: 'edge-user-6',
      event: 'Offsets',
      timestamp: '2024-03-04T05:06:07+02:00',
      properties: { at: '2024-03-04T05:06:07.123456+05:30', day: '2024-03-04', big: 2 ** 64, neg: -0.5 }
    },
    { ...base, type: 'identify', messageId: 'edge-7', userId: 'edge-user-7' },
    { ...base, type: 'track', messageId: 'edge-8', event: 'No User', properties: { a: 1 } }
  ]
}

export function digestCorpus(): SegmentEvent[] {
  return [...eventMix(CORPUS.events, CORPUS.seed, REALISTIC_MIX), ...edgeCases()]
}

/**
 * Runs the corpus and digests what was sent; `onRequest` sees every request, for --dump. `definition` is ours
 * unless a candidate copy of src/ is being checked.
 */
export async function computeDigest(
  onRequest?: (request: SentRequest) => void,
  definition: DestinationDefinition<never> = ours
): Promise<Digest> {
  const sent: SentRequest[] = []
  const transport = installStubTransport((request) => sent.push(request))
  try {
    return await withStubUrl(async () => {
      const events = digestCorpus()
      const subscriptions = presetSubscriptions(definition)
      const destination = new Destination(definition)
      const single = { apiKey: 'digest-key', subscriptions } as unknown as JSONObject
      let refused = 0
      const requests: SentRequest[] = []
      for (const event of events) {
        try {
          await destination.onEvent(event, single)
        } catch {
          refused++
        }
        requests.push(...sent.splice(0))
      }
      const batching = { apiKey: 'digest-key', subscriptions: withBatching(subscriptions) } as unknown as JSONObject
      for (let start = 0; start < events.length; start += CORPUS.batchSize) {
        await destination.onBatch(events.slice(start, start + CORPUS.batchSize), batching)
        // The two actions' jobs run concurrently: their order is not part of what is sent.
        requests.push(...sent.splice(0).sort((a, b) => (a.url < b.url ? -1 : a.url > b.url ? 1 : 0)))
      }
      const bodies = createHash('sha256') // eslint-disable-line no-restricted-syntax -- not PII: a digest of test output
      const whole = createHash('sha256') // eslint-disable-line no-restricted-syntax -- not PII: a digest of test output
      for (const request of requests) {
        onRequest?.(request)
        bodies.update(`${request.body}\n`)
        const headers = [...request.headers].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
        whole.update(`${JSON.stringify([request.method, request.url, headers, request.body])}\n`)
      }
      return {
        corpus: CORPUS.description,
        events: events.length,
        requests: requests.length,
        refused,
        bodies: bodies.digest('hex'),
        requestsDigest: whole.digest('hex')
      }
    })
  } finally {
    transport.restore()
  }
}

function withBatching(subscriptions: Subscription[]): Subscription[] {
  return subscriptions.map((subscription) => ({
    ...subscription,
    mapping: { ...subscription.mapping, enable_batching: true }
  }))
}

export function readExpected(): Digest {
  return JSON.parse(readFileSync(EXPECTED_FILE, 'utf8')) as Digest
}

export function writeExpected(digest: Digest): void {
  writeFileSync(EXPECTED_FILE, `${JSON.stringify(digest, null, 2)}\n`)
}

/** What differs between two digests, as lines for a person; empty when they match. */
export function differences(expected: Digest, actual: Digest): string[] {
  const keys: (keyof Digest)[] = ['corpus', 'events', 'requests', 'refused', 'bodies', 'requestsDigest']
  return keys
    .filter((key) => expected[key] !== actual[key])
    .map((key) => `${key}: expected ${String(expected[key])}, got ${String(actual[key])}`)
}

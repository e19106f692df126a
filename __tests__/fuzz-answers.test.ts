import fc from 'fast-check'
import nock from 'nock'
import { IntegrationError, InvalidAuthenticationError, RetryableError } from '@segment/actions-core'
import type { JSONObject, SegmentEvent, Subscription } from '@segment/actions-core'
import { validateCreateEvent } from '../src/sandbox'
import { apiKey, errorAnswer } from './__helpers__/fullstory-arbitraries'
import {
  API,
  API_KEY,
  deliver,
  destination,
  FUZZ_TEST_TIMEOUT,
  MAX_ERROR_TEXT,
  NUM_RUNS,
  trackPreset
} from './__helpers__/fuzz-harness'

/**
 * Fuzzing what comes back from FullStory and what admins paste as a key: every answer becomes the actions-core error
 * that makes Segment retry or not, bounded and without the key; a key is sent trimmed or refused before any request.
 */

jest.setTimeout(FUZZ_TEST_TIMEOUT)

describe('fuzz: FullStory error answers', () => {
  // A session the event targets, so a full session is retried without it (README: Identification rules).
  const event = { type: 'track', event: 'Fuzzed', userId: 'u1', messageId: 'm1', fullstory: { sessionUrl: '12:34' } }
  const subscription = {
    ...trackPreset,
    mapping: { ...trackPreset.mapping, sessionUrl: { '@path': '$.fullstory.sessionUrl' } }
  } as Subscription

  it('maps every answer to the error that makes Segment retry or not, with its reason and without the key', async () => {
    await fc.assert(
      fc.asyncProperty(errorAnswer, async ({ status, body, retryAfter, location }) => {
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
      fc.asyncProperty(apiKey, async (key) => {
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

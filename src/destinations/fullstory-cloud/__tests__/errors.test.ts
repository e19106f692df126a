import nock from 'nock'
import {
  createTestEvent,
  createTestIntegration,
  IntegrationError,
  InvalidAuthenticationError,
  PayloadValidationError,
  RequestTimeoutError,
  RetryableError
} from '@segment/actions-core'
import definition from '../index'
import { parseRetryAfter, refusal, scrub, toTransportError } from '../errors'
import { API_URL_ENV } from '../api'

const testDestination = createTestIntegration(definition)

// The harness keeps the requests of a call that threw; start each test with none.
beforeEach(() => testDestination.responses.splice(0))
const API = 'https://api.fullstory.com'
const settings = { apiKey: 'secret-key-0123456789' }

function trackWith(reply: (scope: nock.Scope) => void) {
  reply(nock(API))
  return testDestination.testAction('trackEvent', {
    event: createTestEvent({ type: 'track', event: 'Clicked', userId: 'u1', messageId: 'm1' }),
    settings,
    useDefaultMappings: true
  })
}

/** The error a run rejects with; fails the test when the run succeeds. */
async function rejection(run: Promise<unknown>): Promise<any> {
  const outcome = await run.then(
    () => undefined,
    (error: unknown) => error
  )
  if (!outcome) throw new Error('expected the run to fail, but it succeeded')
  return outcome
}

const failWith = (status: number, body: object | string = {}, headers: Record<string, string> = {}) =>
  trackWith((scope) => scope.post('/v2/events').reply(status, body, headers))

describe('error mapping', () => {
  it.each([400, 404, 413, 422])('does not retry a %i and passes on FullStory message and code', async (status) => {
    const failure = failWith(status, { message: 'properties.bad name is not allowed', code: 'invalid_argument' })
    await expect(failure).rejects.toBeInstanceOf(IntegrationError)
    const error = await rejection(
      failWith(status, { message: 'properties.bad name is not allowed', code: 'invalid_argument' })
    )
    expect(error).toMatchObject({ status, code: 'invalid_argument' })
    expect(error.message).toContain('properties.bad name is not allowed')
    expect(error).not.toBeInstanceOf(RetryableError)
  })

  it('copes with an error body that is not JSON', async () => {
    const error = await rejection(failWith(400, 'Bad Request'))
    expect(error).toMatchObject({ status: 400, code: 'HTTP_400' })
    expect(error.message).toContain('Bad Request')
  })

  it.each([401, 403])('treats %i as an authentication failure, with that status', async (status) => {
    const error = await rejection(failWith(status, { message: 'no', code: 'unauthorized' }))
    expect(error).toBeInstanceOf(InvalidAuthenticationError)
    expect(error.status).toBe(status)
  })

  it('retries a 429 and says how long FullStory asked to wait', async () => {
    const error = await rejection(
      failWith(429, { message: 'rate limited', code: 'too_many_requests' }, { 'Retry-After': '30' })
    )
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.status).toBe(429)
    expect(error.message).toMatch(/retry after 30 seconds \(Retry-After: 30\)/)
    expect(error.retryAfterSeconds).toBe(30)
  })

  it('retries a 429 without Retry-After too', async () => {
    const error = await rejection(failWith(429, { message: 'rate limited', code: 'too_many_requests' }))
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.message).toMatch(/retry later/)
  })

  it.each([500, 502, 503, 504])('retries a %i', async (status) => {
    const error = await rejection(failWith(status, { message: 'oops', code: 'server_error' }))
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.status).toBe(status)
  })

  it('retries an unusual 5xx under a retryable status', async () => {
    const error = await rejection(failWith(599, { message: 'odd' }))
    expect(error).toBeInstanceOf(RetryableError)
  })

  it('retries when FullStory cannot be reached', async () => {
    // A real refused connection: nothing listens on port 1 of the loopback address.
    process.env[API_URL_ENV] = 'http://127.0.0.1:1'
    const error = await rejection(trackWith(() => undefined)).finally(() => delete process.env[API_URL_ENV])
    expect(error).toBeInstanceOf(RetryableError)
    expect(error.message).toMatch(/Could not reach FullStory while sending an event/)
  })

  it('retries a request that timed out', () => {
    const error = toTransportError(new RequestTimeoutError('timed out'), {
      operation: 'sending an event'
    })
    expect(error).toBeInstanceOf(RetryableError)
    expect((error as RetryableError).status).toBe(408)
  })

  it('never puts the API key in an error message, even when FullStory echoes it', async () => {
    for (const status of [400, 401, 429, 500]) {
      const error = await rejection(failWith(status, { message: `bad key ${settings.apiKey}`, code: 'x' }))
      expect(error.message).not.toContain(settings.apiKey)
      expect(error.message).toContain('[redacted]')
    }
  })
})

describe('scrub', () => {
  const key = 'na1.Secret/key+0123=='

  it.each([
    ['as configured', key, key],
    ['in another letter case', key, key.toUpperCase()],
    ['percent-encoded', key, encodeURIComponent(key)],
    [
      'with every character percent-encoded, in lower-case hex',
      key,
      [...key].map((c) => `%${c.charCodeAt(0).toString(16)}`).join('')
    ],
    ['partly percent-encoded', key, 'na1%2ESecret%2fkey+0123%3D='],
    ['JSON-escaped', key, 'na1.Secret\\/key+0123=='],
    ['as sent (trimmed) when configured with whitespace', `  ${key}\n`, key]
  ])('removes the key %s', (_: string, configured: string, echoed: string) => {
    expect(scrub(`bad key "${echoed}" here`, configured)).toBe('bad key "[redacted]" here')
  })

  it('leaves everything else alone, a shortened key and characters that would be special in a pattern included', () => {
    expect(scrub(`${key.slice(0, -1)} na1xSecret/key+0123== (a.b)*[c]`, key)).toBe(
      `${key.slice(0, -1)} na1xSecret/key+0123== (a.b)*[c]`
    )
    expect(scrub('anything', '  ')).toBe('anything')
  })
})

describe('parseRetryAfter', () => {
  it('reads seconds and HTTP dates', () => {
    const now = Date.parse('2024-01-01T00:00:00Z')
    expect(parseRetryAfter('12', now)).toBe(12)
    expect(parseRetryAfter('Mon, 01 Jan 2024 00:01:00 GMT', now)).toBe(60)
    expect(parseRetryAfter('soon', now)).toBeUndefined()
    expect(parseRetryAfter(null, now)).toBeUndefined()
  })
})

describe('refusals', () => {
  it('are PayloadValidationErrors that carry their message and no stack frames, and leave the stack limit as it was', () => {
    const before = Error.stackTraceLimit
    const error = refusal('The event name is empty.')
    expect(error).toBeInstanceOf(PayloadValidationError)
    expect(error.status).toBe(400)
    expect(error.message).toBe('The event name is empty.')
    expect(error.stack?.split('\n')).toEqual(['PayloadValidationError: The event name is empty.'])
    expect(Error.stackTraceLimit).toBe(before)
    expect(new Error('other').stack?.split('\n').length).toBeGreaterThan(1)
  })

  it('reach Segment as the validation errors they were, from a real track', async () => {
    const error = await rejection(
      testDestination.testAction('trackEvent', {
        event: createTestEvent({ type: 'track', event: 'Clicked', userId: null, anonymousId: 'a1' }),
        settings,
        useDefaultMappings: true
      })
    )
    expect(error).toBeInstanceOf(PayloadValidationError)
    expect(error.message).toMatch(/needs a userId or a FullStory session URL/)
    expect(error.stack).not.toMatch(/\n\s+at /)
  })
})

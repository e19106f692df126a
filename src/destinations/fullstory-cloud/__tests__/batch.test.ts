import nock from 'nock'
import { createRequestClient, createTestEvent, createTestIntegration, defaultValues } from '@segment/actions-core'
import type { SegmentEvent } from '@segment/actions-core'
import definition from '../index'
import { MAX_JOB_REQUESTS, sendBatch } from '../batch'
import { requestKey } from '../api'
import { recordingObservers } from './__helpers__/observers'

const testDestination = createTestIntegration(definition)
const API = 'https://api.fullstory.com'
const settings = { apiKey: 'batch-key' }

beforeEach(() => testDestination.responses.splice(0))

const mappingFor = (action: 'identifyUser' | 'trackEvent') => ({
  ...defaultValues(definition.actions[action].fields),
  enable_batching: true
})

const identify = (userId: string | null, extra: Record<string, unknown> = {}) =>
  createTestEvent({ type: 'identify', userId, messageId: `m-${userId}`, traits: { plan: 'pro', seats: 3 }, ...extra })

const track = (userId: string | null, event = 'Clicked', extra: Record<string, unknown> = {}) =>
  createTestEvent({
    type: 'track',
    event,
    userId,
    messageId: `m-${event}-${userId}`,
    timestamp: '2024-01-02T03:04:05.000Z',
    ...extra
  })

function runBatch(action: 'identifyUser' | 'trackEvent', events: SegmentEvent[]) {
  return testDestination.executeBatch(action, { events, mapping: mappingFor(action), settings })
}

function captureJob(
  path: string,
  status = 200,
  body: object = { job: { id: 'job-1', status: 'PROCESSING' } },
  headers = {}
) {
  const captured: { body?: any; key?: string } = {}
  nock(API)
    .post(path, (body) => {
      captured.body = body
      return true
    })
    .reply(function () {
      captured.key = String(this.req.headers['idempotency-key']) // nock 13 gives an array, 14 a string
      return [status, body, headers]
    })
  return captured
}

describe('performBatch', () => {
  it('reports local failures at their own index and sends the rest as one job', async () => {
    const job = captureJob('/v2/users/batch')
    const results = await runBatch('identifyUser', [
      identify('u1'),
      identify('  '),
      identify('u2'),
      identify('u'.repeat(300)),
      identify(null)
    ])
    expect(results.map((r) => r.status)).toEqual([200, 400, 200, 400, 400])
    expect(results[1]).toMatchObject({
      errortype: 'PAYLOAD_VALIDATION_FAILED',
      errormessage: 'userId is only whitespace; FullStory needs a user ID with at least one visible character.'
    })
    expect(results[3]).toMatchObject({ errormessage: expect.stringMatching(/300 characters long/) })
    expect(job.body.requests.map((r: { uid: string }) => r.uid)).toEqual(['u1', 'u2'])
    expect(results[0]).toMatchObject({ body: { job_id: 'job-1', job_status: 'PROCESSING' }, sent: { uid: 'u1' } })
  })

  it('sends a message delivered twice into one batch once, answering both with the job, as single sends would', async () => {
    const job = captureJob('/v2/events/batch')
    const twice = track('u1', 'Signed Up')
    const results = await runBatch('trackEvent', [twice, track('u2'), { ...twice }, track('u1', 'Other')])
    expect(job.body.requests.map((r: { name: string; user: { uid: string } }) => [r.name, r.user.uid])).toEqual([
      ['Signed Up', 'u1'],
      ['Clicked', 'u2'],
      ['Other', 'u1']
    ])
    expect(results.map((r) => r.status)).toEqual([200, 200, 200, 200])
    expect(results[2]).toEqual(results[0])

    // The same batch again makes the same job key: the repeat takes no part in it.
    const again = captureJob('/v2/events/batch')
    await runBatch('trackEvent', [twice, track('u2'), track('u1', 'Other')])
    expect(again.key).toBe(job.key)
  })

  it('sends two items that share a message id but differ, as single sends would try both', async () => {
    const job = captureJob('/v2/events/batch')
    await runBatch('trackEvent', [track('u1', 'A'), { ...track('u1', 'B'), messageId: 'm-A-u1' }])
    expect(job.body.requests.map((r: { name: string }) => r.name)).toEqual(['A', 'B'])
  })

  it('sends exactly what single calls would send for each item', async () => {
    const events = [
      track('u1', 'Signed Up', { properties: { 'Plan Name': 'pro', seats: 2 } }),
      track('u2', 'Logged In')
    ]
    const job = captureJob('/v2/events/batch')
    await runBatch('trackEvent', events)
    testDestination.responses.splice(0)

    nock(API).post('/v2/events').times(2).reply(200, {})
    const singles = []
    for (const event of events) {
      const [response] = await testDestination.testAction('trackEvent', {
        event,
        settings,
        mapping: mappingFor('trackEvent')
      })
      singles.push(JSON.parse(response.options.body as string))
    }
    expect(job.body.requests).toEqual(singles)
    expect(job.body.requests[0]).toMatchObject({
      properties: { Plan_Name: 'pro', seats: 2 },
      schema: { properties: { seats: 'int' } }
    })
  })

  it('derives one Idempotency-Key from the items, the same when the batch is retried', async () => {
    const events = [track('u1'), track('u2')]
    const first = captureJob('/v2/events/batch', 503, { message: 'down', code: 'server_error' })
    await runBatch('trackEvent', events)
    const second = captureJob('/v2/events/batch')
    await runBatch('trackEvent', events)
    const other = captureJob('/v2/events/batch')
    await runBatch('trackEvent', [track('u1'), track('u3')])
    expect(first.key).toMatch(/^[0-9a-f-]{36}$/)
    expect(second.key).toBe(first.key)
    expect(second.body).toEqual(first.body)
    expect(other.key).not.toBe(first.key)
  })

  it('makes every sent item retryable on a 429 and passes Retry-After on', async () => {
    captureJob(
      '/v2/events/batch',
      429,
      { message: 'too many jobs', code: 'too_many_requests' },
      { 'Retry-After': '30' }
    )
    const results = await runBatch('trackEvent', [track('u1'), track(null), track('u2')])
    expect(results.map((r) => r.status)).toEqual([429, 400, 429])
    expect(results[0]).toMatchObject({
      errortype: 'RETRYABLE_ERROR',
      errormessage: expect.stringMatching(/retry after 30 seconds/),
      body: { retry_after_seconds: 30 }
    })
  })

  it.each([500, 502, 503])('makes every sent item retryable on a %i', async (status) => {
    captureJob('/v2/users/batch', status, { message: 'oops', code: 'server_error' })
    const results = await runBatch('identifyUser', [identify('u1'), identify('u2')])
    expect(results.map((r) => [r.status, 'errortype' in r && r.errortype])).toEqual([
      [status, 'RETRYABLE_ERROR'],
      [status, 'RETRYABLE_ERROR']
    ])
  })

  it.each([401, 403])('marks every sent item as an authentication failure on a %i', async (status) => {
    captureJob('/v2/users/batch', status, { message: 'no', code: 'unauthorized' })
    const results = await runBatch('identifyUser', [identify('u1'), identify('u2')])
    expect(results.every((r) => 'errortype' in r && r.errortype === 'INVALID_AUTHENTICATION')).toBe(true)
    expect(results.every((r) => r.status === status)).toBe(true)
  })

  it('marks every sent item with FullStory message when the job is rejected', async () => {
    captureJob('/v2/events/batch', 400, { message: 'requests[1].name must not be empty', code: 'invalid_argument' })
    const results = await runBatch('trackEvent', [track('u1'), track('u2')])
    expect(results.map((r) => r.status)).toEqual([400, 400])
    expect(results[1]).toMatchObject({ errormessage: expect.stringContaining('requests[1].name must not be empty') })
  })

  it('never puts the API key in a batch error', async () => {
    captureJob('/v2/events/batch', 401, { message: `key ${settings.apiKey} revoked`, code: 'unauthorized' })
    const results = await runBatch('trackEvent', [track('u1')])
    expect(JSON.stringify(results)).not.toContain(settings.apiKey)
  })
})

describe('performBatch: what the property rules leave out', () => {
  it('is reported once for the whole batch, naming each path', async () => {
    captureJob('/v2/events/batch')
    const { warnings, logger } = recordingObservers()
    const events = [
      track('u1', 'First', { properties: { note: 'x'.repeat(9000) } }),
      track('u2', 'Second', { properties: { fine: 1 } }),
      track('u3', 'Third', { properties: { memo: 'y'.repeat(9000) } })
    ]
    const results = await testDestination.executeBatch('trackEvent', {
      events,
      mapping: mappingFor('trackEvent'),
      settings,
      logger
    })
    expect(warnings).toEqual([
      'trackEvent: 2 values did not reach FullStory as sent: note (truncated), memo (truncated).'
    ])
    // Each item's own warning is in its entry of the answer, where Segment shows it beside that event.
    expect(results.map((result) => (result.body as { warning?: string }).warning)).toEqual([
      'trackEvent: 1 value did not reach FullStory as sent: note (truncated).',
      undefined,
      'trackEvent: 1 value did not reach FullStory as sent: memo (truncated).'
    ])
  })
})

describe('splitting', () => {
  it(`splits more than ${MAX_JOB_REQUESTS} items into several jobs, keeping each item's index`, async () => {
    const sizes: number[] = []
    nock(API)
      .post('/v2/users/batch', (body: { requests: unknown[] }) => sizes.push(body.requests.length) > 0)
      .times(2)
      .reply(200, () => ({ job: { id: `job-${sizes.length}`, status: 'PROCESSING' } }))
    const request = createRequestClient({ headers: { Authorization: 'Basic k' } })
    const payloads = Array.from({ length: MAX_JOB_REQUESTS + 2 }, (_, i) => ({ uid: `u${i}`, ok: i !== 7 }))
    const results = await sendBatch(request, settings, payloads, {
      key: requestKey('identifyUser', {}),
      url: `${API}/v2/users/batch`,
      operation: 'importing users',
      build: (payload) => {
        if (!payload.ok) throw new Error('bad item')
        return { uid: payload.uid }
      },
      messageId: (payload) => payload.uid
    })
    expect(sizes).toEqual([MAX_JOB_REQUESTS, 1])
    expect(results.length()).toBe(MAX_JOB_REQUESTS + 2)
    expect(results.isErrorResponseAtIndex(7)).toBe(true)
    expect(results.getResponseAtIndex(MAX_JOB_REQUESTS + 1).value()).toMatchObject({ body: { job_id: 'job-2' } })
    expect(results.getResponseAtIndex(0).value()).toMatchObject({ body: { job_id: 'job-1' } })
  })
})

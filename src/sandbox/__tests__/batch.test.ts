import { startSandbox, type Sandbox } from '..'
import { clientFor, eventually, expectError, type Client } from './__helpers__/client'

let sandbox: Sandbox
let api: Client

beforeAll(async () => {
  sandbox = await startSandbox()
  api = clientFor(sandbox)
})
afterAll(() => sandbox.close())
beforeEach(() => sandbox.reset())

const finished = (client: Client, kind: 'users' | 'events', id: string) =>
  eventually(async () => {
    const reply = await client.get(`/v2/${kind}/batch/${id}`)
    return reply.body.job.status === 'PROCESSING' ? undefined : reply.body
  })

describe('a batch job while it is processing', () => {
  let slow: Sandbox
  beforeAll(async () => {
    slow = await startSandbox({ jobDelayMs: 150 })
  })
  afterAll(() => slow.close())

  it('is PROCESSING, answers 202 for imports and errors, then COMPLETED with what it imported', async () => {
    const client = clientFor(slow)
    const created = await client.post('/v2/users/batch', {
      requests: [{ uid: 'u1', display_name: 'Ann', properties: { n: 1 } }, { uid: 'u2' }]
    })
    expect(created).toMatchObject({ status: 200 })
    expect(created.body).toEqual({ job: { id: expect.any(String), status: 'PROCESSING', created: expect.any(String) } })
    const id: string = created.body.job.id
    expect((await client.get(`/v2/users/batch/${id}`)).body).toEqual({
      imports: 0,
      errors: 0,
      job: { id, status: 'PROCESSING', created: created.body.job.created }
    })
    expect(await client.get(`/v2/users/batch/${id}/imports`)).toMatchObject({ status: 202, body: {} })
    expect(await client.get(`/v2/users/batch/${id}/errors`)).toMatchObject({ status: 202, body: {} })
    expect(slow.users()).toEqual([])

    const status = await finished(client, 'users', id)
    expect(status).toEqual({
      imports: 2,
      errors: 0,
      job: { id, status: 'COMPLETED', created: expect.any(String), finished: expect.any(String) }
    })
    const imports = await client.get(`/v2/users/batch/${id}/imports`)
    expect(imports.body).toEqual({
      results: [
        { id: expect.any(String), uid: 'u1', display_name: 'Ann', properties: { n: 1 } },
        { id: expect.any(String), uid: 'u2', properties: {} }
      ],
      total_records: '2'
    })
    expect((await client.get(`/v2/users/batch/${id}/imports?include_schema=true`)).body.results[0].schema).toEqual({
      properties: { n: 'real' }
    })
    expect((await client.get(`/v2/users/batch/${id}/errors`)).body).toEqual({ results: [], total_records: '0' })
    expect(slow.users().map((user) => user.uid)).toEqual(['u1', 'u2'])
  })
})

describe('batch concurrency limits', () => {
  let stuck: Sandbox
  beforeAll(async () => {
    stuck = await startSandbox({ jobDelayMs: 60_000 })
  })
  afterAll(() => stuck.close())
  beforeEach(() => stuck.reset())

  it('answers 429 with Retry-After once 200 jobs are in progress', async () => {
    const client = clientFor(stuck)
    for (let i = 0; i < 200; i++) {
      expect((await client.post('/v2/events/batch', { requests: [{ name: `e${i}` }] })).status).toBe(200)
    }
    const refused = await client.post('/v2/events/batch', { requests: [{ name: 'one too many' }] })
    expect(expectError(refused, 429, 'too_many_requests')).toContain('200 jobs')
    expect(Number(refused.headers.get('retry-after'))).toBeGreaterThan(0)
  })

  it('answers 429 when in-progress jobs would exceed 500,000 operations', async () => {
    const client = clientFor(stuck)
    const batch = { requests: Array.from({ length: 50_000 }, () => ({ name: 'e' })) }
    for (let i = 0; i < 10; i++) expect((await client.post('/v2/events/batch', batch)).status).toBe(200)
    expectError(await client.post('/v2/users/batch', { requests: [{ uid: 'u' }] }), 429, 'too_many_requests')
  })
})

describe('POST /v2/users/batch', () => {
  it('imports the valid items, lists each failure with its user, and reports FAILED', async () => {
    const { body: existing } = await api.post('/v2/users', { display_name: 'Anonymous' })
    const requests = [
      { uid: 'good', properties: { plan: 'pro' } },
      { uid: 'bad', properties: { 'plan-str': 'pro' } },
      { id: existing.id, uid: 'now-known', email: 'a@example.com' },
      { id: 'fsu_missing', display_name: 'Nobody' },
      'not an object'
    ]
    const { body } = await api.post('/v2/users/batch', { requests })
    const status = await finished(api, 'users', body.job.id)
    expect(status).toMatchObject({ imports: 2, errors: 3, job: { status: 'FAILED' } })
    const errors = await api.get(`/v2/users/batch/${body.job.id}/errors`)
    expect(errors.body).toEqual({
      results: [
        { message: expect.stringContaining('plan-str'), code: 'invalid_argument', user: requests[1] },
        { message: expect.stringContaining('fsu_missing'), code: 'user_not_found', user: requests[3] },
        { message: expect.any(String), code: 'invalid_argument', user: 'not an object' }
      ],
      total_records: '3'
    })
    const byUid = Object.fromEntries(sandbox.users().map((user) => [user.uid, user]))
    expect(Object.keys(byUid).sort()).toEqual(['good', 'now-known'])
    expect(byUid['now-known']).toMatchObject({ id: existing.id, display_name: 'Anonymous', email: 'a@example.com' })
  })

  it('refuses to change the uid of an identified user through its id', async () => {
    const { body: user } = await api.post('/v2/users', { uid: 'fixed' })
    const { body } = await api.post('/v2/users/batch', { requests: [{ id: user.id, uid: 'changed' }] })
    await finished(api, 'users', body.job.id)
    const errors = await api.get(`/v2/users/batch/${body.job.id}/errors`)
    expect(errors.body.results[0]).toMatchObject({
      code: 'invalid_argument',
      message: expect.stringContaining('cannot be changed')
    })
    expect(sandbox.users()[0].uid).toBe('fixed')
  })
})

describe('POST /v2/events/batch', () => {
  it('applies shared.context, fails an event that brings its own context, and links events to users', async () => {
    const shared = { context: { browser: { url: 'https://shop.example.com' } } }
    const requests = [
      { name: 'Viewed', user: { uid: 'u1' } },
      { name: 'Own context', user: { uid: 'u1' }, context: { browser: { url: 'https://elsewhere.example' } } },
      { name: 'In session', session: { id: '1:2' } },
      { name: '' }
    ]
    const { body } = await api.post('/v2/events/batch', { requests, shared })
    const status = await finished(api, 'events', body.job.id)
    expect(status).toMatchObject({ imports: 2, errors: 2, job: { status: 'FAILED' } })

    const [user] = sandbox.users()
    expect(sandbox.events()).toEqual([
      {
        name: 'Viewed',
        user: { uid: 'u1' },
        context: shared.context,
        user_id: user.id,
        job_id: body.job.id,
        received: expect.any(String)
      },
      {
        name: 'In session',
        session: { id: '1:2' },
        context: shared.context,
        session_id: '1:2',
        job_id: body.job.id,
        received: expect.any(String)
      }
    ])
    const imports = await api.get(`/v2/events/batch/${body.job.id}/imports`)
    expect(imports.body.results).toEqual([
      { name: 'Viewed', user: { id: user.id, uid: 'u1' }, context: shared.context },
      { name: 'In session', session: { id: '1:2' }, context: shared.context }
    ])
    const errors = await api.get(`/v2/events/batch/${body.job.id}/errors`)
    expect(errors.body.results).toEqual([
      { message: expect.stringContaining('shared.context'), code: 'invalid_argument', event: requests[1], shared },
      { message: 'events must have a non-empty name', code: 'invalid_argument', event: requests[3] }
    ])
  })

  it('fails items that target a full session, as the single route does', async () => {
    sandbox.markSessionFull('9:9')
    const { body } = await api.post('/v2/events/batch', { requests: [{ name: 'E', session: { id: '9:9' } }] })
    await finished(api, 'events', body.job.id)
    const errors = await api.get(`/v2/events/batch/${body.job.id}/errors`)
    expect(errors.body.results[0].code).toBe('session_page_limit_exceeded')
  })

  it('pages imports 1000 at a time with page_token', async () => {
    const requests = Array.from({ length: 2500 }, (_, i) => ({ name: `e${i}`, session: { id: `1:${i}` } }))
    const { body } = await api.post('/v2/events/batch', { requests })
    await finished(api, 'events', body.job.id)
    const names: string[] = []
    let token: string | undefined
    const pages: number[] = []
    do {
      const page = await api.get(`/v2/events/batch/${body.job.id}/imports${token ? `?page_token=${token}` : ''}`)
      expect(page.body.total_records).toBe('2500')
      pages.push(page.body.results.length)
      names.push(...page.body.results.map((event: { name: string }) => event.name))
      token = page.body.next_page_token
    } while (token)
    expect(pages).toEqual([1000, 1000, 500])
    expect(names).toEqual(requests.map((event) => event.name))
    expectError(await api.get(`/v2/events/batch/${body.job.id}/imports?page_token=bogus`), 400, 'invalid_argument')
  })
})

describe('batch request limits', () => {
  it('refuses empty, missing, oversized and malformed batches with 400', async () => {
    expectError(await api.post('/v2/events/batch', {}), 400, 'required_field')
    expectError(await api.post('/v2/events/batch', { requests: [] }), 400, 'invalid_argument')
    expectError(await api.post('/v2/users/batch', { requests: {} }), 400, 'invalid_argument')
    expectError(await api.post('/v2/users/batch', { requests: [{}], shared: {} }), 400, 'invalid_argument')
    expectError(
      await api.post('/v2/events/batch', { requests: [{ name: 'e' }], shared: { context: { os: {} } } }),
      400,
      'invalid_argument'
    )
    const tooMany = await api.post('/v2/events/batch', {
      requests: Array.from({ length: 50_001 }, () => ({ name: 'e' }))
    })
    expect(expectError(tooMany, 400, 'invalid_argument')).toContain('at most 50000')
    expect(
      (await api.post('/v2/events/batch', { requests: Array.from({ length: 50_000 }, () => ({ name: 'e' })) })).status
    ).toBe(200)
  })

  it('answers 404 for an unknown job, or a job of the other kind', async () => {
    const { body } = await api.post('/v2/events/batch', { requests: [{ name: 'e' }] })
    expectError(await api.get('/v2/events/batch/job_404'), 404, 'resource_not_found')
    expectError(await api.get(`/v2/users/batch/${body.job.id}`), 404, 'resource_not_found')
    expectError(await api.get(`/v2/users/batch/${body.job.id}/imports`), 404, 'resource_not_found')
  })
})

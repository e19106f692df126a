import { startSandbox, type Sandbox } from '..'
import { IDEMPOTENCY_TTL_MS, IdempotencyStore, requestFingerprint } from '../idempotency'
import { clientFor, expectError, type Client } from './__helpers__/client'

let sandbox: Sandbox
let api: Client

beforeAll(async () => {
  sandbox = await startSandbox()
  api = clientFor(sandbox)
})
afterAll(() => sandbox.close())
beforeEach(() => sandbox.reset())

const withKey = (key: string) => ({ headers: { 'Idempotency-Key': key } })

describe('Idempotency-Key', () => {
  it('replays the first response for the same key and body, without running the request again', async () => {
    const first = await api.post('/v2/users', { display_name: 'Anonymous' }, withKey('k-user'))
    const again = await api.post('/v2/users', { display_name: 'Anonymous' }, withKey('k-user'))
    expect(again).toMatchObject({ status: 200, body: first.body })
    // Without a uid every create makes a new user, so one user proves the second call did not run.
    expect(sandbox.users()).toHaveLength(1)
    expect(sandbox.requests().map((entry) => [entry.idempotencyKey, entry.replayed])).toEqual([
      ['k-user', undefined],
      ['k-user', true]
    ])
  })

  it('treats the same JSON in another key order as the same request', async () => {
    await api.post('/v2/events', { name: 'E', user: { uid: 'u1' } }, withKey('k-order'))
    const again = await api.request('POST', '/v2/events', {
      raw: '{"user":{"uid":"u1"},"name":"E"}',
      ...withKey('k-order')
    })
    expect(again).toMatchObject({ status: 200, body: {} })
    expect(sandbox.events()).toHaveLength(1)
  })

  it('answers 400 idempotency_key_conflict for the same key with another body or on another route', async () => {
    await api.post('/v2/events', { name: 'First' }, withKey('k-conflict'))
    const message = expectError(
      await api.post('/v2/events', { name: 'Second' }, withKey('k-conflict')),
      400,
      'idempotency_key_conflict'
    )
    expect(message).toContain('different request')
    expectError(await api.post('/v2/users', { name: 'First' }, withKey('k-conflict')), 400, 'idempotency_key_conflict')
    expect(sandbox.events().map((event) => event.name)).toEqual(['First'])
  })

  it('keeps a 400 from the endpoint like any other first response', async () => {
    const first = await api.post('/v2/events', { name: '' }, withKey('k-invalid'))
    expectError(first, 400, 'invalid_argument')
    const again = await api.post('/v2/events', { name: '' }, withKey('k-invalid'))
    expect(again.body).toEqual(first.body)
    expect(sandbox.requests()[1].replayed).toBe(true)
  })

  it('does not keep injected 5xx or 429 answers, so a retry with the same key runs', async () => {
    sandbox.setFaults([
      { status: 503, count: 1, path: '/v2/events' },
      { status: 429, count: 1, path: '/v2/events', retryAfter: 1 }
    ])
    const body = { name: 'Retried', user: { uid: 'u1' } }
    expectError(await api.post('/v2/events', body, withKey('k-retry')), 503, 'server_error')
    expectError(await api.post('/v2/events', body, withKey('k-retry')), 429, 'too_many_requests')
    expect(sandbox.events()).toEqual([])
    expect(await api.post('/v2/events', body, withKey('k-retry'))).toMatchObject({ status: 200, body: {} })
    expect(await api.post('/v2/events', body, withKey('k-retry'))).toMatchObject({ status: 200, body: {} })
    expect(sandbox.events()).toHaveLength(1)
    expect(sandbox.requests().map((entry) => [entry.status, entry.fault, entry.replayed])).toEqual([
      [503, true, undefined],
      [429, true, undefined],
      [200, undefined, undefined],
      [200, undefined, true]
    ])
  })

  it('replays a batch job creation instead of starting a second job', async () => {
    const batch = { requests: [{ name: 'Imported', user: { uid: 'u1' } }] }
    const first = await api.post('/v2/events/batch', batch, withKey('k-batch'))
    const again = await api.post('/v2/events/batch', batch, withKey('k-batch'))
    expect(again.body).toEqual(first.body)
    await new Promise((resolve) => setTimeout(resolve, 20))
    expect(sandbox.events()).toHaveLength(1)
  })

  it('leaves requests without a key, and GET routes, alone', async () => {
    await api.post('/v2/events', { name: 'E' })
    await api.post('/v2/events', { name: 'E' })
    expect(sandbox.events()).toHaveLength(2)
    expect((await api.get('/me', withKey('k-get'))).status).toBe(200)
    expect((await api.post('/v2/events', { name: 'E' }, withKey('k-get'))).status).toBe(200)
  })
})

describe('IdempotencyStore', () => {
  it('forgets a key after 24 hours', () => {
    let now = 0
    const store = new IdempotencyStore(IDEMPOTENCY_TTL_MS, () => now)
    const print = requestFingerprint('POST', '/v2/events', { name: 'E' })
    store.remember('k', print, { status: 200, body: {} })
    now = IDEMPOTENCY_TTL_MS - 1
    expect(store.lookup('k', print)).toEqual({ kind: 'replay', response: { status: 200, body: {} } })
    expect(store.lookup('k', requestFingerprint('POST', '/v2/events', { name: 'F' }))).toEqual({ kind: 'conflict' })
    now = IDEMPOTENCY_TTL_MS
    expect(store.lookup('k', requestFingerprint('POST', '/v2/events', { name: 'F' }))).toEqual({ kind: 'new' })
  })

  it('never keeps 429 or 5xx responses, and hands out copies', () => {
    const store = new IdempotencyStore()
    store.remember('a', 'p', { status: 429, body: {} })
    store.remember('b', 'p', { status: 500, body: {} })
    expect(store.lookup('a', 'p').kind).toBe('new')
    expect(store.lookup('b', 'p').kind).toBe('new')
    const body = { id: 'fsu_1' }
    store.remember('c', 'p', { status: 200, body })
    body.id = 'mutated'
    const found = store.lookup('c', 'p')
    expect(found.kind === 'replay' && found.response.body).toEqual({ id: 'fsu_1' })
  })
})

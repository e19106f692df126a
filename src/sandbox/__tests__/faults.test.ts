import { startSandbox, type Sandbox } from '..'
import { clientFor, expectError, type Client } from './__helpers__/client'

let sandbox: Sandbox
let api: Client

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: 'right-key' })
  api = clientFor(sandbox, 'right-key')
})
afterAll(() => sandbox.close())
beforeEach(() => sandbox.reset())

const event = { name: 'E', user: { uid: 'u1' } }

describe('injected faults', () => {
  it('fail exactly `count` matching requests, then let requests through', async () => {
    sandbox.setFaults([{ status: 500, count: 2 }])
    expect(expectError(await api.post('/v2/events', event), 500, 'server_error')).toContain('injected')
    expectError(await api.get('/me'), 500, 'server_error')
    expect((await api.post('/v2/events', event)).status).toBe(200)
    expect(sandbox.events()).toHaveLength(1)
  })

  it('answer 429 too_many_requests with Retry-After in seconds when given', async () => {
    sandbox.setFaults([
      { status: 429, count: 1, retryAfter: 7 },
      { status: 429, count: 1 }
    ])
    const limited = await api.post('/v2/events', event)
    expectError(limited, 429, 'too_many_requests')
    expect(limited.headers.get('retry-after')).toBe('7')
    const bare = await api.post('/v2/events', event)
    expectError(bare, 429, 'too_many_requests')
    expect(bare.headers.get('retry-after')).toBeNull()
  })

  it('map other statuses to FullStory codes', async () => {
    sandbox.setFaults([
      { status: 502, count: 1 },
      { status: 403, count: 1 },
      { status: 400, count: 1 }
    ])
    expectError(await api.get('/me'), 502, 'server_error')
    expectError(await api.get('/me'), 403, 'forbidden')
    expectError(await api.get('/me'), 400, 'invalid_argument')
  })

  it('match by path prefix, first matching spec first, and fail every match without a count', async () => {
    sandbox.setFaults([
      { status: 503, path: '/v2/users/batch' },
      { status: 504, count: 1, path: '/v2/users' }
    ])
    expectError(await api.post('/v2/users/batch', { requests: [{ uid: 'u' }] }), 503, 'server_error')
    expectError(await api.post('/v2/users/batch', { requests: [{ uid: 'u' }] }), 503, 'server_error')
    expectError(await api.post('/v2/users', { uid: 'u' }), 504, 'server_error')
    expect((await api.post('/v2/users', { uid: 'u' })).status).toBe(200)
    expect((await api.post('/v2/events', event)).status).toBe(200)
  })

  it('with delayMs and status 200 answer slowly, then handle the request normally', async () => {
    sandbox.setFaults([{ status: 200, delayMs: 150, count: 1 }])
    const started = Date.now()
    expect(await api.post('/v2/events', event)).toMatchObject({ status: 200, body: {} })
    expect(Date.now() - started).toBeGreaterThanOrEqual(140)
    expect(sandbox.events()).toHaveLength(1)
    expect(sandbox.requests()[0]).toMatchObject({ status: 200, fault: true })
    expect(sandbox.requests()[0].durationMs).toBeGreaterThanOrEqual(140)
  })

  it('with delayMs and an error status answer slowly with the error', async () => {
    sandbox.setFaults([{ status: 503, delayMs: 100, count: 1 }])
    const started = Date.now()
    expectError(await api.post('/v2/events', event), 503, 'server_error')
    expect(Date.now() - started).toBeGreaterThanOrEqual(90)
    expect(sandbox.events()).toEqual([])
  })

  it('are not consumed by unauthorized requests, and never touch the control routes', async () => {
    sandbox.setFaults([{ status: 500, count: 1 }])
    expectError(await api.get('/me', { auth: 'Basic wrong-key' }), 401, 'unauthorized')
    expect((await fetch(`${sandbox.url}/__sandbox/state`)).status).toBe(200)
    expectError(await api.get('/me'), 500, 'server_error')
  })

  it('are replaced by setFaults and cleared by reset', async () => {
    sandbox.setFaults([{ status: 500 }])
    sandbox.setFaults([{ status: 502 }])
    expectError(await api.get('/me'), 502, 'server_error')
    sandbox.reset()
    expect((await api.get('/me')).status).toBe(200)
  })

  it('refuse malformed specs', () => {
    expect(() => sandbox.setFaults([{ status: 42 }])).toThrow('status must be an HTTP status code')
    expect(() => sandbox.setFaults([{ status: 500, count: -1 }])).toThrow('count')
    expect(() => sandbox.setFaults([{ status: 500, bogus: 1 } as never])).toThrow('bogus')
  })
})

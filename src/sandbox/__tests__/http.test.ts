import type { IncomingMessage } from 'http'
import { Readable } from 'stream'
import { startSandbox, type Sandbox } from '..'
import { readBody } from '../http'
import { LOGGED_BODY_MAX_BYTES, RequestLog } from '../request-log'
import { clientFor, expectError, type Client } from './__helpers__/client'

const SECRET = 'na1-secret-key-4f9a'

let sandbox: Sandbox
let api: Client

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: SECRET })
  api = clientFor(sandbox, SECRET)
})
afterAll(() => sandbox.close())
beforeEach(() => sandbox.reset())

describe('authentication', () => {
  it('accepts exactly `Basic <key>` and answers GET /me', async () => {
    expect(sandbox.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
    const me = await api.get('/me')
    expect(me).toMatchObject({
      status: 200,
      body: { email: expect.any(String), orgId: expect.any(String), role: 'ADMIN' }
    })
    expect(me.headers.get('content-type')).toBe('application/json')
  })

  it.each([
    ['no header', null],
    ['a wrong key', 'Basic not-the-key'],
    ['a Bearer token', `Bearer ${SECRET}`],
    ['a base64-encoded key', `Basic ${Buffer.from(SECRET).toString('base64')}`],
    ['a key with a user:pass pair', `Basic ${SECRET}:`],
    ['an empty Basic key', 'Basic ']
  ])('answers 401 unauthorized to %s, on every FullStory route', async (_case, auth) => {
    for (const [method, path] of [
      ['GET', '/me'],
      ['POST', '/v2/users'],
      ['POST', '/v2/events'],
      ['DELETE', '/v2/users?uid=u1'],
      ['POST', '/v2/events/batch'],
      ['GET', '/v2/users/batch/job_1']
    ]) {
      const reply = await api.request(method, path, { auth, body: method === 'POST' ? { name: 'E' } : undefined })
      expectError(reply, 401, 'unauthorized')
      expect(JSON.stringify(reply.body)).not.toContain(SECRET)
    }
    expect(sandbox.events()).toEqual([])
  })

  it('never keeps the key: the request log shows the scheme and [REDACTED]', async () => {
    await api.post('/v2/events', { name: 'E' }, { headers: { 'Idempotency-Key': 'k1' } })
    await api.get('/me', { auth: `Bearer ${SECRET}` })
    await api.get('/me', { auth: 'Basic wrong-key' })
    await api.get('/me', { auth: null })
    const log = sandbox.requests()
    expect(log.map((entry) => [entry.method, entry.path, entry.status, entry.authorization])).toEqual([
      ['POST', '/v2/events', 200, 'Basic [REDACTED]'],
      ['GET', '/me', 401, 'Bearer [REDACTED]'],
      ['GET', '/me', 401, 'Basic [REDACTED]'],
      ['GET', '/me', 401, undefined]
    ])
    expect(log[0]).toMatchObject({ idempotencyKey: 'k1', body: { name: 'E' }, response: {} })
    expect(JSON.stringify(log)).not.toContain(SECRET)
    expect(JSON.stringify(log)).not.toContain('wrong-key')
    const overHttp = await (await fetch(`${sandbox.url}/__sandbox/requests`)).text()
    expect(overHttp).not.toContain(SECRET)
  })

  it('accepts any non-empty Basic key when no apiKey is configured', async () => {
    const open = await startSandbox()
    try {
      expect((await clientFor(open, 'anything').get('/me')).status).toBe(200)
      expectError(await clientFor(open).get('/me', { auth: 'Basic ' }), 401, 'unauthorized')
      expectError(await clientFor(open).get('/me', { auth: null }), 401, 'unauthorized')
    } finally {
      await open.close()
    }
  })
})

describe('HTTP behaviour', () => {
  it('answers unknown routes with 404 and known paths with the wrong method with 405', async () => {
    expectError(await api.get('/v1/users'), 404, 'resource_not_found')
    expectError(await api.post('/v2/users/', {}), 404, 'resource_not_found')
    const wrong = await api.request('PUT', '/v2/events', { body: { name: 'E' } })
    expectError(wrong, 405, 'method_not_allowed')
    expect(wrong.headers.get('allow')).toBe('POST')
  })

  it('answers 400 to bodies that are not JSON', async () => {
    expect(expectError(await api.request('POST', '/v2/events', { raw: 'name=E' }), 400, 'invalid_argument')).toContain(
      'not valid JSON'
    )
    expectError(await api.request('POST', '/v2/events/batch', { raw: '' }), 400, 'invalid_argument')
  })

  it('stops keeping a body past the size cap and answers 413', async () => {
    const stream = Readable.from([Buffer.alloc(6, 'a'), Buffer.alloc(6, 'b')]) as unknown as IncomingMessage
    await expect(readBody(stream, 10)).rejects.toMatchObject({ status: 413, code: 'payload_too_large' })
    const fits = Readable.from([Buffer.from('{"a":'), Buffer.from('1}')]) as unknown as IncomingMessage
    await expect(readBody(fits, 10)).resolves.toBe('{"a":1}')
  })

  it('keeps at most the most recent requests, without oversized bodies', async () => {
    const log = new RequestLog(3)
    for (let i = 0; i < 5; i++) log.add({ at: '', method: 'GET', path: `/${i}`, status: 200, durationMs: 0 })
    expect(log.list().map((entry) => entry.path)).toEqual(['/2', '/3', '/4'])

    const chunk = 'x'.repeat(8000)
    const big = { name: 'E', properties: { a: chunk, b: chunk, c: chunk } }
    expect(JSON.stringify(big).length).toBeGreaterThan(LOGGED_BODY_MAX_BYTES)
    await api.post('/v2/events', big)
    expect(sandbox.requests()[0]).toMatchObject({ status: 200, response: {} })
    expect(sandbox.requests()[0].body).toBeUndefined()
  })
})

import { spawn } from 'child_process'
import { once } from 'events'
import { join } from 'path'
import { createInterface } from 'readline'
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

/** Control routes take no Authorization header. */
const control = async (method: string, path: string, body?: unknown, headers: Record<string, string> = {}) => {
  const response = await fetch(`${sandbox.url}/__sandbox${path}`, {
    method,
    headers: { 'Content-Type': 'application/json', ...headers },
    body: body === undefined ? undefined : JSON.stringify(body)
  })
  const text = await response.text()
  return { status: response.status, headers: response.headers, body: text ? JSON.parse(text) : undefined }
}

describe('/__sandbox control routes', () => {
  it('GET /state shows the users and events FullStory now holds', async () => {
    await api.post('/v2/users', { uid: 'u1', properties: { plan: 'pro' } })
    await api.post('/v2/events', { name: 'E', user: { uid: 'u1' } })
    const state = await control('GET', '/state')
    expect(state.status).toBe(200)
    expect(state.body).toEqual({ users: sandbox.users(), events: sandbox.events() })
    expect(state.body.users[0]).toMatchObject({ uid: 'u1', properties: { plan: 'pro' } })
  })

  it('looks up one user by uid and the newest event by name, as copies the caller cannot change', async () => {
    await api.post('/v2/users', { uid: 'u1', properties: { plan: 'pro' } })
    await api.post('/v2/users', { uid: 'u2' })
    await api.post('/v2/events', { name: 'E', user: { uid: 'u1' }, properties: { n: 1 } })
    await api.post('/v2/events', { name: 'E', user: { uid: 'u2' }, properties: { n: 2 } })
    await api.post('/v2/events', { name: 'F', user: { uid: 'u1' } })

    expect(sandbox.user('u1')).toEqual(sandbox.users().find((user) => user.uid === 'u1'))
    expect(sandbox.user('nobody')).toBeUndefined()
    expect(sandbox.latestEvent('E')).toMatchObject({ properties: { n: 2 }, user_id: sandbox.user('u2')?.id })
    expect(sandbox.latestEvent('G')).toBeUndefined()

    sandbox.user('u1')!.properties.plan = 'changed'
    expect(sandbox.user('u1')?.properties).toEqual({ plan: 'pro' })
  })

  it('finds the event a POST /v2/events body created, matching the whole request, not only its name', async () => {
    const mine = { name: 'E', user: { uid: 'u1' }, properties: { n: 1 }, schema: { properties: { n: 'int' } } }
    await api.post('/v2/events', mine)
    await api.post('/v2/events', { ...mine, user: { uid: 'u2' } })
    await api.post('/v2/events', { ...mine, properties: { n: 2 }, schema: { properties: { n: 'int' } } })
    const { job } = (await api.post('/v2/events/batch', { requests: [mine] })).body
    await eventually(async () => {
      const { body } = await api.get(`/v2/events/batch/${job.id}`)
      return body.job.status === 'COMPLETED' ? body : undefined
    }, 10_000)
    expect(sandbox.events()).toHaveLength(4)

    const found = sandbox.eventFor({ schema: mine.schema, properties: mine.properties, user: mine.user, name: 'E' })
    expect(found).toEqual(sandbox.events()[0])
    expect(sandbox.eventFor({ ...mine, timestamp: undefined })).toEqual(sandbox.events()[0])
    expect(sandbox.eventFor({ ...mine, user: { uid: 'u3' } })).toBeUndefined()
    expect(sandbox.eventFor({ name: 'E', user: { uid: 'u1' } })).toBeUndefined()
    expect(sandbox.eventFor({ uid: 'u1' })).toBeUndefined()
    expect(sandbox.eventFor(undefined)).toBeUndefined()
  })

  it('POST /faults sets faults, GET /faults shows what is left, and bad specs get 400', async () => {
    const set = await control('POST', '/faults', [{ status: 503, count: 2, path: '/v2/events' }])
    expect(set.body).toEqual({ faults: [{ status: 503, count: 2, path: '/v2/events', remaining: 2 }] })
    expectError(await api.post('/v2/events', { name: 'E' }), 503, 'server_error')
    expect((await control('GET', '/faults')).body.faults[0].remaining).toBe(1)
    const bad = await control('POST', '/faults', { status: 503 })
    expect(bad).toMatchObject({
      status: 400,
      body: { code: 'invalid_argument', message: expect.stringContaining('array') }
    })
    const badStatus = await control('POST', '/faults', [{ status: 'boom' }])
    expect(badStatus.body.message).toContain('faults[0].status')
  })

  it('POST /reset forgets users, events, faults and the request log', async () => {
    await api.post('/v2/users', { uid: 'u1' })
    sandbox.setFaults([{ status: 500, path: '/v2/events' }])
    expect(await control('POST', '/reset')).toMatchObject({ status: 200, body: {} })
    expect(sandbox.users()).toEqual([])
    expect(sandbox.requests()).toEqual([])
    expect((await api.post('/v2/events', { name: 'E' })).status).toBe(200)
  })

  it('GET /requests lists FullStory requests (not control requests), redacted', async () => {
    await api.post('/v2/events', { name: 'E' }, { headers: { 'Idempotency-Key': 'key-1' } })
    await control('GET', '/state')
    const { body } = await control('GET', '/requests')
    expect(body.requests).toEqual([
      expect.objectContaining({
        method: 'POST',
        path: '/v2/events',
        status: 200,
        idempotencyKey: 'key-1',
        authorization: 'Basic [REDACTED]'
      })
    ])
  })

  it('POST /full-sessions marks a session full for child processes', async () => {
    expect((await control('POST', '/full-sessions', { id: '7:8' })).status).toBe(200)
    expectError(await api.post('/v2/events', { name: 'E', session: { id: '7:8' } }), 400, 'session_page_limit_exceeded')
    expect((await control('POST', '/full-sessions', {})).status).toBe(400)
  })

  it('answers unknown control routes with 404 JSON', async () => {
    expect(await control('GET', '/nothing')).toMatchObject({ status: 404, body: { code: 'resource_not_found' } })
    expect(await control('DELETE', '/state')).toMatchObject({ status: 404 })
  })

  it('lets pages served from loopback read it across ports, and no other origin', async () => {
    const local = await control('GET', '/state', undefined, { Origin: 'http://127.0.0.1:3000' })
    expect(local.headers.get('access-control-allow-origin')).toBe('http://127.0.0.1:3000')
    const localhost = await control('GET', '/state', undefined, { Origin: 'http://localhost:3000' })
    expect(localhost.headers.get('access-control-allow-origin')).toBe('http://localhost:3000')
    const foreign = await control('GET', '/state', undefined, { Origin: 'https://evil.example' })
    expect(foreign.headers.get('access-control-allow-origin')).toBeNull()
    const preflight = await fetch(`${sandbox.url}/__sandbox/faults`, {
      method: 'OPTIONS',
      headers: { Origin: 'http://127.0.0.1:3000', 'Access-Control-Request-Method': 'POST' }
    })
    expect(preflight.status).toBe(204)
    expect(preflight.headers.get('access-control-allow-methods')).toContain('POST')
  })
})

describe('main.ts, the standalone sandbox', () => {
  it('prints its URL first, serves FullStory and control routes, and stops on SIGTERM', async () => {
    const root = join(__dirname, '..', '..', '..')
    const child = spawn(process.execPath, [require.resolve('tsx/cli'), join(root, 'src/sandbox/main.ts')], {
      cwd: root,
      env: { ...process.env, PORT: '0', FULLSTORY_SANDBOX_API_KEY: 'child-key', FULLSTORY_SANDBOX_ROLE: 'ARCHITECT' },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    try {
      let stderr = ''
      child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
      const [url] = (await Promise.race([
        once(createInterface({ input: child.stdout }), 'line'),
        once(child, 'exit').then(() => Promise.reject(new Error(`main.ts exited early: ${stderr}`)))
      ])) as [string]
      expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/)
      const me = await fetch(`${url}/me`, { headers: { Authorization: 'Basic child-key' } })
      expect(await me.json()).toMatchObject({ role: 'ARCHITECT' })
      expect((await fetch(`${url}/me`, { headers: { Authorization: 'Basic other' } })).status).toBe(401)
      await fetch(`${url}/v2/users`, {
        method: 'POST',
        headers: { Authorization: 'Basic child-key' },
        body: '{"uid":"c1"}'
      })
      const state = await (await fetch(`${url}/__sandbox/state`)).json()
      expect(state.users.map((user: { uid: string }) => user.uid)).toEqual(['c1'])
    } finally {
      child.kill('SIGTERM')
    }
    const [code] = (await once(child, 'exit')) as [number | null]
    expect(code).toBe(0)
  }, 60_000) // a tsx child's start-up on a loaded 2-core machine
})

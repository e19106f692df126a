import { startSandbox, type Sandbox } from '..'
import { clientFor, expectError, type Client } from './__helpers__/client'

let sandbox: Sandbox
let api: Client

beforeAll(async () => {
  sandbox = await startSandbox()
  api = clientFor(sandbox)
})
afterAll(() => sandbox.close())
beforeEach(() => sandbox.reset())

describe('POST /v2/users', () => {
  it('creates a user and answers with its FullStory id', async () => {
    const reply = await api.post('/v2/users', { uid: 'u1', display_name: 'Ann', email: 'ann@example.com' })
    expect(reply.status).toBe(200)
    expect(reply.body).toEqual({ id: expect.any(String) })
    expect(sandbox.users()).toEqual([
      {
        id: reply.body.id,
        uid: 'u1',
        display_name: 'Ann',
        email: 'ann@example.com',
        properties: {},
        schema: { properties: {} },
        created: expect.any(String),
        updated: expect.any(String)
      }
    ])
  })

  it('upserts by uid: properties merge deeply with the newest value winning, schema types persist', async () => {
    const first = await api.post('/v2/users', {
      uid: 'u1',
      display_name: 'Ann',
      properties: { plan: 'free', seats: 1, address: { city: 'Paris', zip: '75001' }, tags: ['a'] },
      schema: { properties: { seats: 'int' } }
    })
    const second = await api.post('/v2/users', {
      uid: 'u1',
      email: 'ann@example.com',
      properties: { plan: 'pro', address: { city: 'Lyon' }, tags: ['b', 'c'], signup: '2024-01-31' },
      schema: { properties: { signup: 'date' } }
    })
    expect(second.body.id).toBe(first.body.id)
    const [user] = sandbox.users()
    expect(user).toMatchObject({
      uid: 'u1',
      display_name: 'Ann',
      email: 'ann@example.com',
      properties: {
        plan: 'pro',
        seats: 1,
        address: { city: 'Lyon', zip: '75001' },
        tags: ['b', 'c'],
        signup: '2024-01-31'
      },
      schema: {
        properties: {
          plan: 'str',
          seats: 'int',
          'address.city': 'str',
          'address.zip': 'str',
          tags: 'strs',
          signup: 'date'
        }
      }
    })
    expect(sandbox.users()).toHaveLength(1)
  })

  it('infers every undeclared number as real, and re-infers when a value no longer fits its old type', async () => {
    await api.post('/v2/users', {
      uid: 'u1',
      properties: { logins: 3, score: 4 },
      schema: { properties: { score: 'int' } }
    })
    await api.post('/v2/users', { uid: 'u1', properties: { score: 'high' } })
    expect(sandbox.users()[0].schema.properties).toEqual({ logins: 'real', score: 'str' })
  })

  it('replaces an object with a scalar and drops the old nested types', async () => {
    await api.post('/v2/users', { uid: 'u1', properties: { address: { city: 'Paris' } } })
    await api.post('/v2/users', { uid: 'u1', properties: { address: 'Paris, France' } })
    expect(sandbox.users()[0]).toMatchObject({
      properties: { address: 'Paris, France' },
      schema: { properties: { address: 'str' } }
    })
  })

  it('creates a new anonymous user for every request without a uid', async () => {
    const a = await api.post('/v2/users', { display_name: 'Anon' })
    const b = await api.post('/v2/users', { display_name: 'Anon' })
    expect(a.body.id).not.toBe(b.body.id)
    expect(sandbox.users().map((user) => user.uid)).toEqual([undefined, undefined])
  })

  it('refuses an update that would leave the user with more than 500 properties', async () => {
    const half = (prefix: string) => Object.fromEntries(Array.from({ length: 300 }, (_, i) => [`${prefix}${i}`, i]))
    expect((await api.post('/v2/users', { uid: 'u1', properties: half('a') })).status).toBe(200)
    const message = expectError(
      await api.post('/v2/users', { uid: 'u1', properties: half('b') }),
      400,
      'invalid_argument'
    )
    expect(message).toContain('600 properties after this update')
    expect(Object.keys(sandbox.users()[0].properties)).toHaveLength(300)
  })

  it('answers invalid requests with 400 and stores nothing', async () => {
    const message = expectError(
      await api.post('/v2/users', { uid: 'u1', properties: { 'plan-str': 'pro' } }),
      400,
      'invalid_argument'
    )
    expect(message).toContain('plan-str')
    expectError(await api.post('/v2/users', { uid: 'u'.repeat(257) }), 400, 'invalid_argument')
    expectError(await api.post('/v2/users', ['not', 'an', 'object']), 400, 'invalid_argument')
    expectError(await api.request('POST', '/v2/users', { raw: '{"uid":' }), 400, 'invalid_argument')
    expectError(await api.request('POST', '/v2/users', { raw: '' }), 400, 'invalid_argument')
    expect(sandbox.users()).toEqual([])
  })
})

describe('GET /v2/users', () => {
  it('finds users by uid and by id, with the schema on request', async () => {
    const { body } = await api.post('/v2/users', { uid: 'u1', properties: { n: 1 } })
    await api.post('/v2/users', { uid: 'u2' })
    const list = await api.get('/v2/users?uid=u1')
    expect(list.body).toEqual({
      results: [{ id: body.id, uid: 'u1', properties: { n: 1 }, is_being_deleted: false }],
      total_records: '1'
    })
    const one = await api.get(`/v2/users/${body.id}?include_schema=true`)
    expect(one.body).toMatchObject({ id: body.id, schema: { properties: { n: 'real' } } })
    expectError(await api.get('/v2/users/nobody'), 404, 'user_not_found')
  })
})

describe('DELETE /v2/users', () => {
  it('deletes a user by uid together with their events', async () => {
    await api.post('/v2/users', { uid: 'u1' })
    await api.post('/v2/events', { name: 'Kept' })
    await api.post('/v2/events', { name: 'Gone', user: { uid: 'u1' } })
    const reply = await api.del('/v2/users?uid=u1')
    expect(reply).toMatchObject({ status: 200, body: {} })
    expect(sandbox.users().map((user) => user.uid)).toEqual([undefined])
    expect(sandbox.events().map((event) => event.name)).toEqual(['Kept'])
    // The uid is free again: identifying it later makes a new user.
    const again = await api.post('/v2/users', { uid: 'u1' })
    expect(sandbox.users().find((user) => user.uid === 'u1')?.id).toBe(again.body.id)
  })

  it('deletes by FullStory id and decodes URL-encoded uids', async () => {
    const { body } = await api.post('/v2/users', { uid: 'a b/c?d' })
    expect((await api.del(`/v2/users?uid=${encodeURIComponent('a b/c?d')}`)).status).toBe(200)
    const other = await api.post('/v2/users', { uid: 'u2' })
    expect(other.body.id).not.toBe(body.id)
    expect((await api.del(`/v2/users/${other.body.id}`)).status).toBe(200)
    expect(sandbox.users()).toEqual([])
  })

  it('answers 404 for an unknown uid or id, and 400 without a uid', async () => {
    expect(expectError(await api.del('/v2/users?uid=ghost'), 404, 'resource_not_found')).toContain('ghost')
    expectError(await api.del('/v2/users/fsu_999'), 404, 'resource_not_found')
    expectError(await api.del('/v2/users'), 400, 'required_field')
    expectError(await api.del('/v2/users?uid='), 400, 'required_field')
  })
})

describe('with a Standard (USER) key', () => {
  let standard: Sandbox
  beforeAll(async () => {
    standard = await startSandbox({ role: 'USER' })
  })
  afterAll(() => standard.close())

  it('reports the role, creates users, but is refused deletions and lookups with 403', async () => {
    const client = clientFor(standard)
    expect((await client.get('/me')).body).toEqual({
      email: expect.any(String),
      orgId: expect.any(String),
      role: 'USER'
    })
    expect((await client.post('/v2/users', { uid: 'u1' })).status).toBe(200)
    expect(expectError(await client.del('/v2/users?uid=u1'), 403, 'forbidden')).toContain('Admin or Architect')
    expectError(await client.get('/v2/users?uid=u1'), 403, 'forbidden')
    expect(standard.users()).toHaveLength(1)
  })
})

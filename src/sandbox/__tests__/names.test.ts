import { startSandbox, type Sandbox } from '..'
import { Store } from '../store'
import { checkUserRequest } from '../validation'
import { clientFor, eventually, expectError, type Client } from './__helpers__/client'

// A real HTTP server on loopback: sized for a 2-core machine with every core busy.
jest.setTimeout(30_000)

/** Legal FullStory property names that are also members every plain object inherits. */
const INHERITED_NAMES = [
  'constructor',
  'toString',
  'toLocaleString',
  'valueOf',
  'hasOwnProperty',
  'isPrototypeOf',
  'propertyIsEnumerable'
]

let sandbox: Sandbox | undefined
let api: Client

beforeAll(async () => {
  sandbox = await startSandbox()
  api = clientFor(sandbox)
})
afterAll(() => sandbox?.close())
beforeEach(() => sandbox?.reset())

describe('property names that are also members of Object.prototype', () => {
  it.each(INHERITED_NAMES)('stores "%s" like any other name, and answers for the user afterwards', async (name) => {
    const created = await api.post('/v2/users', { uid: 'fresh', properties: { [name]: 'v' } })
    expect(created.status).toBe(200)
    const updated = await api.post('/v2/users', { uid: 'fresh', properties: { [name]: 'w', other: 1 } })
    expect(updated).toMatchObject({ status: 200, body: { id: created.body.id } })

    const expected = { properties: { [name]: 'w', other: 1 }, schema: { properties: { [name]: 'str', other: 'real' } } }
    expect(sandbox!.user('fresh')).toMatchObject(expected)
    expect(sandbox!.users()).toMatchObject([expected])
    const listed = await api.get('/v2/users?uid=fresh&include_schema=true')
    expect(listed).toMatchObject({ status: 200, body: { results: [expected], total_records: '1' } })
    expect(await api.get(`/v2/users/${created.body.id}?include_schema=true`)).toMatchObject({
      status: 200,
      body: expected
    })
  })

  it('keeps a declared type for such a name, and a type added to a user that did not have the name', async () => {
    await api.post('/v2/users', { uid: 'u1', properties: { plan: 'pro' } })
    await api.post('/v2/users', { uid: 'u1', properties: { toString: 3 }, schema: { properties: { toString: 'int' } } })
    await api.post('/v2/users', { uid: 'u1', properties: { toString: 4, valueOf: true } })
    expect(sandbox!.user('u1')?.schema.properties).toEqual({ plan: 'str', toString: 'int', valueOf: 'bool' })
  })

  it('merges an object held under such a name key by key', async () => {
    await api.post('/v2/users', { uid: 'u1', properties: { constructor: { a: 1 } } })
    await api.post('/v2/users', { uid: 'u1', properties: { constructor: { b: 2 }, valueOf: { c: 3 } } })
    expect(sandbox!.user('u1')).toMatchObject({
      properties: { constructor: { a: 1, b: 2 }, valueOf: { c: 3 } },
      schema: { properties: { 'constructor.a': 'real', 'constructor.b': 'real', 'valueOf.c': 'real' } }
    })
  })

  it("lists such a name's type among a users batch import's imports", async () => {
    const { body } = await api.post('/v2/users/batch', {
      requests: [{ uid: 'b1', properties: { constructor: 'v', hasOwnProperty: 2 } }]
    })
    const page = await eventually(async () => {
      const reply = await api.get(`/v2/users/batch/${body.job.id}/imports?include_schema=true`)
      return reply.status === 200 ? reply.body : undefined
    }, 10_000)
    expect(page.results).toEqual([
      {
        id: expect.any(String),
        uid: 'b1',
        properties: { constructor: 'v', hasOwnProperty: 2 },
        schema: { properties: { constructor: 'str', hasOwnProperty: 'real' } }
      }
    ])
  })

  it('refuses __proto__ as a property name, as any name starting with "_", and changes no prototype', async () => {
    const refusedLike = async (raw: string, sameAs: string) => {
      const message = expectError(await api.request('POST', '/v2/users', { raw }), 400, 'invalid_argument')
      const other = await api.request('POST', '/v2/users', { raw: raw.split('__proto__').join(sameAs) })
      expect(message).toBe(expectError(other, 400, 'invalid_argument').split(sameAs).join('__proto__'))
    }
    await refusedLike('{"uid":"p","properties":{"__proto__":{"polluted":"yes"}}}', '_private')
    await refusedLike('{"uid":"p","properties":{"a":{"__proto__":{"polluted":"yes"}}}}', '_private')
    await refusedLike('{"uid":"p","properties":{"a":1},"schema":{"properties":{"__proto__":"str"}}}', '_private')
    expect(sandbox!.users()).toEqual([])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })
})

describe('Store: names are own keys, whatever they are', () => {
  // The HTTP routes refuse "__proto__" before the store sees it; the store must still keep it as a plain key.
  const request = (json: string) => {
    const parsed = JSON.parse(json) as { uid: string; properties: Record<string, unknown> }
    return { ...checkUserRequest({ uid: parsed.uid }), properties: parsed.properties }
  }

  it('stores __proto__ as an ordinary property, without changing any prototype', () => {
    const store = new Store()
    store.upsertUser(request('{"uid":"p","properties":{"__proto__":{"polluted":"yes"},"plan":"pro"}}'))
    store.upsertUser(request('{"uid":"p","properties":{"__proto__":{"more":1}}}'))
    const user = store.findUser('p')!
    expect(Object.keys(user.properties)).toEqual(['__proto__', 'plan'])
    expect(Object.getOwnPropertyDescriptor(user.properties, '__proto__')?.value).toEqual({ polluted: 'yes', more: 1 })
    expect(user.properties.polluted).toBeUndefined()
    expect(Object.keys(user.schema.properties)).toEqual(['__proto__.polluted', '__proto__.more', 'plan'])
    expect(({} as Record<string, unknown>).polluted).toBeUndefined()
  })

  it('answers the user whose properties are named after inherited members, as a copy', () => {
    const store = new Store()
    store.upsertUser(request('{"uid":"c","properties":{"constructor":"v","toString":{"x":1}}}'))
    expect(store.findUser('c')).toMatchObject({
      properties: { constructor: 'v', toString: { x: 1 } },
      schema: { properties: { constructor: 'str', 'toString.x': 'real' } }
    })
    expect(store.listUsers()).toHaveLength(1)
  })
})

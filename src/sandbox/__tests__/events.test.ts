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

describe('POST /v2/events', () => {
  it('answers {} and records the event as accepted, linked to the user its uid names', async () => {
    const { body: user } = await api.post('/v2/users', { uid: 'u1' })
    const event = {
      name: 'Order Completed',
      timestamp: '2024-03-04T05:06:07.000Z',
      properties: { total: 9.99, count: 2 },
      schema: { properties: { count: 'int' } },
      user: { uid: 'u1' },
      session: { use_most_recent: true },
      context: { browser: { url: 'https://shop.example.com' }, location: { country: 'FR', ip_address: '198.51.100.4' } }
    }
    const reply = await api.post('/v2/events', event)
    expect(reply).toMatchObject({ status: 200, body: {} })
    expect(sandbox.events()).toEqual([{ ...event, user_id: user.id, received: expect.any(String) }])
    expect(Date.parse(sandbox.events()[0].received)).not.toBeNaN()
  })

  it('creates the user an unknown uid names, and reuses it afterwards', async () => {
    await api.post('/v2/events', { name: 'First', user: { uid: 'new-user' } })
    await api.post('/v2/events', { name: 'Second', user: { uid: 'new-user' }, session: { use_most_recent: true } })
    const users = sandbox.users()
    expect(users).toEqual([expect.objectContaining({ uid: 'new-user', properties: {} })])
    expect(sandbox.events().map((event) => event.user_id)).toEqual([users[0].id, users[0].id])
  })

  it('links an event that names the FullStory user id, and answers 404 for an unknown id', async () => {
    const { body: user } = await api.post('/v2/users', { display_name: 'Anon' })
    expect((await api.post('/v2/events', { name: 'E', user: { id: user.id } })).status).toBe(200)
    expect(sandbox.events()[0].user_id).toBe(user.id)
    expect(
      expectError(await api.post('/v2/events', { name: 'E', user: { id: 'fsu_404' } }), 404, 'user_not_found')
    ).toContain('fsu_404')
  })

  it('files an event with no identification under a new anonymous user', async () => {
    await api.post('/v2/events', { name: 'Anonymous' })
    const [user] = sandbox.users()
    expect(user.uid).toBeUndefined()
    expect(sandbox.events()[0]).toMatchObject({ name: 'Anonymous', user_id: user.id })
  })

  it('attaches an event to the session it names, without a user', async () => {
    await api.post('/v2/events', { name: 'In session', session: { id: '5764645264818176:5937997542604800' } })
    expect(sandbox.events()[0]).toMatchObject({ session_id: '5764645264818176:5937997542604800' })
    expect(sandbox.events()[0].user_id).toBeUndefined()
    expect(sandbox.users()).toEqual([])
  })

  it('answers 400 session_page_limit_exceeded for a full session, and still takes other sessions and users', async () => {
    sandbox.markSessionFull('1:2')
    const message = expectError(
      await api.post('/v2/events', { name: 'E', session: { id: '1:2' } }),
      400,
      'session_page_limit_exceeded'
    )
    expect(message).toContain('1:2')
    expect((await api.post('/v2/events', { name: 'E', session: { id: '1:3' } })).status).toBe(200)
    expect(
      (await api.post('/v2/events', { name: 'E', user: { uid: 'u1' }, session: { use_most_recent: true } })).status
    ).toBe(200)
    expect(sandbox.events().map((event) => event.session_id)).toEqual(['1:3', undefined])
  })

  it('refuses two identification forms, an empty name and undocumented context with FullStory errors', async () => {
    expect(
      expectError(
        await api.post('/v2/events', { name: 'E', user: { uid: 'u1' }, session: { id: '1:2' } }),
        400,
        'invalid_argument'
      )
    ).toContain('user is not accepted')
    expectError(await api.post('/v2/events', { name: 'E', session: { use_most_recent: true } }), 400, 'required_field')
    expect(expectError(await api.post('/v2/events', { name: '' }), 400, 'invalid_argument')).toBe(
      'events must have a non-empty name'
    )
    expectError(await api.post('/v2/events', { properties: {} }), 400, 'required_field')
    expectError(
      await api.post('/v2/events', { name: 'E', context: { integration: 'segment' } }),
      400,
      'invalid_argument'
    )
    expectError(await api.post('/v2/events', { name: 'E', timestamp: 'last tuesday' }), 400, 'invalid_argument')
    expect(sandbox.events()).toEqual([])
    expect(sandbox.users()).toEqual([])
  })
})

import nock from 'nock'
import {
  createTestIntegration,
  Destination,
  InvalidAuthenticationError,
  PayloadValidationError
} from '@segment/actions-core'
import definition from '../index'
import { API_URL_ENV } from '../api'

const testDestination = createTestIntegration(definition)

// The harness keeps the requests of a call that threw; start each test with none.
beforeEach(() => testDestination.responses.splice(0))
const API = 'https://api.fullstory.com'
const settings = { apiKey: 'na1.test-key-123' }

afterEach(() => {
  delete process.env[API_URL_ENV]
})

describe('testAuthentication', () => {
  it('accepts a key that GET /me accepts, sending it verbatim after Basic', async () => {
    const scope = nock(API)
      .get('/me')
      .matchHeader('authorization', 'Basic na1.test-key-123')
      .matchHeader('integration-source', 'segment')
      .reply(200, { email: 'admin@example.com', orgId: 'o-1', role: 'ADMIN' })
    await expect(testDestination.testAuthentication(settings)).resolves.not.toThrow()
    expect(scope.isDone()).toBe(true)
  })

  it('says plainly that a 401 key is wrong or revoked, without echoing it', async () => {
    nock(API).get('/me').reply(401, { message: 'unauthorized', code: 'unauthorized' })
    const failure = testDestination.testAuthentication(settings)
    await expect(failure).rejects.toThrow(/did not accept the API key.*correct and has not been revoked/)
    await expect(testDestination.testAuthentication(settings)).rejects.not.toThrow(settings.apiKey)
  })

  it('explains a 403 as a permission problem', async () => {
    nock(API).get('/me').reply(403, { message: 'forbidden', code: 'forbidden' })
    await expect(testDestination.testAuthentication(settings)).rejects.toThrow(/not allowed.*Admin or Architect/)
  })

  it('reads cleanly in Segment, with the status once and no doubled space', async () => {
    nock(API).get('/me').reply(401, { message: 'unauthorized', code: 'unauthorized' })
    const error = await new Destination(definition).testAuthentication(settings).catch((e: Error) => e)
    expect((error as Error).message).toMatch(/^Credentials are invalid: 401 FullStory did not accept the API key /)
    expect((error as Error).message).not.toContain('  ')
  })

  it('trims a pasted key and refuses one no header can carry, before any request, without showing it', async () => {
    const scope = nock(API).get('/me').matchHeader('authorization', 'Basic na1.test-key-123').reply(200, {})
    await expect(testDestination.testAuthentication({ apiKey: ' na1.test-key-123\n' })).resolves.not.toThrow()
    expect(scope.isDone()).toBe(true)

    const refused = nock(API).get('/me').reply(200, {})
    const error = await testDestination.testAuthentication({ apiKey: 'na1.test\r\nkey-123' }).catch((e: Error) => e)
    // actions-core wraps a failed check in its own "Credentials are invalid" error, with our status and message.
    expect((error as Error).message).toBe(
      'Credentials are invalid: 401 The FullStory API key holds a line break at position 9 of 17, which no HTTP header can carry. Copy the key again from FullStory (Settings > Integrations > API Keys) and paste it without extra text.'
    )
    expect(refused.isDone()).toBe(false)
  })

  it('rejects settings without an API key before calling FullStory', async () => {
    await expect(testDestination.testAuthentication({} as typeof settings)).rejects.toThrow(/apiKey/)
  })
})

describe('onDelete', () => {
  const deleteEvent = (userId?: string) => ({ type: 'delete' as const, userId, anonymousId: 'anon-1' })

  it('deletes the user by uid', async () => {
    const scope = nock(API)
      .delete('/v2/users')
      .query({ uid: 'user 1/ä' })
      .matchHeader('authorization', 'Basic na1.test-key-123')
      .reply(200, {})
    await testDestination.onDelete!(deleteEvent('user 1/ä'), settings)
    expect(scope.isDone()).toBe(true)
  })

  it('treats an unknown user (404) as already deleted', async () => {
    const scope = nock(API)
      .delete('/v2/users')
      .query({ uid: 'gone' })
      .reply(404, { message: 'not found', code: 'not_found' })
    await expect(testDestination.onDelete!(deleteEvent('gone'), settings)).resolves.toBeDefined()
    expect(scope.isDone()).toBe(true)
  })

  it('says that deletion needs an Admin or Architect key on 403', async () => {
    nock(API).delete('/v2/users').query(true).reply(403, { message: 'forbidden', code: 'forbidden' })
    const deletion = testDestination.onDelete!(deleteEvent('u1'), settings)
    await expect(deletion).rejects.toBeInstanceOf(InvalidAuthenticationError)
    nock(API).delete('/v2/users').query(true).reply(403, { message: 'forbidden', code: 'forbidden' })
    await expect(testDestination.onDelete!(deleteEvent('u1'), settings)).rejects.toThrow(
      /deleting users needs an Admin or Architect key/
    )
  })

  it('deletes exactly the uid identify sent: never trimmed, every character encoded', async () => {
    for (const uid of [' alice ', 'a/b?c=d&e', '100% + more', 'ünï😀']) {
      const scope = nock(API).delete('/v2/users').query({ uid }).reply(200, {})
      await testDestination.onDelete!(deleteEvent(uid), settings)
      expect(scope.isDone()).toBe(true)
    }
  })

  it.each([
    ['   ', /userId is only whitespace/],
    ['a\ud800', /unpaired UTF-16 surrogate/],
    ['u'.repeat(257), /257 characters long/]
  ])('refuses the uid %j as identify would, and calls nothing', async (uid, message) => {
    const scope = nock(API).delete(/.*/).query(true).reply(200, {})
    const deletion = testDestination.onDelete!(deleteEvent(uid), settings)
    await expect(deletion).rejects.toBeInstanceOf(PayloadValidationError)
    await expect(testDestination.onDelete!(deleteEvent(uid), settings)).rejects.toThrow(message)
    expect(scope.isDone()).toBe(false)
  })

  it('refuses a deletion without userId and calls nothing', async () => {
    const scope = nock(API).delete(/.*/).reply(200, {})
    await expect(testDestination.onDelete!(deleteEvent(undefined), settings)).rejects.toBeInstanceOf(
      PayloadValidationError
    )
    expect(scope.isDone()).toBe(false)
  })

  it('retries later when FullStory is down', async () => {
    nock(API).delete('/v2/users').query(true).reply(503, { message: 'unavailable', code: 'server_error' })
    await expect(testDestination.onDelete!(deleteEvent('u1'), settings)).rejects.toMatchObject({ status: 503 })
  })
})

describe('routing', () => {
  const identify = { type: 'identify' as const, userId: 'u1', traits: {} }

  it('sends to api.fullstory.com by default', async () => {
    const scope = nock(API).post('/v2/users').reply(200, { id: 'fs-1' })
    await testDestination.testAction('identifyUser', { event: identify, settings, useDefaultMappings: true })
    expect(scope.isDone()).toBe(true)
  })

  it('sends to the EU host when the region is eu1', async () => {
    const scope = nock('https://api.eu1.fullstory.com').post('/v2/users').reply(200, { id: 'fs-1' })
    await testDestination.testAction('identifyUser', {
      event: identify,
      settings: { ...settings, region: 'eu1' },
      useDefaultMappings: true
    })
    expect(scope.isDone()).toBe(true)
  })

  it('sends to FULLSTORY_API_URL when it is set, whatever the region', async () => {
    process.env[API_URL_ENV] = 'http://localhost:4010/proxy/'
    const users = nock('http://localhost:4010').post('/proxy/v2/users').reply(200, { id: 'fs-1' })
    const me = nock('http://localhost:4010').get('/proxy/me').reply(200, { role: 'ADMIN' })
    await testDestination.testAction('identifyUser', {
      event: identify,
      settings: { ...settings, region: 'eu1' },
      useDefaultMappings: true
    })
    await testDestination.testAuthentication(settings)
    expect(users.isDone() && me.isDone()).toBe(true)
  })
})

describe('headers', () => {
  it('sends the key, the integration source and a JSON body on every create call', async () => {
    nock(API).post('/v2/events').reply(200, {})
    const [response] = await testDestination.testAction('trackEvent', {
      event: { type: 'track', event: 'Signed Up', userId: 'u1', messageId: 'm-1' },
      settings,
      useDefaultMappings: true
    })
    const headers = response.request.headers
    expect(headers.get('authorization')).toBe('Basic na1.test-key-123')
    expect(headers.get('integration-source')).toBe('segment')
    expect(headers.get('content-type')).toBe('application/json')
    expect(headers.get('idempotency-key')).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/)
  })
})

describe('presets', () => {
  it('subscribes identify and track only: page and screen would spend server-event quota', () => {
    expect(definition.presets?.map((p) => [p.name, 'subscribe' in p && p.subscribe, p.partnerAction])).toEqual([
      ['Identify User', 'type = "identify"', 'identifyUser'],
      ['Track Custom Event', 'type = "track"', 'trackEvent']
    ])
    expect(definition.presets?.every((p) => p.type === 'automatic')).toBe(true)
  })
})

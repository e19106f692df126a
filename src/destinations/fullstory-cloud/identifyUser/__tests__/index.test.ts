import nock from 'nock'
import { createTestEvent, createTestIntegration, PayloadValidationError } from '@segment/actions-core'
import definition from '../../index'
import { MAX_USER_PROPERTIES } from '../../properties'
import { recordingObservers } from '../../__tests__/__helpers__/observers'

const testDestination = createTestIntegration(definition)

// The harness keeps the requests of a call that threw; start each test with none.
beforeEach(() => testDestination.responses.splice(0))
const API = 'https://api.fullstory.com'
const settings = { apiKey: 'test-key' }

const identify = (overrides: Record<string, unknown> = {}) =>
  createTestEvent({
    type: 'identify',
    userId: 'user-42',
    anonymousId: 'anon-42',
    messageId: 'msg-identify-1',
    traits: {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      plan: 'pro',
      'Account Age': 3,
      'shipping-method': 'express'
    },
    ...overrides
  })

const sentBody = (responses: { options: { body?: unknown } }[]) =>
  JSON.parse(String(responses[0].options.body)) as Record<string, any>

describe('Identify User', () => {
  it('upserts the user with the default mapping', async () => {
    const scope = nock(API).post('/v2/users').reply(200, { id: 'fs-user-1' })
    const responses = await testDestination.testAction('identifyUser', {
      event: identify(),
      settings,
      useDefaultMappings: true
    })
    expect(scope.isDone()).toBe(true)
    expect(sentBody(responses)).toEqual({
      uid: 'user-42',
      email: 'ada@example.com',
      display_name: 'Ada Lovelace',
      properties: { plan: 'pro', Account_Age: 3, shipping_method: 'express', segmentAnonymousId: 'anon-42' },
      schema: { properties: { Account_Age: 'int' } }
    })
    expect(responses[0].data).toEqual({ id: 'fs-user-1' })
  })

  it('keeps email and name in properties when they differ from what is sent at the top level', async () => {
    nock(API).post('/v2/users').reply(200, { id: 'fs-user-1' })
    const responses = await testDestination.testAction('identifyUser', {
      event: identify(),
      settings,
      mapping: { userId: { '@path': '$.userId' }, traits: { '@path': '$.traits' }, displayName: 'Countess' }
    })
    const body = sentBody(responses)
    expect(body.display_name).toBe('Countess')
    expect(body.email).toBeUndefined()
    expect(body.properties).toMatchObject({ name: 'Ada Lovelace', email: 'ada@example.com' })
  })

  it('runs a mapping saved for the upstream identifyUser action unchanged', async () => {
    nock(API).post('/v2/users').reply(200, { id: 'fs-user-1' })
    const upstreamMapping = {
      userId: { '@path': '$.userId' },
      anonymousId: { '@path': '$.anonymousId' },
      displayName: { '@path': '$.traits.name' },
      email: { '@path': '$.traits.email' },
      traits: { '@path': '$.traits' }
    }
    const responses = await testDestination.testAction('identifyUser', {
      event: identify(),
      settings,
      mapping: upstreamMapping
    })
    expect(sentBody(responses)).toMatchObject({
      uid: 'user-42',
      email: 'ada@example.com',
      display_name: 'Ada Lovelace'
    })
    expect(responses[0].request.headers.get('idempotency-key')).toBeNull()
  })

  it('refuses an identify without userId and sends nothing', async () => {
    const scope = nock(API).post('/v2/users').reply(200, { id: 'x' })
    const missing = testDestination.testAction('identifyUser', {
      event: identify({ userId: null }),
      settings,
      useDefaultMappings: true
    })
    await expect(missing).rejects.toThrow(PayloadValidationError)
    await expect(
      testDestination.testAction('identifyUser', {
        event: identify({ userId: null, anonymousId: 'anon-1' }),
        settings,
        useDefaultMappings: true
      })
    ).rejects.toThrow(
      'Identify User needs a userId: without one FullStory would create a new anonymous user for every call (this call has only an anonymousId).'
    )
    const blank = testDestination.testAction('identifyUser', {
      event: identify({ userId: '   ' }),
      settings,
      useDefaultMappings: true
    })
    await expect(blank).rejects.toThrow(PayloadValidationError)
    await expect(
      testDestination.testAction('identifyUser', {
        event: identify({ userId: ' ' }),
        settings,
        useDefaultMappings: true
      })
    ).rejects.toThrow('userId is only whitespace; FullStory needs a user ID with at least one visible character.')
    expect(scope.isDone()).toBe(false)
  })

  it('rejects values longer than FullStory accepts instead of cutting them', async () => {
    const scope = nock(API).post('/v2/users').reply(200, { id: 'x' })
    await expect(
      testDestination.testAction('identifyUser', {
        event: identify({ userId: 'u'.repeat(257) }),
        settings,
        useDefaultMappings: true
      })
    ).rejects.toThrow(/userId is 257 characters long; FullStory accepts at most 256/)
    expect(scope.isDone()).toBe(false)
  })

  it('sends the same body and Idempotency-Key on every try of one message', async () => {
    nock(API).post('/v2/users').reply(503, { message: 'down', code: 'server_error' })
    nock(API).post('/v2/users').reply(200, { id: 'fs-user-1' })
    const event = identify()
    const first = testDestination.testAction('identifyUser', { event, settings, useDefaultMappings: true })
    await expect(first).rejects.toMatchObject({ status: 503 })
    const [firstTry] = testDestination.responses.splice(0)
    const [secondTry] = await testDestination.testAction('identifyUser', { event, settings, useDefaultMappings: true })
    expect(secondTry.options.body).toEqual(firstTry.options.body)
    const keyOf = (r: typeof secondTry) => r.request.headers.get('idempotency-key')
    expect(keyOf(secondTry)).toBe(keyOf(firstTry))
    expect(keyOf(secondTry)).not.toBeNull()
  })

  it('derives different keys for different messages and for different actions', async () => {
    nock(API).post('/v2/users').times(2).reply(200, { id: 'x' })
    const [a] = await testDestination.testAction('identifyUser', {
      event: identify({ messageId: 'm-a' }),
      settings,
      useDefaultMappings: true
    })
    const [b] = await testDestination.testAction('identifyUser', {
      event: identify({ messageId: 'm-b' }),
      settings,
      useDefaultMappings: true
    })
    nock(API).post('/v2/events').reply(200, {})
    const [c] = await testDestination.testAction('trackEvent', {
      event: createTestEvent({ type: 'track', event: 'E', userId: 'u', messageId: 'm-a' }),
      settings,
      useDefaultMappings: true
    })
    const keys = [a, b, c].map((r) => r.request.headers.get('idempotency-key'))
    expect(new Set(keys).size).toBe(3)
  })

  it('keeps a trait that already used the anonymous ID property name', async () => {
    nock(API).post('/v2/users').reply(200, { id: 'x' })
    const responses = await testDestination.testAction('identifyUser', {
      event: identify({ traits: { segmentAnonymousId: 'from-traits', segmentAnonymousId_2: 'taken' } }),
      settings,
      useDefaultMappings: true
    })
    expect(sentBody(responses).properties).toEqual({
      segmentAnonymousId: 'anon-42',
      segmentAnonymousId_2: 'taken',
      segmentAnonymousId_3: 'from-traits'
    })
  })
})

describe('Identify User: what the property rules leave out', () => {
  it("sends the first 500 properties and tells Segment's logger and metrics which ones were left out", async () => {
    nock(API).post('/v2/users').reply(200, { id: 'fs-user-1' })
    const { warnings, counts, logger, statsContext } = recordingObservers()
    const traits = Object.fromEntries(Array.from({ length: MAX_USER_PROPERTIES + 2 }, (_, i) => [`k${100 + i}`, 'v']))

    const responses = await testDestination.testAction('identifyUser', {
      event: identify({ anonymousId: null, traits }),
      settings,
      useDefaultMappings: true,
      logger,
      statsContext
    })

    expect(Object.keys(sentBody(responses).properties)).toHaveLength(MAX_USER_PROPERTIES)
    expect(warnings).toEqual(['identifyUser: 2 values did not reach FullStory as sent: k600 (limit), k601 (limit).'])
    expect(counts.map((c) => c.tags?.slice(1))).toEqual([
      ['action:identifyUser', 'reason:limit'],
      ['action:identifyUser', 'reason:limit']
    ])
  })

  it('counts an anonymous ID cut to 8 KB among the shortened values', async () => {
    nock(API).post('/v2/users').reply(200, { id: 'fs-user-1' })
    const { warnings, logger } = recordingObservers()
    await testDestination.testAction('identifyUser', {
      event: identify({ anonymousId: 'a'.repeat(9000) }),
      settings,
      useDefaultMappings: true,
      logger
    })
    expect(warnings).toHaveLength(1)
    expect(warnings[0]).toContain('segmentAnonymousId (truncated)')
    expect(warnings[0]).not.toContain('aaaa')
  })
})

import { rawRequest, startLocalRuntime } from '../../../test/runtime-harness'

// Real HTTP servers on loopback: sized for a 2-core machine with every core busy.
jest.setTimeout(30_000)

const TRACK = JSON.stringify({ userId: 'u-1', event: 'Pushed' })

describe('local runtime: only its own page and local tools may call it', () => {
  let local: Awaited<ReturnType<typeof startLocalRuntime>>
  let port: string
  beforeEach(async () => {
    local = await startLocalRuntime()
    port = new URL(local.runtime.url).port
  })
  afterEach(() => local.stop())

  const track = (headers: Record<string, string>) =>
    rawRequest(local.runtime.url, { path: '/v1/track', headers, body: TRACK })

  it('refuses a text/plain POST from another web page (a form or a simple fetch), sending nothing', async () => {
    const answer = await track({ 'Content-Type': 'text/plain', Origin: 'https://evil.example' })
    expect(answer.status).toBe(403)
    expect(answer.body).toEqual({
      success: false,
      message: `Refused: a request from the web page at "https://evil.example" is not accepted; only this server's own page (http://127.0.0.1:${port}) and tools that send no Origin header, such as curl or a Segment library, may call it.`
    })
    expect(local.sandbox.requests()).toEqual([])
  })

  it.each(['https://evil.example', 'null', 'http://127.0.0.1:1'])(
    'refuses Origin %s even with a JSON body',
    async (origin) => {
      const answer = await track({ 'Content-Type': 'application/json', Origin: origin })
      expect(answer.status).toBe(403)
      expect(local.sandbox.requests()).toEqual([])
    }
  )

  it('accepts its own page (same origin) and tools that send no Origin', async () => {
    const own = await track({ 'Content-Type': 'application/json', Origin: `http://127.0.0.1:${port}` })
    const tool = await track({ 'Content-Type': 'application/json; charset=utf-8' })
    expect([own.status, tool.status]).toEqual([200, 200])
  })

  it.each([
    ['text/plain', 'text/plain'],
    ['a form', 'application/x-www-form-urlencoded'],
    ['no type', undefined]
  ])('refuses a POST body declared as %s with 415', async (_, type) => {
    const answer = await track(type === undefined ? {} : { 'Content-Type': type })
    expect(answer.status).toBe(415)
    expect(answer.body.message).toMatch(/^Refused: the body must be declared "Content-Type: application\/json" \(got /)
    expect(local.sandbox.requests()).toEqual([])
  })

  it.each(['evil.example', 'evil.example:PORT', 'localhost:1', '127.0.0.2'])(
    'refuses a Host that is not a loopback name with this port (%s): DNS rebinding',
    async (host) => {
      const resolved = host.replace('PORT', port)
      for (const [method, path] of [
        ['GET', '/api/deliveries'],
        ['GET', '/'],
        ['POST', '/v1/track']
      ]) {
        const answer = await rawRequest(local.runtime.url, {
          method,
          path,
          headers: { Host: resolved, 'Content-Type': 'application/json' },
          body: method === 'POST' ? TRACK : undefined
        })
        expect(answer.status).toBe(403)
        expect(answer.body.message).toContain(`Refused: the Host header "${resolved}" is not this server's`)
      }
      expect(local.sandbox.requests()).toEqual([])
    }
  )

  it.each(['127.0.0.1', 'localhost', 'LocalHost', '[::1]'])(
    'accepts the loopback name %s with its port',
    async (name) => {
      const answer = await rawRequest(local.runtime.url, {
        method: 'GET',
        path: '/',
        headers: { Host: `${name}:${port}` }
      })
      expect(answer.status).toBe(200)
    }
  )
})

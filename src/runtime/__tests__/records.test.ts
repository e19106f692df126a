import type { SegmentEvent } from '@segment/actions-core'
import type { Exchange } from '../../delivery/exchanges'
import { startSandbox, type Sandbox } from '../../sandbox'
import { DeliveryLog } from '../records'

// A real sandbox on loopback: sized for a 2-core machine with every core busy.
jest.setTimeout(30_000)

const API_KEY = 'records-test-key'

let sandbox: Sandbox | undefined
let log: DeliveryLog

beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: API_KEY })
})
afterAll(() => sandbox?.close())
beforeEach(() => {
  sandbox!.reset()
  log = new DeliveryLog({ kind: 'sandbox', sandbox: sandbox! })
})

/** Sends a request to the sandbox, as the destination does, and returns the exchange a delivery records. */
async function send(path: string, body: unknown): Promise<Exchange> {
  const url = `${sandbox!.url}${path}`
  const response = await fetch(url, {
    method: 'POST',
    headers: { Authorization: `Basic ${API_KEY}`, 'Content-Type': 'application/json' },
    body: JSON.stringify(body)
  })
  const answer = { status: response.status, body: (await response.json()) as unknown }
  return { request: { method: 'POST', url, headers: {}, body }, response: answer }
}

/** What the log shows under "Now in the sandbox" for a delivery that sent these exchanges. */
function viewOf(action: string, exchanges: Exchange[]): any {
  const event = { type: 'track', userId: 'u', event: 'E', messageId: 'm' } as SegmentEvent
  const record = log.add({ event, outcomes: [{ subscription: 'S', action, status: 'sent', exchanges, tries: 1 }] })
  return record.outcomes[0].sandbox
}

describe('DeliveryLog: the sandbox view of each delivery', () => {
  it("shows the delivery's own event, not a later one of another user with the same name", async () => {
    const first = await send('/v2/events', { name: 'E', user: { uid: 'par-1' } })
    await send('/v2/events', { name: 'E', user: { uid: 'par-2' } })
    expect(viewOf('trackEvent', [first])).toMatchObject({ name: 'E', user: { uid: 'par-1' } })
    expect(viewOf('trackEvent', [first]).user_id).toBe(sandbox!.user('par-1')?.id)
  })

  it('tells apart events of one user with the same name by the rest of the request', async () => {
    const one = await send('/v2/events', { name: 'E', user: { uid: 'u' }, properties: { n: 1 } })
    await send('/v2/events', { name: 'E', user: { uid: 'u' }, properties: { n: 2 } })
    const session = await send('/v2/events', { name: 'E', session: { id: 'd:s' } })
    await send('/v2/events', { name: 'E', session: { id: 'd:t' } })
    expect(viewOf('trackEvent', [one]).properties).toEqual({ n: 1 })
    expect(viewOf('trackEvent', [session])).toMatchObject({ session_id: 'd:s' })
  })

  it("shows the event of the request FullStory accepted: a full session's fallback, not the refused one", async () => {
    sandbox!.markSessionFull('d:full')
    const refused = await send('/v2/events', { name: 'E', session: { id: 'd:full' } })
    const fallback = await send('/v2/events', { name: 'E', user: { uid: 'par-1' } })
    await send('/v2/events', { name: 'E', user: { uid: 'par-2' } })
    expect(refused.response.status).toBe(400)
    expect(viewOf('trackEvent', [refused, fallback])).toMatchObject({ user: { uid: 'par-1' } })
  })

  it('shows nothing when the sandbox no longer holds the event, rather than another one', async () => {
    const gone = await send('/v2/events', { name: 'E', user: { uid: 'par-1' } })
    await send('/v2/events', { name: 'E', user: { uid: 'par-2' } })
    await fetch(`${sandbox!.url}/v2/users?uid=par-1`, {
      method: 'DELETE',
      headers: { Authorization: `Basic ${API_KEY}` }
    })
    expect(viewOf('trackEvent', [gone])).toBeUndefined()
  })

  it('shows the user an identify upserted, by its uid', async () => {
    const upsert = await send('/v2/users', { uid: 'par-1', properties: { plan: 'pro' } })
    await send('/v2/users', { uid: 'par-2' })
    expect(viewOf('identifyUser', [upsert])).toMatchObject({ uid: 'par-1', properties: { plan: 'pro' } })
  })
})

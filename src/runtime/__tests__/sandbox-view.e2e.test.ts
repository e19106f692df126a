import { API_KEY, post, startLocalRuntime } from '../../../test/runtime-harness'
import { presetSubscriptions } from '../../delivery/subscriptions'

// Real HTTP servers on loopback: sized for a 2-core machine with every core busy.
jest.setTimeout(30_000)

/** Polls until `check` holds. */
async function eventually(check: () => boolean, timeoutMs = 10_000): Promise<void> {
  const deadline = Date.now() + timeoutMs
  while (!check()) {
    if (Date.now() > deadline) throw new Error('condition not met in time')
    await new Promise((resolve) => setTimeout(resolve, 5))
  }
}

/** What a delivery shows under "Now in the sandbox" for the outcome of this action. */
const viewOf = (delivery: any, action: string) =>
  delivery.outcomes.find((outcome: { action: string }) => outcome.action === action).sandbox

describe('local runtime: what each delivery shows as "Now in the sandbox"', () => {
  let local: Awaited<ReturnType<typeof startLocalRuntime>> | undefined
  beforeEach(async () => {
    local = await startLocalRuntime()
  })
  afterEach(async () => {
    await local?.stop()
    local = undefined
  })

  it.each(['constructor', 'toString', 'valueOf', 'hasOwnProperty', 'isPrototypeOf'])(
    'delivers an identify with a trait named "%s", and every later one for that user',
    async (name) => {
      const url = `${local!.runtime.url}/v1/identify`
      const first = await post(url, { userId: 'fresh', traits: { [name]: 'v' } })
      expect(first).toMatchObject({ status: 200, body: { result: 'delivered' } })
      expect(viewOf(first.body.deliveries[0], 'identifyUser')).toMatchObject({
        uid: 'fresh',
        properties: { [name]: 'v' },
        schema: { properties: { [name]: 'str' } }
      })
      const second = await post(url, { userId: 'fresh', traits: { [name]: 'w', plan: 'pro' } })
      expect(second).toMatchObject({ status: 200, body: { result: 'delivered' } })
      expect(viewOf(second.body.deliveries[0], 'identifyUser').properties).toEqual({ [name]: 'w', plan: 'pro' })

      const listed = await fetch(`${local!.sandbox.url}/v2/users?uid=fresh`, {
        headers: { Authorization: `Basic ${API_KEY}` }
      })
      expect(listed.status).toBe(200)
      expect(await listed.json()).toMatchObject({ results: [{ properties: { [name]: 'w', plan: 'pro' } }] })
      // The page lists both deliveries, each with the user as the sandbox held it then.
      const page = await (await fetch(`${local!.runtime.url}/api/deliveries`)).json()
      expect(page.deliveries.map((d: any) => [d.result, viewOf(d, 'identifyUser')])).toEqual([
        ['delivered', expect.objectContaining({ properties: { [name]: 'w', plan: 'pro' } })],
        ['delivered', expect.objectContaining({ properties: { [name]: 'v' } })]
      ])
    }
  )

  it("shows a delivery its own event when another user's event of the same name lands before it ends", async () => {
    // Tracks also go to a second subscription (an identify), whose first request the sandbox holds for 2 s: the first
    // delivery ends only after the second one's event is stored.
    await local!.stop()
    local = undefined
    const preset = (action: string) => presetSubscriptions().find((s) => s.partnerAction === action)!
    const [identify, track] = [preset('identifyUser'), preset('trackEvent')]
    local = await startLocalRuntime([track, { ...identify, name: 'Identify on track', subscribe: 'type = "track"' }])
    local.sandbox.setFaults([{ status: 200, delayMs: 2_000, count: 1, path: '/v2/users' }])
    const url = `${local.runtime.url}/v1/track`
    const slow = post(url, { userId: 'par-1', event: 'Same Name' })
    await eventually(() => local!.sandbox.events().some((event) => event.user?.uid === 'par-1'))
    const fast = await post(url, { userId: 'par-2', event: 'Same Name' })
    const [first, second] = [(await slow).body.deliveries[0], fast.body.deliveries[0]]
    expect([first.result, second.result]).toEqual(['delivered', 'delivered'])
    expect(viewOf(first, 'trackEvent').user).toEqual({ uid: 'par-1' })
    expect(viewOf(second, 'trackEvent').user).toEqual({ uid: 'par-2' })
  })

  it("shows each of 30 concurrent tracks of one name its own user's event", async () => {
    const userIds = Array.from({ length: 30 }, (_, i) => `par-${i + 1}`)
    const answers = await Promise.all(
      userIds.map((userId) => post(`${local!.runtime.url}/v1/track`, { userId, event: 'Same Name' }))
    )
    const shown = answers.map(({ status, body }) => [status, viewOf(body.deliveries[0], 'trackEvent')?.user?.uid])
    expect(shown).toEqual(userIds.map((userId) => [200, userId]))
    expect(local!.sandbox.events()).toHaveLength(30)
  })
})

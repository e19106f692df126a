import { API_KEY, post, startLocalRuntime } from '../../../test/runtime-harness'

// Real HTTP servers on loopback: sized for a 2-core machine with every core busy.
jest.setTimeout(30_000)

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
})

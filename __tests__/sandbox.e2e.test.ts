import { Destination } from '@segment/actions-core'
import type { JSONObject, SegmentEvent } from '@segment/actions-core'
import definition from '../src/destinations/fullstory-cloud'
import { API_URL_ENV } from '../src/destinations/fullstory-cloud/api'
import { startSandbox } from '../src/sandbox'
import type { Sandbox } from '../src/sandbox'

/**
 * The destination as Segment runs it, against the embedded sandbox (FullStory's rules, idempotency store and
 * deletions): what one call creates, another call finds.
 */
const API_KEY = 'sandbox-e2e-key'
const destination = new Destination(definition)
const presets = (definition.presets ?? []).map((preset) => ({
  ...preset,
  subscribe: 'subscribe' in preset ? preset.subscribe : ''
}))
const settingsWith = (subscriptions: unknown[]) => ({ apiKey: API_KEY, subscriptions }) as unknown as JSONObject

// Servers on loopback: sized for a 2-core machine with every core busy.
jest.setTimeout(30_000)

let sandbox: Sandbox
beforeEach(async () => {
  sandbox = await startSandbox({ apiKey: API_KEY, role: 'ADMIN' })
  process.env[API_URL_ENV] = sandbox.url
})
afterEach(async () => {
  delete process.env[API_URL_ENV]
  destination.responses.length = 0
  await sandbox.close()
})

describe('one uid everywhere: identify, track and delete reach the same FullStory user', () => {
  const ODD_UIDS = [' alice ', 'alice', 'a/b', 'ünï-😀', '100%', 'a+b c', 'x?y=z&w']

  it('identifies and tracks each uid as sent, and deleting it removes exactly that user', async () => {
    for (const uid of ODD_UIDS) {
      await destination.onEvent({ type: 'identify', userId: uid, traits: { plan: 'pro' } }, settingsWith(presets))
      await destination.onEvent({ type: 'track', userId: uid, event: 'Clicked' }, settingsWith(presets))
    }
    expect(sandbox.users().map((user) => user.uid)).toEqual(ODD_UIDS)
    expect(sandbox.events().map((event) => event.user?.uid)).toEqual(ODD_UIDS)

    await destination.onDelete!({ type: 'delete', userId: ' alice ' }, { apiKey: API_KEY })
    expect(sandbox.users().map((user) => user.uid)).toEqual(ODD_UIDS.filter((uid) => uid !== ' alice '))
    for (const uid of ODD_UIDS.slice(1)) {
      await destination.onDelete!({ type: 'delete', userId: uid }, { apiKey: API_KEY })
    }
    expect(sandbox.users()).toEqual([])
  })

  it('refuses a whitespace-only userId the same way in identify, track, a batch and a deletion', async () => {
    const messages = await Promise.all([
      destination
        .onEvent({ type: 'identify', userId: '   ', traits: {} }, settingsWith(presets))
        .catch((e: Error) => e.message),
      destination
        .onEvent({ type: 'track', userId: '   ', event: 'Clicked' }, settingsWith(presets))
        .catch((e: Error) => e.message),
      destination
        .onBatch(
          [{ type: 'track', userId: '   ', event: 'Clicked' }],
          settingsWith(presets.map((p) => ({ ...p, mapping: { ...p.mapping, enable_batching: true } })))
        )
        .then((results) => JSON.stringify(results)),
      destination.onDelete!({ type: 'delete', userId: '   ' }, { apiKey: API_KEY }).catch((e: Error) => e.message)
    ])
    for (const message of messages) expect(message).toContain('userId is only whitespace')
    expect(sandbox.requests()).toEqual([])
  })
})

describe('Idempotency-Keys in FullStory', () => {
  it('keep the events of two subscriptions of one action on one message, and answer a retry from the store', async () => {
    const trackPreset = presets.find((p) => p.partnerAction === 'trackEvent')!
    const revenue = { ...trackPreset, name: 'Revenue', mapping: { ...trackPreset.mapping, name: 'Revenue' } }
    const event: SegmentEvent = { type: 'track', userId: 'u-1', event: 'Order Completed', messageId: 'm-1' }
    await destination.onEvent(event, settingsWith([trackPreset, revenue]))
    await destination.onEvent(event, settingsWith([trackPreset, revenue])) // Segment retries the delivery
    expect(sandbox.events().map((e) => e.name)).toEqual(['Order Completed', 'Revenue'])
    expect(sandbox.requests().map((r) => [r.status, r.replayed ?? false])).toEqual([
      [200, false],
      [200, false],
      [200, true],
      [200, true]
    ])
  })
})

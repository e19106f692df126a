import type { Delivery } from '../delivery/deliver'

/**
 * What became of one event, over all the subscriptions: `delivered` when every one that matched sent it,
 * `not-subscribed` when none matched (nothing was sent), `refused` when the destination or FullStory refused it for
 * good (sending it again changes nothing), `failed` when a subscription could not deliver it yet (send it again).
 */
export type EventResult = 'delivered' | 'not-subscribed' | 'refused' | 'failed'

export function eventResult(delivery: Delivery): EventResult {
  const statuses = new Set(delivery.outcomes.map((o) => o.status))
  if (statuses.has('retryable')) return 'failed'
  if (statuses.has('rejected')) return 'refused'
  return statuses.has('sent') ? 'delivered' : 'not-subscribed'
}

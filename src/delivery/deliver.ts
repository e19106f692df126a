import { Destination, transform } from '@segment/actions-core'
import type { DecoratedResponse, JSONObject, SegmentEvent, Subscription } from '@segment/actions-core'
import { parseFql, validate } from '@segment/destination-subscriptions'
import definition from '../destinations/fullstory-cloud'
import { toExchange } from './exchanges'
import { BatchNode, describeError, Outcome, outcomeOfNode, warned, warningsLogger, withNotRetried } from './outcomes'
import { DEFAULT_RETRY_POLICY, RetryPolicy, retryWait, sleep, withRetries } from './retry'

export type { Outcome, OutcomeError, OutcomeStatus } from './outcomes'

export interface Delivery {
  event: SegmentEvent
  outcomes: Outcome[]
}

export interface DelivererOptions {
  settings: { apiKey: string; region?: string }
  subscriptions: Subscription[]
  retry?: RetryPolicy
}

interface CompiledSubscription {
  subscription: Subscription
  name: string
  matches: (event: SegmentEvent) => boolean
}

/** Runs Segment events through the destination exactly as Segment's runtime would, one subscription at a time. */
export function createDeliverer(options: DelivererOptions) {
  const policy = options.retry ?? DEFAULT_RETRY_POLICY
  const exchangeOf = (response: DecoratedResponse) => toExchange(response, options.settings.apiKey)
  const compiled: CompiledSubscription[] = options.subscriptions.map((subscription) => {
    const ast = parseFql(subscription.subscribe)
    return {
      subscription,
      name: subscription.name ?? subscription.partnerAction,
      matches: (event) => validate(ast, event)
    }
  })
  const settingsFor = (subscription: Subscription) =>
    ({ ...options.settings, subscriptions: [subscription] }) as unknown as JSONObject
  const baseOf = (entry: CompiledSubscription) => ({
    subscription: entry.name,
    action: entry.subscription.partnerAction
  })
  const notSubscribed = (entry: CompiledSubscription): Outcome => ({
    ...baseOf(entry),
    status: 'not-subscribed',
    exchanges: [],
    tries: 0
  })

  async function runOne(entry: CompiledSubscription, event: SegmentEvent): Promise<Omit<Outcome, 'tries'>> {
    const base = baseOf(entry)
    const destination = new Destination(definition)
    const warnings: string[] = []
    let payload: JSONObject | undefined
    try {
      payload = transform(entry.subscription.mapping ?? {}, event as unknown as JSONObject)
      await destination.onEvent(event, settingsFor(entry.subscription), { logger: warningsLogger(warnings) })
      return { ...base, status: 'sent', payload, exchanges: destination.responses.map(exchangeOf), ...warned(warnings) }
    } catch (error) {
      const described = describeError(error, entry.subscription)
      return {
        ...base,
        status: described.retryable ? 'retryable' : 'rejected',
        payload,
        exchanges: destination.responses.map(exchangeOf),
        error: described.error,
        ...warned(warnings)
      }
    }
  }

  /** One subscription, one event, with retries. */
  async function deliverTo(entry: CompiledSubscription, event: SegmentEvent): Promise<Outcome> {
    const outcome = await withRetries(async () => {
      const result = await runOne(entry, event)
      return { ...result, retryable: result.status === 'retryable', retryAfterSeconds: result.error?.retryAfterSeconds }
    }, policy)
    const { retryable: _retryable, retryAfterSeconds: _wait, notRetried, ...rest } = outcome
    return notRetried ? withNotRetried(rest, notRetried) : rest
  }

  async function deliver(event: SegmentEvent): Promise<Delivery> {
    const outcomes: Outcome[] = []
    for (const entry of compiled) {
      outcomes.push(entry.matches(event) ? await deliverTo(entry, event) : notSubscribed(entry))
    }
    return { event, outcomes }
  }

  /**
   * Delivers several events, handing each one's delivery to `onDelivery` as soon as it is complete, so a caller
   * need not hold them all. Subscriptions whose mapping turns batching on (or all, with `batchJobs`) send their
   * matching events as one onBatch call first, as Segment does; the others deliver event by event.
   */
  async function deliverEach(
    events: SegmentEvent[],
    onDelivery: (index: number, delivery: Delivery) => void,
    batchJobs = false
  ): Promise<void> {
    const jobOutcomes = new Map<CompiledSubscription, Map<number, Outcome>>()
    for (const entry of compiled) {
      if (!batchJobs && entry.subscription.mapping?.enable_batching !== true) continue
      const indexes = events.flatMap((event, index) => (entry.matches(event) ? [index] : []))
      const outcomes =
        indexes.length > 0
          ? await runBatchWithRetries(
              entry,
              indexes.map((i) => events[i])
            )
          : []
      jobOutcomes.set(entry, new Map(indexes.map((eventIndex, position) => [eventIndex, outcomes[position]])))
    }
    for (let index = 0; index < events.length; index++) {
      const event = events[index]
      const outcomes: Outcome[] = []
      for (const entry of compiled) {
        const jobs = jobOutcomes.get(entry)
        const outcome = jobs ? jobs.get(index) : entry.matches(event) ? await deliverTo(entry, event) : undefined
        outcomes.push(outcome ?? notSubscribed(entry))
      }
      onDelivery(index, { event, outcomes })
    }
  }

  async function deliverBatch(events: SegmentEvent[], batchJobs = false): Promise<Delivery[]> {
    const deliveries: Delivery[] = new Array<Delivery>(events.length)
    await deliverEach(events, (index, delivery) => (deliveries[index] = delivery), batchJobs)
    return deliveries
  }

  /** One onBatch call; retryable items are sent again (only those) until final or the tries are spent. */
  async function runBatchWithRetries(entry: CompiledSubscription, events: SegmentEvent[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array<Outcome>(events.length)
    let pending = events.map((_, index) => index)
    for (let tryNumber = 1; pending.length > 0; tryNumber++) {
      const results = await runBatch(
        entry,
        pending.map((i) => events[i])
      )
      pending.forEach((eventIndex, position) => (outcomes[eventIndex] = { ...results[position], tries: tryNumber }))
      const retry = pending.filter((eventIndex) => outcomes[eventIndex].status === 'retryable')
      if (retry.length === 0 || tryNumber >= policy.attempts) break
      const asked = Math.max(0, ...retry.map((i) => outcomes[i].error?.retryAfterSeconds ?? 0))
      const next = retryWait(tryNumber - 1, asked, policy)
      if ('refusal' in next) {
        for (const i of retry) outcomes[i] = withNotRetried(outcomes[i], next.refusal)
        break
      }
      await (policy.sleep ?? sleep)(next.waitMs)
      pending = retry
    }
    return outcomes
  }

  async function runBatch(entry: CompiledSubscription, events: SegmentEvent[]): Promise<Omit<Outcome, 'tries'>[]> {
    // Each item's warning comes in its multistatus entry, so it is told only for the event it concerns.
    const base = baseOf(entry)
    const destination = new Destination(definition)
    let payloads: JSONObject[] = []
    try {
      payloads = events.map((event) => transform(entry.subscription.mapping ?? {}, event as unknown as JSONObject))
      const results = await destination.onBatch(events, settingsFor(entry.subscription))
      const nodes = (results[0] as { multistatus?: BatchNode[] })?.multistatus ?? []
      const exchanges = destination.responses.map(exchangeOf)
      return events.map((_, index) => outcomeOfNode(base, entry.subscription, payloads[index], exchanges, nodes[index]))
    } catch (error) {
      const described = describeError(error, entry.subscription)
      const exchanges = destination.responses.map(exchangeOf)
      return events.map((_, index) => ({
        ...base,
        status: described.retryable ? 'retryable' : 'rejected',
        payload: payloads[index],
        exchanges,
        error: described.error
      }))
    }
  }

  return { deliver, deliverEach, deliverBatch, subscriptions: compiled.map((c) => c.subscription) }
}

export type Deliverer = ReturnType<typeof createDeliverer>

import { Destination, RetryableError, transform } from '@segment/actions-core'
import type { JSONObject, Logger, SegmentEvent, Subscription } from '@segment/actions-core'
import { parseFql, validate } from '@segment/destination-subscriptions'
import definition from '../destinations/fullstory-cloud'
import { Exchange, toExchange } from './exchanges'
import { DEFAULT_RETRY_POLICY, RetryPolicy, retryWait, sleep, withRetries } from './retry'

export type OutcomeStatus = 'sent' | 'not-subscribed' | 'rejected' | 'retryable'

export interface OutcomeError {
  type: string
  message: string
  status?: number
  retryAfterSeconds?: number
  /** Why a retryable failure was not retried: FullStory asked for a wait longer than the policy's cap. */
  notRetried?: string
}

/** What one subscription did with one event. */
export interface Outcome {
  subscription: string
  action: string
  status: OutcomeStatus
  /** The mapping resolved against the event: what the action's perform received. */
  payload?: JSONObject
  exchanges: Exchange[]
  error?: OutcomeError
  /** What the destination logged as a warning on the way, such as property values FullStory's rules left out. */
  warnings?: string[]
  tries: number
}

export interface Delivery {
  event: SegmentEvent
  outcomes: Outcome[]
  /** True while some subscription failed in a way that can succeed later (its tries are spent). */
  retryable: boolean
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

const RETRYABLE_STATUSES = new Set([408, 423, 429])

/** Runs Segment events through the destination exactly as Segment's runtime would, one subscription at a time. */
export function createDeliverer(options: DelivererOptions) {
  const policy = options.retry ?? DEFAULT_RETRY_POLICY
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

  async function runOne(entry: CompiledSubscription, event: SegmentEvent): Promise<Omit<Outcome, 'tries'>> {
    const base = { subscription: entry.name, action: entry.subscription.partnerAction }
    const payload = transform(entry.subscription.mapping ?? {}, event as unknown as JSONObject)
    const destination = new Destination(definition)
    const warnings: string[] = []
    try {
      await destination.onEvent(event, settingsFor(entry.subscription), { logger: warningsLogger(warnings) })
      return { ...base, status: 'sent', payload, exchanges: destination.responses.map(toExchange), ...warned(warnings) }
    } catch (error) {
      const described = describeError(error)
      return {
        ...base,
        status: described.retryable ? 'retryable' : 'rejected',
        payload,
        exchanges: destination.responses.map(toExchange),
        error: described.error,
        ...warned(warnings)
      }
    }
  }

  async function deliver(event: SegmentEvent): Promise<Delivery> {
    const outcomes: Outcome[] = []
    for (const entry of compiled) {
      if (!entry.matches(event)) {
        outcomes.push({
          subscription: entry.name,
          action: entry.subscription.partnerAction,
          status: 'not-subscribed',
          exchanges: [],
          tries: 0
        })
        continue
      }
      const outcome = await withRetries(async () => {
        const result = await runOne(entry, event)
        return {
          ...result,
          retryable: result.status === 'retryable',
          retryAfterSeconds: result.error?.retryAfterSeconds
        }
      }, policy)
      const { retryable: _retryable, retryAfterSeconds: _wait, notRetried, ...rest } = outcome
      outcomes.push(notRetried ? withNotRetried(rest, notRetried) : rest)
    }
    return { event, outcomes, retryable: outcomes.some((o) => o.status === 'retryable') }
  }

  /**
   * Delivers several events. Subscriptions whose mapping turns batching on (or all, with `batchJobs`) send the
   * matching events as one onBatch call, as Segment does; the others deliver event by event.
   */
  async function deliverBatch(events: SegmentEvent[], batchJobs = false): Promise<Delivery[]> {
    const deliveries: Delivery[] = events.map((event) => ({ event, outcomes: [], retryable: false }))
    for (const entry of compiled) {
      const batched = batchJobs || entry.subscription.mapping?.enable_batching === true
      const indexes = events.flatMap((event, index) => (entry.matches(event) ? [index] : []))
      for (let index = 0; index < events.length; index++) {
        if (!indexes.includes(index)) {
          deliveries[index].outcomes.push({
            subscription: entry.name,
            action: entry.subscription.partnerAction,
            status: 'not-subscribed',
            exchanges: [],
            tries: 0
          })
        }
      }
      if (batched && indexes.length > 0) {
        const outcomes = await runBatchWithRetries(
          entry,
          indexes.map((i) => events[i])
        )
        indexes.forEach((eventIndex, position) => deliveries[eventIndex].outcomes.push(outcomes[position]))
      } else {
        for (const eventIndex of indexes) {
          const single = await deliver(events[eventIndex])
          const own = single.outcomes.find((o) => o.subscription === entry.name && o.status !== 'not-subscribed')
          if (own) deliveries[eventIndex].outcomes.push(own)
        }
      }
    }
    for (const delivery of deliveries) delivery.retryable = delivery.outcomes.some((o) => o.status === 'retryable')
    return deliveries
  }

  /** One onBatch call; retryable items are sent again (only those) until final or the tries are spent. */
  async function runBatchWithRetries(entry: CompiledSubscription, events: SegmentEvent[]): Promise<Outcome[]> {
    const outcomes: Outcome[] = new Array(events.length)
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
    const base = { subscription: entry.name, action: entry.subscription.partnerAction }
    const destination = new Destination(definition)
    const payloads = events.map((event) => transform(entry.subscription.mapping ?? {}, event as unknown as JSONObject))
    try {
      const results = await destination.onBatch(events, settingsFor(entry.subscription))
      const nodes = (results[0] as { multistatus?: BatchNode[] })?.multistatus ?? []
      const exchanges = destination.responses.map(toExchange)
      return events.map((_, index) => outcomeOfNode(base, payloads[index], exchanges, nodes[index]))
    } catch (error) {
      const described = describeError(error)
      const exchanges = destination.responses.map(toExchange)
      return events.map((_, index) => ({
        ...base,
        status: described.retryable ? 'retryable' : 'rejected',
        payload: payloads[index],
        exchanges,
        error: described.error
      }))
    }
  }

  return { deliver, deliverBatch, subscriptions: compiled.map((c) => c.subscription) }
}

export type Deliverer = ReturnType<typeof createDeliverer>

interface BatchNode {
  status: number
  errormessage?: string
  errortype?: string
  body?: unknown
}

/** An actions-core logger that keeps the destination's warnings and errors for the outcome; the rest is noise here. */
function warningsLogger(warnings: string[]): Logger {
  const keep = (...message: string[]) => void warnings.push(message.join(' '))
  const ignore = () => undefined
  return {
    level: 'warn',
    name: 'fullstory-cloud-local',
    debug: ignore,
    info: ignore,
    log: ignore,
    withTags: ignore,
    warn: keep,
    error: keep,
    crit: keep
  }
}

/** Outcomes carry `warnings` only when there are some, so the common answer stays short. */
function warned(warnings: string[]): Pick<Outcome, 'warnings'> {
  return warnings.length > 0 ? { warnings } : {}
}

function outcomeOfNode(
  base: { subscription: string; action: string },
  payload: JSONObject,
  exchanges: Exchange[],
  node: BatchNode | undefined
): Omit<Outcome, 'tries'> {
  if (!node) {
    return {
      ...base,
      status: 'rejected',
      payload,
      exchanges,
      error: { type: 'MissingResult', message: 'The batch returned no result for this event.' }
    }
  }
  if (node.status >= 200 && node.status < 300) {
    const warning = (node.body as { warning?: string } | undefined)?.warning
    return { ...base, status: 'sent', payload, exchanges, ...warned(warning === undefined ? [] : [warning]) }
  }
  const retryAfterSeconds = (node.body as { retry_after_seconds?: number } | undefined)?.retry_after_seconds
  return {
    ...base,
    status: isRetryableStatus(node.status) ? 'retryable' : 'rejected',
    payload,
    exchanges,
    error: {
      type: node.errortype ?? 'BatchItemError',
      message: node.errormessage ?? `status ${node.status}`,
      status: node.status,
      retryAfterSeconds
    }
  }
}

function withNotRetried(outcome: Outcome, reason: string): Outcome {
  return outcome.error ? { ...outcome, error: { ...outcome.error, notRetried: reason } } : outcome
}

function isRetryableStatus(status: number): boolean {
  return RETRYABLE_STATUSES.has(status) || (status >= 500 && status !== 501)
}

function describeError(error: unknown): { retryable: boolean; error: OutcomeError } {
  const { name, message, status, retryAfterSeconds } = error as {
    name?: string
    message?: string
    status?: number
    retryAfterSeconds?: number
  }
  const retryable = error instanceof RetryableError || (typeof status === 'number' && isRetryableStatus(status))
  return {
    retryable,
    error: { type: name ?? 'Error', message: message ?? String(error), status, retryAfterSeconds }
  }
}

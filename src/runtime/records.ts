import type { Delivery, Outcome } from '../delivery/deliver'
import type { Exchange } from '../delivery/exchanges'
import type { Sandbox } from '../sandbox'
import { EventResult, eventResult } from './results'
import { LIMITS } from './limits'

export type RuntimeMode = { kind: 'sandbox'; sandbox: Sandbox } | { kind: 'live'; apiUrl: string }

/** A delivery as the page shows it: each outcome with what the sandbox now holds for it. */
export interface DeliveryRecord extends Delivery {
  id: number
  receivedAt: string
  result: EventResult
  outcomes: (Outcome & { sandbox?: unknown })[]
}

export interface DeliveryPage {
  deliveries: unknown[]
  /** Where the next older page is, or null when this one reaches the oldest delivery kept. */
  next: string | null
}

/**
 * The most recent deliveries, newest first, for the page and /api/deliveries. Only the last `capacity` are kept,
 * each with its full HTTP exchanges: what a long session (or a large batch) costs stays flat.
 */
export class DeliveryLog {
  private records: DeliveryRecord[] = []
  private nextId = 1

  constructor(
    private readonly mode: RuntimeMode,
    private readonly capacity: number = LIMITS.keptDeliveries
  ) {}

  add(delivery: Delivery): DeliveryRecord {
    const record: DeliveryRecord = {
      ...delivery,
      id: this.nextId++,
      receivedAt: new Date().toISOString(),
      result: eventResult(delivery),
      outcomes: delivery.outcomes.map((outcome) => ({ ...outcome, sandbox: sandboxView(this.mode, outcome) }))
    }
    this.records.unshift(record)
    if (this.records.length > this.capacity) this.records.length = this.capacity
    return record
  }

  list(): DeliveryRecord[] {
    return this.records
  }

  /** Up to `limit` deliveries older than the one with id `before` (newest first when absent). */
  page(limit: number, before?: number): DeliveryPage {
    const start = before === undefined ? 0 : this.records.findIndex((record) => record.id < before)
    const slice = start < 0 ? [] : this.records.slice(start, start + limit)
    const last = slice[slice.length - 1]
    const more = last !== undefined && this.records[this.records.length - 1] !== last
    return {
      deliveries: withSharedOnce(slice),
      next: more ? `/api/deliveries?before=${last.id}&limit=${limit}` : null
    }
  }
}

/**
 * Deliveries for an answer, each HTTP exchange written out once. All the events of an import job share its
 * exchange; repeating it under each made an answer grow with the square of the batch (100 events of 1.4 KB:
 * 14 MB). Later outcomes name the delivery whose outcome for the same subscription holds it.
 */
export function withSharedOnce(records: DeliveryRecord[]): unknown[] {
  const holder = new Map<Exchange[], number>()
  return records.map((record) => ({
    ...record,
    outcomes: record.outcomes.map((outcome) => {
      const id = holder.get(outcome.exchanges)
      if (id === undefined) {
        if (outcome.exchanges.length > 0) holder.set(outcome.exchanges, record.id)
        return outcome
      }
      const { exchanges: _shared, ...rest } = outcome
      return { ...rest, exchangesInDelivery: id }
    })
  }))
}

/**
 * What the sandbox holds now for a sent outcome: the user it upserted, or the event it stored. Found from the request
 * FullStory accepted (the last one answered 2xx: when a session was full, the fallback sent without it), matched as a
 * whole, so a delivery never shows another delivery's event of the same name.
 */
function sandboxView(mode: RuntimeMode, outcome: Outcome): unknown {
  if (mode.kind !== 'sandbox' || outcome.status !== 'sent') return undefined
  const accepted = [...outcome.exchanges]
    .reverse()
    .find(({ response }) => response.status >= 200 && response.status < 300)
  const body = accepted?.request.body as { uid?: string; requests?: unknown[] } | undefined
  if (!accepted || !body || body.requests) return undefined
  // Looked up, not listed: copying the whole store for every delivery made npm start slow down as it filled.
  const path = new URL(accepted.request.url).pathname
  if (path.endsWith('/v2/users')) return body.uid === undefined ? undefined : mode.sandbox.user(body.uid)
  return path.endsWith('/v2/events') ? mode.sandbox.eventFor(body) : undefined
}

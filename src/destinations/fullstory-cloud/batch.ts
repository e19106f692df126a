import { InvalidAuthenticationError, MultiStatusResponse, RetryableError } from '@segment/actions-core'
import type { InputField, JSONLikeObject, RequestClient } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { send } from './api'
import type { RequestKey } from './api'
import { droppedWarning, Observers, reportDropped } from './dropped'
import type { DroppedProperty } from './properties'

/** FullStory refuses import jobs of more than 50,000 requests. */
export const MAX_JOB_REQUESTS = 50_000

export const batchingFields: Record<string, InputField> = {
  enable_batching: {
    label: 'Send in Batches',
    description:
      'When on, Segment hands this action events in batches and each batch becomes one FullStory import job. Jobs are processed asynchronously: FullStory reports a failure inside a job in its own job error list, not back to Segment. Leave off unless your volume needs it.',
    type: 'boolean',
    default: false
  },
  batch_size: {
    label: 'Batch Size',
    description: 'The most events Segment puts in one batch (one FullStory import job per batch).',
    type: 'number',
    minimum: 1,
    maximum: 10_000,
    default: 1000,
    unsafe_hidden: true
  }
}

interface BatchSpec<Payload, Body> {
  /** The action and subscription, for the job's Idempotency-Key and for reporting. */
  key: RequestKey
  url: string
  operation: string
  /** The same builder the single-event path uses, so a batched item is exactly what a single call would send. */
  build: (payload: Payload, dropped: DroppedProperty[]) => Body
  messageId: (payload: Payload) => string | undefined
  /** Segment's logger and metrics, told what the property rules left out of the batch's items. */
  observers?: Observers
}

interface BuiltItem<Body> {
  index: number
  body: Body
  identity: string
  /** What the property rules cut or left out of this item, for its entry in the multistatus answer. */
  warning?: string
  /** Later items of the batch with this item's message id: sent once, as single sends are, and answered alike. */
  repeats: number[]
}

interface JobResponse {
  job?: { id?: string; status?: string; created?: string }
}

/**
 * Builds every item, reports local failures at their own index, and sends the rest as import jobs. A failed job
 * marks each of its items with the mapped status, so Segment retries exactly the items that can succeed later.
 */
export async function sendBatch<Payload, Body extends object>(
  request: RequestClient,
  settings: Settings,
  payloads: Payload[],
  spec: BatchSpec<Payload, Body>
): Promise<MultiStatusResponse> {
  const results = new MultiStatusResponse()
  const items: BuiltItem<Body>[] = []
  // One log line for the whole batch (a line per item would flood the log of a large import); each item's own
  // warning goes in its multistatus entry, where Segment shows it beside that event.
  const dropped: DroppedProperty[] = []
  // A message Segment delivered twice into one batch: a single send would repeat its Idempotency-Key and FullStory
  // would keep one event, but a job's items carry no key of their own, so the repeat is not sent again.
  const byMessageId = new Map<string, BuiltItem<Body>>()
  payloads.forEach((payload, index) => {
    try {
      const messageId = spec.messageId(payload)
      const first = messageId === undefined ? undefined : byMessageId.get(messageId)
      const itemDropped: DroppedProperty[] = []
      const body = spec.build(payload, itemDropped)
      if (first !== undefined && JSON.stringify(first.body) === JSON.stringify(body)) {
        first.repeats.push(index)
        return
      }
      for (const entry of itemDropped) dropped.push(entry)
      const warning = droppedWarning(spec.key.action, itemDropped)
      const item: BuiltItem<Body> = { index, body, identity: messageId ?? JSON.stringify(body), warning, repeats: [] }
      if (messageId !== undefined && first === undefined) byMessageId.set(messageId, item)
      items.push(item)
    } catch (error) {
      results.setErrorResponseAtIndex(index, {
        status: 400,
        errortype: 'PAYLOAD_VALIDATION_FAILED',
        errormessage: (error as Error).message
      })
    }
  })

  reportDropped(spec.key.action, dropped, spec.observers)

  for (let start = 0; start < items.length; start += MAX_JOB_REQUESTS) {
    const job = items.slice(start, start + MAX_JOB_REQUESTS)
    await sendJob(request, settings, spec, job, results)
  }
  return results
}

async function sendJob<Payload, Body extends object>(
  request: RequestClient,
  settings: Settings,
  spec: BatchSpec<Payload, Body>,
  items: BuiltItem<Body>[],
  results: MultiStatusResponse
): Promise<void> {
  try {
    const response = await send<JobResponse>(
      request,
      spec.url,
      {
        method: 'POST',
        json: { requests: items.map((item) => item.body) },
        idempotencyKey: spec.key.forBatch(items.map((item) => item.identity))
      },
      { operation: spec.operation, apiKey: settings.apiKey }
    )
    const job = response.data?.job ?? {}
    for (const { item, index } of answered(items)) {
      results.setSuccessResponseAtIndex(index, {
        status: 200,
        sent: item.body as JSONLikeObject,
        body: {
          job_id: job.id ?? null,
          job_status: job.status ?? null,
          ...(item.warning === undefined ? {} : { warning: item.warning })
        } as JSONLikeObject
      })
    }
  } catch (error) {
    const { status, message, retryAfterSeconds } = error as {
      status?: number
      message: string
      retryAfterSeconds?: number
    }
    let errortype: 'INVALID_AUTHENTICATION' | 'RETRYABLE_ERROR' | undefined
    if (error instanceof InvalidAuthenticationError) errortype = 'INVALID_AUTHENTICATION'
    else if (error instanceof RetryableError) errortype = 'RETRYABLE_ERROR'
    for (const { item, index } of answered(items)) {
      results.setErrorResponseAtIndex(index, {
        status: status ?? 500,
        errortype,
        errormessage: message,
        sent: item.body as JSONLikeObject,
        ...(retryAfterSeconds === undefined ? {} : { body: { retry_after_seconds: retryAfterSeconds } })
      })
    }
  }
}

/** Each sent item at its own index and at the indexes of its repeats, which get the same answer. */
function answered<Body>(items: BuiltItem<Body>[]): { item: BuiltItem<Body>; index: number }[] {
  return items.flatMap((item) => [item.index, ...item.repeats].map((index) => ({ item, index })))
}

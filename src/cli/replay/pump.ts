import type { SegmentEvent } from '@segment/actions-core'
import type { Deliverer, Outcome } from '../../delivery/deliver'
import { Checkpoint, fromRanges, saveCheckpoint } from './checkpoint'
import type { DeadLetters } from './dead-letters'
import { lineDigest, parseLine } from './event'
import { Input, InputError } from './input'
import { Ledger } from './ledger'
import { ReplayHooks, ReplayIO, ReplayOptions, windowLines } from './options'
import { startProgress } from './progress'
import { count, LineResult } from './stats'
import { Ending, interruptedBy } from './summary'

export interface PumpContext {
  options: ReplayOptions
  io: ReplayIO
  hooks: ReplayHooks
  checkpointPath: string
  /** Loaded or fresh; updated in place and saved as lines complete. */
  checkpoint: Checkpoint
  deadLetters: DeadLetters
  deliverer: Deliverer
  /** Opened by the runner; pump reads it to the end (or until the run stops) and closes it. */
  input: Input
  say: (text: string) => void
}

export interface PumpResult {
  ending: Ending
  linesThisRun: number
  elapsedMs: number
}

/** An event on its way, with what its line needs to be marked done. */
interface Item {
  number: number
  start: number
  end: number
  event: SegmentEvent
  messageIdDerived: boolean
}

const STOPPED = Symbol('stopped')

/**
 * Reads the input and delivers it: at most `concurrency` requests (or jobs) in flight, reading at most a window of
 * lines past the oldest unfinished one, each line marked done only after its outcome (and any dead letter) is
 * written. The checkpoint is saved every second and at the end; everything a save reads changes synchronously,
 * so whenever it runs it sees a consistent state.
 */
export async function pump(context: PumpContext): Promise<PumpResult> {
  const { options, io, hooks, checkpoint, deadLetters, deliverer, input, say } = context
  const started = Date.now()
  const stats = checkpoint.stats
  const ledger = new Ledger(checkpoint.watermark.line, checkpoint.watermark.byte, fromRanges(checkpoint.doneAbove))
  // The furthest line an earlier run finished: an input that ends before it is not the same input.
  // Ranges are ascending (checked on load): the last one ends furthest. Spreading them into Math.max would
  // overflow the stack for a few hundred thousand ranges.
  const { doneAbove } = checkpoint
  const resumedTo = doneAbove.length > 0 ? doneAbove[doneAbove.length - 1][1] : checkpoint.watermark.line
  const window = windowLines(options)
  let linesThisRun = 0
  let firstLineSha256 = checkpoint.firstLineSha256

  const save = (complete = false) => {
    deadLetters.sync()
    Object.assign(checkpoint, {
      ...ledger.snapshot(),
      firstLineSha256,
      stats,
      deadLetters: { path: deadLetters.file, bytes: deadLetters.bytes },
      complete,
      updatedAt: new Date().toISOString()
    })
    saveCheckpoint(context.checkpointPath, checkpoint)
  }

  // Stopping: a signal from outside, or a fatal error inside (such as the key being refused).
  let stopReason: Ending | undefined
  const stopListeners = new Set<() => void>()
  const stop = (ending: Ending) => {
    if (stopReason) return
    stopReason = ending
    if (ending.kind === 'interrupted') say(`\n${ending.signal}: finishing the requests in flight, then saving...`)
    for (const listener of stopListeners) listener()
  }
  const fail = (error: unknown) =>
    stop({ kind: 'fatal', message: error instanceof Error ? error.message : String(error) })
  const onAbort = () => stop(interruptedBy(hooks.signal?.reason))
  if (hooks.signal?.aborted) onAbort()
  hooks.signal?.addEventListener('abort', onAbort)
  /**
   * `promise`, or STOPPED as soon as the run stops. Not `Promise.race` with one long-lived "stopped" promise: every
   * race would leave a reaction on it until the end of the run, which grows with the input (one per line).
   */
  const untilStopped = <T>(promise: Promise<T>) =>
    new Promise<T | typeof STOPPED>((resolve, reject) => {
      if (stopReason) return resolve(STOPPED)
      const onStop = () => resolve(STOPPED)
      stopListeners.add(onStop)
      promise.then(
        (value) => {
          stopListeners.delete(onStop)
          resolve(value)
        },
        (error: unknown) => {
          stopListeners.delete(onStop)
          reject(error instanceof Error ? error : new Error(String(error)))
        }
      )
    })

  const complete = (
    line: { number: number; start: number; end: number },
    result?: LineResult,
    retried = false,
    trimmed = false
  ) => {
    if (result) count(stats, result, retried, trimmed)
    if (result && result !== 'blank') linesThisRun++
    ledger.complete(line.number, line.end, line.end - line.start)
  }

  const settle = (item: Item, outcomes: Outcome[]) => {
    const refused = outcomes.find(isAuthFailure)
    if (refused) {
      // Every later event would fail the same way: stop, and leave this line for the resumed run.
      stop({ kind: 'fatal', message: `FullStory refused the API key: ${refused.error?.message ?? 'unauthorized'}` })
      return
    }
    const failed = outcomes.filter((o) => o.status === 'rejected' || o.status === 'retryable')
    for (const outcome of failed) {
      deadLetters.append({
        line: item.number,
        reason: failureReason(outcome),
        subscription: outcome.subscription,
        action: outcome.action,
        tries: outcome.tries,
        error: outcome.error ?? { type: 'Error', message: 'failed' },
        event: item.event,
        ...(item.messageIdDerived ? { messageIdDerived: true as const } : {})
      })
    }
    const result = failed.length > 0 ? 'failed' : outcomes.some((o) => o.status === 'sent') ? 'sent' : 'skipped'
    complete(
      item,
      result,
      outcomes.some((o) => o.tries > 1),
      outcomes.some((o) => o.warnings !== undefined)
    )
  }
  // Only a bug in a mapping or in the deliverer gets here: it is these events' failure, not the run's.
  const crashed = (items: Item[], error: unknown) => {
    const message = error instanceof Error ? error.message : String(error)
    const outcome: Outcome = {
      subscription: '*',
      action: '*',
      status: 'rejected',
      exchanges: [],
      tries: 1,
      error: { type: 'Error', message }
    }
    for (const item of items) settle(item, [outcome])
  }

  const inFlight = new Set<Promise<void>>()
  const dispatch = (items: Item[]) => {
    const run = options.batch
      ? deliverer.deliverBatch(
          items.map((i) => i.event),
          true
        )
      : deliverer.deliver(items[0].event).then((delivery) => [delivery])
    const task: Promise<void> = run
      .then(
        (deliveries) => deliveries.forEach((delivery, i) => settle(items[i], delivery.outcomes)),
        (error: unknown) => crashed(items, error)
      )
      .catch(fail) // e.g. the disk is full: the line stays undone and the run stops
      .finally(() => inFlight.delete(task))
    inFlight.add(task)
  }
  const waitFor = async (ready: () => boolean) => {
    while (!ready() && inFlight.size > 0 && !stopReason) await untilStopped(Promise.race(inFlight))
  }

  const progress = startProgress(
    {
      mode: !options.progress ? 'off' : io.stderr.isTTY ? 'bar' : 'lines',
      stream: io.stderr,
      totalBytes: input.totalBytes,
      intervalMs: hooks.progressIntervalMs
    },
    () => ({ linesThisRun, doneBytes: ledger.doneBytes, stats })
  )
  const saver = setInterval(() => {
    try {
      save()
    } catch (error) {
      fail(error)
    }
  }, hooks.checkpointIntervalMs ?? 1000)
  saver.unref()

  const notThisInput = (why: string) =>
    new InputError(`${input.name} is not the input ${context.checkpointPath} was written for (${why})`)
  let batch: Item[] = []
  let batchNumber = -1
  const flush = async () => {
    if (batch.length === 0) return
    await waitFor(() => inFlight.size < options.concurrency)
    if (!stopReason) dispatch(batch)
    batch = []
  }
  try {
    let lastLine = checkpoint.watermark.line
    for (;;) {
      const pending = input.lines.next()
      pending.catch(() => undefined) // a read cut short by stopping must not surface as unhandled
      const next = await untilStopped(pending)
      if (next === STOPPED) break
      if (next.done) {
        if (lastLine < resumedTo) throw notThisInput(`it ends at line ${lastLine}`)
        await flush()
        break
      }
      const line = next.value
      lastLine = line.number
      // The runner checked line 1 against the checkpoint's digest before starting; a fresh run records it here.
      if (line.number === 1) firstLineSha256 = lineDigest(line.bytes)
      // The input starts after the watermark (a file seeks, stdin was read up to it): a done line would count twice.
      if (line.number <= ledger.watermark) throw new Error(`line ${line.number} is already done: a bug in replay`)
      if (options.batch && Math.floor((line.number - 1) / options.batchSize) !== batchNumber) {
        // A job is always the same lines (a fixed range of line numbers), so a resumed run rebuilds exactly the
        // job a killed one may have sent, with the same items, body and Idempotency-Key.
        await flush()
        batchNumber = Math.floor((line.number - 1) / options.batchSize)
      }
      await waitFor(() => ledger.ahead(line.number) <= window)
      if (stopReason) break
      if (ledger.wasDoneBefore(line.number)) {
        complete(line) // counted by the run that did it
        continue
      }
      const parsed = parseLine(line)
      if (parsed.kind === 'blank') complete(line, 'blank')
      else if (parsed.kind === 'malformed') {
        deadLetters.append({
          line: line.number,
          reason: 'malformed',
          error: { message: parsed.message },
          raw: parsed.raw,
          ...(parsed.rawBase64 === undefined ? {} : { rawBase64: parsed.rawBase64 })
        })
        complete(line, parsed.rawBase64 === undefined ? 'malformed' : 'not-utf8')
      } else {
        const { event, messageIdDerived } = parsed
        const item: Item = { number: line.number, start: line.start, end: line.end, event, messageIdDerived }
        if (options.batch) batch.push(item)
        else {
          await waitFor(() => inFlight.size < options.concurrency)
          if (stopReason) break
          dispatch([item])
        }
      }
    }
  } catch (error) {
    fail(error)
  } finally {
    input.close()
  }
  await Promise.all(inFlight)
  clearInterval(saver)
  hooks.signal?.removeEventListener('abort', onAbort)
  const ending: Ending = stopReason ?? { kind: 'complete' }
  save(ending.kind === 'complete')
  deadLetters.close()
  progress.stop()
  return { ending, linesThisRun, elapsedMs: Date.now() - started }
}

function failureReason(outcome: Outcome): 'rejected' | 'retries-exhausted' | 'retry-after-too-long' {
  if (outcome.status !== 'retryable') return 'rejected'
  return outcome.error?.notRetried ? 'retry-after-too-long' : 'retries-exhausted'
}

function isAuthFailure(outcome: Outcome): boolean {
  const { type, status } = outcome.error ?? {}
  return (
    outcome.status === 'rejected' &&
    (type === 'InvalidAuthenticationError' || type === 'INVALID_AUTHENTICATION' || status === 401 || status === 403)
  )
}

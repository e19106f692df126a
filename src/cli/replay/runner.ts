import { createHash } from 'crypto'
import type { Subscription } from '@segment/actions-core'
import { createDeliverer } from '../../delivery/deliver'
import { DEFAULT_RETRY_POLICY } from '../../delivery/retry'
import { loadSubscriptions, presetSubscriptions } from '../../delivery/subscriptions'
import {
  Checkpoint,
  CheckpointIdentity,
  freshCheckpoint,
  identityMismatch,
  loadCheckpoint,
  saveCheckpoint
} from './checkpoint'
import { DeadLetters } from './dead-letters'
import { formatCount } from './format'
import { checkpointProblem } from './checkpoint-check'
import { checkFile, Input, openFile, openStdin } from './input'
import { ReplayHooks, ReplayIO, ReplayOptions, resolvePaths, STDIN } from './options'
import { pump } from './pump'
import { emptyStats } from './stats'
import { Ending, exitCode, formatSummary, interruptedBy } from './summary'
import { openTarget, Target, targetId } from './target'

export type { ReplayHooks, ReplayIO } from './options'

export interface ReplayResult {
  exitCode: number
  ending: Ending
  checkpoint: Checkpoint | undefined
  paths: { checkpoint: string; deadLetter: string }
}

class FatalError extends Error {}

/**
 * `fullstory-cloud replay`: checks the options, the target and the checkpoint, hands over to `pump`, and prints the
 * summary. Anything that goes wrong before the first line is read ends the run with exit code 1 and sends nothing.
 */
export async function runReplay(options: ReplayOptions, io: ReplayIO, hooks: ReplayHooks = {}): Promise<ReplayResult> {
  const paths = resolvePaths(options, io.cwd)
  const say = (text: string) => io.stderr.write(`${text}\n`)
  const finish = (ending: Ending, checkpoint: Checkpoint, linesThisRun = 0, elapsedMs = 0, resumedAfter = 0) => {
    io.stdout.write(
      formatSummary({
        ending,
        input: options.input === STDIN ? 'stdin' : options.input,
        stats: checkpoint.stats,
        linesThisRun,
        elapsedMs,
        resumedAfter,
        watermark: checkpoint.watermark.line,
        checkpoint: paths.checkpoint,
        deadLetter: paths.deadLetter
      })
    )
    return { exitCode: exitCode(ending, checkpoint.stats), ending, checkpoint, paths }
  }

  let target: Target | undefined
  let input: Input | undefined
  try {
    const subscriptions = options.mappings ? loadSubscriptions(options.mappings) : presetSubscriptions()
    const file = options.input === STDIN ? undefined : options.input
    const totalBytes = file === undefined ? undefined : checkFile(file)
    // Stdin cannot be read twice: opened here, so that a checkpoint can be checked against it before anything starts.
    const stdin = file === undefined ? openStdin(io.stdin) : undefined
    input = stdin
    const identity: CheckpointIdentity = {
      input: options.input,
      target: targetId(options.region),
      mode: options.batch ? 'batch' : 'per-event',
      ...(options.batch ? { batchSize: options.batchSize } : {}),
      mappingsSha256: mappingsDigest(subscriptions)
    }
    const existing = loadCheckpoint(paths.checkpoint)
    const resumed = options.restart ? undefined : existing
    if (resumed) {
      // Checking stdin reads it up to the watermark (to its end for a finished checkpoint), and a stdin that does not
      // end waits there: a signal stops the reading, and the run ends interrupted with the checkpoint as it was.
      const why = await stoppable(
        hooks.signal,
        () => stdin?.close(),
        async () =>
          identityMismatch(resumed, identity) ??
          (resumed.deadLetters.path !== paths.deadLetter
            ? `its dead letters are in ${resumed.deadLetters.path}; resume with --dead-letter ${resumed.deadLetters.path}`
            : undefined) ??
          (await checkpointProblem(resumed, stdin ?? options.input))
      )
      if (hooks.signal?.aborted) return finish(interruptedBy(hooks.signal.reason), resumed)
      if (why) {
        throw new FatalError(
          `Cannot resume from ${paths.checkpoint}: ${why}. Use --restart to start over in its place (emptying ` +
            `${paths.deadLetter}), or --checkpoint <file> to keep it and replay with another checkpoint.`
        )
      }
      // Nothing is left to send, so nothing is started: no sandbox, no connection to FullStory.
      if (resumed.complete) return finish({ kind: 'already-complete' }, resumed)
    }

    target = await openTarget(options.region)
    say(`Sending to: ${target.description}`)
    say(`  Subscriptions: ${subscriptions.map((s) => `${s.name ?? s.partnerAction} [${s.subscribe}]`).join(', ')}`)
    const mode = options.batch ? `batch import jobs of up to ${options.batchSize} lines` : 'one request per event'
    say(`  Mode: ${mode}, ${options.concurrency} in flight, up to ${options.maxAttempts} tries`)
    say(`  Checkpoint: ${paths.checkpoint}`)
    say(`  Dead letters: ${paths.deadLetter}`)
    if (resumed) {
      const done = formatCount(resumed.stats.lines + resumed.stats.blank)
      say(`  Resuming after line ${formatCount(resumed.watermark.line)} (${done} lines done by earlier runs)`)
      if (target.sandbox) say('  (the embedded sandbox starts empty: it does not hold what earlier runs sent)')
    } else if (existing) {
      say('  Restarting from line 1 (--restart): FullStory deduplicates what it received in the last 24 hours only.')
    }

    const checkpoint = resumed ?? freshCheckpoint(identity, paths.deadLetter)
    // A fresh checkpoint goes to disk before the dead-letter file is emptied: a kill in between resumes from it.
    if (!resumed) saveCheckpoint(paths.checkpoint, checkpoint)
    const opened = DeadLetters.open(paths.deadLetter, checkpoint.deadLetters.bytes)
    if (opened.missingBytes > 0) {
      say(`  Warning: ${paths.deadLetter} is ${opened.missingBytes} bytes shorter than the checkpoint recorded.`)
    }
    const deliverer = createDeliverer({
      settings: { apiKey: target.apiKey, region: options.region },
      subscriptions,
      retry: { ...DEFAULT_RETRY_POLICY, ...hooks.retry, attempts: options.maxAttempts }
    })
    const resumedAfter = checkpoint.watermark.line
    input = stdin ?? openFile(options.input, checkpoint.watermark, totalBytes)
    const run = await pump({
      options,
      io,
      hooks,
      checkpointPath: paths.checkpoint,
      checkpoint,
      deadLetters: opened.deadLetters,
      deliverer,
      input,
      say
    })
    return finish(run.ending, checkpoint, run.linesThisRun, run.elapsedMs, resumedAfter)
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error)
    say(`replay: ${message}`)
    const ending: Ending = { kind: 'fatal', message }
    return { exitCode: exitCode(ending, emptyStats()), ending, checkpoint: undefined, paths }
  } finally {
    input?.close()
    if (target?.sandbox) {
      // Import jobs run on the sandbox's next timer tick; let the last ones land before counting.
      await new Promise((resolve) => setTimeout(resolve, 20))
      const { users, events } = { users: target.sandbox.users().length, events: target.sandbox.events().length }
      say(`The embedded sandbox holds ${formatCount(users)} users and ${formatCount(events)} events.`)
    }
    await target?.close()
  }
}

/**
 * Runs `work`, unless the signal has already fired; a signal meanwhile calls `stop`, which makes `work` end soon
 * (perhaps by throwing), and wins: the caller sees `signal.aborted` and ignores what `work` made of it.
 */
async function stoppable<T>(
  signal: AbortSignal | undefined,
  stop: () => void,
  work: () => Promise<T>
): Promise<T | undefined> {
  if (signal?.aborted) return undefined
  signal?.addEventListener('abort', stop)
  try {
    return await work()
  } catch (error) {
    if (signal?.aborted) return undefined
    throw error
  } finally {
    signal?.removeEventListener('abort', stop)
  }
}

/** Other mappings would send other bodies under the same keys, so a checkpoint remembers which ones it ran. */
function mappingsDigest(subscriptions: Subscription[]): string {
  // eslint-disable-next-line no-restricted-syntax -- not PII hashing: fingerprints the mappings for the checkpoint
  return createHash('sha256').update(JSON.stringify(subscriptions)).digest('hex')
}

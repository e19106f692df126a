import type { RetryPolicy } from '../../delivery/retry'
import path from 'path'

export const STDIN = '-'

/** What `fullstory-cloud replay` was asked to do, after commander has parsed and checked it. */
export interface ReplayOptions {
  /** A path, or `-` for stdin. */
  input: string
  mappings?: string
  concurrency: number
  batch: boolean
  batchSize: number
  maxAttempts: number
  checkpoint?: string
  deadLetter?: string
  restart: boolean
  region: string
  progress: boolean
}

export const DEFAULTS = {
  concurrency: 8,
  batchSize: 1000,
  maxAttempts: 5,
  region: 'auto'
} as const

/** The most requests (or import jobs) a run may keep in flight. */
export const MAX_CONCURRENCY = 256

/** The most import-job items the destination allows per batch (its `batch_size` maximum). */
export const MAX_BATCH_SIZE = 10_000

/**
 * Where the checkpoint and dead letters go. By default both sit next to the input (`events.jsonl.checkpoint.json`,
 * `events.jsonl.dead-letter.jsonl`), or under `.replay/` for stdin; the dead letters follow a custom checkpoint.
 */
export function resolvePaths(options: Pick<ReplayOptions, 'input' | 'checkpoint' | 'deadLetter'>, cwd: string) {
  const base = options.input === STDIN ? path.join(cwd, '.replay', 'stdin') : path.resolve(cwd, options.input)
  const checkpoint = path.resolve(cwd, options.checkpoint ?? `${base}.checkpoint.json`)
  const stem = checkpoint.replace(/(\.checkpoint)?\.json$/, '')
  const deadLetter = path.resolve(cwd, options.deadLetter ?? `${stem}.dead-letter.jsonl`)
  return { checkpoint, deadLetter }
}

/** How far (in lines) reading may run ahead of the oldest unfinished line: bounds memory and the checkpoint. */
export function windowLines(options: Pick<ReplayOptions, 'concurrency' | 'batch' | 'batchSize'>): number {
  // Batch mode holds the jobs in flight plus the one being filled; per event, a generous multiple of the
  // requests in flight lets fast lines pass a slow one (in retry backoff) without stalling.
  return options.batch ? (options.concurrency + 2) * options.batchSize : Math.max(1024, options.concurrency * 128)
}

export interface ReplayIO {
  stdin: NodeJS.ReadableStream
  stdout: NodeJS.WritableStream
  stderr: NodeJS.WritableStream & { isTTY?: boolean }
  cwd: string
}

/** Seams for tests and for main.ts; none is a command-line option. */
export interface ReplayHooks {
  /** Aborting stops reading, lets requests in flight finish, saves the checkpoint (main.ts wires SIGINT/SIGTERM). */
  signal?: AbortSignal
  retry?: Partial<RetryPolicy>
  checkpointIntervalMs?: number
  progressIntervalMs?: number
}

import { closeSync, existsSync, fsyncSync, mkdirSync, openSync, readFileSync, renameSync, writeSync } from 'fs'
import path from 'path'
import { emptyStats, Stats } from './stats'

export const CHECKPOINT_VERSION = 1

/**
 * What a run has finished, saved so that a run killed at any moment can go on where it stopped.
 *
 * Lines complete out of order (requests run concurrently), so the checkpoint holds the contiguous watermark
 * ("every line up to `watermark.line` is done") plus the few done lines above it. On resume, lines above the
 * watermark that are not listed are sent again: safe because they carry the same Idempotency-Key and body, and
 * FullStory replays its stored answer instead of counting them twice.
 */
export interface Checkpoint {
  version: typeof CHECKPOINT_VERSION
  /** The input as given (a path, or `-` for stdin); informational. */
  input: string
  /** SHA-256 of line 1, once read: refuses to apply this checkpoint to another input. */
  firstLineSha256?: string
  /** `embedded-sandbox` or the FullStory base URL: lines done against one target were not sent to another. */
  target: string
  mode: 'per-event' | 'batch'
  /** Lines per import job (batch mode): job keys depend on which lines share a job. */
  batchSize?: number
  /** SHA-256 of the subscriptions: other mappings would send other bodies under the same keys. */
  mappingsSha256: string
  /** Every line up to `line` is done; `byte` is where line `line + 1` starts. */
  watermark: { line: number; byte: number }
  /** Done lines above the watermark, as inclusive ranges `[from, to]`. */
  doneAbove: [number, number][]
  /** Totals over every done line, this run and earlier ones. */
  stats: Stats
  /** Length of the dead-letter file when this was written: later bytes belong to lines not yet done. */
  deadLetters: { path: string; bytes: number }
  complete: boolean
  updatedAt: string
}

export type CheckpointIdentity = Pick<Checkpoint, 'input' | 'target' | 'mode' | 'batchSize' | 'mappingsSha256'>

export function freshCheckpoint(identity: CheckpointIdentity, deadLetterPath: string): Checkpoint {
  return {
    version: CHECKPOINT_VERSION,
    ...identity,
    watermark: { line: 0, byte: 0 },
    doneAbove: [],
    stats: emptyStats(),
    deadLetters: { path: deadLetterPath, bytes: 0 },
    complete: false,
    updatedAt: new Date().toISOString()
  }
}

export function loadCheckpoint(file: string): Checkpoint | undefined {
  if (!existsSync(file)) return undefined
  let value: unknown
  try {
    value = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`Cannot read checkpoint ${file}: ${(error as Error).message}. Use --restart to start over.`)
  }
  const checkpoint = value as Checkpoint
  const valid =
    checkpoint?.version === CHECKPOINT_VERSION &&
    Number.isInteger(checkpoint.watermark?.line) &&
    Number.isInteger(checkpoint.watermark?.byte) &&
    Array.isArray(checkpoint.doneAbove) &&
    typeof checkpoint.stats === 'object' &&
    typeof checkpoint.deadLetters?.bytes === 'number'
  if (!valid) throw new Error(`${file} is not a replay checkpoint of version ${CHECKPOINT_VERSION}. Use --restart.`)
  return { ...checkpoint, stats: { ...emptyStats(), ...checkpoint.stats } }
}

/**
 * Why this checkpoint cannot be resumed with these options, if it cannot. Each mismatch would break exactly-once
 * delivery: another target never got the done lines, and another mode or mapping sends other requests.
 */
export function identityMismatch(checkpoint: Checkpoint, identity: CheckpointIdentity): string | undefined {
  if (checkpoint.target !== identity.target) {
    return `it was written for ${checkpoint.target}, and this run sends to ${identity.target}`
  }
  if (checkpoint.mode !== identity.mode || (identity.mode === 'batch' && checkpoint.batchSize !== identity.batchSize)) {
    const was = checkpoint.mode === 'batch' ? `--batch --batch-size ${checkpoint.batchSize}` : 'per-event mode'
    return `it was written in ${was}; resume with the same options`
  }
  if (checkpoint.mappingsSha256 !== identity.mappingsSha256) {
    return 'it was written with other mappings; resume with the same --mappings file'
  }
  return undefined
}

/**
 * Replaces the checkpoint atomically and durably: write a temporary file, fsync it, rename it over the old one,
 * fsync the directory. A kill at any point leaves either the old checkpoint or the new one, never a torn file.
 */
export function saveCheckpoint(file: string, checkpoint: Checkpoint): void {
  const dir = path.dirname(file)
  mkdirSync(dir, { recursive: true })
  const temp = `${file}.${process.pid}.tmp`
  const fd = openSync(temp, 'w')
  try {
    writeSync(fd, `${JSON.stringify(checkpoint, null, 2)}\n`)
    fsyncSync(fd)
  } finally {
    closeSync(fd)
  }
  renameSync(temp, file)
  fsyncDirectory(dir)
}

function fsyncDirectory(dir: string): void {
  let fd: number | undefined
  try {
    fd = openSync(dir, 'r')
    fsyncSync(fd)
  } catch {
    // Some platforms (Windows) cannot open or fsync a directory; the rename itself is still atomic there.
  } finally {
    if (fd !== undefined) closeSync(fd)
  }
}

/** Sorted line numbers as inclusive ranges, so a checkpoint stays small. */
export function toRanges(lines: number[]): [number, number][] {
  const sorted = [...lines].sort((a, b) => a - b)
  const ranges: [number, number][] = []
  for (const line of sorted) {
    const last = ranges[ranges.length - 1]
    if (last && line === last[1] + 1) last[1] = line
    else ranges.push([line, line])
  }
  return ranges
}

export function fromRanges(ranges: [number, number][]): number[] {
  return ranges.flatMap(([from, to]) => Array.from({ length: to - from + 1 }, (_, i) => from + i))
}

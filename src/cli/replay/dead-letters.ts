import { closeSync, fstatSync, fsyncSync, ftruncateSync, mkdirSync, openSync, writeSync } from 'fs'
import path from 'path'
import type { OutcomeError } from '../../delivery/deliver'

/** One JSONL record: a line that failed, with why. A line failing several subscriptions has one record each. */
export type DeadLetter =
  | { line: number; reason: 'malformed'; error: { message: string }; raw: string; rawBase64?: string }
  | {
      line: number
      reason: 'rejected' | 'retries-exhausted' | 'retry-after-too-long'
      subscription: string
      action: string
      tries: number
      error: OutcomeError
      /** The event as replayed; `messageIdDerived` says its messageId was made by replay (see event.ts). */
      event: unknown
      messageIdDerived?: true
    }

/**
 * The dead-letter file. Records are written with a synchronous write before their line is marked done, so a
 * checkpoint taken at any instant covers exactly the first `bytes` of the file: on resume, anything after what
 * the checkpoint recorded (records of lines that will be retried, or half a record cut by a kill) is truncated
 * away, and no dead letter is ever written twice.
 */
export class DeadLetters {
  private fd: number
  bytes: number
  records = 0

  private constructor(
    readonly file: string,
    fd: number,
    bytes: number
  ) {
    this.fd = fd
    this.bytes = bytes
  }

  /** Opens the file, cut to `keepBytes` (0 for a fresh run). Says so when it is shorter than the checkpoint expects. */
  static open(file: string, keepBytes: number): { deadLetters: DeadLetters; missingBytes: number } {
    mkdirSync(path.dirname(file), { recursive: true })
    const fd = openSync(file, 'a+')
    const size = fstatSync(fd).size
    const bytes = Math.min(size, keepBytes)
    if (size > bytes) ftruncateSync(fd, bytes)
    return { deadLetters: new DeadLetters(file, fd, bytes), missingBytes: keepBytes - bytes }
  }

  append(record: DeadLetter): void {
    const data = Buffer.from(`${serialize(record)}\n`, 'utf8')
    // 'a+' mode appends at the end whatever the position; loop in case the OS takes a record in pieces.
    for (let written = 0; written < data.length;) written += writeSync(this.fd, data, written)
    this.bytes += data.length
    this.records++
  }

  /** Before a checkpoint records `bytes`, those bytes must be on disk (SIGKILL alone would not need it; power loss would). */
  sync(): void {
    fsyncSync(this.fd)
  }

  close(): void {
    closeSync(this.fd)
  }
}

/**
 * One JSONL record. Events are checked for depth before they get here, but a record that still cannot be written
 * whole (JSON.stringify recurses) keeps its line number and reason without the event, rather than stopping the run:
 * a dead letter that cannot be written would stop every resumed run at the same line.
 */
function serialize(record: DeadLetter): string {
  try {
    return JSON.stringify(record)
  } catch (error) {
    const unwritable = { message: `the event could not be written: ${(error as Error).message}` }
    return JSON.stringify({ ...record, ...('event' in record ? { event: unwritable } : { raw: unwritable.message }) })
  }
}

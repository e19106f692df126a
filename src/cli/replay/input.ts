import { closeSync, createReadStream, openSync, readSync, statSync } from 'fs'
import { lineDigest } from './event'
import { Line, readLines } from './lines'

export interface Input {
  /** For messages: the path as given, or "stdin". */
  name: string
  /** Size of a file input, for percentage and ETA. */
  totalBytes?: number
  /**
   * Lines from `watermark + 1` on: a file seeks there; stdin, which cannot seek, is read up to it by `readPrefix`
   * (a fresh run reads it from line 1).
   */
  lines: AsyncGenerator<Line>
  /** Stops reading: ends a pending read (stdin may wait forever) so the run can stop. */
  close(): void
}

export class InputError extends Error {}

/** Checks a file input before anything is sent: it exists and is a file. Returns its size. */
export function checkFile(file: string): number {
  let stat
  try {
    stat = statSync(file)
  } catch (error) {
    throw new InputError(`Cannot read ${file}: ${(error as Error).message}`)
  }
  if (!stat.isFile()) throw new InputError(`${file} is not a file`)
  return stat.size
}

export async function firstLineDigest(file: string): Promise<string | undefined> {
  const stream = createReadStream(file)
  try {
    for await (const line of readLines(stream)) return lineDigest(line.bytes)
    return undefined
  } finally {
    stream.destroy()
  }
}

/** What stdin holds up to a checkpoint's watermark, to check it against the checkpoint before anything starts. */
export interface StdinPrefix {
  /** SHA-256 of line 1; undefined when stdin is empty. */
  firstLineSha256?: string
  /** Lines read up to the watermark's line: fewer when stdin ends before it. */
  lines: number
  /** Where the watermark's line ends (0 for line 0); undefined when stdin ends before it. */
  watermarkByte?: number
  /** Whether stdin has a line after the watermark's. */
  more: boolean
}

export interface StdinInput extends Input {
  /**
   * Reads stdin through line `watermark`, passing those lines over (they are done), and one line further to tell
   * whether it goes on; that line is kept and comes first in `lines`. Stdin cannot be read twice, so this is the
   * only look a checkpoint gets at it. Call it at most once, before reading `lines`.
   */
  readPrefix(watermark: number): Promise<StdinPrefix>
}

export function openStdin(stdin: NodeJS.ReadableStream): StdinInput {
  const source = readLines(stdin as AsyncIterable<Buffer>)
  let held: Line | undefined
  async function* lines(): AsyncGenerator<Line> {
    if (held) {
      const line = held
      held = undefined
      yield line
    }
    yield* source
  }
  return {
    name: 'stdin',
    lines: lines(),
    close: () => destroy(stdin),
    async readPrefix(watermark) {
      const prefix: StdinPrefix = { lines: 0, watermarkByte: watermark === 0 ? 0 : undefined, more: false }
      for (let next = await source.next(); !next.done; next = await source.next()) {
        const line = next.value
        if (line.number === 1) prefix.firstLineSha256 = lineDigest(line.bytes)
        if (line.number > watermark) {
          held = line
          return { ...prefix, more: true }
        }
        prefix.lines = line.number
        if (line.number === watermark) prefix.watermarkByte = line.end
      }
      return prefix
    }
  }
}

export function openFile(file: string, resume: { line: number; byte: number }, totalBytes?: number): Input {
  const stream = createReadStream(file, { start: resume.byte, highWaterMark: 64 * 1024 })
  return {
    name: file,
    totalBytes,
    lines: readLines(stream, { firstLine: resume.line + 1, startByte: resume.byte }),
    close: () => stream.destroy()
  }
}

function destroy(stream: NodeJS.ReadableStream): void {
  const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void }
  if (typeof destroyable.destroy === 'function') destroyable.destroy()
}

export function byteAt(file: string, position: number): number {
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(1)
    readSync(fd, buffer, 0, 1, position)
    return buffer[0]
  } finally {
    closeSync(fd)
  }
}

import { closeSync, createReadStream, openSync, readSync, statSync } from 'fs'
import { lineDigest } from './event'
import { Line, readLines } from './lines'
import { STDIN } from './options'

export interface Input {
  /** For messages: the path as given, or "stdin". */
  name: string
  /** Size of a file input, for percentage and ETA. */
  totalBytes?: number
  /** Lines from `watermark + 1` on for a file (it seeks); from line 1 for stdin, which cannot seek. */
  lines: AsyncGenerator<Line>
  /** Stops reading: ends a pending read (stdin may wait forever) so the run can stop. */
  close(): void
}

export class InputError extends Error {}

/** Checks a file input before anything is sent: it exists, is a file, and still matches the checkpoint. */
export function checkFile(file: string, resume?: { byte: number; firstLineSha256?: string }): number {
  let size: number
  try {
    const stat = statSync(file)
    if (!stat.isFile()) throw new InputError(`${file} is not a file`)
    size = stat.size
  } catch (error) {
    if (error instanceof InputError) throw error
    throw new InputError(`Cannot read ${file}: ${(error as Error).message}`)
  }
  if (resume && resume.byte > 0) {
    // The watermark must fall on a line boundary of this file, and line 1 must be the one the checkpoint saw.
    const boundary = resume.byte === size || (resume.byte < size && byteAt(file, resume.byte - 1) === 0x0a)
    if (!boundary) throw new InputError(`${file} is not the input the checkpoint was written for (it changed)`)
  }
  return size
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

export function openInput(
  input: string,
  stdin: NodeJS.ReadableStream,
  resume: { line: number; byte: number },
  totalBytes?: number
): Input {
  if (input === STDIN) {
    return { name: 'stdin', lines: readLines(stdin as AsyncIterable<Buffer>), close: () => destroy(stdin) }
  }
  const stream = createReadStream(input, { start: resume.byte, highWaterMark: 64 * 1024 })
  return {
    name: input,
    totalBytes,
    lines: readLines(stream, { firstLine: resume.line + 1, startByte: resume.byte }),
    close: () => stream.destroy()
  }
}

function destroy(stream: NodeJS.ReadableStream): void {
  const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void }
  if (typeof destroyable.destroy === 'function') destroyable.destroy()
}

function byteAt(file: string, position: number): number {
  const fd = openSync(file, 'r')
  try {
    const buffer = Buffer.alloc(1)
    readSync(fd, buffer, 0, 1, position)
    return buffer[0]
  } finally {
    closeSync(fd)
  }
}

import { closeSync, createReadStream, openSync, readSync, statSync } from 'fs'
import { lineDigest } from './event'
import { Line, readLines } from './lines'

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

export function openStdin(stdin: NodeJS.ReadableStream): Input {
  return { name: 'stdin', lines: readLines(stdin as AsyncIterable<Buffer>), close: () => destroy(stdin) }
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

/** One line of the input, with where it sits in the byte stream (so a resumed run can seek past done lines). */
export interface Line {
  /** 1-based. */
  number: number
  /** The line without its `\n` / `\r\n` (and without a UTF-8 BOM on the first line). */
  bytes: Buffer
  /** Byte offset where the line starts in the whole input. */
  start: number
  /** Offset just past the line's newline (or the end of input): where the next line starts. */
  end: number
  /** The line was longer than `maxBytes`: `bytes` holds only its first `PREVIEW_BYTES`. */
  tooLong?: boolean
}

export interface ReadLinesOptions {
  /** Number of the first line the stream holds: a resumed file read starts mid-file. Default 1. */
  firstLine?: number
  /** Byte offset of the stream's first byte in the whole input. Default 0. */
  startByte?: number
  /** Longer lines are reported `tooLong` instead of being held in memory whole. */
  maxBytes?: number
}

/** Segment's tracking API takes at most 32 KB per event; 4 MiB leaves room for enriched exports. */
export const MAX_LINE_BYTES = 4 * 1024 * 1024
export const PREVIEW_BYTES = 1024
const NEWLINE = 0x0a
const BOM = Buffer.from([0xef, 0xbb, 0xbf])

/**
 * Splits a byte stream into lines as it is consumed. Nothing is read ahead of the consumer: `for await` pulls
 * one chunk at a time, so a slow consumer pauses the stream (backpressure) and memory stays at about one chunk
 * plus one line, however large the input. Splitting on the byte 0x0A is safe in UTF-8 (it never occurs inside
 * a multi-byte character), and the offsets are exact bytes, which is what a checkpoint seeks to.
 */
export async function* readLines(
  stream: AsyncIterable<Buffer | string>,
  options: ReadLinesOptions = {}
): AsyncGenerator<Line> {
  const maxBytes = options.maxBytes ?? MAX_LINE_BYTES
  let number = options.firstLine ?? 1
  let offset = options.startByte ?? 0
  let start = offset
  let parts: Buffer[] = []
  let held = 0
  let tooLong = false

  const finish = (end: number): Line => {
    let bytes = parts.length === 1 ? parts[0] : Buffer.concat(parts, held)
    if (!tooLong && bytes.length > 0 && bytes[bytes.length - 1] === 0x0d) bytes = bytes.subarray(0, -1)
    if (number === 1 && bytes.subarray(0, 3).equals(BOM)) bytes = bytes.subarray(3)
    const line: Line = { number, bytes, start, end, ...(tooLong ? { tooLong } : {}) }
    number++
    start = end
    parts = []
    held = 0
    tooLong = false
    return line
  }
  const hold = (piece: Buffer) => {
    if (tooLong) return
    if (held + piece.length > maxBytes) {
      // Keep a preview for the dead letter and drop the rest of the line as it streams by.
      const kept = Buffer.concat([...parts, piece]).subarray(0, PREVIEW_BYTES)
      parts = [Buffer.from(kept)]
      held = kept.length
      tooLong = true
      return
    }
    parts.push(piece)
    held += piece.length
  }

  for await (const chunk of stream) {
    const buffer = typeof chunk === 'string' ? Buffer.from(chunk, 'utf8') : chunk
    let from = 0
    for (;;) {
      const newline = buffer.indexOf(NEWLINE, from)
      if (newline === -1) break
      hold(buffer.subarray(from, newline))
      offset += newline + 1 - from
      yield finish(offset)
      from = newline + 1
    }
    if (from < buffer.length) {
      // Copy: the stream may reuse its chunk buffer once we ask for the next one.
      hold(Buffer.from(buffer.subarray(from)))
      offset += buffer.length - from
    }
  }
  if (held > 0 || tooLong) yield finish(offset)
}

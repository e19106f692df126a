import { createReadStream, statSync } from 'fs'
import type { Checkpoint } from './checkpoint'
import { byteAt, firstLineDigest, StdinInput, StdinPrefix } from './input'
import { MAX_CONCURRENCY, windowLines } from './options'
import type { Stats } from './stats'

const NEWLINE = 0x0a

/**
 * Why a checkpoint that parsed cannot be trusted to resume this input (a file's path, or stdin), or undefined. A run
 * only ever writes consistent checkpoints; one that is not was edited, or belongs to another input, and resuming
 * from it would send lines twice (a watermark whose byte is not where its line ends shifts every line number, hence
 * every derived messageId), stall on lines that do not exist, or call another input done without sending it.
 * Everything is checked before anything is sent; stdin is read up to the watermark for it (see `readPrefix`).
 */
export async function checkpointProblem(
  checkpoint: Checkpoint,
  input: string | StdinInput
): Promise<string | undefined> {
  const problem = shapeProblem(checkpoint)
  if (problem) return problem
  if (typeof input === 'string') return inputProblem(checkpoint, input)
  return stdinProblem(checkpoint, await input.readPrefix(checkpoint.watermark.line))
}

/** What the checkpoint says about itself, whatever the input. */
function shapeProblem(checkpoint: Checkpoint): string | undefined {
  const { watermark, doneAbove, stats } = checkpoint
  if (!isCount(watermark.line) || !isCount(watermark.byte) || watermark.byte < watermark.line) {
    return `its watermark (line ${watermark.line} ending at byte ${watermark.byte}) is impossible`
  }
  const counts = Object.keys(stats) as (keyof Stats)[]
  const bad = counts.find((key) => !isCount(stats[key]))
  if (bad) return `its count "${bad}" is not a whole number`
  const partsFit = stats.malformed <= stats.failed && stats.notUtf8 <= stats.malformed
  if (stats.sent + stats.skipped + stats.failed !== stats.lines || !partsFit) {
    return 'its counts do not add up (sent + skipped + failed must equal lines)'
  }
  if (!isCount(checkpoint.deadLetters?.bytes)) return 'its dead-letter length is not a whole number'
  if (checkpoint.complete && doneAbove.length > 0) return 'it is marked complete with lines left undone'

  // A run reads at most one window of lines past its watermark, with the most concurrency any run may use.
  const window = windowLines({
    concurrency: MAX_CONCURRENCY,
    batch: checkpoint.mode === 'batch',
    ...batchSizeOf(checkpoint)
  })
  if (doneAbove.length > window) return `it lists ${doneAbove.length} done ranges; a run leaves at most ${window}`
  let previous = watermark.line
  let done = 0
  for (const range of doneAbove) {
    const [from, to] = Array.isArray(range) ? range : []
    if (!isCount(from) || !isCount(to) || from <= previous || to < from) {
      return `its done ranges are not ascending ranges of line numbers above line ${watermark.line}`
    }
    if (to - watermark.line > window) {
      return `it records line ${to} as done, ${to - watermark.line} lines past its watermark (line ${watermark.line}); a run reads at most ${window} ahead`
    }
    done += to - from + 1
    previous = to
  }
  if (stats.lines + stats.blank !== watermark.line + done) {
    return `it counts ${stats.lines + stats.blank} lines done but its watermark and ranges cover ${watermark.line + done}`
  }
  return undefined
}

/** Whether the file is the one the checkpoint was written for, as far as the checkpoint can tell. */
async function inputProblem(checkpoint: Checkpoint, file: string): Promise<string | undefined> {
  const { watermark, doneAbove } = checkpoint
  const size = statSync(file).size
  const notThis = (why: string) => `${file} is not the input it was written for (${why})`
  if (watermark.byte > size) return notThis(`it is ${size} bytes, and the checkpoint is at byte ${watermark.byte}`)
  if (fingerprinted(checkpoint) && (await firstLineDigest(file)) !== checkpoint.firstLineSha256) {
    return notThis('line 1 differs')
  }
  if (watermark.byte > 0 && watermark.byte < size && byteAt(file, watermark.byte - 1) !== NEWLINE) {
    return notThis(
      `byte ${watermark.byte}, where its watermark says line ${watermark.line + 1} starts, is inside a line`
    )
  }
  // The reader counts a last line without its newline; so does this.
  const unterminated = size > 0 && byteAt(file, size - 1) !== NEWLINE
  const before = (await countNewlines(file, 0, watermark.byte)) + (watermark.byte === size && unterminated ? 1 : 0)
  if (before !== watermark.line) {
    return `its watermark says line ${watermark.line} ends at byte ${watermark.byte}, but ${file} has ${before} lines before that byte`
  }
  const last = doneAbove.length > 0 ? doneAbove[doneAbove.length - 1][1] : watermark.line
  if (checkpoint.complete || last > watermark.line) {
    const wanted = Math.max(1, last - watermark.line)
    const newlines = await countNewlines(file, watermark.byte, size, wanted)
    const after = newlines + (newlines < wanted && watermark.byte < size && unterminated ? 1 : 0)
    if (checkpoint.complete && after > 0) {
      return `it was completed at line ${watermark.line}, and ${file} has grown since (it has lines after it)`
    }
    if (watermark.line + after < last) {
      return `it records line ${last} as done, but ${file} has only ${watermark.line + after} lines`
    }
  }
  return undefined
}

/**
 * The same checks for stdin, from what it holds up to the watermark and whether it goes on. What a file's size
 * tells is told here by where stdin ends: a finished checkpoint only matches a stdin that ends at its watermark.
 */
function stdinProblem(checkpoint: Checkpoint, prefix: StdinPrefix): string | undefined {
  const { watermark, doneAbove } = checkpoint
  const notThis = (why: string) => `stdin is not the input it was written for (${why})`
  if (fingerprinted(checkpoint) && prefix.firstLineSha256 !== checkpoint.firstLineSha256) {
    return notThis(prefix.firstLineSha256 === undefined ? 'it is empty' : 'line 1 differs')
  }
  if (prefix.lines < watermark.line) {
    return notThis(`it has ${prefix.lines} lines, and the checkpoint is at line ${watermark.line}`)
  }
  if (prefix.watermarkByte !== watermark.byte) {
    return `its watermark says line ${watermark.line} ends at byte ${watermark.byte}, but in stdin it ends at byte ${prefix.watermarkByte}`
  }
  if (checkpoint.complete && prefix.more) {
    return `it was completed at line ${watermark.line}, and stdin has grown since (it has lines after it)`
  }
  const last = doneAbove.length > 0 ? doneAbove[doneAbove.length - 1][1] : watermark.line
  if (!prefix.more && last > watermark.line) {
    return `it records line ${last} as done, but stdin has only ${watermark.line} lines`
  }
  return undefined
}

/** A run records line 1's digest once it reads it: any checkpoint past line 0 has one, and one killed at line 1 may. */
const fingerprinted = (checkpoint: Checkpoint) =>
  checkpoint.watermark.line > 0 || checkpoint.firstLineSha256 !== undefined

/** Newline bytes in [start, end) of a file, counting no further than `enough`. */
async function countNewlines(file: string, start: number, end: number, enough = Infinity): Promise<number> {
  if (end <= start) return 0
  let count = 0
  const stream = createReadStream(file, { start, end: end - 1, highWaterMark: 1 << 20 })
  try {
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      for (let at = chunk.indexOf(NEWLINE); at !== -1; at = chunk.indexOf(NEWLINE, at + 1)) {
        if (++count >= enough) return count
      }
    }
  } finally {
    stream.destroy()
  }
  return count
}

const isCount = (value: unknown): value is number => Number.isSafeInteger(value) && (value as number) >= 0

function batchSizeOf(checkpoint: Checkpoint): { batchSize: number } {
  return { batchSize: isCount(checkpoint.batchSize) && checkpoint.batchSize > 0 ? checkpoint.batchSize : 1 }
}

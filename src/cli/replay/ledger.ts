import { toRanges } from './checkpoint'

/**
 * Which lines are done, when they complete in any order. Every line read is either in flight or done, so the
 * watermark (all lines up to it done) moves up as soon as the oldest in-flight line completes. Memory is bounded
 * by how far the reader may run ahead of the watermark (the runner's window), not by the input's size.
 */
export class Ledger {
  /** Done lines above the watermark, with the byte offset where the next line starts. */
  private readonly doneAbove = new Map<number, number>()
  /** Lines an earlier run finished above its watermark: not sent again, but still needed to move the watermark. */
  private readonly doneBefore: Set<number>
  /** Bytes of input behind done lines, for progress and ETA. */
  doneBytes: number

  constructor(
    public watermark = 0,
    public watermarkByte = 0,
    doneBefore: number[] = []
  ) {
    this.doneBefore = new Set(doneBefore)
    this.doneBytes = watermarkByte
  }

  /** True when an earlier run already finished this line (its results are counted in the checkpoint). */
  wasDoneBefore(line: number): boolean {
    return this.doneBefore.has(line)
  }

  complete(line: number, end: number, length: number): void {
    if (line <= this.watermark || this.doneAbove.has(line)) return
    this.doneBefore.delete(line)
    this.doneAbove.set(line, end)
    this.doneBytes += length
    for (let next = this.doneAbove.get(this.watermark + 1); next !== undefined;) {
      this.doneAbove.delete(this.watermark + 1)
      this.watermark++
      this.watermarkByte = next
      next = this.doneAbove.get(this.watermark + 1)
    }
  }

  /** How far `line` is above the watermark: the runner keeps this within its window. */
  ahead(line: number): number {
    return line - this.watermark
  }

  /** The checkpoint's view: the watermark plus every line known done above it (this run's and earlier ones'). */
  snapshot(): { watermark: { line: number; byte: number }; doneAbove: [number, number][] } {
    return {
      watermark: { line: this.watermark, byte: this.watermarkByte },
      doneAbove: toRanges([...this.doneAbove.keys(), ...this.doneBefore])
    }
  }
}

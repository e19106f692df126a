import { Presets, SingleBar } from 'cli-progress'

/** One row of the run's plan: what it measures and how long it takes on an idle 2-core machine. */
export interface RowPlan {
  label: string
  estimateSeconds: number
}

export interface RowProgress {
  /** `fraction` of the row done (0 to 1), with a short note such as "round 4/15". */
  update(fraction: number, detail?: string): void
  /** The row is done; `summary` is printed beside its time. */
  end(summary?: string): void
}

const LINE_INTERVAL_MS = 10_000

/**
 * Progress on stderr (stdout stays the report): a bar per row on a terminal, plain lines otherwise. Each row shows
 * its own ETA and the run's: what is left of the plan, scaled by how much faster or slower than planned the
 * finished rows were on this machine.
 */
export class RunProgress {
  private next = 0
  private plannedDone = 0
  private actualDone = 0
  private bar: SingleBar | undefined
  private stopped = false
  private readonly started = Date.now()

  constructor(
    private readonly plan: RowPlan[],
    private readonly stream: NodeJS.WriteStream = process.stderr
  ) {}

  /** "about 3 min": the plan's total on an idle machine. */
  static describe(plan: RowPlan[]): string {
    return formatSeconds(plan.reduce((sum, row) => sum + row.estimateSeconds, 0))
  }

  /** Starts the next row of the plan. */
  begin(): RowProgress {
    if (this.stopped) return { update: () => undefined, end: () => undefined }
    const index = this.next++
    const row = this.plan[index]
    if (!row) throw new Error(`the benchmark plan has ${this.plan.length} rows; row ${index + 1} was started`)
    const tag = `[${index + 1}/${this.plan.length}]`
    const rowStarted = Date.now()
    // How this machine compares with the plan, once enough of it has run to say.
    const speed = () => (this.plannedDone >= 10 ? clamp(this.actualDone / this.plannedDone, 0.5, 5) : 1)
    const laterRows = () => this.plan.slice(index + 1).reduce((sum, later) => sum + later.estimateSeconds, 0)
    const rowLeft = (fraction: number) => {
      const elapsed = (Date.now() - rowStarted) / 1000
      return fraction > 0.05
        ? (elapsed / fraction) * (1 - fraction)
        : Math.max(0, row.estimateSeconds * speed() - elapsed)
    }
    const tokens = (fraction: number, detail: string) => {
      const left = rowLeft(fraction)
      return {
        tag,
        label: row.label,
        detail,
        rowEta: formatSeconds(left),
        runEta: formatSeconds(left + laterRows() * speed())
      }
    }

    let lastLine = 0
    if (this.stream.isTTY) {
      this.bar = new SingleBar(
        {
          stream: this.stream,
          format: '{tag} {label} {bar} {percentage}% {detail} | row ETA {rowEta} | run ETA {runEta}',
          barsize: 12,
          hideCursor: true,
          clearOnComplete: true,
          fps: 4
        },
        Presets.shades_classic
      )
      this.bar.start(100, 0, tokens(0, ''))
    } else {
      this.stream.write(`${tag} ${row.label} (planned ${formatSeconds(row.estimateSeconds)}) ...\n`)
      lastLine = Date.now()
    }

    return {
      update: (fraction, detail = '') => {
        if (this.stopped) return
        const clamped = clamp(fraction, 0, 1)
        if (this.bar) this.bar.update(Math.floor(clamped * 100), tokens(clamped, detail))
        else if (Date.now() - lastLine >= LINE_INTERVAL_MS) {
          lastLine = Date.now()
          const { rowEta, runEta } = tokens(clamped, detail)
          this.stream.write(
            `${tag} ${row.label}: ${Math.floor(clamped * 100)} %${detail ? ` ${detail}` : ''}, row ETA ${rowEta}, run ETA ${runEta}\n`
          )
        }
      },
      end: (summary) => {
        if (this.stopped) return
        this.bar?.stop()
        this.bar = undefined
        const seconds = (Date.now() - rowStarted) / 1000
        this.plannedDone += row.estimateSeconds
        this.actualDone += seconds
        const left = laterRows() * speed()
        this.stream.write(
          `${tag} ${row.label}: done in ${formatSeconds(seconds)}${summary ? ` (${summary})` : ''}` +
            `${left > 0 ? `; about ${formatSeconds(left)} left` : `; run took ${formatSeconds((Date.now() - this.started) / 1000)}`}\n`
        )
      }
    }
  }

  /** Stops drawing (an interruption), leaving the terminal line clean. */
  stop(): void {
    this.stopped = true
    this.bar?.stop()
    this.bar = undefined
  }
}

function clamp(value: number, min: number, max: number): number {
  return Math.min(max, Math.max(min, value))
}

export function formatSeconds(seconds: number): string {
  const total = Math.round(seconds)
  if (total < 60) return `${total} s`
  const minutes = Math.floor(total / 60)
  const rest = total - minutes * 60
  return rest === 0 ? `${minutes} min` : `${minutes} min ${rest} s`
}

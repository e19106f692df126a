export function median(values: number[]): number {
  return quantile(values, 0.5)
}

/** The q-quantile with linear interpolation between order statistics (q = 0.25 is the first quartile). */
export function quantile(values: number[], q: number): number {
  if (values.length === 0) return NaN
  const sorted = [...values].sort((a, b) => a - b)
  const position = (sorted.length - 1) * q
  const below = Math.floor(position)
  const above = Math.min(sorted.length - 1, below + 1)
  return sorted[below] + (sorted[above] - sorted[below]) * (position - below)
}

/** Median and interquartile range of a set of ratios or times. */
export interface Spread {
  median: number
  q1: number
  q3: number
  n: number
}

export function spread(values: number[]): Spread {
  return { median: median(values), q1: quantile(values, 0.25), q3: quantile(values, 0.75), n: values.length }
}

/** "1.362 (1.331–1.398)": the median and, in brackets, the interquartile range. */
export function formatSpread(value: Spread, digits = 3): string {
  return `${formatNumber(value.median, digits)} (${formatNumber(value.q1, digits)}–${formatNumber(value.q3, digits)})`
}

/** Milliseconds since `start` (from `process.hrtime.bigint()`). */
export function elapsedMs(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e6
}

export function formatNumber(value: number, digits = 0): string {
  return value.toLocaleString('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits })
}

export function formatBytes(bytes: number): string {
  return `${formatNumber(bytes / 1024 / 1024, 1)} MiB`
}

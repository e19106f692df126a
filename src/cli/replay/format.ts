export const formatCount = (n: number): string => Math.round(n).toLocaleString('en-US')

/** `0:07`, `12:30`, `1:02:03`; `--:--` when unknown. */
export function formatDuration(ms: number | undefined): string {
  if (ms === undefined || !Number.isFinite(ms) || ms < 0) return '--:--'
  const total = Math.round(ms / 1000)
  const [h, m, s] = [Math.floor(total / 3600), Math.floor((total % 3600) / 60), total % 60]
  const pad = (n: number) => String(n).padStart(2, '0')
  return h > 0 ? `${h}:${pad(m)}:${pad(s)}` : `${m}:${pad(s)}`
}

export const formatSeconds = (ms: number): string => `${(ms / 1000).toFixed(1)} s`

import type { Logger, StatsContext } from '@segment/actions-core'

/** A logger and a stats client, as Segment's runtime hands a perform, that remember what they were told. */
export function recordingObservers() {
  const warnings: string[] = []
  const counts: { name: string; value?: number; tags?: string[] }[] = []
  const ignore = () => undefined
  const logger = {
    level: 'info',
    name: 'test',
    debug: ignore,
    info: ignore,
    log: ignore,
    error: ignore,
    crit: ignore,
    withTags: ignore,
    warn: (...message: string[]) => void warnings.push(message.join(' '))
  } as Logger
  const statsContext = {
    tags: ['destination:fullstory'],
    statsClient: {
      incr: (name: string, value?: number, tags?: string[]) => void counts.push({ name, value, tags })
    }
  } as unknown as StatsContext
  return { warnings, counts, logger, statsContext }
}

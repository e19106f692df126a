import type { DroppedProperty } from './properties'
import { truncateUtf8 } from './properties'
import type { EventContext } from './types'
import type { Payload } from './trackEvent/generated-types'
import { CONTEXT_KEYS, CONTEXT_PARTS } from './trackEvent/context-field'
import type { ContextKey } from './trackEvent/context-field'

const INT32_MAX = 2 ** 31 - 1
const COUNTRY_CODE = /^[A-Za-z]{2}$/

/** What FullStory accepts for a part, so that anything else is left out rather than refused. */
type Check = (value: unknown) => string | number | undefined

const text: Check = (value) => (typeof value === 'string' && value.trim() !== '' ? value : undefined)
const screenSize: Check = (value) =>
  typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT32_MAX ? value : undefined
function within(limit: number): Check {
  return (value) =>
    typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit ? value : undefined
}
const country: Check = (value) =>
  typeof value === 'string' && COUNTRY_CODE.test(value.trim()) ? value.trim().toUpperCase() : undefined

const CHECKS: Partial<Record<ContextKey, Check>> = {
  device_screen_width: screenSize,
  device_screen_height: screenSize,
  location_latitude: within(90),
  location_longitude: within(180),
  location_country: country
}

interface Part {
  key: ContextKey
  /** `browser_url` goes to `context.browser.url`: the group before the first `_`, the name after it. */
  group: string
  name: string
  source: string[]
  check: Check
}

// Worked out once: building a context then allocates nothing but what it sends.
const PARTS: Part[] = CONTEXT_KEYS.map((key) => ({
  key,
  group: key.slice(0, key.indexOf('_')),
  name: key.slice(key.indexOf('_') + 1),
  source: CONTEXT_PARTS[key].source,
  check: CHECKS[key] ?? text
}))

/**
 * FullStory's nested event context from Segment's context object and the parts mapped one by one (which win).
 * Empty or invalid parts are left out, and a string longer than a property value may be (8192 bytes) is cut,
 * reported in `dropped` as `context.<key>`.
 */
export function buildContext(
  mapped: Payload['context'],
  segmentContext: Payload['segmentContext'],
  dropped?: DroppedProperty[]
): EventContext | undefined {
  if (!mapped && !segmentContext) return undefined
  let context: Record<string, Record<string, string | number>> | undefined
  for (const part of PARTS) {
    const given = mapped === undefined ? undefined : mapped[part.key]
    let value = part.check(given !== undefined ? given : valueAt(segmentContext, part.source))
    if (value === undefined) continue
    if (typeof value === 'string') {
      const cut = truncateUtf8(value)
      if (cut !== value) dropped?.push({ path: `context.${part.key}`, reason: 'truncated' })
      value = cut
    }
    ;((context ??= {})[part.group] ??= {})[part.name] = value
  }
  return context
}

function valueAt(object: unknown, path: string[]): unknown {
  let value = object
  for (const step of path) {
    if (value === null || typeof value !== 'object') return undefined
    value = (value as Record<string, unknown>)[step]
  }
  return value
}

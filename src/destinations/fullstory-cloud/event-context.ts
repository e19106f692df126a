import type { DroppedProperty } from './properties'
import { truncateUtf8 } from './properties'
import type { EventContext } from './types'
import type { Payload } from './trackEvent/generated-types'
import { CONTEXT_KEYS, CONTEXT_PARTS } from './trackEvent/context-field'
import type { ContextKey } from './trackEvent/context-field'

const INT32_MAX = 2 ** 31 - 1

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
  for (const key of CONTEXT_KEYS) {
    const given = mapped?.[key]
    let value = contextValue(key, given !== undefined ? given : valueAt(segmentContext, CONTEXT_PARTS[key].source))
    if (value === undefined) continue
    if (typeof value === 'string') {
      const cut = truncateUtf8(value)
      if (cut !== value) dropped?.push({ path: `context.${key}`, reason: 'truncated' })
      value = cut
    }
    const [group, name] = CONTEXT_TARGETS[key]
    ;((context ??= {})[group] ??= {})[name] = value
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

/** `browser_url` goes to `context.browser.url`: the group before the first `_`, the name after it (worked out once). */
const CONTEXT_TARGETS = Object.fromEntries(
  CONTEXT_KEYS.map((key) => [key, [key.slice(0, key.indexOf('_')), key.slice(key.indexOf('_') + 1)]])
) as Record<ContextKey, [group: string, name: string]>

function contextValue(key: string, value: unknown): string | number | undefined {
  switch (key) {
    case 'device_screen_width':
    case 'device_screen_height':
      return typeof value === 'number' && Number.isInteger(value) && value >= 0 && value <= INT32_MAX
        ? value
        : undefined
    case 'location_latitude':
      return inRange(value, 90)
    case 'location_longitude':
      return inRange(value, 180)
    case 'location_country':
      return typeof value === 'string' && /^[A-Za-z]{2}$/.test(value.trim()) ? value.trim().toUpperCase() : undefined
    default:
      return typeof value === 'string' && value.trim() ? value : undefined
  }
}

function inRange(value: unknown, limit: number): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) && Math.abs(value) <= limit ? value : undefined
}

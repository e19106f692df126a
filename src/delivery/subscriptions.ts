import { readFileSync } from 'fs'
import { parseFql } from '@segment/destination-subscriptions'
import { transform } from '@segment/actions-core'
import type { DestinationDefinition, InputField, JSONObject, Subscription } from '@segment/actions-core'
import definition from '../destinations/fullstory-cloud'
import { readableMessage } from './outcomes'

/** A destination's presets (ours by default), as Segment would subscribe them on a new destination. */
export function presetSubscriptions(of: Pick<DestinationDefinition<never>, 'presets'> = definition): Subscription[] {
  return (of.presets ?? []).flatMap((preset) =>
    'subscribe' in preset
      ? [
          {
            name: preset.name,
            subscribe: preset.subscribe,
            partnerAction: preset.partnerAction,
            mapping: preset.mapping
          }
        ]
      : []
  )
}

/**
 * Reads a mappings file in Segment's subscription shape: a JSON array (or `{ "subscriptions": [...] }`) of
 * `{ name?, subscribe, partnerAction, mapping }`. Every problem is reported with the entry it is in.
 */
export function loadSubscriptions(file: string): Subscription[] {
  let parsed: unknown
  try {
    parsed = JSON.parse(readFileSync(file, 'utf8'))
  } catch (error) {
    throw new Error(`Cannot read mappings file ${file}: ${(error as Error).message}`)
  }
  return parseSubscriptions(parsed, file)
}

export function parseSubscriptions(parsed: unknown, source = 'mappings'): Subscription[] {
  const list = Array.isArray(parsed) ? parsed : (parsed as { subscriptions?: unknown })?.subscriptions
  if (!Array.isArray(list) || list.length === 0) {
    throw new Error(`${source} must be a non-empty JSON array of subscriptions (or { "subscriptions": [...] }).`)
  }
  return list.map((entry, index) => checkSubscription(entry, `${source} entry ${index}`))
}

function checkSubscription(entry: unknown, where: string): Subscription {
  if (!entry || typeof entry !== 'object') throw new Error(`${where} is not an object.`)
  const { name, subscribe, partnerAction, mapping } = entry as Record<string, unknown>
  const condition = typeof subscribe === 'string' ? (parseFql(subscribe) as FqlNode & { error?: unknown }) : undefined
  if (typeof subscribe !== 'string' || !condition || condition.error) {
    throw new Error(`${where}: "subscribe" must be a valid FQL condition such as 'type = "track"'.`)
  }
  checkEventTypes(condition, subscribe, where)
  const action =
    typeof partnerAction === 'string' && hasOwn(definition.actions, partnerAction)
      ? definition.actions[partnerAction]
      : undefined
  if (!action) {
    const known = Object.keys(definition.actions).join(', ')
    throw new Error(`${where}: "partnerAction" must be one of ${known}.`)
  }
  if (mapping !== undefined && (typeof mapping !== 'object' || mapping === null || Array.isArray(mapping))) {
    throw new Error(`${where}: "mapping" must be an object of field mappings.`)
  }
  const fields = action.fields as Record<string, InputField>
  const unknown = Object.keys(mapping ?? {}).filter((key) => !hasOwn(fields, key))
  if (unknown.length > 0) {
    throw new Error(`${where}: ${partnerAction as string} has no field ${unknown.join(', ')}.`)
  }
  try {
    // Resolving against an empty event runs mapping-kit's own checks of every directive, as each event would.
    transform((mapping ?? {}) as JSONObject, {})
  } catch (error) {
    throw new Error(`${where}: the mapping cannot run: ${readableMessage(error) ?? (error as Error).message}`)
  }
  return {
    name: typeof name === 'string' ? name : `${partnerAction as string} (${subscribe})`,
    subscribe,
    partnerAction: partnerAction as string,
    mapping: (mapping ?? {}) as JSONObject
  }
}

const EVENT_TYPES = ['identify', 'track', 'page', 'screen', 'group', 'alias']

/**
 * Segment's FQL parser reads some broken conditions without an error (`type = ` compares with "eos", `type ===
 * "track"` with "="); such a subscription would silently match nothing, so its event types are checked here.
 */
function checkEventTypes(condition: FqlNode, subscribe: string, where: string): void {
  const visit = (node: FqlNode): void => {
    if (node.type === 'event-type' && !EVENT_TYPES.includes(String(node.value))) {
      throw new Error(
        `${where}: "subscribe" (${subscribe}) compares the event type with ${JSON.stringify(node.value)}, which is not one of ${EVENT_TYPES.join(', ')}; write it as 'type = "track"'.`
      )
    }
    node.children?.forEach(visit)
  }
  visit(condition)
}

interface FqlNode {
  type?: string
  value?: unknown
  children?: FqlNode[]
}

function hasOwn(object: object, key: string): boolean {
  return Object.prototype.hasOwnProperty.call(object, key)
}

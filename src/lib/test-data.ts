import Chance from 'chance'
import type { GlobalSetting, InputField } from '@segment/actions-core'

/**
 * Seeded sample data for snapshot tests, written for this project with the monorepo's signature and return shape
 * (`generateTestData(seedName, destination, action, isRequiredOnly)` → `[eventData, settingsData]`), so that a
 * destination's `__tests__/snapshot.test.ts` runs unchanged here and in segmentio/action-destinations, where
 * `../../../lib/test-data` is the monorepo's own generator.
 *
 * It fills values by the same rules, so both produce the same data and one snapshot file serves both:
 * - Every value is drawn from a fresh `Chance(seedName)`: fields of one kind get the same value.
 * - A value comes from the field's choices when it has any (the choice's `value`, or the choice itself when it has
 *   none), otherwise from its type: boolean, integer and number (two decimals) within `minimum`/`maximum`, datetime
 *   fixed at 2021-02-01, text a sentence, a free-form object `{ testType: <string> }`; a string by its format (date,
 *   date-time, email, hostname, ipv4, ipv6, time, uri, uuid) or random characters.
 * - Fields named `email`, `currency` or `phone_number` then take a value of that kind, drawn next from the same
 *   generator.
 * - A field with `properties` is an object of its sub-fields' values; a field named `consent` is a fixed consent
 *   object; `multiple` wraps the value in a one-item array.
 * - Required-only data keeps required fields, fields whose key contains `id` or `consent`, and only the required
 *   sub-fields of an object.
 * - Settings are filled from `authentication.fields` by type and format only: their choices are not used.
 */
export function generateTestData(
  seedName: string,
  destination: { authentication?: { fields: Record<string, GlobalSetting> } },
  action: { fields: Record<string, InputField> },
  isRequiredOnly: boolean
  // eslint-disable-next-line @typescript-eslint/no-explicit-any -- as in the monorepo: tests hand this data to testAction as any destination's settings
): [eventData: any, settingsData: any] {
  const settingsData: Record<string, unknown> = {}
  for (const [key, setting] of Object.entries(destination.authentication?.fields ?? {})) {
    settingsData[key] = draw(seedName, { ...setting, choices: undefined })
  }

  const eventData: Record<string, unknown> = {}
  for (const [key, field] of Object.entries(action.fields)) {
    if (isRequiredOnly && !field.required && !key.includes('id') && !key.includes('consent')) continue
    eventData[key] = fieldValue(seedName, key, field, isRequiredOnly)
  }
  return [eventData, settingsData]
}

const CONSENT = { categoryPreferences: { analytics: true, marketing: false } }

function fieldValue(seed: string, key: string, field: InputField, isRequiredOnly: boolean): unknown {
  let value: unknown
  if (field.properties) {
    const object: Record<string, unknown> = {}
    for (const [subKey, subField] of Object.entries(field.properties)) {
      if (isRequiredOnly && !subField.required) continue
      object[subKey] = wrap(subField, draw(seed, subField, subKey))
    }
    value = object
  } else if (key === 'consent') {
    value = CONSENT
  } else {
    value = draw(seed, field, key)
  }
  return wrap(field, value)
}

function wrap(field: { multiple?: boolean }, value: unknown): unknown {
  return field.multiple ? [value] : value
}

interface Drawable {
  type: string
  format?: string
  choices?: unknown
  minimum?: number
  maximum?: number
}

/** One value for a field, from a fresh generator for the seed. */
function draw(seed: string, field: Drawable, key?: string): unknown {
  const chance = new Chance(seed)
  if (Array.isArray(field.choices)) {
    const choice: unknown = chance.pickone<unknown>(field.choices)
    const value = (choice as { value?: unknown } | undefined)?.value
    return value ? value : choice
  }
  const value = byType(chance, field)
  const named = key === undefined ? undefined : BY_NAME.get(key)
  return named ? named(chance) : value
}

function byType(chance: Chance.Chance, field: Drawable): unknown {
  const range: { min?: number; max?: number } = {}
  if (field.minimum !== undefined) range.min = field.minimum
  if (field.maximum !== undefined) range.max = field.maximum
  switch (field.type) {
    case 'boolean':
      return chance.bool()
    case 'datetime':
      return '2021-02-01T00:00:00.000Z'
    case 'integer':
      return chance.integer(range)
    case 'number':
      return chance.floating({ ...range, fixed: 2 })
    case 'text':
      return chance.sentence()
    case 'object':
      return { testType: chance.string() }
    default: {
      const byFormat = field.format === undefined ? undefined : BY_FORMAT.get(field.format)
      return byFormat ? byFormat(chance) : chance.string()
    }
  }
}

type Draw = (chance: Chance.Chance) => unknown

const aDate = (chance: Chance.Chance) => chance.date()
const twoDigits = (parts: number[]) => parts.map((n) => String(n).padStart(2, '0'))
// Local time, as the monorepo's generator reads it; tests run with TZ=UTC.
const ymd = (d: Date) => twoDigits([d.getFullYear(), d.getMonth() + 1, d.getDate()]).join('-')
const hms = (d: Date) => twoDigits([d.getHours(), d.getMinutes(), d.getSeconds()]).join(':')

const BY_FORMAT = new Map<string, Draw>([
  ['date', (chance) => ymd(aDate(chance))],
  ['date-time', (chance) => aDate(chance).toISOString()],
  ['email', (chance) => chance.email()],
  ['hostname', (chance) => chance.domain()],
  ['ipv4', (chance) => chance.ip()],
  ['ipv6', (chance) => chance.ipv6()],
  ['time', (chance) => hms(aDate(chance))],
  ['uri', (chance) => chance.url()],
  ['uuid', (chance) => chance.guid()]
])

const BY_NAME = new Map<string, Draw>([
  ['email', (chance) => chance.email()],
  ['currency', (chance) => chance.currency().code],
  ['phone_number', (chance) => `+${chance.phone({ formatted: false })}`]
])

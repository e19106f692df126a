import Chance from 'chance'
import type { DestinationDefinition, InputField, JSONObject, JSONValue } from '@segment/actions-core'

/**
 * Seeded sample data for snapshot tests: the same seed always gives the same settings and event fields, so a
 * snapshot changes only when the destination's output does. Written for this project (the monorepo keeps its
 * own generator at this path with the same signature).
 */
export function generateTestData(
  seedName: string,
  destination: DestinationDefinition<unknown>,
  action: { fields: Record<string, InputField> },
  isRequiredOnly: boolean
): { settingsData: JSONObject; eventData: JSONObject } {
  const chance = new Chance(seedName)
  const settingsData: JSONObject = {}
  for (const [key, field] of Object.entries(destination.authentication?.fields ?? {})) {
    settingsData[key] = field.choices ? pick(chance, field.choices) : valueFor(chance, field as InputField, key)
  }
  const eventData: JSONObject = {}
  for (const [key, field] of Object.entries(action.fields)) {
    if (isRequiredOnly && !field.required && !/id/i.test(key)) continue
    eventData[key] = valueFor(chance, field, key)
  }
  return { settingsData, eventData }
}

function pick(chance: Chance.Chance, choices: NonNullable<InputField['choices']>): JSONValue {
  const choice: unknown = chance.pickone<unknown>([...choices])
  return (typeof choice === 'object' && choice !== null ? (choice as { value: JSONValue }).value : choice) as JSONValue
}

function valueFor(chance: Chance.Chance, field: InputField, key: string): JSONValue {
  if (field.choices) return pick(chance, field.choices)
  if (field.multiple) return [scalar(chance, field, key), scalar(chance, field, key)]
  if (field.type === 'object') return objectValue(chance, field)
  return scalar(chance, field, key)
}

function objectValue(chance: Chance.Chance, field: InputField): JSONObject {
  if (field.properties) {
    return Object.fromEntries(
      Object.entries(field.properties).map(([key, sub]) => [key, scalar(chance, sub as InputField, key)])
    )
  }
  return {
    [chance.word()]: chance.word(),
    [`${chance.word()} ${chance.word()}`]: chance.integer({ min: 0, max: 1000 }),
    [chance.word()]: chance.floating({ min: 0, max: 100, fixed: 2 }),
    [chance.word()]: chance.bool(),
    [chance.word()]: [chance.word(), chance.word()],
    nested: { [chance.word()]: chance.word() }
  }
}

function scalar(chance: Chance.Chance, field: InputField, key: string): JSONValue {
  switch (field.type) {
    case 'boolean':
      return chance.bool()
    case 'integer':
      return chance.integer({ min: 0, max: 10000 })
    case 'number':
      if (/width|height/i.test(key)) return chance.integer({ min: 320, max: 3840 })
      return chance.floating({ min: 0, max: 80, fixed: 4 })
    case 'datetime':
      return '2021-02-01T00:00:00.000Z'
    default:
      if (field.format === 'email' || /email/i.test(key)) return chance.email()
      if (/country/i.test(key)) return chance.country()
      if (/session/i.test(key))
        return `${chance.string({ length: 16, numeric: true })}:${chance.string({ length: 16, numeric: true })}`
      if (/url/i.test(key)) return chance.url()
      return chance.string({ length: 10, alpha: true, numeric: true })
  }
}

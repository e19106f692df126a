import { parseFql } from '@segment/destination-subscriptions'
import type { InputField } from '@segment/actions-core'
import definition from '../index'

const actions = Object.entries(definition.actions)

function parses(fql: string): boolean {
  const ast = parseFql(fql) as { error?: unknown }
  return !ast.error
}

describe('definition', () => {
  it('is named, slugged and cloud-mode as the monorepo expects', () => {
    expect(definition).toMatchObject({
      name: 'FullStory Cloud Mode (Actions)',
      slug: 'actions-fullstory-cloud',
      mode: 'cloud'
    })
    expect(definition.description?.length).toBeGreaterThan(40)
  })

  it('gives every setting a label and description, and region a default among its choices', () => {
    const fields = definition.authentication!.fields
    for (const [key, field] of Object.entries(fields)) {
      expect([key, field.label && field.description]).toEqual([key, expect.any(String)])
    }
    expect(fields.apiKey).toMatchObject({ type: 'password', required: true })
    const choices = (fields.region.choices as { value: string }[]).map((c) => c.value)
    expect(choices).toContain(fields.region.default)
  })

  it.each(actions)('%s has a unique title, a description and a parseable default subscription', (_, action) => {
    expect(action.description.length).toBeGreaterThan(20)
    expect(actions.filter(([, other]) => other.title === action.title)).toHaveLength(1)
    expect(parses(action.defaultSubscription!)).toBe(true)
  })

  it.each(actions)('%s gives every field and sub-field a label and a description', (_, action) => {
    const missing: string[] = []
    const check = (path: string, field: { label?: string; description?: string }) => {
      if (!field.label || !field.description) missing.push(path)
    }
    for (const [key, field] of Object.entries(action.fields as Record<string, InputField>)) {
      check(key, field)
      for (const [sub, subField] of Object.entries(field.properties ?? {})) check(`${key}.${sub}`, subField)
    }
    expect(missing).toEqual([])
  })

  it('has presets whose FQL parses and whose mappings name only fields that exist', () => {
    // The README's page and screen recipes get the same check in the root __tests__/readme.test.ts.
    const presets = definition.presets ?? []
    expect(presets.length).toBeGreaterThan(0)
    for (const preset of presets) {
      if (!('subscribe' in preset)) throw new Error(`preset ${preset.name} has no FQL`)
      expect(parses(preset.subscribe)).toBe(true)
      const action = definition.actions[preset.partnerAction]
      expect(action).toBeDefined()
      const unknown = Object.keys(preset.mapping ?? {}).filter((key) => !(key in action.fields))
      expect(unknown).toEqual([])
    }
  })

  it('rejects FQL that does not parse, so the checks above can fail', () => {
    expect(parses('(type = "track"')).toBe(false)
  })

  it('keeps the object sub-field defaults inside each object field', () => {
    for (const [, action] of actions) {
      for (const field of Object.values(action.fields as Record<string, InputField>)) {
        if (!field.properties || !field.default || typeof field.default !== 'object') continue
        expect(Object.keys(field.default).sort()).toEqual(Object.keys(field.properties).sort())
      }
    }
  })
})

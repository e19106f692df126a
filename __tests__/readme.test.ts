import { readFileSync } from 'fs'
import path from 'path'
import { parseFql } from '@segment/destination-subscriptions'
import type { InputField } from '@segment/actions-core'
import definition from '../src/destinations/fullstory-cloud'
import { PAGE_VIEW_SUBSCRIPTIONS } from '../test/recipes'

// What the README promises about the destination. These checks read files outside the destination folder (the
// README, test/recipes.ts), so they live here rather than in the folder, which must drop into the monorepo alone.

const actions = Object.entries(definition.actions)

function parses(fql: string): boolean {
  const ast = parseFql(fql) as { error?: unknown }
  return !ast.error
}

describe('README', () => {
  it('documents every setting, field and context key', () => {
    const readme = readFileSync(path.join(__dirname, '../README.md'), 'utf8')
    const documented = (key: string) => readme.includes(`\`${key}\``)
    const keys = [
      ...Object.keys(definition.authentication!.fields),
      ...actions.flatMap(([slug, action]) => [
        slug,
        ...Object.entries(action.fields as Record<string, InputField>).flatMap(([key, field]) => [
          key,
          ...Object.keys(field.properties ?? {})
        ])
      ])
    ]
    expect(keys.length).toBeGreaterThan(20)
    expect(keys.filter((key) => !documented(key))).toEqual([])
    expect(documented('aKeyNoReadmeMentions')).toBe(false)
  })

  it('gives page and screen recipes whose FQL parses and whose mappings name only fields that exist', () => {
    expect(PAGE_VIEW_SUBSCRIPTIONS).toHaveLength(2)
    for (const recipe of PAGE_VIEW_SUBSCRIPTIONS) {
      expect(parses(recipe.subscribe)).toBe(true)
      const action = definition.actions[recipe.partnerAction]
      expect(action).toBeDefined()
      const unknown = Object.keys(recipe.mapping ?? {}).filter((key) => !(key in action.fields))
      expect(unknown).toEqual([])
    }
    expect(parses('(type = "page"')).toBe(false)
  })
})

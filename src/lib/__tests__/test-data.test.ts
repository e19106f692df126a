import Chance from 'chance'
import type { GlobalSetting, InputField } from '@segment/actions-core'
import { generateTestData } from '../test-data'

const first = (seed: string) => new Chance(seed)

const destination: { authentication: { fields: Record<string, GlobalSetting> } } = {
  authentication: {
    fields: {
      apiKey: { label: 'Key', description: 'd', type: 'password' },
      region: {
        label: 'Region',
        description: 'd',
        type: 'string',
        choices: [
          { label: 'US', value: 'us' },
          { label: 'EU', value: 'eu' }
        ]
      },
      retries: { label: 'Retries', description: 'd', type: 'number', minimum: 1, maximum: 5 }
    }
  }
}

const fields: Record<string, InputField> = {
  name: { label: 'n', description: 'd', type: 'string', required: true },
  userId: { label: 'u', description: 'd', type: 'string' },
  uid: { label: 'u', description: 'd', type: 'string' },
  consent_given: { label: 'c', description: 'd', type: 'boolean' },
  email: { label: 'e', description: 'd', type: 'string', format: 'email' },
  site: { label: 's', description: 'd', type: 'string', format: 'uri' },
  day: { label: 'd', description: 'd', type: 'string', format: 'date' },
  plan: {
    label: 'p',
    description: 'd',
    type: 'string',
    choices: [
      { label: 'Pro', value: 'pro' },
      { label: 'Free', value: 'free' }
    ]
  },
  count: { label: 'c', description: 'd', type: 'integer', minimum: 10, maximum: 20 },
  tags: { label: 't', description: 'd', type: 'string', multiple: true },
  when: { label: 'w', description: 'd', type: 'datetime' },
  bio: { label: 'b', description: 'd', type: 'text' },
  traits: { label: 't', description: 'd', type: 'object' },
  address: {
    label: 'a',
    description: 'd',
    type: 'object',
    properties: {
      street: { label: 's', description: 'd', type: 'string', required: true },
      zip: { label: 'z', description: 'd', type: 'integer' }
    }
  }
}

describe('generateTestData (the monorepo signature and return shape)', () => {
  const seed = 'dest#action'
  const [all, settings] = generateTestData(seed, destination, { fields }, false)

  it('returns [eventData, settingsData], the same for the same seed and different for another', () => {
    expect(generateTestData(seed, destination, { fields }, false)).toEqual([all, settings])
    expect(generateTestData('other#action', destination, { fields }, false)[0]).not.toEqual(all)
  })

  it('draws each value from a fresh generator for the seed, by type and format', () => {
    const text = first(seed).string()
    expect(all.name).toBe(text)
    expect(all.userId).toBe(text)
    expect(all.consent_given).toBe(first(seed).bool())
    expect(all.site).toBe(first(seed).url())
    expect(all.day).toMatch(/^\d{4}-\d{2}-\d{2}$/)
    expect(all.count).toBe(first(seed).integer({ min: 10, max: 20 }))
    expect(all.when).toBe('2021-02-01T00:00:00.000Z')
    expect(all.bio).toBe(first(seed).sentence())
    expect(all.traits).toEqual({ testType: text })
  })

  it('gives a field named email the second e-mail address its generator draws', () => {
    const chance = first(seed)
    chance.email()
    expect(all.email).toBe(chance.email())
  })

  it("picks an action field's value among its choices, wraps multiple fields, and fills object sub-fields", () => {
    expect(all.plan).toBe(first(seed).pickone(['pro', 'free']))
    expect(all.tags).toEqual([first(seed).string()])
    expect(all.address).toEqual({ street: first(seed).string(), zip: first(seed).integer() })
  })

  it('fills settings by type only, ignoring their choices', () => {
    expect(settings).toEqual({
      apiKey: first(seed).string(),
      region: first(seed).string(),
      retries: first(seed).floating({ min: 1, max: 5, fixed: 2 })
    })
  })

  it('keeps required fields, keys holding "id" or "consent" and required sub-fields when asked for required only', () => {
    const [required] = generateTestData(seed, destination, { fields }, true)
    expect(Object.keys(required).sort()).toEqual(['consent_given', 'name', 'uid'])
    const [withObject] = generateTestData(
      seed,
      destination,
      { fields: { address: { ...fields.address, required: true } } },
      true
    )
    expect(withObject).toEqual({ address: { street: first(seed).string() } })
  })
})

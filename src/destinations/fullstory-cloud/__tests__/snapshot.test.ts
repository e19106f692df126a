import nock from 'nock'
import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import type { DestinationDefinition, InputField } from '@segment/actions-core'
import { generateTestData } from '../../../lib/test-data'
import destination from '../index'
import type { Settings } from '../generated-types'

const testDestination = createTestIntegration(destination)
const destinationSlug = 'actions-fullstory-cloud'

describe(`Testing snapshot for ${destinationSlug} destination:`, () => {
  for (const actionSlug in destination.actions) {
    const fields = destination.actions[actionSlug].fields as Record<string, InputField>

    for (const [label, requiredOnly] of [
      ['required fields', true],
      ['all fields', false]
    ] as const) {
      it(`${actionSlug} action - ${label}`, async () => {
        const seedName = `${destinationSlug}#${actionSlug}`
        const { eventData, settingsData } = generateTestData(
          seedName,
          destination as DestinationDefinition<unknown>,
          { fields },
          requiredOnly
        )
        nock(/.*/).persist().post(/.*/).reply(200, {})

        const responses = await testDestination.testAction(actionSlug, {
          event: createTestEvent({ properties: eventData }),
          mapping: eventData,
          settings: settingsData as unknown as Settings,
          auth: undefined
        })
        const request = responses[0].request
        expect(request.url).toMatchSnapshot('url')
        expect(await request.json()).toMatchSnapshot('body')
        expect(request.headers.get('integration-source')).toBe('segment')
      })
    }
  }
})

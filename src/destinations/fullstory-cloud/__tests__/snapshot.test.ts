import { createTestEvent, createTestIntegration } from '@segment/actions-core'
import { generateTestData } from '../../../lib/test-data'
import destination from '../index'
import nock from 'nock'
import { recordingObservers } from './__helpers__/observers'

const testDestination = createTestIntegration(destination)
const destinationSlug = 'actions-fullstory-cloud'

// The monorepo's snapshot template (packages/cli/templates/actions/snapshot). `../../../lib/test-data` is the
// monorepo's generator there and this repo's src/lib/test-data.ts here; both fill fields by the same rules, so this
// one snapshot file holds under both. Two changes to the template:
// - With required fields only, three actions have no user to send to (the generator fills no userId: the field is
//   not required, and its key holds "Id", not "id"). They refuse the event, and the refusal is the snapshot.
// - The perform gets a logger with `warn` (Segment's has one; the test harness's default does not), so the warning
//   about values the property rules left out is part of the snapshot.
const REFUSED_WITH_REQUIRED_FIELDS_ONLY = ['identifyUser', 'trackEvent', 'trackEventV2']

describe(`Testing snapshot for ${destinationSlug} destination:`, () => {
  for (const actionSlug in destination.actions) {
    it(`${actionSlug} action - required fields`, async () => {
      const seedName = `${destinationSlug}#${actionSlug}`
      const action = destination.actions[actionSlug]
      const [eventData, settingsData] = generateTestData(seedName, destination, action, true)

      nock(/.*/).persist().get(/.*/).reply(200)
      nock(/.*/).persist().post(/.*/).reply(200)
      nock(/.*/).persist().put(/.*/).reply(200)

      const event = createTestEvent({
        properties: eventData
      })

      const { logger, warnings } = recordingObservers()
      const sending = testDestination.testAction(actionSlug, {
        event: event,
        mapping: event.properties,
        settings: settingsData,
        auth: undefined,
        logger
      })

      if (REFUSED_WITH_REQUIRED_FIELDS_ONLY.includes(actionSlug)) {
        await expect(sending).rejects.toThrowErrorMatchingSnapshot()
        return
      }
      const request = (await sending)[0].request
      expect(request.headers.get('integration-source')).toBe('segment')
      expect(request.url).toMatchSnapshot()
      expect(JSON.parse(await request.text())).toMatchSnapshot()
      expect(warnings).toMatchSnapshot()
    })

    it(`${actionSlug} action - all fields`, async () => {
      const seedName = `${destinationSlug}#${actionSlug}`
      const action = destination.actions[actionSlug]
      const [eventData, settingsData] = generateTestData(seedName, destination, action, false)

      nock(/.*/).persist().get(/.*/).reply(200)
      nock(/.*/).persist().post(/.*/).reply(200)
      nock(/.*/).persist().put(/.*/).reply(200)

      const event = createTestEvent({
        properties: eventData
      })

      const { logger, warnings } = recordingObservers()
      const responses = await testDestination.testAction(actionSlug, {
        event: event,
        mapping: event.properties,
        settings: settingsData,
        auth: undefined,
        logger
      })

      const request = responses[0].request
      expect(request.headers.get('integration-source')).toBe('segment')
      expect(request.url).toMatchSnapshot()
      expect(JSON.parse(await request.text())).toMatchSnapshot()
      expect(warnings).toMatchSnapshot()
    })
  }
})

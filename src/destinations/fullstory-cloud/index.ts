import { defaultValues, PayloadValidationError } from '@segment/actions-core'
import type { DestinationDefinition } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { apiBaseUrl, authHeaders, DEFAULT_REGION, endpoints, send } from './api'
import identifyUser from './identifyUser'
import trackEvent from './trackEvent'

const destination: DestinationDefinition<Settings> = {
  name: 'FullStory Cloud Mode (Actions)',
  slug: 'actions-fullstory-cloud',
  mode: 'cloud',
  description:
    "Sends Segment identify calls to FullStory as user properties and track calls as server events, through FullStory's v2 server API. Nothing needs to run in the browser.",
  authentication: {
    scheme: 'custom',
    fields: {
      apiKey: {
        label: 'API Key',
        description:
          'A FullStory API key (Settings > Integrations > API Keys). A Standard key is enough to send users and events; deleting users for Segment privacy requests needs an Admin or Architect key.',
        type: 'password',
        required: true
      },
      region: {
        label: 'Data Region',
        description:
          'Where your FullStory account stores data. "Automatic" sends to api.fullstory.com, which routes by API key and suits almost everyone; choose EU only if your FullStory login is at app.eu1.fullstory.com and you want requests to go straight to the EU host.',
        type: 'string',
        choices: [
          { label: 'Automatic (api.fullstory.com, routed by API key)', value: 'auto' },
          { label: 'EU (api.eu1.fullstory.com)', value: 'eu1' }
        ],
        default: DEFAULT_REGION
      }
    },
    testAuthentication: async (request, { settings }) => {
      await send(
        request,
        endpoints.me(apiBaseUrl(settings)),
        {},
        { operation: 'checking the API key', apiKey: settings.apiKey }
      )
      return true
    }
  },
  extendRequest: ({ settings }) => ({ headers: authHeaders(settings) }),
  onDelete: async (request, { settings, payload }) => {
    const userId = typeof payload.userId === 'string' ? payload.userId.trim() : ''
    if (!userId) {
      throw new PayloadValidationError('A Segment deletion request needs a userId: FullStory deletes users by uid.')
    }
    // 404 means FullStory has no such user, which is what a deletion asks for.
    return send(
      request,
      endpoints.deleteUser(apiBaseUrl(settings), userId),
      { method: 'DELETE', acceptStatuses: [404] },
      { operation: 'deleting a user', apiKey: settings.apiKey }
    )
  },
  presets: [
    {
      name: 'Identify User',
      subscribe: 'type = "identify"',
      partnerAction: 'identifyUser',
      mapping: defaultValues(identifyUser.fields),
      type: 'automatic'
    },
    {
      name: 'Track Custom Event',
      subscribe: 'type = "track"',
      partnerAction: 'trackEvent',
      mapping: defaultValues(trackEvent.fields),
      type: 'automatic'
    }
  ],
  actions: {
    identifyUser,
    trackEvent
  }
}

export default destination

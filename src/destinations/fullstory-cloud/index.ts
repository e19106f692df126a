import { defaultValues } from '@segment/actions-core'
import type { DestinationDefinition } from '@segment/actions-core'
import type { Settings } from './generated-types'
import { apiBaseUrl, DEFAULT_REGION, endpoints, send } from './api'
import { forTestConnection, refusal } from './errors'
import { checkedUid } from './identity'
import { DEFAULT_PROPERTY_NAME_STYLE, PROPERTY_NAME_STYLES } from './property-names'
import identifyUser from './identifyUser'
import identifyUserV2 from './identifyUserV2'
import trackEvent from './trackEvent'
import trackEventV2 from './trackEventV2'

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
      },
      propertyNameStyle: {
        label: 'Property Name Style',
        description:
          "How a trait or property name that FullStory does not accept (it takes letters, digits and _, starting with a letter) is rewritten. Names FullStory accepts are always sent exactly as written. Keep the default unless you are moving from Segment's earlier FullStory destination and want your existing FullStory property names to line up.",
        type: 'string',
        choices: Object.entries(PROPERTY_NAME_STYLES).map(([value, label]) => ({ value, label })),
        default: DEFAULT_PROPERTY_NAME_STYLE
      }
    },
    testAuthentication: async (request, { settings }) => {
      try {
        await send(
          request,
          endpoints.me(apiBaseUrl(settings)),
          {},
          { operation: 'checking the API key', apiKey: settings.apiKey }
        )
      } catch (error) {
        throw forTestConnection(error)
      }
      return true
    }
  },
  onDelete: async (request, { settings, payload }) => {
    if (typeof payload.userId !== 'string' || payload.userId === '') {
      throw refusal('A Segment deletion request needs a userId: FullStory deletes users by uid.')
    }
    const userId = checkedUid(payload.userId)
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
    trackEvent,
    identifyUserV2,
    trackEventV2
  }
}

export default destination

import type { ActionDefinition, DestinationDefinition } from '@segment/actions-core'
import type { Settings } from '../src/destinations/fullstory-cloud/generated-types'

/** Where each action's floor sends its payload: the same paths the real actions use. */
const PATHS: Record<string, string> = { identifyUser: '/v2/users', trackEvent: '/v2/events' }

/**
 * The framework floor: the same destination shape (settings, extendRequest, presets, and every action's fields
 * with the same names, types and defaults) whose perform sends the resolved payload unchanged through the same
 * request client. What our destination costs above this is what our code costs.
 */
export function floorDefinition(
  definition: DestinationDefinition<Settings>,
  baseUrl: string
): DestinationDefinition<Settings> {
  const actions: Record<string, ActionDefinition<Settings, Record<string, unknown>>> = {}
  for (const [slug, action] of Object.entries(definition.actions)) {
    const url = `${baseUrl}${PATHS[slug]}`
    actions[slug] = {
      title: action.title,
      description: action.description,
      defaultSubscription: action.defaultSubscription,
      fields: action.fields,
      perform: (request, { payload }) => request(url, { method: 'POST', json: payload })
    }
  }
  // A name of its own: actions-core caches compiled schemas by destination name and action title.
  return { ...definition, name: `${definition.name} (framework floor)`, actions }
}

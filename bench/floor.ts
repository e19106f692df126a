import type { ActionDefinition, DestinationDefinition } from '@segment/actions-core'

/**
 * The framework floor of a destination: the same definition (settings, presets, and every action's fields with the
 * same names, types and defaults) whose every perform makes one minimal request, `{}` to the path the real action
 * uses, through the same request client. It costs what the framework does for that destination's presets (match
 * the subscription, resolve and validate the mapping, one request), so what a destination costs above its floor is
 * what its own code does: building, serializing and heading its requests.
 */
export function floorDefinition<Settings>(
  definition: DestinationDefinition<Settings>,
  baseUrl: string
): DestinationDefinition<Settings> {
  const actions: Record<string, ActionDefinition<Settings, Record<string, unknown>>> = {}
  for (const [slug, action] of Object.entries(definition.actions)) {
    const url = `${baseUrl}${/^identify/i.test(slug) ? '/v2/users' : '/v2/events'}`
    actions[slug] = {
      title: action.title,
      description: action.description,
      defaultSubscription: action.defaultSubscription,
      fields: action.fields,
      perform: (request) => request(url, { method: 'POST', body: '{}' })
    }
  }
  // A name of its own: actions-core caches compiled schemas by destination name and action title.
  return { ...definition, name: `${definition.name} (framework floor)`, actions }
}

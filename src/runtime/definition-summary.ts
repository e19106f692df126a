import type { InputField, Subscription } from '@segment/actions-core'
import definition from '../destinations/fullstory-cloud'

export interface FieldSummary {
  key: string
  label?: string
  description?: string
  type: string
  required: boolean
  default?: unknown
  choices?: unknown
  properties?: FieldSummary[]
}

function summarize(key: string, field: InputField): FieldSummary {
  return {
    key,
    label: field.label,
    description: field.description,
    type: field.type,
    required: field.required === true,
    default: field.default,
    choices: field.choices,
    properties: field.properties
      ? Object.entries(field.properties).map(([sub, subField]) => summarize(sub, subField as InputField))
      : undefined
  }
}

/** What the page shows of the destination: its settings, actions and fields, as a workspace admin sees them. */
export function definitionSummary(subscriptions: Subscription[]) {
  return {
    name: definition.name,
    slug: definition.slug,
    description: definition.description,
    settings: Object.entries(definition.authentication?.fields ?? {}).map(([key, field]) =>
      summarize(key, field as InputField)
    ),
    // Hidden actions (the earlier destination's field sets) run saved mappings; an admin never picks them.
    actions: Object.entries(definition.actions)
      .filter(([, action]) => action.hidden !== true)
      .map(([slug, action]) => ({
        slug,
        title: action.title,
        description: action.description,
        defaultSubscription: action.defaultSubscription,
        fields: Object.entries(action.fields as Record<string, InputField>).map(([key, field]) => summarize(key, field))
      })),
    subscriptions
  }
}

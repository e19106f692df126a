import type { InputField } from '@segment/actions-core'

/** Identify User's fields, shared with the earlier destination's field set (identifyUserV2), which differs in two keys. */
export const userId: InputField = {
  label: 'User ID',
  description:
    'Your app\'s ID for the user, sent exactly as given as FullStory\'s uid. Required: a call without one is refused, as FullStory would otherwise create a new anonymous user on every call. Never map a shared value such as "guest" here.',
  type: 'string',
  default: { '@path': '$.userId' }
}

export const anonymousId: InputField = {
  label: 'Anonymous ID',
  description: "Segment's anonymous ID, kept as the user property segmentAnonymousId so the two can be matched later.",
  type: 'string',
  default: { '@path': '$.anonymousId' }
}

export const email: InputField = {
  label: 'Email',
  description: "The user's email address, shown on the FullStory user card and searchable there.",
  type: 'string',
  default: { '@path': '$.traits.email' }
}

export const displayName: InputField = {
  label: 'Display Name',
  description: 'The name FullStory shows for the user in session lists and on the user card.',
  type: 'string',
  default: { '@path': '$.traits.name' }
}

export const traits: InputField = {
  label: 'User Properties',
  description:
    'Traits to store as FullStory user properties. Names FullStory accepts are sent exactly as written; others are made valid (see the Property Name Style setting), and types are declared where FullStory would guess wrong. Email and name are not repeated here when they are already sent above.',
  type: 'object',
  default: { '@path': '$.traits' }
}

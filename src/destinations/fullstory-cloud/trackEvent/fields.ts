import type { InputField } from '@segment/actions-core'

/** Track Custom Event's fields, shared with the earlier destination's field set (trackEventV2), which has fewer. */
export const userId: InputField = {
  label: 'User ID',
  description:
    "Your app's ID for the user (FullStory's uid), sent exactly as given. Needed unless a session URL is given: an event with neither is rejected before anything is sent.",
  type: 'string',
  default: { '@path': '$.userId' }
}

export const name: InputField = {
  label: 'Event Name',
  description: 'The event name shown in FullStory. Must be non-empty and at most 250 characters.',
  type: 'string',
  required: true,
  default: { '@path': '$.event' }
}

export const properties: InputField = {
  label: 'Event Properties',
  description:
    'Properties to store on the event. Names FullStory accepts are sent exactly as written; others are made valid (see the Property Name Style setting), and types are declared where FullStory would guess wrong.',
  type: 'object',
  default: { '@path': '$.properties' }
}

export const timestamp: InputField = {
  label: 'Timestamp',
  description: 'When the event happened. Sent to FullStory in UTC; an unreadable timestamp rejects the event.',
  type: 'datetime',
  default: { '@path': '$.timestamp' }
}

export const useRecentSession: InputField = {
  label: 'Attach to Most Recent Session',
  description:
    "When on (or left unset) and no session URL is given, FullStory attaches the event to the user's session if it was active in the last 30 minutes. Turn off to record the event on the user only.",
  type: 'boolean',
  default: true
}

export const sessionUrl: InputField = {
  label: 'Session URL',
  description:
    'A FullStory session replay URL (from FS.getCurrentSessionURL or getSession), with or without https://, or a raw session ID "deviceId:sessionId". When it holds a session ID, the event is attached to exactly that session; when it holds none, the event goes to the user and a warning says so.',
  type: 'string'
}

import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { messageId } from '../common-fields'
import { createEvent, createEventsBatch } from '../events'
import { batchingFields } from '../batch'
import { contextField } from './context-field'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Track Custom Event',
  description:
    'Sends a Segment track call to FullStory as a server event, attached to the user and, when possible, to their live session. Each event counts against your FullStory server-event quota.',
  defaultSubscription: 'type = "track"',
  fields: {
    userId: {
      label: 'User ID',
      description:
        "Your app's ID for the user (FullStory's uid). Needed unless a session URL is given: an event with neither is rejected before anything is sent.",
      type: 'string',
      default: { '@path': '$.userId' }
    },
    name: {
      label: 'Event Name',
      description: 'The event name shown in FullStory. Must be non-empty and at most 250 characters.',
      type: 'string',
      required: true,
      default: { '@path': '$.event' }
    },
    properties: {
      label: 'Event Properties',
      description:
        'Properties to store on the event. Names and types are made valid for FullStory automatically (see the README).',
      type: 'object',
      default: { '@path': '$.properties' }
    },
    timestamp: {
      label: 'Timestamp',
      description: 'When the event happened. Sent to FullStory in UTC; an unreadable timestamp rejects the event.',
      type: 'datetime',
      default: { '@path': '$.timestamp' }
    },
    useRecentSession: {
      label: 'Attach to Most Recent Session',
      description:
        "When on and no session URL is given, FullStory attaches the event to the user's session if it was active in the last 30 minutes.",
      type: 'boolean',
      default: true
    },
    sessionUrl: {
      label: 'Session URL',
      description:
        'A FullStory session replay URL (from FS.getCurrentSessionURL) or a raw session ID "deviceId:sessionId". When given, the event is attached to exactly that session.',
      type: 'string'
    },
    context: contextField,
    messageId,
    ...batchingFields
  },
  perform: (request, { payload, settings, logger, statsContext }) =>
    createEvent(request, settings, payload, { logger, statsContext }),
  performBatch: (request, { payload, settings, logger, statsContext }) =>
    createEventsBatch(request, settings, payload, { logger, statsContext })
}

export default action

import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { messageId } from '../common-fields'
import { createEvent, createEventsBatch } from '../events'
import { requestKey } from '../api'
import { batchingFields } from '../batch'
import { contextField, segmentContextField } from './context-field'
import { name, properties, sessionUrl, timestamp, useRecentSession, userId } from './fields'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Track Custom Event',
  description:
    'Sends a Segment track call to FullStory as a server event, attached to the user and, when possible, to their live session. Each event counts against your FullStory server-event quota.',
  defaultSubscription: 'type = "track"',
  fields: {
    userId,
    name,
    properties,
    timestamp,
    useRecentSession,
    sessionUrl,
    segmentContext: segmentContextField,
    context: contextField,
    messageId,
    ...batchingFields
  },
  perform: (request, data) => createEvent(request, data.settings, data.payload, requestKey('trackEvent', data), data),
  performBatch: (request, data) =>
    createEventsBatch(request, data.settings, data.payload, requestKey('trackEvent', data), data)
}

export default action

import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { messageId } from '../common-fields'
import { createEvent, createEventsBatch } from '../events'
import { requestKey } from '../api'
import { batchingFields } from '../batch'
import { contextField, segmentContextField } from '../trackEvent/context-field'
import { name, properties, sessionUrl, timestamp, useRecentSession, userId } from '../trackEvent/fields'

/**
 * The field set of Segment's earlier FullStory destination (`trackEventV2`, which its presets used), kept so that
 * its saved subscriptions go on delivering: the same keys and defaults, sent exactly as Track Custom Event sends.
 * Hidden: new mappings use Track Custom Event.
 */
const action: ActionDefinition<Settings, Payload> = {
  title: 'Track Custom Event (earlier destination)',
  description:
    "Saved mappings of Segment's earlier FullStory destination (its Track Event V2 action) run here unchanged, as Track Custom Event. Use Track Custom Event for new mappings.",
  defaultSubscription: 'type = "track"',
  hidden: true,
  fields: {
    userId,
    name,
    properties,
    timestamp,
    // The earlier destination gave these no default; unset, the session is still looked up (see the README).
    useRecentSession: { ...useRecentSession, default: undefined },
    sessionUrl,
    segmentContext: segmentContextField,
    context: contextField,
    messageId,
    ...batchingFields
  },
  perform: (request, data) => createEvent(request, data.settings, data.payload, requestKey('trackEventV2', data), data),
  performBatch: (request, data) =>
    createEventsBatch(request, data.settings, data.payload, requestKey('trackEventV2', data), data)
}

export default action

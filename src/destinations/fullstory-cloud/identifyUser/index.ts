import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { messageId } from '../common-fields'
import { createUser, createUsersBatch } from '../users'
import { batchingFields } from '../batch'

const action: ActionDefinition<Settings, Payload> = {
  title: 'Identify User',
  description:
    "Creates or updates a FullStory user from a Segment identify call: the Segment user ID becomes FullStory's uid, and traits become user properties.",
  defaultSubscription: 'type = "identify"',
  fields: {
    userId: {
      label: 'User ID',
      description:
        'Your app\'s ID for the user, sent as FullStory\'s uid. Required: without it FullStory would create a new anonymous user on every call. Never map a shared value such as "guest" here.',
      type: 'string',
      required: true,
      default: { '@path': '$.userId' }
    },
    anonymousId: {
      label: 'Anonymous ID',
      description:
        "Segment's anonymous ID, kept as the user property segmentAnonymousId so the two can be matched later.",
      type: 'string',
      default: { '@path': '$.anonymousId' }
    },
    email: {
      label: 'Email',
      description: "The user's email address, shown on the FullStory user card and searchable there.",
      type: 'string',
      default: { '@path': '$.traits.email' }
    },
    displayName: {
      label: 'Display Name',
      description: 'The name FullStory shows for the user in session lists and on the user card.',
      type: 'string',
      default: { '@path': '$.traits.name' }
    },
    traits: {
      label: 'User Properties',
      description:
        'Traits to store as FullStory user properties. Names and types are made valid for FullStory automatically (see the README); email and name are not repeated here when they are already sent above.',
      type: 'object',
      default: { '@path': '$.traits' }
    },
    messageId,
    ...batchingFields
  },
  perform: (request, { payload, settings, logger, statsContext }) =>
    createUser(request, settings, payload, { logger, statsContext }),
  performBatch: (request, { payload, settings, logger, statsContext }) =>
    createUsersBatch(request, settings, payload, { logger, statsContext })
}

export default action

import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { messageId } from '../common-fields'
import { createUser, createUsersBatch, UserFields } from '../users'
import { requestKey } from '../api'
import { batchingFields } from '../batch'
import { anonymousId, displayName, email, traits, userId } from '../identifyUser/fields'

/**
 * The field set of Segment's earlier FullStory destination (`identifyUserV2`, which its presets used), kept so that
 * its saved subscriptions go on delivering: the same keys and defaults, sent exactly as Identify User sends.
 * Hidden: new mappings use Identify User.
 */
const toUser = (payload: Payload): UserFields => ({
  uid: payload.uid,
  anonymousId: payload.anonymousId,
  email: payload.email,
  displayName: payload.displayName,
  traits: payload.properties,
  messageId: payload.messageId
})

const action: ActionDefinition<Settings, Payload> = {
  title: 'Identify User (earlier destination)',
  description:
    "Saved mappings of Segment's earlier FullStory destination (its Identify User V2 action) run here unchanged, as Identify User. Use Identify User for new mappings.",
  defaultSubscription: 'type = "identify"',
  hidden: true,
  fields: {
    uid: userId,
    anonymousId,
    displayName,
    email,
    properties: traits,
    messageId,
    ...batchingFields
  },
  perform: (request, data) =>
    createUser(request, data.settings, toUser(data.payload), requestKey('identifyUserV2', data), data),
  performBatch: (request, data) =>
    createUsersBatch(request, data.settings, data.payload.map(toUser), requestKey('identifyUserV2', data), data)
}

export default action

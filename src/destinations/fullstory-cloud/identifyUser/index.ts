import type { ActionDefinition } from '@segment/actions-core'
import type { Settings } from '../generated-types'
import type { Payload } from './generated-types'
import { messageId } from '../common-fields'
import { createUser, createUsersBatch, UserFields } from '../users'
import { requestKey } from '../api'
import { batchingFields } from '../batch'
import { anonymousId, displayName, email, traits, userId } from './fields'

// Field by field rather than a copy of the payload: this runs for every identify, and spreading the payload built an
// object key by key.
const toUser = (payload: Payload): UserFields => ({
  uid: payload.userId,
  anonymousId: payload.anonymousId,
  email: payload.email,
  displayName: payload.displayName,
  traits: payload.traits,
  messageId: payload.messageId
})

const action: ActionDefinition<Settings, Payload> = {
  title: 'Identify User',
  description:
    "Creates or updates a FullStory user from a Segment identify call: the Segment user ID becomes FullStory's uid, and traits become user properties.",
  defaultSubscription: 'type = "identify"',
  fields: { userId, anonymousId, email, displayName, traits, messageId, ...batchingFields },
  perform: (request, data) =>
    createUser(request, data.settings, toUser(data.payload), requestKey('identifyUser', data), data),
  performBatch: (request, data) =>
    createUsersBatch(request, data.settings, data.payload.map(toUser), requestKey('identifyUser', data), data)
}

export default action

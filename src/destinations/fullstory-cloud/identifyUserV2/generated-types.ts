// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * Your app's ID for the user, sent exactly as given as FullStory's uid. Required: a call without one is refused, as FullStory would otherwise create a new anonymous user on every call. Never map a shared value such as "guest" here.
   */
  uid?: string
  /**
   * Segment's anonymous ID, kept as the user property segmentAnonymousId so the two can be matched later.
   */
  anonymousId?: string
  /**
   * The name FullStory shows for the user in session lists and on the user card.
   */
  displayName?: string
  /**
   * The user's email address, shown on the FullStory user card and searchable there.
   */
  email?: string
  /**
   * Traits to store as FullStory user properties. Names FullStory accepts are sent exactly as written; others are made valid (see the Property Name Style setting), and types are declared where FullStory would guess wrong. Email and name are not repeated here when they are already sent above.
   */
  properties?: {
    [k: string]: unknown
  }
  /**
   * The Segment message ID. It becomes the Idempotency-Key of the FullStory request, so that when Segment retries a delivery FullStory does not count it twice. Leave the default unless you know why.
   */
  messageId?: string
  /**
   * When on, Segment hands this action events in batches and each batch becomes one FullStory import job. Jobs are processed asynchronously: FullStory reports a failure inside a job in its own job error list, not back to Segment. Leave off unless your volume needs it.
   */
  enable_batching?: boolean
  /**
   * The most events Segment puts in one batch (one FullStory import job per batch).
   */
  batch_size?: number
}

import type { InputField } from '@segment/actions-core'

export const messageId: InputField = {
  label: 'Message ID',
  description:
    'The Segment message ID. It becomes the Idempotency-Key of the FullStory request, so that when Segment retries a delivery FullStory does not count it twice. Leave the default unless you know why.',
  type: 'string',
  default: { '@path': '$.messageId' }
}

import { PayloadValidationError } from '@segment/actions-core'
import { checkedUid, MAX_UID_LENGTH, sessionIdFrom } from '../identity'

describe('sessionIdFrom: every form a FullStory session URL comes in', () => {
  it.each([
    ['https://app.fullstory.com/ui/o-1/session/123%3A456', '123:456'],
    ['https://app.fullstory.com/ui/o-1/session/123:456', '123:456'],
    ['app.fullstory.com/ui/o-1/session/123%3A456', '123:456'],
    ['app.eu1.fullstory.com/ui/o-1-eu1/session/123%3A456', '123:456'],
    ['https://app.eu1.fullstory.com/ui/o-1-eu1/session/5e1f%3Aa9c2', '5e1f:a9c2'],
    ['https://app.fullstory.com/ui/o-1/session/123%3A456?startTime=5', '123:456'],
    ['https://app.fullstory.com/ui/o-1/session/123%3A456#event-7', '123:456'],
    ['https://app.fullstory.com/ui/o-1/session/123%3A456/', '123:456'],
    ['http://app.fullstory.com/ui/o-1/session/123%3a456', '123:456'],
    ['  https://app.fullstory.com/ui/o-1/session/123%3A456\n', '123:456'],
    ['session/url/12345%3A678', '12345:678'],
    ['123:456', '123:456'],
    ['5120539387240448:6285441296498688', '5120539387240448:6285441296498688']
  ])('reads %j as %j', (url, id) => {
    expect(sessionIdFrom(url)).toBe(id)
  })

  it.each([
    'https://app.fullstory.com/ui/o-1/home',
    'https://app.fullstory.com/ui/o-1/session/',
    'http://localhost:3000/ui/session/none',
    'https://app.fullstory.com/ui/o-1/session/123%E0%A4%A',
    'not a url',
    '123',
    '1:2:3',
    ':456',
    '',
    // A host and port, an address, or URL parameters after the ID: not a session ID, so the user is not dropped.
    'https://example.com:8080',
    'example.com:8080',
    'mailto:x@y.com',
    'https://app.fullstory.com/ui/o-1/session/1%3A2;jsessionid=x'
  ])('finds no session ID in %j', (url) => {
    expect(sessionIdFrom(url)).toBeUndefined()
  })
})

describe('checkedUid: one rule for a uid in identify, track, batches and deletion', () => {
  it.each([' alice ', 'a/b', 'ünïcødé', '100%', 'a+b', 'user@example.com', '😀', 'u'.repeat(MAX_UID_LENGTH)])(
    'sends %j exactly as given',
    (uid) => {
      expect(checkedUid(uid)).toBe(uid)
    }
  )

  it.each([
    ['', 'userId is empty; FullStory needs a user ID with at least one visible character.'],
    ['   ', 'userId is only whitespace; FullStory needs a user ID with at least one visible character.'],
    ['\t\n', 'userId is only whitespace; FullStory needs a user ID with at least one visible character.'],
    ['u'.repeat(MAX_UID_LENGTH + 1), 'userId is 257 characters long; FullStory accepts at most 256.'],
    [
      'a\ud800b',
      'userId holds a broken character (an unpaired UTF-16 surrogate), which no URL or FullStory user can carry.'
    ],
    [
      '\udc00',
      'userId holds a broken character (an unpaired UTF-16 surrogate), which no URL or FullStory user can carry.'
    ]
  ])('refuses %j with a PayloadValidationError', (uid, message) => {
    expect(() => checkedUid(uid)).toThrow(PayloadValidationError)
    expect(() => checkedUid(uid)).toThrow(message)
  })
})

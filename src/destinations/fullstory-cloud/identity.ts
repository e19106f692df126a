import { refusal } from './errors'

/** FullStory's limit on a uid, for users, for the user an event names, and for deletions. */
export const MAX_UID_LENGTH = 256

/**
 * The one rule for a uid, applied by identify, track, batches and deletion alike, so that the user a deletion
 * removes is exactly the user identify created: the string is sent as given (never trimmed or changed), and
 * refused when FullStory could not hold it or it could not travel in a URL.
 */
export function checkedUid(uid: string, field = 'userId'): string {
  if (uid.trim() === '') {
    const what = uid === '' ? 'empty' : 'only whitespace'
    throw refusal(`${field} is ${what}; FullStory needs a user ID with at least one visible character.`)
  }
  checkLength(field, uid, MAX_UID_LENGTH)
  if (!isWellFormed(uid)) {
    throw refusal(
      `${field} holds a broken character (an unpaired UTF-16 surrogate), which no URL or FullStory user can carry.`
    )
  }
  return uid
}

/** Refuses a uid longer than FullStory accepts. */
function checkLength(field: string, value: string, max: number): void {
  if (value.length > max) {
    throw refusal(`${field} is ${value.length} characters long; FullStory accepts at most ${max}.`)
  }
}

/** Whether every UTF-16 surrogate in `text` is part of a pair (String.prototype.isWellFormed, Node 20+). */
function isWellFormed(text: string): boolean {
  for (let i = 0; i < text.length; i++) {
    const unit = text.charCodeAt(i)
    if (unit < 0xd800 || unit > 0xdfff) continue
    const next = text.charCodeAt(i + 1)
    if (unit > 0xdbff || !(next >= 0xdc00 && next <= 0xdfff)) return false // a pair is high then low
    i++
  }
  return true
}

/**
 * `deviceId:sessionId`, FullStory's session ID: two parts of letters, digits, `_` or `-` (FullStory's are numbers;
 * nothing that punctuates a host, an address or URL parameters, such as `example.com:8080` or `1:2;jsessionid=x`).
 */
const SESSION_ID = /^[A-Za-z0-9_-]+:[A-Za-z0-9_-]+$/

/**
 * The FullStory session ID a session URL holds, or undefined when it holds none. Reads every form FullStory gives:
 * a replay URL with or without scheme, on any host (app.fullstory.com, app.eu1.fullstory.com), with the ID
 * percent-encoded or not, with a query or fragment, and the bare `deviceId:sessionId`.
 */
export function sessionIdFrom(sessionUrl: string): string | undefined {
  let text = sessionUrl.trim()
  const end = text.search(/[?#]/)
  if (end !== -1) text = text.slice(0, end)
  const withoutScheme = text.replace(/^[A-Za-z][A-Za-z0-9+.-]*:\/\//, '')
  const segments = withoutScheme.split('/')
  // The ID is the last path segment that is one (`/ui/<org>/session/<id>`, with or without a trailing `/`); the
  // first segment is the host, never the ID, unless the value is a single bare segment (a raw session ID).
  const first = segments.length > 1 || withoutScheme !== text ? 1 : 0
  for (let i = segments.length - 1; i >= first; i--) {
    const id = decodeOrKeep(segments[i])
    if (SESSION_ID.test(id)) return id
  }
  return undefined
}

function decodeOrKeep(text: string): string {
  try {
    return decodeURIComponent(text)
  } catch {
    return text // a stray % is not an encoding; the format check decides
  }
}

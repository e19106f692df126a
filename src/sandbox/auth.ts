import { timingSafeEqual } from 'crypto'
import { ApiError, ErrorCodes } from './errors'

/**
 * FullStory's auth: `Authorization: Basic <API key>`, the key verbatim with no base64 step
 * (docs/fullstory-api.md section 1). Messages never repeat the key that was sent.
 */
export function authorize(header: string | undefined, apiKey: string | undefined): ApiError | undefined {
  const match = /^Basic\s+(\S.*)$/i.exec(header?.trim() ?? '')
  if (!match) {
    return unauthorized(
      header === undefined
        ? 'access is unauthorized: send the header Authorization: Basic <your API key>'
        : 'access is unauthorized: the Authorization header must be "Basic <your API key>" (the key as is, not base64, not Bearer)'
    )
  }
  if (apiKey !== undefined && !sameKey(match[1], apiKey)) {
    return unauthorized('access is unauthorized: the API key is not valid or was revoked')
  }
  return undefined
}

function unauthorized(message: string): ApiError {
  return new ApiError(401, ErrorCodes.unauthorized, message)
}

function sameKey(given: string, expected: string): boolean {
  const a = Buffer.from(given)
  const b = Buffer.from(expected)
  return a.length === b.length && timingSafeEqual(a, b)
}

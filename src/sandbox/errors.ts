import type { ApiErrorBody } from './types'

/** Error codes as FullStory's v2 spec spells them (docs/fullstory-api.md section 9). */
export const ErrorCodes = {
  invalidArgument: 'invalid_argument',
  requiredField: 'required_field',
  unauthorized: 'unauthorized',
  forbidden: 'forbidden',
  notFound: 'resource_not_found',
  userNotFound: 'user_not_found',
  methodNotAllowed: 'method_not_allowed',
  payloadTooLarge: 'payload_too_large',
  tooManyRequests: 'too_many_requests',
  serverError: 'server_error',
  sessionPageLimitExceeded: 'session_page_limit_exceeded',
  idempotencyKeyConflict: 'idempotency_key_conflict'
} as const

/** A FullStory error response. Thrown inside the sandbox and turned into `{ message, code }` JSON at the edge. */
export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly code: string,
    message: string,
    /** Seconds, sent as `Retry-After`. */
    readonly retryAfter?: number
  ) {
    super(message)
    this.name = 'ApiError'
  }

  toBody(): ApiErrorBody {
    return { message: this.message, code: this.code }
  }
}

export function invalid(message: string): ApiError {
  return new ApiError(400, ErrorCodes.invalidArgument, message)
}

export function required(message: string): ApiError {
  return new ApiError(400, ErrorCodes.requiredField, message)
}

export function notFound(message: string): ApiError {
  return new ApiError(404, ErrorCodes.notFound, message)
}

/** The embedded FullStory sandbox: FullStory's v2 server API, in process, for local runs and tests. */
export { startSandbox } from './sandbox'
export { validateCreateUser, validateCreateEvent, MAX_BATCH_REQUESTS } from './validation'
export { ErrorCodes } from './errors'
export { MAX_USER_PROPERTIES, MAX_VALUE_BYTES, MAX_PATH_LENGTH } from './properties'
export type {
  ApiErrorBody,
  EventContext,
  EventRequest,
  FaultSpec,
  PropertySchema,
  PropertyType,
  Sandbox,
  SandboxEvent,
  SandboxOptions,
  SandboxRequestLog,
  SandboxRole,
  SandboxState,
  SandboxUser
} from './types'

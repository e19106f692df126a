import type { FullStoryType } from './properties'

export interface PropertySchema {
  properties: Record<string, FullStoryType>
}

/** Body of POST /v2/users and one item of POST /v2/users/batch. */
export interface UserRequest {
  uid: string
  email?: string
  display_name?: string
  properties?: Record<string, unknown>
  schema?: PropertySchema
}

export interface EventContext {
  browser?: { url?: string; user_agent?: string; initial_referrer?: string }
  mobile?: { app_name?: string; app_version?: string; app_id?: string }
  device?: { manufacturer?: string; model?: string; screen_width?: number; screen_height?: number }
  location?: {
    ip_address?: string
    city?: string
    region?: string
    country?: string
    latitude?: number
    longitude?: number
  }
}

/** Body of POST /v2/events and one item of POST /v2/events/batch. */
export interface EventRequest {
  name: string
  timestamp?: string
  properties?: Record<string, unknown>
  schema?: PropertySchema
  user?: { uid: string }
  session?: { id: string } | { use_most_recent: true }
  context?: EventContext
}

// Generated file. DO NOT MODIFY IT BY HAND.

export interface Payload {
  /**
   * Your app's ID for the user (FullStory's uid), sent exactly as given. Needed unless a session URL is given: an event with neither is rejected before anything is sent.
   */
  userId?: string
  /**
   * The event name shown in FullStory. Must be non-empty and at most 250 characters.
   */
  name: string
  /**
   * Properties to store on the event. Names FullStory accepts are sent exactly as written; others are made valid (see the Property Name Style setting), and types are declared where FullStory would guess wrong.
   */
  properties?: {
    [k: string]: unknown
  }
  /**
   * When the event happened. Sent to FullStory in UTC; an unreadable timestamp rejects the event.
   */
  timestamp?: string | number
  /**
   * When on (or left unset) and no session URL is given, FullStory attaches the event to the user's session if it was active in the last 30 minutes. Turn off to record the event on the user only.
   */
  useRecentSession?: boolean
  /**
   * A FullStory session replay URL (from FS.getCurrentSessionURL or getSession), with or without https://, or a raw session ID "deviceId:sessionId". When it holds a session ID, the event is attached to exactly that session; when it holds none, the event goes to the user and a warning says so.
   */
  sessionUrl?: string
  /**
   * Segment's context object. The parts FullStory takes from it (page URL and referrer, user agent, mobile app, device, screen size, IP address and location) are sent as the event's context, each unless Event Context maps it otherwise. Clear this field to send only what Event Context maps.
   */
  segmentContext?: {
    [k: string]: unknown
  }
  /**
   * Map a part here to send something other than Segment Context holds for it (each part says where Segment keeps it). Empty or invalid parts, such as a country that is not a two-letter ISO code, are left out; the event is still sent.
   */
  context?: {
    /**
     * URL of the page. From Segment: context.page.url.
     */
    browser_url?: string
    /**
     * Browser user agent. From Segment: context.userAgent.
     */
    browser_user_agent?: string
    /**
     * Page referrer. From Segment: context.page.referrer.
     */
    browser_initial_referrer?: string
    /**
     * Mobile app name. From Segment: context.app.name.
     */
    mobile_app_name?: string
    /**
     * Mobile app version. From Segment: context.app.version.
     */
    mobile_app_version?: string
    /**
     * Mobile app bundle ID. From Segment: context.app.namespace.
     */
    mobile_app_id?: string
    /**
     * Device manufacturer. From Segment: context.device.manufacturer.
     */
    device_manufacturer?: string
    /**
     * Device model. From Segment: context.device.model.
     */
    device_model?: string
    /**
     * Screen width in whole pixels. From Segment: context.screen.width.
     */
    device_screen_width?: number
    /**
     * Screen height in whole pixels. From Segment: context.screen.height.
     */
    device_screen_height?: number
    /**
     * IP address of the client. From Segment: context.ip.
     */
    location_ip_address?: string
    /**
     * City name. From Segment: context.location.city.
     */
    location_city?: string
    /**
     * Region or state. From Segment: context.location.region.
     */
    location_region?: string
    /**
     * Two-letter ISO 3166-1 country code such as "US"; any other value is left out. From Segment: context.location.country.
     */
    location_country?: string
    /**
     * Latitude, -90 to 90. From Segment: context.location.latitude.
     */
    location_latitude?: number
    /**
     * Longitude, -180 to 180. From Segment: context.location.longitude.
     */
    location_longitude?: number
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

import type { InputField } from '@segment/actions-core'

export type ContextKey =
  | 'browser_url'
  | 'browser_user_agent'
  | 'browser_initial_referrer'
  | 'mobile_app_name'
  | 'mobile_app_version'
  | 'mobile_app_id'
  | 'device_manufacturer'
  | 'device_model'
  | 'device_screen_width'
  | 'device_screen_height'
  | 'location_ip_address'
  | 'location_city'
  | 'location_region'
  | 'location_country'
  | 'location_latitude'
  | 'location_longitude'

interface ContextPart {
  label: string
  description: string
  type: 'string' | 'number'
  /** Where the part is in Segment's context (`['page', 'url']` is `context.page.url`). */
  source: string[]
}

/** Each key names its FullStory target (`browser_url` is `context.browser.url`) and its Segment source. */
export const CONTEXT_PARTS: Record<ContextKey, ContextPart> = {
  browser_url: {
    label: 'Page URL',
    description: 'URL of the page.',
    type: 'string',
    source: ['page', 'url']
  },
  browser_user_agent: {
    label: 'User Agent',
    description: 'Browser user agent.',
    type: 'string',
    source: ['userAgent']
  },
  browser_initial_referrer: {
    label: 'Referrer',
    description: 'Page referrer.',
    type: 'string',
    source: ['page', 'referrer']
  },
  mobile_app_name: {
    label: 'App Name',
    description: 'Mobile app name.',
    type: 'string',
    source: ['app', 'name']
  },
  mobile_app_version: {
    label: 'App Version',
    description: 'Mobile app version.',
    type: 'string',
    source: ['app', 'version']
  },
  mobile_app_id: {
    label: 'App ID',
    description: 'Mobile app bundle ID.',
    type: 'string',
    source: ['app', 'namespace']
  },
  device_manufacturer: {
    label: 'Device Manufacturer',
    description: 'Device manufacturer.',
    type: 'string',
    source: ['device', 'manufacturer']
  },
  device_model: {
    label: 'Device Model',
    description: 'Device model.',
    type: 'string',
    source: ['device', 'model']
  },
  device_screen_width: {
    label: 'Screen Width',
    description: 'Screen width in whole pixels.',
    type: 'number',
    source: ['screen', 'width']
  },
  device_screen_height: {
    label: 'Screen Height',
    description: 'Screen height in whole pixels.',
    type: 'number',
    source: ['screen', 'height']
  },
  location_ip_address: {
    label: 'IP Address',
    description: 'IP address of the client.',
    type: 'string',
    source: ['ip']
  },
  location_city: { label: 'City', description: 'City name.', type: 'string', source: ['location', 'city'] },
  location_region: {
    label: 'Region',
    description: 'Region or state.',
    type: 'string',
    source: ['location', 'region']
  },
  location_country: {
    label: 'Country',
    description: 'Two-letter ISO 3166-1 country code such as "US"; any other value is left out.',
    type: 'string',
    source: ['location', 'country']
  },
  location_latitude: {
    label: 'Latitude',
    description: 'Latitude, -90 to 90.',
    type: 'number',
    source: ['location', 'latitude']
  },
  location_longitude: {
    label: 'Longitude',
    description: 'Longitude, -180 to 180.',
    type: 'number',
    source: ['location', 'longitude']
  }
}

export const CONTEXT_KEYS = Object.keys(CONTEXT_PARTS) as ContextKey[]

/**
 * Segment's whole context object, in one mapping directive: the parts FullStory takes are read from it. One directive
 * instead of one per part keeps what actions-core does for every event small (mapping, copy and validation).
 */
export const segmentContextField: InputField = {
  label: 'Segment Context',
  description:
    "Segment's context object. The parts FullStory takes from it (page URL and referrer, user agent, mobile app, device, screen size, IP address and location) are sent as the event's context, each unless Event Context maps it otherwise. Clear this field to send only what Event Context maps.",
  type: 'object',
  default: { '@path': '$.context' }
}

/** Parts of FullStory's event context mapped one by one, each taking the place of the same part of Segment Context. */
export const contextField: InputField = {
  label: 'Event Context',
  description:
    'Map a part here to send something other than Segment Context holds for it (each part says where Segment keeps it). Empty or invalid parts, such as a country that is not a two-letter ISO code, are left out; the event is still sent.',
  type: 'object',
  additionalProperties: false,
  defaultObjectUI: 'keyvalue:only',
  properties: Object.fromEntries(
    CONTEXT_KEYS.map((key) => {
      const { label, description, type, source } = CONTEXT_PARTS[key]
      const from = source.join('.')
      return [key, { label, description: `${description} From Segment: context.${from}.`, type }]
    })
  )
}

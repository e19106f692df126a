import type { InputField } from '@segment/actions-core'

type ContextKey =
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
  segmentPath: string
}

/** Each key names its FullStory target (`browser_url` is `context.browser.url`) and its Segment source. */
const CONTEXT_PARTS: Record<ContextKey, ContextPart> = {
  browser_url: {
    label: 'Page URL',
    description: 'URL of the page.',
    type: 'string',
    segmentPath: '$.context.page.url'
  },
  browser_user_agent: {
    label: 'User Agent',
    description: 'Browser user agent.',
    type: 'string',
    segmentPath: '$.context.userAgent'
  },
  browser_initial_referrer: {
    label: 'Referrer',
    description: 'Page referrer.',
    type: 'string',
    segmentPath: '$.context.page.referrer'
  },
  mobile_app_name: {
    label: 'App Name',
    description: 'Mobile app name.',
    type: 'string',
    segmentPath: '$.context.app.name'
  },
  mobile_app_version: {
    label: 'App Version',
    description: 'Mobile app version.',
    type: 'string',
    segmentPath: '$.context.app.version'
  },
  mobile_app_id: {
    label: 'App ID',
    description: 'Mobile app bundle ID.',
    type: 'string',
    segmentPath: '$.context.app.namespace'
  },
  device_manufacturer: {
    label: 'Device Manufacturer',
    description: 'Device manufacturer.',
    type: 'string',
    segmentPath: '$.context.device.manufacturer'
  },
  device_model: {
    label: 'Device Model',
    description: 'Device model.',
    type: 'string',
    segmentPath: '$.context.device.model'
  },
  device_screen_width: {
    label: 'Screen Width',
    description: 'Screen width in whole pixels.',
    type: 'number',
    segmentPath: '$.context.screen.width'
  },
  device_screen_height: {
    label: 'Screen Height',
    description: 'Screen height in whole pixels.',
    type: 'number',
    segmentPath: '$.context.screen.height'
  },
  location_ip_address: {
    label: 'IP Address',
    description: 'IP address of the client.',
    type: 'string',
    segmentPath: '$.context.ip'
  },
  location_city: { label: 'City', description: 'City name.', type: 'string', segmentPath: '$.context.location.city' },
  location_region: {
    label: 'Region',
    description: 'Region or state.',
    type: 'string',
    segmentPath: '$.context.location.region'
  },
  location_country: {
    label: 'Country',
    description: 'Two-letter ISO 3166-1 country code such as "US"; any other value is left out.',
    type: 'string',
    segmentPath: '$.context.location.country'
  },
  location_latitude: {
    label: 'Latitude',
    description: 'Latitude, -90 to 90.',
    type: 'number',
    segmentPath: '$.context.location.latitude'
  },
  location_longitude: {
    label: 'Longitude',
    description: 'Longitude, -180 to 180.',
    type: 'number',
    segmentPath: '$.context.location.longitude'
  }
}

const keys = Object.keys(CONTEXT_PARTS) as ContextKey[]

/** Segment's context, mapped onto FullStory's event context (browser, mobile app, device, location). */
export const contextField: InputField = {
  label: 'Event Context',
  description:
    "Where the event happened, taken from Segment's context: page URL and referrer, user agent, mobile app, device, screen and location. Empty or invalid parts (such as a country that is not a two-letter ISO code) are left out; the event is still sent.",
  type: 'object',
  additionalProperties: false,
  defaultObjectUI: 'keyvalue:only',
  properties: Object.fromEntries(
    keys.map((key) => {
      const { label, description, type } = CONTEXT_PARTS[key]
      return [key, { label, description, type }]
    })
  ),
  default: Object.fromEntries(keys.map((key) => [key, { '@path': CONTEXT_PARTS[key].segmentPath }]))
}

import { invalid } from './errors'
import { hasOwn } from './own'
import { isPlainObject } from './properties'

/**
 * The event `context` object: only the sub-objects and keys FullStory documents (docs/fullstory-api.md section 6).
 * Unknown keys are refused rather than ignored, so a mapping typo shows up in local runs instead of vanishing.
 */

type FieldKind = 'string' | 'int32' | 'country' | 'latitude' | 'longitude'

const CONTEXT_FIELDS: Record<string, Record<string, FieldKind>> = {
  browser: { url: 'string', user_agent: 'string', initial_referrer: 'string' },
  mobile: { app_id: 'string', app_version: 'string', app_name: 'string', build_variant: 'string' },
  device: {
    manufacturer: 'string',
    model: 'string',
    screen_width: 'int32',
    screen_height: 'int32',
    viewport_width: 'int32',
    viewport_height: 'int32'
  },
  location: {
    country: 'country',
    region: 'string',
    city: 'string',
    latitude: 'latitude',
    longitude: 'longitude',
    ip_address: 'string'
  }
}

const COUNTRY = /^[A-Z]{2}$/
const INT32_MIN = -(2 ** 31)
const INT32_MAX = 2 ** 31 - 1

export function checkContext(value: unknown, field: string): void {
  if (!isPlainObject(value)) throw invalid(`${field} must be a JSON object`)
  for (const [group, groupValue] of Object.entries(value)) {
    if (!hasOwn(CONTEXT_FIELDS, group)) {
      throw invalid(`${field}.${group} is not a context field; use ${Object.keys(CONTEXT_FIELDS).join(', ')}`)
    }
    if (!isPlainObject(groupValue)) throw invalid(`${field}.${group} must be a JSON object`)
    const fields = CONTEXT_FIELDS[group]
    for (const [key, fieldValue] of Object.entries(groupValue)) {
      const where = `${field}.${group}.${key}`
      if (!hasOwn(fields, key)) {
        throw invalid(`${where} is not a ${group} context field; use ${Object.keys(fields).join(', ')}`)
      }
      checkField(fields[key], fieldValue, where)
    }
  }
}

function checkField(kind: FieldKind, value: unknown, where: string): void {
  switch (kind) {
    case 'string':
      if (typeof value !== 'string') throw invalid(`${where} must be a string`)
      return
    case 'int32':
      if (typeof value !== 'number' || !Number.isInteger(value) || value < INT32_MIN || value > INT32_MAX) {
        throw invalid(`${where} must be a 32-bit integer`)
      }
      return
    case 'country':
      if (typeof value !== 'string' || !COUNTRY.test(value)) {
        throw invalid(`${where} must be an ISO 3166-1 alpha-2 country code (two uppercase letters, e.g. "US")`)
      }
      return
    case 'latitude':
      if (typeof value !== 'number' || value < -90 || value > 90) {
        throw invalid(`${where} must be a number from -90 to 90`)
      }
      return
    case 'longitude':
      if (typeof value !== 'number' || value < -180 || value > 180) {
        throw invalid(`${where} must be a number from -180 to 180`)
      }
  }
}

import type { SegmentEvent } from '@segment/actions-core'

/**
 * A deterministic, realistic stream of Segment calls: nested traits and properties, arrays of strings and of
 * objects, ISO dates, legacy-looking names (`plan_str`, `signup_date`, `first-property`, names with spaces), a full
 * Segment context, and a share of tracks from visitors who are not identified yet (anonymousId only). The same seed
 * always gives the same events, so runs and machines are comparable.
 */

export interface MixShares {
  /** Share of identify calls. */
  identify: number
  /** Share of page calls (neither destination's presets take them: they cost the subscription check only). */
  page: number
  /** Share of track calls that carry an anonymousId and no userId. */
  anonymousTracks: number
}

/** What the comparison runs on: 70 % track (a tenth of them anonymous), 25 % identify, 5 % page. */
export const REALISTIC_MIX: MixShares = { identify: 0.25, page: 0.05, anonymousTracks: 0.1 }

/** Every event is one a destination delivers: for throughput and memory runs that count acknowledged events. */
export const DELIVERABLE_MIX: MixShares = { identify: 0.25, page: 0, anonymousTracks: 0 }

/** mulberry32: a small, fast, seeded PRNG. */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0
  return () => {
    state = (state + 0x6d2b79f5) >>> 0
    let t = state
    t = Math.imul(t ^ (t >>> 15), t | 1)
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61)
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296
  }
}

type Random = () => number

const pick = <T>(random: Random, list: readonly T[]): T => list[Math.floor(random() * list.length)]
const int = (random: Random, min: number, max: number) => min + Math.floor(random() * (max - min + 1))
const money = (random: Random, max: number) => Math.round(random() * max * 100) / 100

const PLANS = ['free', 'starter', 'pro', 'enterprise'] as const
const CITIES = [
  ['Berlin', 'BE', 'DE', 52.52, 13.405],
  ['London', 'England', 'GB', 51.5072, -0.1276],
  ['San Francisco', 'California', 'US', 37.7749, -122.4194],
  ['São Paulo', 'SP', 'BR', -23.5505, -46.6333],
  ['東京', 'Tokyo', 'JP', 35.6762, 139.6503]
] as const
const EVENTS = ['Order Completed', 'Product Viewed', 'Checkout Started', 'Signed Up', 'Feature Used'] as const
const PAGES = ['Home', 'Pricing', 'Product', 'Checkout'] as const
const USER_AGENTS = [
  'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15 (KHTML, like Gecko) Version/17.5 Safari/605.1.15',
  'Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/126.0 Safari/537.36',
  'Mozilla/5.0 (iPhone; CPU iPhone OS 17_5 like Mac OS X) AppleWebKit/605.1.15 (KHTML, like Gecko) Mobile/15E148'
] as const

function isoDate(random: Random, withTime: boolean): string {
  const iso = new Date(Date.UTC(2020, 0, 1) + Math.floor(random() * 4 * 365 * 86_400_000)).toISOString()
  return withTime ? iso : iso.slice(0, 10)
}

function context(random: Random, index: number): Record<string, unknown> {
  const [city, region, country, latitude, longitude] = pick(random, CITIES)
  const mobile = random() < 0.3
  return {
    ip: `198.51.100.${index % 250}`,
    locale: 'en-US',
    timezone: 'Europe/Berlin',
    userAgent: pick(random, USER_AGENTS),
    library: { name: mobile ? 'analytics-ios' : 'analytics.js', version: '5.2.1' },
    page: {
      url: `https://shop.example.com/products/${index}?utm_source=newsletter`,
      path: `/products/${index}`,
      referrer: 'https://www.google.com/',
      title: 'Product page',
      search: '?utm_source=newsletter'
    },
    ...(mobile
      ? {
          app: { name: 'Shop', version: '5.2.0', build: '520', namespace: 'com.example.shop' },
          device: { id: `dev-${index}`, manufacturer: 'Apple', model: 'iPhone15,2', type: 'ios' },
          os: { name: 'iOS', version: '17.5' },
          network: { wifi: true, carrier: 'T-Mobile' },
          screen: { width: 1179, height: 2556, density: 3 }
        }
      : { screen: { width: 1920, height: 1080 } }),
    location: { city, region, country, latitude, longitude },
    campaign: { name: 'spring', source: 'newsletter', medium: 'email', content: 'hero', term: 'shoes' }
  }
}

function identify(random: Random, index: number): SegmentEvent {
  const user = `user-${int(random, 1, 50_000)}`
  return {
    type: 'identify',
    messageId: `bench-identify-${index}`,
    userId: user,
    anonymousId: `anon-${index.toString(36)}`,
    timestamp: isoDate(random, true),
    traits: {
      name: `Customer ${index}`,
      email: `customer${index}@example.com`,
      plan: pick(random, PLANS),
      plan_str: pick(random, PLANS),
      logins_int: int(random, 1, 900),
      signup_date: isoDate(random, true),
      'first-property': `value ${index % 13}`,
      'Account Age (days)': int(random, 0, 2000),
      lifetime_value: money(random, 5000),
      is_beta: random() < 0.5,
      createdAt: isoDate(random, true),
      birthday: isoDate(random, false),
      address: {
        street: `${index} Main St`,
        city: pick(random, CITIES)[0],
        postalCode: String(int(random, 10000, 99999))
      },
      company: { name: `Company ${index % 97}`, employees: int(random, 1, 5000), industry: 'Retail' },
      roles: ['admin', 'billing', 'editor'].slice(0, int(random, 1, 3)),
      preferences: { newsletter: random() < 0.5, channels: ['email', 'sms'], language: 'en' },
      devices: [
        { type: 'phone', os: 'iOS', last_seen: isoDate(random, true) },
        { type: 'laptop', os: 'macOS', last_seen: isoDate(random, true) }
      ]
    },
    context: context(random, index)
  }
}

function track(random: Random, index: number, anonymous: boolean): SegmentEvent {
  const count = int(random, 1, 4)
  const products = Array.from({ length: count }, (_, i) => ({
    product_id: `p-${int(random, 1, 900)}`,
    sku: `SKU-${index}-${i}`,
    name: `Product ${i}`,
    price: money(random, 200),
    quantity: int(random, 1, 3),
    category: pick(random, ['shoes', 'shirts', 'hats']),
    tags: ['sale', 'new'].slice(0, int(random, 0, 2))
  }))
  const user = `user-${int(random, 1, 50_000)}`
  return {
    type: 'track',
    event: pick(random, EVENTS),
    messageId: `bench-track-${index}`,
    ...(anonymous ? {} : { userId: user }),
    anonymousId: `anon-${index.toString(36)}`,
    timestamp: isoDate(random, true),
    properties: {
      order_id: `o-${index}`,
      total: money(random, 800),
      revenue: money(random, 700),
      currency: 'EUR',
      item_count: count,
      coupon: random() < 0.3 ? 'SPRING' : null,
      'shipping-method': pick(random, ['standard', 'express']),
      'first-property': `fp-${index % 7}`,
      plan_str: pick(random, PLANS),
      shipping: { method: 'dhl', cost: money(random, 20), address: { city: 'Berlin', zip: 10115 } },
      products,
      tags: ['checkout', 'web'],
      delivered_at: isoDate(random, true),
      signup_date: isoDate(random, false),
      first_purchase: random() < 0.2
    },
    context: context(random, index)
  }
}

function page(random: Random, index: number): SegmentEvent {
  const name = pick(random, PAGES)
  return {
    type: 'page',
    name,
    messageId: `bench-page-${index}`,
    userId: `user-${int(random, 1, 50_000)}`,
    anonymousId: `anon-${index.toString(36)}`,
    timestamp: isoDate(random, true),
    properties: { title: `${name} page`, path: `/${name.toLowerCase()}`, url: `https://shop.example.com/${index}` },
    context: context(random, index)
  }
}

/** `count` events in the given shares, interleaved; the same `seed` and shares always give the same events. */
export function eventMix(count: number, seed = 7, shares: MixShares = REALISTIC_MIX): SegmentEvent[] {
  const random = seededRandom(seed)
  return Array.from({ length: count }, (_, index) => {
    const draw = random()
    if (draw < shares.identify) return identify(random, index)
    if (draw < shares.identify + shares.page) return page(random, index)
    return track(random, index, random() < shares.anonymousTracks)
  })
}

/** "70 % track (10 % of them anonymous), 25 % identify, 5 % page": the shares as a row label says them. */
export function describeShares(shares: MixShares): string {
  const percent = (share: number) => `${Math.round(share * 100)} %`
  const track = 1 - shares.identify - shares.page
  const anonymous = shares.anonymousTracks > 0 ? ` (${percent(shares.anonymousTracks)} of them anonymous)` : ''
  const page = shares.page > 0 ? `, ${percent(shares.page)} page` : ''
  return `${percent(track)} track${anonymous}, ${percent(shares.identify)} identify${page}`
}

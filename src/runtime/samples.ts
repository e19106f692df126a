/** Sample Segment calls for the page's composer: realistic enough to exercise names, types, arrays and context. */
export const SAMPLE_EVENTS = {
  identify: {
    type: 'identify',
    userId: 'user-1001',
    anonymousId: 'anon-7f3a',
    traits: {
      name: 'Ada Lovelace',
      email: 'ada@example.com',
      plan: 'enterprise',
      'Account Age (days)': 412,
      signed_up_at: '2023-10-12T09:30:00Z',
      company: { name: 'Analytical Engines', employees: 42 },
      roles: ['admin', 'billing']
    },
    context: { ip: '203.0.113.7' }
  },
  track: {
    type: 'track',
    userId: 'user-1001',
    event: 'Order Completed',
    properties: {
      order_id: 'o-5521',
      total: 129.5,
      'shipping-method': 'express',
      item_count: 3,
      products: [
        { sku: 'A-1', price: 49.5, quantity: 1 },
        { sku: 'B-2', price: 40, quantity: 2 }
      ]
    },
    context: {
      ip: '203.0.113.7',
      userAgent: 'Mozilla/5.0 (Macintosh; Intel Mac OS X 14_5) AppleWebKit/605.1.15',
      page: { url: 'https://shop.example.com/checkout', referrer: 'https://www.google.com/' },
      location: { city: 'London', country: 'GB' }
    }
  },
  page: {
    type: 'page',
    userId: 'user-1001',
    name: 'Pricing',
    properties: { path: '/pricing', title: 'Pricing' },
    context: { page: { url: 'https://shop.example.com/pricing' } }
  },
  screen: {
    type: 'screen',
    userId: 'user-1001',
    name: 'Home',
    context: { app: { name: 'Shop', version: '5.2.0', namespace: 'com.example.shop' } }
  }
}

import { defaultValues } from '@segment/actions-core'
import type { Subscription } from '@segment/actions-core'
import trackEvent from '../src/destinations/fullstory-cloud/trackEvent'

/** "Viewed Pricing Page" for a page named Pricing, "Viewed Page" when it has no name. */
function viewedSubscription(type: 'page' | 'screen', noun: string): Subscription {
  return {
    name: `${noun} Views`,
    subscribe: `type = "${type}"`,
    partnerAction: 'trackEvent',
    mapping: {
      ...defaultValues(trackEvent.fields),
      name: {
        '@if': {
          exists: { '@path': '$.name' },
          then: { '@template': `Viewed {{name}} ${noun}` },
          else: `Viewed ${noun}`
        }
      }
    }
  }
}

/** The README's page/screen recipe, kept here so that tests prove the exact mappings the README shows. */
export const PAGE_VIEW_SUBSCRIPTIONS: Subscription[] = [
  viewedSubscription('page', 'Page'),
  viewedSubscription('screen', 'Screen')
]

import { parseSubscriptions, presetSubscriptions } from '../subscriptions'

describe('mappings files', () => {
  it('accepts an array or { subscriptions } in Segment shape and names unnamed entries', () => {
    const entry = {
      subscribe: 'type = "track"',
      partnerAction: 'trackEvent',
      mapping: { name: { '@path': '$.event' } }
    }
    expect(parseSubscriptions([entry])).toEqual([{ ...entry, name: 'trackEvent (type = "track")' }])
    expect(parseSubscriptions({ subscriptions: [{ ...entry, name: 'Mine' }] })[0].name).toBe('Mine')
  })

  it.each([
    ['an empty list', [], /non-empty JSON array/],
    ['an entry that is not an object', [1], /entry 0 is not an object/],
    ['FQL that does not parse', [{ subscribe: '(type = "x"', partnerAction: 'trackEvent' }], /valid FQL/],
    [
      'an unknown action',
      [{ subscribe: 'type = "track"', partnerAction: 'sendSms' }],
      /one of identifyUser, trackEvent/
    ],
    [
      'a mapping naming a field the action lacks',
      [{ subscribe: 'type = "track"', partnerAction: 'trackEvent', mapping: { evnt: 'x' } }],
      /trackEvent has no field evnt/
    ],
    [
      'a mapping that is not an object',
      [{ subscribe: 'type = "track"', partnerAction: 'trackEvent', mapping: [] }],
      /must be an object/
    ]
  ])('rejects %s with a message naming the entry', (_, input, message) => {
    expect(() => parseSubscriptions(input, 'mappings.json')).toThrow(message)
  })

  it('offers the presets as the default subscriptions', () => {
    expect(presetSubscriptions().map((s) => [s.partnerAction, s.subscribe])).toEqual([
      ['identifyUser', 'type = "identify"'],
      ['trackEvent', 'type = "track"']
    ])
  })
})

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
    ],
    [
      'a name every object inherits as an action',
      [{ subscribe: 'type = "track"', partnerAction: 'constructor' }],
      /"partnerAction" must be one of identifyUser/
    ],
    [
      'a name every object inherits as a field',
      [{ subscribe: 'type = "track"', partnerAction: 'trackEvent', mapping: { toString: 'x' } }],
      /trackEvent has no field toString/
    ],
    [
      'a directive mapping-kit cannot run, with its message and no stack trace',
      [{ subscribe: 'type = "track"', partnerAction: 'trackEvent', mapping: { name: { '@path': 5 } } }],
      /^mappings.json entry 0: the mapping cannot run: \/name\/@path should be a string or a mapping directive but it is a number\.$/
    ],
    [
      'an unknown directive',
      [{ subscribe: 'type = "track"', partnerAction: 'trackEvent', mapping: { name: { '@nope': 1 } } }],
      /the mapping cannot run: \/name has an invalid directive: @nope/
    ],
    [
      'an @if without a condition',
      [{ subscribe: 'type = "track"', partnerAction: 'trackEvent', mapping: { name: { '@if': { then: 'a' } } } }],
      /the mapping cannot run: @if requires an "exists" key or a "blank" key/
    ],
    [
      'a condition the FQL parser reads as a comparison with "eos"',
      [{ subscribe: 'type = ', partnerAction: 'trackEvent' }],
      /compares the event type with "eos", which is not one of identify, track/
    ],
    [
      'a condition written with ===',
      [{ subscribe: 'type === "track"', partnerAction: 'trackEvent' }],
      /compares the event type with "="/
    ],
    ['an event type Segment does not have', [{ subscribe: 'type = "Track"', partnerAction: 'trackEvent' }], /"Track"/]
  ])('rejects %s with a message naming the entry', (_, input, message) => {
    expect(() => parseSubscriptions(input, 'mappings.json')).toThrow(message)
  })

  it('accepts every directive of the README recipe and conditions over several event types', () => {
    const recipe = {
      subscribe: 'type = "page" or type = "screen"',
      partnerAction: 'trackEvent',
      mapping: {
        name: {
          '@if': { exists: { '@path': '$.name' }, then: { '@template': 'Viewed {{name}} Page' }, else: 'Viewed Page' }
        },
        properties: {
          '@merge': { direction: 'right', objects: [{ '@path': '$.properties' }, { '@path': '$.context.page' }] }
        }
      }
    }
    expect(parseSubscriptions([recipe])).toHaveLength(1)
  })

  it('offers the presets as the default subscriptions', () => {
    expect(presetSubscriptions().map((s) => [s.partnerAction, s.subscribe])).toEqual([
      ['identifyUser', 'type = "identify"'],
      ['trackEvent', 'type = "track"']
    ])
  })
})

import { DROPPED_METRIC, MAX_LISTED_PATH_LENGTH, MAX_LISTED_PATHS, reportDropped } from '../dropped'
import { MAX_USER_PROPERTIES, transformProperties } from '../properties'
import { recordingObservers as observers } from './__helpers__/observers'

describe('reportDropped', () => {
  it("does not fail when a runner's logger has no warn method (actions-core's test harness gives one)", () => {
    const logger = {} as unknown as NonNullable<Parameters<typeof reportDropped>[2]>['logger']
    expect(() => reportDropped('trackEvent', [{ path: 'bio', reason: 'truncated' }], { logger })).not.toThrow()
  })

  it('logs one line naming each path that lost a value, with its reason, and counts them by reason', () => {
    const { warnings, counts, logger, statsContext } = observers()
    const secret = 'x'.repeat(9000)
    const { dropped } = transformProperties({ bio: secret, ratio: NaN, tags: ['a', 'b'] })

    reportDropped('identifyUser', dropped, { logger, statsContext })

    expect(warnings).toEqual([
      'identifyUser: 2 values did not reach FullStory as sent: bio (truncated), ratio (non-finite).'
    ])
    expect(warnings[0]).not.toContain('xxxx')
    expect(counts).toEqual([
      { name: DROPPED_METRIC, value: 1, tags: ['destination:fullstory', 'action:identifyUser', 'reason:truncated'] },
      { name: DROPPED_METRIC, value: 1, tags: ['destination:fullstory', 'action:identifyUser', 'reason:non-finite'] }
    ])
  })

  it('says nothing when only nulls, empty objects and traits sent as top-level fields were left out', () => {
    const { warnings, counts, logger, statsContext } = observers()
    const { dropped } = transformProperties({ a: null, b: {}, c: [], email: 'ada@example.com' }, { exclude: ['email'] })
    expect(dropped.map((entry) => entry.reason).sort()).toEqual(['empty', 'empty', 'excluded', 'null'])

    reportDropped('identifyUser', dropped, { logger, statsContext })

    expect(warnings).toEqual([])
    expect(counts).toEqual([])
  })

  it(`names at most ${MAX_LISTED_PATHS} paths and counts the values behind each`, () => {
    const { warnings, logger } = observers()
    const traits: Record<string, unknown> = Object.fromEntries(
      Array.from({ length: MAX_USER_PROPERTIES + 12 }, (_, i) => [`k${1000 + i}`, i])
    )
    traits.long = Array.from({ length: 3000 }, (_, i) => i)
    const { dropped } = transformProperties(traits, { maxProperties: MAX_USER_PROPERTIES })

    reportDropped('identifyUser', dropped, { logger })

    expect(warnings).toHaveLength(1)
    const line = warnings[0]
    const lossy = dropped.length
    expect(line).toContain(`, and ${lossy - MAX_LISTED_PATHS} more paths.`)
    expect(line.match(/\((limit|array-too-large)/g)).toHaveLength(MAX_LISTED_PATHS)
    const arrayEntry = dropped.find((entry) => entry.reason === 'array-too-large')
    expect(arrayEntry?.count).toBeGreaterThan(1)
    const values = dropped.reduce((sum, entry) => sum + (entry.count ?? 1), 0)
    expect(line.startsWith(`identifyUser: ${values} values did not reach FullStory`)).toBe(true)
  })

  it('shows only the start of a path left out for its length', () => {
    const { warnings, logger } = observers()
    const { dropped } = transformProperties({ ['k'.repeat(5000)]: 1 })
    expect(dropped).toEqual([{ path: 'k'.repeat(5000), reason: 'path-too-long' }])

    reportDropped('trackEvent', dropped, { logger })

    expect(warnings).toEqual([
      `trackEvent: 1 value did not reach FullStory as sent: ${'k'.repeat(MAX_LISTED_PATH_LENGTH)}… (path-too-long).`
    ])
  })

  it('works without a logger or stats client, as outside Segment', () => {
    const { dropped } = transformProperties({ ratio: Infinity })
    expect(() => reportDropped('trackEvent', dropped, undefined)).not.toThrow()
    expect(() => reportDropped('trackEvent', dropped, {})).not.toThrow()
  })
})

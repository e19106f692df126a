import { retryDelayMs, withRetries } from '../retry'

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000 }

describe('retry policy', () => {
  it('backs off exponentially with full jitter, capped', () => {
    expect([0, 1, 2, 3, 8].map((attempt) => retryDelayMs(attempt, undefined, { ...policy, random: () => 1 }))).toEqual([
      100, 200, 400, 800, 1000
    ])
    expect(retryDelayMs(3, undefined, { ...policy, random: () => 0.25 })).toBe(200)
  })

  it('never waits less than Retry-After', () => {
    expect(retryDelayMs(0, 7, { ...policy, random: () => 0.5 })).toBe(7000)
  })

  it('stops at the first final outcome, or when the tries are spent', async () => {
    const waits: number[] = []
    const sleep = (ms: number) => Promise.resolve(void waits.push(ms))
    let calls = 0
    const settled = await withRetries(() => Promise.resolve({ retryable: ++calls < 3, retryAfterSeconds: 1 }), {
      ...policy,
      sleep
    })
    expect(settled).toMatchObject({ retryable: false, tries: 3 })
    expect(waits).toEqual([1000, 1000])

    const spent = await withRetries(() => Promise.resolve({ retryable: true }), { ...policy, sleep, random: () => 0 })
    expect(spent).toMatchObject({ retryable: true, tries: 4 })
  })
})

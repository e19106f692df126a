import { MAX_TIMER_MS, retryWait, sleep, withRetries } from '../retry'

const policy = { attempts: 4, baseDelayMs: 100, maxDelayMs: 1000, maxWaitMs: 60_000 }
const waitOf = (wait: ReturnType<typeof retryWait>) => ('waitMs' in wait ? wait.waitMs : wait.refusal)

describe('retry policy', () => {
  it('backs off exponentially with full jitter, capped', () => {
    expect(
      [0, 1, 2, 3, 8].map((attempt) => waitOf(retryWait(attempt, undefined, { ...policy, random: () => 1 })))
    ).toEqual([100, 200, 400, 800, 1000])
    expect(waitOf(retryWait(3, undefined, { ...policy, random: () => 0.25 }))).toBe(200)
  })

  it('never waits less than Retry-After', () => {
    expect(waitOf(retryWait(0, 7, { ...policy, random: () => 0.5 }))).toBe(7000)
  })

  it('refuses a Retry-After longer than the cap with the reason, instead of waiting (or overflowing the timer)', () => {
    expect(waitOf(retryWait(0, 60, policy))).toBe(60_000)
    expect(retryWait(0, 61, policy)).toEqual({
      refusal:
        'FullStory asked to wait 61 s before trying again (Retry-After), longer than the 1 min this runner waits at most; not retried'
    })
    // Past Node's timer limit a cap could never be honoured, whatever the policy says.
    expect(retryWait(0, 3_000_000, { ...policy, maxWaitMs: Infinity })).toHaveProperty('refusal')
    expect(waitOf(retryWait(0, MAX_TIMER_MS / 1000, { ...policy, maxWaitMs: Infinity }))).toBe(MAX_TIMER_MS)
  })

  it('refuses to sleep past the timer limit instead of firing after 1 ms', async () => {
    await expect(sleep(MAX_TIMER_MS + 1)).rejects.toThrow('Cannot wait 2147483648 ms.')
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

  it('gives up at once, saying why, when Retry-After is over the cap', async () => {
    const waits: number[] = []
    const sleep = (ms: number) => Promise.resolve(void waits.push(ms))
    const outcome = await withRetries(() => Promise.resolve({ retryable: true, retryAfterSeconds: 3_000_000 }), {
      ...policy,
      sleep
    })
    expect(outcome).toMatchObject({ retryable: true, tries: 1, notRetried: expect.stringContaining('3000000 s') })
    expect(waits).toEqual([])
  })
})

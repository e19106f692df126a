import { existsSync, readFileSync, writeFileSync } from 'fs'
import path from 'path'
import { Readable } from 'stream'
import type { Sandbox } from '../../sandbox'
import { requestKey } from '../../destinations/fullstory-cloud/api'
import { presetSubscriptions } from '../../delivery/subscriptions'
import { lineMessageId } from '../replay/event'
import {
  API_KEY,
  expectEachTrackedOnce,
  readDeadLetters,
  runCli,
  sandboxPerTest,
  tempDir,
  writeCorpus,
  type Corpus
} from './__helpers__/replay'

// Replays of hundreds of lines through a real HTTP server: sized for a 2-core machine with every core busy.
jest.setTimeout(60_000)

let sandbox: Sandbox
sandboxPerTest((started) => (sandbox = started))

const expectedStats = (corpus: Corpus) => ({
  lines: corpus.lines.length,
  sent: corpus.lines.length - corpus.malformed.length - corpus.refused.length - corpus.skipped.length,
  skipped: corpus.skipped.length,
  failed: corpus.malformed.length + corpus.refused.length,
  malformed: corpus.malformed.length
})

function expectDeadLetters(file: string, corpus: Corpus) {
  const letters = readDeadLetters(file)
  expect(letters.map((l) => l.line)).toEqual([...corpus.malformed, ...corpus.refused].sort((a, b) => a - b))
  for (const letter of letters) {
    if (corpus.malformed.includes(letter.line)) {
      expect(letter).toMatchObject({ reason: 'malformed', raw: corpus.lines[letter.line - 1] })
    } else {
      expect(letter).toMatchObject({
        reason: 'rejected',
        subscription: 'Track Custom Event',
        action: 'trackEvent',
        // The single-event path names the error class; a batch's multistatus gives its code.
        error: { type: expect.stringMatching(/^(PayloadValidationError|PAYLOAD_VALIDATION_FAILED)$/) },
        event: JSON.parse(corpus.lines[letter.line - 1])
      })
    }
  }
}

describe('fullstory-cloud replay', () => {
  it("counts the events sent with property values FullStory's rules cut or left out, with and without --batch", async () => {
    const dir = tempDir()
    const file = path.join(dir, 'trimmed.jsonl')
    const lines = [
      { type: 'identify', userId: 'u-1', messageId: 'm-1', traits: { bio: 'b'.repeat(9000) } },
      { type: 'identify', userId: 'u-2', messageId: 'm-2', traits: { plan: 'pro' } },
      { type: 'track', userId: 'u-2', messageId: 'm-3', event: 'Noted', properties: { note: 'n'.repeat(9000) } }
    ]
    writeFileSync(file, lines.map((line) => JSON.stringify(line)).join('\n') + '\n')

    const single = await runCli(['replay', file, '--no-progress', '--restart'], { cwd: dir })
    expect(single.result.checkpoint?.stats).toMatchObject({ sent: 3, trimmed: 2 })
    expect(single.stdout).toMatch(/trimmed\s+2 {2}sent events with property values FullStory's rules cut or left out/)

    const batched = await runCli(['replay', file, '--no-progress', '--restart', '--batch'], { cwd: dir })
    expect(batched.result.checkpoint?.stats).toMatchObject({ sent: 3, trimmed: 2 })
  })

  it('sends every event once, with the bodies the destination builds, and dead-letters the bad lines', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 1000)
    const run = await runCli(['replay', corpus.file, '--no-progress'], { cwd: dir })

    expect(run.result.exitCode).toBe(2)
    expect(run.result.checkpoint).toMatchObject({ complete: true, stats: expectedStats(corpus) })
    expectEachTrackedOnce(sandbox, corpus)
    const event = sandbox.events().find((e) => e.properties?.tag === 't-1')
    expect(event).toMatchObject({
      name: 'Order Completed',
      timestamp: '2024-05-01T10:00:00.000Z',
      user: { uid: 'user-1' },
      session: { use_most_recent: true },
      properties: { tag: 't-1', total: 1.5, Shipping_Method: 'ups' },
      context: { browser: { url: 'https://shop.example.com/p/1' } }
    })
    expect(sandbox.users().find((u) => u.uid === 'user-5')).toMatchObject({ email: 'user-5@example.com' })
    expectDeadLetters(run.result.paths.deadLetter, corpus)
    expect(run.result.paths.deadLetter).toBe(`${corpus.file}.dead-letter.jsonl`)
    expect(run.stdout).toContain('Replay complete')
    expect(run.stdout).toMatch(/failed\s+8 {2}lines dead-lettered \(4 malformed, 4 refused or out of tries\)/)
    expect(run.stderr).toContain(`Sending to: ${sandbox.url}`)
  })

  it('sends each event under the Idempotency-Key of its messageId, deriving a stable one when the line has none', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 20)
    await runCli(['replay', corpus.file, '--no-progress', '--concurrency', '1'], { cwd: dir })
    const keys = sandbox
      .requests()
      .filter((r) => r.path === '/v2/events')
      .map((r) => r.idempotencyKey)
    const line7 = { number: 7, bytes: Buffer.from(corpus.lines[6]) }
    // Keyed by action, subscription (its mapping, as replay's subscriptions have no Segment ID) and message.
    const key = requestKey('trackEvent', { rawMapping: presetSubscriptions()[1].mapping })
    expect(keys).toContain(key.forMessage('m-1'))
    expect(keys).toContain(key.forMessage(lineMessageId(line7)))

    // A second run from scratch sends the same keys and bodies: FullStory answers each from its store.
    const before = sandbox.requests().length
    const again = await runCli(['replay', corpus.file, '--no-progress', '--restart'], { cwd: dir })
    expect(again.result.exitCode).toBe(2)
    const repeated = sandbox.requests().slice(before)
    expect(repeated.length).toBeGreaterThan(0)
    expect(repeated.filter((r) => !r.replayed)).toEqual([])
    expectEachTrackedOnce(sandbox, corpus)
  })

  it('retries 429 and 5xx answers, waiting at least Retry-After, and recovers', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 200)
    sandbox.setFaults([
      { status: 429, count: 3, retryAfter: 2, path: '/v2/events' },
      { status: 503, count: 4, path: '/v2/' }
    ])
    const waits: number[] = []
    const sleep = (ms: number) => {
      waits.push(ms)
      return Promise.resolve()
    }
    const run = await runCli(['replay', corpus.file, '--no-progress', '--max-attempts', '10'], {
      cwd: dir,
      hooks: { retry: { baseDelayMs: 1, maxDelayMs: 5, sleep } }
    })

    expect(run.result.exitCode).toBe(2)
    expect(sandbox.requests().filter((r) => r.fault)).toHaveLength(7)
    // Backoff with jitter stays under maxDelayMs, except where Retry-After asked for longer.
    expect(waits.filter((ms) => ms >= 2000)).toHaveLength(3)
    expect(waits.filter((ms) => ms <= 5)).toHaveLength(4)
    const { retried } = run.result.checkpoint!.stats
    expect(retried).toBeGreaterThanOrEqual(1)
    expect(retried).toBeLessThanOrEqual(7)
    expect(run.result.checkpoint?.stats).toMatchObject({ ...expectedStats(corpus), retried })
    expectEachTrackedOnce(sandbox, corpus)
    expectDeadLetters(run.result.paths.deadLetter, corpus)
  })

  it('--batch sends import jobs of fixed line ranges and every event lands once', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 1000)
    sandbox.setFaults([{ status: 503, count: 2, path: '/v2/events/batch' }])
    const run = await runCli(['replay', corpus.file, '--no-progress', '--batch', '--batch-size', '25'], { cwd: dir })
    await new Promise((resolve) => setTimeout(resolve, 50)) // jobs finish on the sandbox's next tick

    expect(run.result.exitCode).toBe(2)
    // One events job per 25 lines, holding exactly the track events of those lines.
    const jobTags = sandbox
      .requests()
      .filter((r) => r.path === '/v2/events/batch' && r.status === 200)
      .map((r) => (r.body as { requests: { properties: { tag: string } }[] }).requests.map((e) => e.properties.tag))
    const byRange = new Map<number, string[]>()
    for (const tag of corpus.tracked) {
      const range = Math.floor((Number(tag.slice(2)) - 1) / 25)
      byRange.set(range, [...(byRange.get(range) ?? []), tag])
    }
    expect(jobTags.sort((a, b) => a[0].localeCompare(b[0]))).toEqual(
      [...byRange.values()].sort((a, b) => a[0].localeCompare(b[0]))
    )
    expect(run.result.checkpoint?.stats).toMatchObject({ ...expectedStats(corpus), retried: expect.any(Number) })
    expectEachTrackedOnce(sandbox, corpus)
    expectDeadLetters(run.result.paths.deadLetter, corpus)
  })

  it('reads no further than its window past a stalled line, so memory stays bounded', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 300)
    // Lines 1-10 stall in their first job; with 2 jobs of 10 lines in flight the window is (2 + 2) × 10 lines.
    sandbox.setFaults([{ status: 200, delayMs: 500, count: 1, path: '/v2/users/batch' }])
    const args = ['replay', corpus.file, '--no-progress', '--batch', '--batch-size', '10', '--concurrency', '2']
    const running = runCli(args, { cwd: dir })
    await new Promise((resolve) => setTimeout(resolve, 350))
    const jobsDuringStall = sandbox.requests().filter((r) => r.path === '/v2/events/batch').length
    const run = await running

    expect(jobsDuringStall).toBe(3) // lines 11-40; without the window it would be all 29 other jobs
    expect(run.result.exitCode).toBe(2)
    await new Promise((resolve) => setTimeout(resolve, 50))
    expectEachTrackedOnce(sandbox, corpus)
  })

  it('reads stdin with -, keeping its checkpoint under .replay/', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 300)
    // Small, odd-sized chunks: lines span chunk boundaries.
    const text = readFileSync(corpus.file)
    const chunks = Array.from({ length: Math.ceil(text.length / 777) }, (_, i) => text.subarray(i * 777, (i + 1) * 777))
    const run = await runCli(['replay', '-', '--no-progress'], { cwd: dir, stdin: Readable.from(chunks) })

    expect(run.result.exitCode).toBe(2)
    expect(run.result.paths).toEqual({
      checkpoint: path.join(dir, '.replay', 'stdin.checkpoint.json'),
      deadLetter: path.join(dir, '.replay', 'stdin.dead-letter.jsonl')
    })
    expect(run.result.checkpoint?.stats).toMatchObject(expectedStats(corpus))
    expectEachTrackedOnce(sandbox, corpus)
    expectDeadLetters(run.result.paths.deadLetter, corpus)
  })

  it('stops on a signal, saves its place, and the same command resumes without sending anything twice', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 600)
    sandbox.setFaults([{ status: 200, delayMs: 2, path: '/v2/' }])
    const controller = new AbortController()
    const stopping = setInterval(() => {
      if (sandbox.events().length >= 100) controller.abort('SIGTERM')
    }, 5)
    const first = await runCli(['replay', corpus.file, '--no-progress'], {
      cwd: dir,
      hooks: { signal: controller.signal }
    })
    clearInterval(stopping)
    expect(first.result.exitCode).toBe(143)
    expect(first.stdout).toContain('run the same command to resume')
    const done = first.result.checkpoint!.watermark.line
    expect(done).toBeGreaterThan(0)
    expect(done).toBeLessThan(600)

    const second = await runCli(['replay', corpus.file, '--no-progress'], { cwd: dir })
    expect(second.result.exitCode).toBe(2)
    expect(second.stderr).toContain(`Resuming after line ${done}`)
    expect(second.result.checkpoint?.stats).toMatchObject(expectedStats(corpus))
    expectEachTrackedOnce(sandbox, corpus)
    expectDeadLetters(second.result.paths.deadLetter, corpus)

    const third = await runCli(['replay', corpus.file, '--no-progress'], { cwd: dir })
    expect(third.result.exitCode).toBe(2)
    expect(third.stdout).toContain('Nothing to do')
  })

  it('resumes stdin by reading past the done lines, and refuses a stdin that is not the same input', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 400)
    sandbox.setFaults([{ status: 200, delayMs: 2, path: '/v2/' }])
    const controller = new AbortController()
    const stopping = setInterval(() => sandbox.events().length >= 50 && controller.abort('SIGINT'), 5)
    const stdin = () => Readable.from([readFileSync(corpus.file)])
    const first = await runCli(['replay', '-', '--no-progress'], {
      cwd: dir,
      stdin: stdin(),
      hooks: { signal: controller.signal }
    })
    clearInterval(stopping)
    expect(first.result.exitCode).toBe(130)

    const shorter = Readable.from([corpus.lines.slice(0, 10).join('\n')])
    const refused = await runCli(['replay', '-', '--no-progress'], { cwd: dir, stdin: shorter })
    expect(refused.result.exitCode).toBe(1)
    // Refused before anything starts (stdin is read up to the checkpoint first), as a file would be.
    expect(refused.stderr).toContain('stdin is not the input')
    expect(refused.stderr).not.toContain('Sending to')

    const second = await runCli(['replay', '-', '--no-progress'], { cwd: dir, stdin: stdin() })
    expect(second.result.exitCode).toBe(2)
    expect(second.result.checkpoint?.stats).toMatchObject(expectedStats(corpus))
    expectEachTrackedOnce(sandbox, corpus)
    expectDeadLetters(second.result.paths.deadLetter, corpus)
  })

  it('refuses to resume with other options, another target or another input', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 30)
    await runCli(['replay', corpus.file, '--no-progress'], { cwd: dir })
    const checkpoint = JSON.parse(readFileSync(`${corpus.file}.checkpoint.json`, 'utf8'))
    writeFileSync(`${corpus.file}.checkpoint.json`, JSON.stringify({ ...checkpoint, complete: false }))

    const batch = await runCli(['replay', corpus.file, '--no-progress', '--batch'], { cwd: dir })
    expect(batch.result.exitCode).toBe(1)
    expect(batch.stderr).toContain('it was written in per-event mode')

    const mappings = path.join(dir, 'mappings.json')
    writeFileSync(mappings, JSON.stringify([{ subscribe: 'type = "track"', partnerAction: 'trackEvent', mapping: {} }]))
    const other = await runCli(['replay', corpus.file, '--no-progress', '-m', mappings], { cwd: dir })
    expect(other.stderr).toContain('other mappings')

    delete process.env.FULLSTORY_API_KEY
    try {
      const embedded = await runCli(['replay', corpus.file, '--no-progress'], { cwd: dir })
      expect(embedded.result.exitCode).toBe(1)
      expect(embedded.stderr).toContain(`it was written for ${sandbox.url}, and this run sends to embedded-sandbox`)
    } finally {
      process.env.FULLSTORY_API_KEY = API_KEY
    }
    expect(process.env.FULLSTORY_API_URL).toBe(sandbox.url)

    writeFileSync(corpus.file, `{"type":"track","userId":"someone-else","event":"X"}\n${corpus.lines.join('\n')}`)
    const changed = await runCli(['replay', corpus.file, '--no-progress'], { cwd: dir })
    expect(changed.result.exitCode).toBe(1)
    expect(changed.stderr).toContain('is not the input')
  })

  it('stops with exit code 1 when FullStory refuses the key, and resumes from that line once it is fixed', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 50)
    process.env.FULLSTORY_API_KEY = 'wrong-key'
    let refused
    try {
      refused = await runCli(['replay', corpus.file, '--no-progress', '--concurrency', '1'], { cwd: dir })
    } finally {
      process.env.FULLSTORY_API_KEY = API_KEY
    }
    expect(refused.result.exitCode).toBe(1)
    expect(refused.stdout).toContain('FullStory refused the API key')
    expect(readDeadLetters(refused.result.paths.deadLetter)).toEqual([])
    expect(refused.result.checkpoint?.watermark.line).toBe(0)

    const fixed = await runCli(['replay', corpus.file, '--no-progress'], { cwd: dir })
    expect(fixed.result.exitCode).toBe(2)
    expectEachTrackedOnce(sandbox, corpus)
  })

  it('uses a mappings file in the same shape as npm start', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 100)
    const mappings = path.join(dir, 'mappings.json')
    writeFileSync(
      mappings,
      JSON.stringify([
        {
          name: 'Pages',
          subscribe: 'type = "page"',
          partnerAction: 'trackEvent',
          mapping: { name: 'Viewed Page', userId: { '@path': '$.userId' }, messageId: { '@path': '$.messageId' } }
        }
      ])
    )
    const run = await runCli(['replay', corpus.file, '--no-progress', '--mappings', mappings], { cwd: dir })
    expect(run.result.exitCode).toBe(2) // the malformed lines
    expect(sandbox.events().map((e) => e.name)).toEqual(corpus.skipped.map(() => 'Viewed Page'))
    expect(run.result.checkpoint?.stats).toMatchObject({
      sent: corpus.skipped.length,
      failed: corpus.malformed.length,
      skipped: corpus.lines.length - corpus.skipped.length - corpus.malformed.length
    })
  })

  it('prints plain progress lines when stderr is not a terminal, and a bar when it is', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 200)
    sandbox.setFaults([{ status: 200, delayMs: 1, path: '/v2/' }])
    const plain = await runCli(['replay', corpus.file], { cwd: dir, hooks: { progressIntervalMs: 20 } })
    expect(plain.stderr).toMatch(/replay: \d+% \| [\d,]+ lines \| [\d,]+ lines\/s \| ETA [\d:-]+ \| sent/)

    const bar = await runCli(['replay', corpus.file, '--restart'], {
      cwd: dir,
      tty: true,
      hooks: { progressIntervalMs: 20 }
    })
    expect(bar.stderr).toContain('100% | 200 lines')
    const quiet = await runCli(['replay', corpus.file, '--restart', '--no-progress'], {
      cwd: dir,
      hooks: { progressIntervalMs: 20 }
    })
    expect(quiet.stderr).not.toContain('lines/s')
  })

  it('without FULLSTORY_API_KEY sends to an embedded sandbox and says so', async () => {
    const dir = tempDir()
    const corpus = writeCorpus(dir, 40)
    delete process.env.FULLSTORY_API_KEY
    try {
      const run = await runCli(['replay', corpus.file, '--no-progress'], { cwd: dir })
      expect(run.result.exitCode).toBe(2)
      expect(run.stderr).toMatch(
        /Sending to: the embedded FullStory sandbox at http:\/\/127\.0\.0\.1:\d+ \(no FULLSTORY_API_KEY set/
      )
      expect(run.stderr).toContain(`The embedded sandbox holds`)
      expect(existsSync(run.result.paths.checkpoint)).toBe(true)
    } finally {
      process.env.FULLSTORY_API_KEY = API_KEY
    }
    expect(process.env.FULLSTORY_API_URL).toBe(sandbox.url)
    expect(sandbox.events()).toEqual([])
  })
})

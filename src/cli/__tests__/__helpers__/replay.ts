import { mkdtempSync, readFileSync, writeFileSync } from 'fs'
import { tmpdir } from 'os'
import path from 'path'
import { PassThrough, Readable } from 'stream'
import { startSandbox, type Sandbox } from '../../../sandbox'
import { createProgram } from '../../program'
import type { ReplayHooks, ReplayResult } from '../../replay/runner'

export const API_KEY = 'test-key'

/** A temporary directory per test file; the OS cleans tmp. */
export const tempDir = () => mkdtempSync(path.join(tmpdir(), 'fullstory-replay-'))

export interface Corpus {
  file: string
  lines: string[]
  /** Tag (properties.tag) of every track line FullStory should hold once. */
  tracked: string[]
  /** uids identify lines upsert. */
  identified: Set<string>
  /** Line numbers of lines that are not Segment events. */
  malformed: number[]
  /** Line numbers the destination refuses (a track event with no userId). */
  refused: number[]
  /** Line numbers no preset subscribes to (page calls). */
  skipped: number[]
}

/**
 * A deterministic export: mostly track events (every 7th without a messageId, so replay must derive one), some
 * identifies, page calls (not subscribed), lines that are not events, and events FullStory cannot take.
 */
export function writeCorpus(dir: string, count: number, name = 'events.jsonl'): Corpus {
  const corpus: Corpus = {
    file: path.join(dir, name),
    lines: [],
    tracked: [],
    identified: new Set(),
    malformed: [],
    refused: [],
    skipped: []
  }
  for (let n = 1; n <= count; n++) {
    const uid = `user-${n % 97}`
    let line: string
    if (n % 250 === 3) {
      line = ['{"type":"track", "userId": "u1"', '[1,2,3]', '{"type":"track","userId":"u1"}'][n % 3]
      corpus.malformed.push(n)
    } else if (n % 250 === 9) {
      line = JSON.stringify({ type: 'track', messageId: `m-${n}`, anonymousId: `anon-${n}`, event: 'Anonymous' })
      corpus.refused.push(n)
    } else if (n % 100 === 50) {
      line = JSON.stringify({ type: 'page', messageId: `m-${n}`, userId: uid, name: 'Home' })
      corpus.skipped.push(n)
    } else if (n % 10 === 5) {
      line = JSON.stringify({
        type: 'identify',
        messageId: `m-${n}`,
        userId: uid,
        traits: { email: `${uid}@example.com`, plan: n % 2 ? 'pro' : 'free' }
      })
      corpus.identified.add(uid)
    } else {
      const tag = `t-${n}`
      line = JSON.stringify({
        type: 'track',
        ...(n % 7 === 0 ? {} : { messageId: `m-${n}` }),
        userId: uid,
        event: 'Order Completed',
        timestamp: '2024-05-01T10:00:00.000Z',
        properties: { tag, total: n * 1.5, 'Shipping Method': 'ups' },
        context: { page: { url: `https://shop.example.com/p/${n}` } }
      })
      corpus.tracked.push(tag)
    }
    corpus.lines.push(line)
  }
  writeFileSync(corpus.file, `${corpus.lines.join('\n')}\n`)
  return corpus
}

/** How many times the sandbox holds each tag; the exactly-once check compares it to the corpus. */
export function eventsByTag(sandbox: Sandbox): Map<string, number> {
  const counts = new Map<string, number>()
  for (const event of sandbox.events()) {
    const tag = String(event.properties?.tag)
    counts.set(tag, (counts.get(tag) ?? 0) + 1)
  }
  return counts
}

export function expectEachTrackedOnce(sandbox: Sandbox, corpus: Corpus): void {
  const counts = eventsByTag(sandbox)
  const wrong = corpus.tracked.filter((tag) => counts.get(tag) !== 1).map((tag) => `${tag}×${counts.get(tag) ?? 0}`)
  expect(wrong).toEqual([])
  expect(sandbox.events()).toHaveLength(corpus.tracked.length)
}

export function readDeadLetters(file: string): any[] {
  return readFileSync(file, 'utf8')
    .split('\n')
    .filter((line) => line !== '')
    .map((line) => JSON.parse(line))
}

export interface CliRun {
  result: ReplayResult
  stdout: string
  stderr: string
}

/**
 * Runs that have not finished. A test that fails or times out leaves its run going inside the Jest worker, where its
 * requests would land in the next test's sandbox: `stopRuns` (in afterEach) stops them and waits for them to end.
 */
const live = new Map<Promise<unknown>, AbortController>()

export async function stopRuns(): Promise<void> {
  for (const controller of live.values()) controller.abort('SIGTERM')
  await Promise.allSettled(live.keys())
  live.clear()
}

/** Runs `fullstory-cloud <args>` in process, with its own streams; `stopRuns` stops it if the test did not. */
export function runCli(
  args: string[],
  options: { cwd: string; stdin?: Readable; hooks?: ReplayHooks; tty?: boolean }
): Promise<CliRun> {
  const teardown = new AbortController()
  const signal = options.hooks?.signal ? AbortSignal.any([options.hooks.signal, teardown.signal]) : teardown.signal
  const run = runCliUntil(args, { ...options, hooks: { ...options.hooks, signal } })
  live.set(run, teardown)
  return run.finally(() => live.delete(run))
}

async function runCliUntil(
  args: string[],
  options: { cwd: string; stdin?: Readable; hooks?: ReplayHooks; tty?: boolean }
): Promise<CliRun> {
  const stdout = new PassThrough()
  const stderr = Object.assign(new PassThrough(), { isTTY: options.tty ?? false })
  const out: string[] = []
  const err: string[] = []
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()))
  stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()))
  let result: ReplayResult | undefined
  const program = createProgram(
    { stdin: options.stdin ?? Readable.from([]), stdout, stderr, cwd: options.cwd },
    (r) => (result = r),
    { retry: { baseDelayMs: 1, maxDelayMs: 5 }, ...options.hooks }
  )
  program.exitOverride()
  await program.parseAsync(['node', 'fullstory-cloud', ...args])
  if (!result) throw new Error(`no result; stderr: ${err.join('')}`)
  return { result, stdout: out.join(''), stderr: err.join('') }
}

/**
 * Gives each test its own sandbox, with FULLSTORY_API_KEY and FULLSTORY_API_URL pointing at it, and stops the test's
 * runs before that sandbox closes: nothing one test started can reach the next one, even when it fails or times out.
 */
export function sandboxPerTest(onStart: (sandbox: Sandbox) => void): void {
  const saved = { key: process.env.FULLSTORY_API_KEY, url: process.env.FULLSTORY_API_URL }
  let sandbox: Sandbox | undefined
  beforeEach(async () => {
    sandbox = await startSandbox({ apiKey: API_KEY })
    process.env.FULLSTORY_API_KEY = API_KEY
    process.env.FULLSTORY_API_URL = sandbox.url
    onStart(sandbox)
  })
  afterEach(async () => {
    await stopRuns()
    await sandbox?.close()
    for (const [name, value] of [
      ['FULLSTORY_API_KEY', saved.key],
      ['FULLSTORY_API_URL', saved.url]
    ] as const) {
      if (value === undefined) delete process.env[name]
      else process.env[name] = value
    }
  })
}

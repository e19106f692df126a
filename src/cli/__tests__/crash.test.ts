import { spawn } from 'child_process'
import Chance from 'chance'
import { readFileSync } from 'fs'
import path from 'path'
import { startSandbox, type Sandbox } from '../../sandbox'
import {
  API_KEY,
  expectEachTrackedOnce,
  readDeadLetters,
  tempDir,
  writeCorpus,
  type Corpus
} from './__helpers__/replay'

/**
 * The exactly-once promise, tested the hard way: the real CLI (bin/fullstory-cloud.js) as a child process,
 * SIGKILLed at random moments (during start-up, and after a random number of events reached the sandbox, which
 * a delay fault keeps mid-run), then run again until it completes. The sandbox started here outlives every
 * child, so its idempotency store is what a resumed run meets, as FullStory would be.
 */

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'fullstory-cloud.js')
const seed = Number(process.env.REPLAY_CRASH_SEED ?? Date.now() % 1_000_000)

interface Child {
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>
  kill(): void
  output(): { stdout: string; stderr: string }
  running(): boolean
}

/** Children still running; afterEach kills them, so a failed or timed-out test leaves no CLI behind. */
const live = new Set<Child>()

function replay(sandbox: Sandbox, args: string[]): Child {
  const child = spawn(process.execPath, [BIN, 'replay', ...args, '--no-progress'], {
    env: { ...process.env, FULLSTORY_API_KEY: API_KEY, FULLSTORY_API_URL: sandbox.url },
    stdio: ['ignore', 'pipe', 'pipe']
  })
  const stdout: string[] = []
  const stderr: string[] = []
  child.stdout.on('data', (chunk: Buffer) => stdout.push(chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => stderr.push(chunk.toString()))
  let running = true
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => {
      running = false
      resolve({ code, signal })
    })
  )
  const handle: Child = {
    exited,
    kill: () => child.kill('SIGKILL'),
    output: () => ({ stdout: stdout.join(''), stderr: stderr.join('') }),
    running: () => running
  }
  live.add(handle)
  void exited.then(() => live.delete(handle))
  return handle
}

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms))

/** Waits until `ready()` or the child has exited on its own. */
async function until(child: Child, ready: () => boolean): Promise<void> {
  while (child.running() && !ready()) await sleep(5)
}

/** Kills the CLI `kills` times at random points, then lets it finish; returns the last run and how many kills landed mid-run. */
async function killAndResume(sandbox: Sandbox, args: string[], kills: number, next: () => number) {
  let landed = 0
  for (let i = 0; i < kills; i++) {
    const child = replay(sandbox, args)
    if (i === 0) {
      // Somewhere in start-up: loading, the first checkpoint, the first requests.
      await sleep(300 + next() * 700)
    } else {
      const target = sandbox.events().length + 30 + Math.floor(next() * 400)
      await until(child, () => sandbox.events().length >= target)
    }
    if (child.running()) landed++
    child.kill()
    await child.exited
  }
  const last = replay(sandbox, args)
  const { code } = await last.exited
  return { code, landed, ...last.output() }
}

function expectExactlyOnce(sandbox: Sandbox, corpus: Corpus, run: { code: number | null; stdout: string }) {
  expect(run.code).toBe(2)
  expect(run.stdout).toMatch(/Replay complete|Nothing to do/)
  expectEachTrackedOnce(sandbox, corpus)
  for (const uid of corpus.identified) {
    expect(sandbox.users().find((user) => user.uid === uid)).toMatchObject({ email: `${uid}@example.com` })
  }
  const letters = readDeadLetters(`${corpus.file}.dead-letter.jsonl`)
  expect(letters.map((letter) => letter.line)).toEqual([...corpus.malformed, ...corpus.refused].sort((a, b) => a - b))
  const checkpoint = JSON.parse(readFileSync(`${corpus.file}.checkpoint.json`, 'utf8'))
  expect(checkpoint).toMatchObject({
    complete: true,
    stats: {
      lines: corpus.lines.length,
      sent: corpus.lines.length - corpus.malformed.length - corpus.refused.length - corpus.skipped.length,
      skipped: corpus.skipped.length,
      failed: corpus.malformed.length + corpus.refused.length,
      malformed: corpus.malformed.length
    }
  })
}

// Each run spawns the CLI (tsx start-up included) several times over thousands of lines: sized for a loaded 2-core
// machine, where one test takes about 20 s.
jest.setTimeout(120_000)

let sandbox: Sandbox
beforeEach(async () => {
  sandbox = await startSandbox({ apiKey: API_KEY })
})
afterEach(async () => {
  for (const child of live) child.kill()
  await Promise.all([...live].map((child) => child.exited))
  await sandbox.close()
})

describe(`replay killed with SIGKILL and resumed (seed ${seed})`, () => {
  // Seeded, so a failing run can be repeated with REPLAY_CRASH_SEED.
  const chance = new Chance(seed)
  const next = () => chance.floating({ min: 0, max: 1, fixed: 6 })

  it('per event: every event reaches FullStory exactly once, every bad line is dead-lettered once', async () => {
    const corpus = writeCorpus(tempDir(), 3000)
    sandbox.setFaults([{ status: 200, delayMs: 3, path: '/v2/' }])
    const run = await killAndResume(sandbox, [corpus.file, '--concurrency', '8'], 5, next)
    expect(run.landed).toBeGreaterThanOrEqual(4)
    expectExactlyOnce(sandbox, corpus, run)
  })

  it('--batch: every event reaches FullStory exactly once, every bad line is dead-lettered once', async () => {
    const corpus = writeCorpus(tempDir(), 2000)
    sandbox.setFaults([{ status: 200, delayMs: 40, path: '/v2/' }])
    const args = [corpus.file, '--batch', '--batch-size', '40', '--concurrency', '4']
    const run = await killAndResume(sandbox, args, 3, next)
    await sleep(50) // the last jobs finish on the sandbox's next tick
    expect(run.landed).toBeGreaterThanOrEqual(2)
    expectExactlyOnce(sandbox, corpus, run)
  })
})

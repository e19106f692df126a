import { spawn } from 'child_process'
import { readFileSync, writeFileSync } from 'fs'
import path from 'path'
import { PassThrough, Readable } from 'stream'
import type { Sandbox } from '../../sandbox'
import { runCli, sandboxPerTest, tempDir } from './__helpers__/replay'

// Replays through a real HTTP server, and the real bin as a child process (tsx start-up included): sized for a
// 2-core machine with every core busy.
jest.setTimeout(60_000)

let sandbox: Sandbox
sandboxPerTest((started) => (sandbox = started))

const track = (event: string) => JSON.stringify({ type: 'track', userId: 'u', event })
/** Twenty track lines without messageIds (replay derives them from line numbers and bytes). */
const LINES = Array.from({ length: 20 }, (_, i) => track(`E${i + 1}`))
const text = (lines: string[]) => `${lines.join('\n')}\n`
const stdin = (lines: string[]) => Readable.from([Buffer.from(text(lines))])
/** Where line n + 1 starts. */
const byteAfter = (n: number) => Buffer.byteLength(text(LINES.slice(0, n)))
const stats = (lines: number) => ({ lines, sent: lines, skipped: 0, failed: 0, malformed: 0, retried: 0, blank: 0 })

/** LINES replayed from stdin to the end; `unfinished` rewinds the checkpoint to line 10, as a run killed there leaves it. */
async function stdinRun(unfinished = false) {
  const dir = tempDir()
  const first = await runCli(['replay', '-', '--no-progress'], { cwd: dir, stdin: stdin(LINES) })
  expect(first.result.exitCode).toBe(0)
  const checkpointFile = first.result.paths.checkpoint
  if (unfinished) {
    const checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8'))
    const rewound = { ...checkpoint, complete: false, watermark: { line: 10, byte: byteAfter(10) }, stats: stats(10) }
    writeFileSync(checkpointFile, JSON.stringify(rewound))
  }
  return { dir, checkpointFile, saved: readFileSync(checkpointFile, 'utf8'), requests: sandbox.requests().length }
}

/** A refusal made before anything started: exit code 1, the reason and the ways out, nothing sent or saved. */
function expectRefused(run: Awaited<ReturnType<typeof runCli>>, before: Awaited<ReturnType<typeof stdinRun>>) {
  expect(run.result.exitCode).toBe(1)
  expect(run.stderr).toContain(`replay: Cannot resume from ${before.checkpointFile}: `)
  expect(run.stderr).toContain('Use --restart to start over')
  expect(run.stderr).toContain('--checkpoint <file>')
  expect(run.stderr).not.toContain('Sending to')
  expect(run.stderr).not.toContain('Resuming after')
  expect(run.stdout).toBe('')
  expect(sandbox.requests()).toHaveLength(before.requests)
  expect(readFileSync(before.checkpointFile, 'utf8')).toBe(before.saved)
}

describe('a stdin checkpoint is checked against stdin before anything starts', () => {
  it('refuses another input piped after a finished run, instead of saying there is nothing to do', async () => {
    const before = await stdinRun()
    const other = await runCli(['replay', '-', '--no-progress'], { cwd: before.dir, stdin: stdin([track('Other')]) })
    expectRefused(other, before)
    expect(other.stderr).toContain('stdin is not the input it was written for (line 1 differs)')

    // The way out it names: a checkpoint of its own, leaving the finished one (and its dead letters) as they were.
    const args = ['replay', '-', '--no-progress', '--checkpoint', 'other.checkpoint.json']
    const own = await runCli(args, { cwd: before.dir, stdin: stdin([track('Other')]) })
    expect(own.result.exitCode).toBe(0)
    expect(own.result.paths.deadLetter).toBe(path.join(before.dir, 'other.dead-letter.jsonl'))
    expect(sandbox.events().filter((e) => e.name === 'Other')).toHaveLength(1)
    expect(readFileSync(before.checkpointFile, 'utf8')).toBe(before.saved)
  })

  it('says nothing is left to send for the same input piped again, and starts nothing', async () => {
    const before = await stdinRun()
    const same = await runCli(['replay', '-', '--no-progress'], { cwd: before.dir, stdin: stdin(LINES) })
    expect(same.result.exitCode).toBe(0)
    expect(same.stdout).toMatch(/^Nothing to do: every line of stdin was already replayed/)
    expect(same.stderr).toBe('')
    expect(sandbox.requests()).toHaveLength(before.requests)
  })

  it.each([
    ['longer (grown since)', [...LINES, track('Late')], 'it was completed at line 20, and stdin has grown since'],
    [
      'shorter',
      LINES.slice(0, 15),
      'stdin is not the input it was written for (it has 15 lines, and the checkpoint is at line 20)'
    ],
    ['empty', [], 'stdin is not the input it was written for (it is empty)'],
    [
      'of another length at its last line',
      [...LINES.slice(0, 19), track('E20 ')],
      'its watermark says line 20 ends at byte'
    ]
  ])('refuses a stdin %s after a finished run', async (_, lines, reason) => {
    const before = await stdinRun()
    const piped = lines.length === 0 ? Readable.from([]) : stdin(lines)
    const run = await runCli(['replay', '-', '--no-progress'], { cwd: before.dir, stdin: piped })
    expectRefused(run, before)
    expect(run.stderr).toContain(reason)
  })

  it.each([
    [
      'another input',
      [track('Other'), ...LINES.slice(1)],
      'stdin is not the input it was written for (line 1 differs)'
    ],
    ['a stdin that ends before its watermark', LINES.slice(0, 5), '(it has 5 lines, and the checkpoint is at line 10)'],
    [
      'a stdin whose line 10 is not where it was',
      [...LINES.slice(0, 9), track('E10 '), ...LINES.slice(10)],
      'line 10 ends at'
    ]
  ])('refuses %s on an unfinished checkpoint without starting the sandbox', async (_, lines, reason) => {
    const before = await stdinRun(true)
    const run = await runCli(['replay', '-', '--no-progress'], { cwd: before.dir, stdin: stdin(lines) })
    expectRefused(run, before)
    expect(run.stderr).toContain(reason)
  })

  it('resumes the same stdin after its watermark, sending none of the lines before it again', async () => {
    const before = await stdinRun(true)
    const run = await runCli(['replay', '-', '--no-progress'], { cwd: before.dir, stdin: stdin(LINES) })
    expect(run.result.exitCode).toBe(0)
    expect(run.stderr).toContain('Resuming after line 10 (10 lines done by earlier runs)')
    expect(run.result.checkpoint).toMatchObject({ complete: true, stats: stats(20), watermark: { line: 20 } })
    const sent = sandbox.requests().slice(before.requests)
    expect(sent).toHaveLength(10) // lines 11-20, answered from FullStory's idempotency store
    expect(sent.filter((r) => !r.replayed)).toEqual([])
  })

  it('stops on a signal while it reads a stdin that does not end, leaving the checkpoint as it was', async () => {
    const before = await stdinRun()
    const open = new PassThrough()
    open.write(text(LINES)) // the same lines, but no end: only the end of stdin could tell it is the same input
    const controller = new AbortController()
    const running = runCli(['replay', '-', '--no-progress'], {
      cwd: before.dir,
      stdin: open,
      hooks: { signal: controller.signal }
    })
    await new Promise((resolve) => setTimeout(resolve, 300))
    controller.abort('SIGINT')
    const run = await running
    expect(run.result.exitCode).toBe(130)
    expect(run.stdout).toContain('Replay stopped after line 20 of stdin: run the same command to resume')
    expect(run.stderr).not.toContain('Sending to')
    expect(sandbox.requests()).toHaveLength(before.requests)
    expect(readFileSync(before.checkpointFile, 'utf8')).toBe(before.saved)
  })
})

describe('the real bin, as the backfill docs pipe it', () => {
  const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'fullstory-cloud.js')
  /** Children still running, with their exits: afterEach kills them, so a failed or timed-out test leaves none. */
  const children = new Map<ReturnType<typeof spawn>, Promise<unknown>>()
  afterEach(async () => {
    for (const child of children.keys()) child.kill('SIGKILL')
    await Promise.all(children.values())
    children.clear()
  })

  /** `<input> | fullstory-cloud replay - --no-progress`, to the embedded sandbox. */
  function pipe(dir: string, input: string) {
    const env = { ...process.env }
    delete env.FULLSTORY_API_KEY
    delete env.FULLSTORY_API_URL
    const child = spawn(process.execPath, [BIN, 'replay', '-', '--no-progress'], { cwd: dir, env })
    const out: string[] = []
    const err: string[] = []
    child.stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()))
    child.stderr.on('data', (chunk: Buffer) => err.push(chunk.toString()))
    child.stdin.on('error', () => undefined) // a refused run may stop reading before the last byte is written
    child.stdin.end(input)
    const closed = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
      child.on('close', (code) => {
        children.delete(child)
        resolve({ code, stdout: out.join(''), stderr: err.join('') })
      })
    )
    children.set(child, closed)
    return closed
  }

  it('refuses a different export piped into a directory holding a finished stdin checkpoint', async () => {
    const dir = tempDir()
    const first = await pipe(dir, text(LINES))
    expect(first.code).toBe(0)
    expect(first.stdout).toContain('Replay complete: stdin')

    const other = await pipe(
      dir,
      `${JSON.stringify({ type: 'track', userId: 'z', event: 'other', messageId: 'zz' })}\n`
    )
    expect(other.code).toBe(1)
    expect(other.stderr).toContain('stdin is not the input it was written for (line 1 differs)')
    expect(other.stderr).not.toContain('Sending to')
    expect(other.stdout).toBe('')

    const same = await pipe(dir, text(LINES))
    expect(same.code).toBe(0)
    expect(same.stdout).toContain('Nothing to do: every line of stdin was already replayed')
  }, 90_000) // three CLI start-ups through tsx, each a few seconds on a busy 2-core machine
})

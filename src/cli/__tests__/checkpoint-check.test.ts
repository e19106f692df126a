import { appendFileSync, readFileSync, writeFileSync } from 'fs'
import path from 'path'
import type { Sandbox } from '../../sandbox'
import { runCli, sandboxPerTest, tempDir } from './__helpers__/replay'

// Replays through a real HTTP server: sized for a 2-core machine with every core busy.
jest.setTimeout(60_000)

let sandbox: Sandbox
sandboxPerTest((started) => (sandbox = started))

/** Twenty track lines without messageIds (replay derives them from line numbers), replayed to the end. */
async function finishedRun() {
  const dir = tempDir()
  const file = path.join(dir, 'events.jsonl')
  const lines = Array.from({ length: 20 }, (_, i) => JSON.stringify({ type: 'track', userId: 'u', event: `E${i + 1}` }))
  writeFileSync(file, `${lines.join('\n')}\n`)
  const run = await runCli(['replay', file, '--no-progress'], { cwd: dir })
  expect(run.result.exitCode).toBe(0)
  const checkpointFile = run.result.paths.checkpoint
  const checkpoint = JSON.parse(readFileSync(checkpointFile, 'utf8'))
  /** Where line n + 1 starts. */
  const byteAfter = (n: number) => lines.slice(0, n).reduce((sum, line) => sum + Buffer.byteLength(line) + 1, 0)
  return { dir, file, checkpointFile, checkpoint, byteAfter }
}

const stats = (lines: number) => ({ lines, sent: lines, skipped: 0, failed: 0, malformed: 0, retried: 0, blank: 0 })

describe('fullstory-cloud replay checks a checkpoint against its input before resuming', () => {
  it.each([
    [
      'a watermark whose byte is where another line ends',
      (byteAfter: (n: number) => number) => ({
        watermark: { line: 10, byte: byteAfter(15) },
        stats: stats(10)
      }),
      /its watermark says line 10 ends at byte \d+, but .*events\.jsonl has 15 lines before that byte/
    ],
    [
      'a watermark inside a line',
      (byteAfter: (n: number) => number) => ({
        watermark: { line: 10, byte: byteAfter(10) + 3 },
        stats: stats(10)
      }),
      /byte \d+, where its watermark says line 11 starts, is inside a line/
    ],
    [
      'done lines past the end of the input',
      (byteAfter: (n: number) => number) => ({
        watermark: { line: 10, byte: byteAfter(10) },
        doneAbove: [[40, 40]],
        stats: stats(11)
      }),
      /it records line 40 as done, but .*events\.jsonl has only 20 lines/
    ],
    [
      'done lines further past the watermark than a run reads',
      (byteAfter: (n: number) => number) => ({
        watermark: { line: 10, byte: byteAfter(10) },
        doneAbove: [[1_000_000, 1_000_000]],
        stats: stats(11)
      }),
      /it records line 1000000 as done, 999990 lines past its watermark \(line 10\); a run reads at most 32768 ahead/
    ],
    [
      'hundreds of thousands of ranges',
      (byteAfter: (n: number) => number) => ({
        watermark: { line: 10, byte: byteAfter(10) },
        doneAbove: Array.from({ length: 300_000 }, (_, i) => [12 + 2 * i, 12 + 2 * i]),
        stats: stats(300_010)
      }),
      /it lists 300000 done ranges; a run leaves at most 32768/
    ],
    [
      'counts that do not add up',
      (byteAfter: (n: number) => number) => ({
        watermark: { line: 10, byte: byteAfter(10) },
        stats: { ...stats(10), sent: 15 }
      }),
      /its counts do not add up/
    ],
    [
      'counts that do not match the lines done',
      (byteAfter: (n: number) => number) => ({
        watermark: { line: 10, byte: byteAfter(10) },
        stats: stats(12)
      }),
      /it counts 12 lines done but its watermark and ranges cover 10/
    ]
  ])('refuses %s with the reason, sending nothing', async (_, tamper, reason) => {
    const run = await finishedRun()
    writeFileSync(
      run.checkpointFile,
      JSON.stringify({ ...run.checkpoint, complete: false, doneAbove: [], ...tamper(run.byteAfter) })
    )
    const requests = sandbox.requests().length
    const started = Date.now()
    const resumed = await runCli(['replay', run.file, '--no-progress'], { cwd: run.dir })
    expect(resumed.result.exitCode).toBe(1)
    expect(resumed.stderr).toMatch(reason)
    expect(resumed.stderr).toContain(`Cannot resume from ${run.checkpointFile}: `)
    expect(resumed.stderr).toContain('Use --restart to start over')
    expect(sandbox.requests()).toHaveLength(requests)
    expect(Date.now() - started).toBeLessThan(10_000)
  })

  it('resumes a consistent checkpoint', async () => {
    const run = await finishedRun()
    const { byteAfter } = run
    writeFileSync(
      run.checkpointFile,
      JSON.stringify({
        ...run.checkpoint,
        complete: false,
        watermark: { line: 10, byte: byteAfter(10) },
        doneAbove: [[12, 13]],
        stats: stats(12)
      })
    )
    const resumed = await runCli(['replay', run.file, '--no-progress'], { cwd: run.dir })
    expect(resumed.result.exitCode).toBe(0)
    expect(resumed.result.checkpoint?.stats).toMatchObject(stats(20))
    // Lines 11 and 14-20 were sent again (FullStory answered from its idempotency store); 12 and 13 were not.
    const names = sandbox.events().map((e) => e.name)
    expect(new Set(names).size).toBe(20)
    expect(names).toHaveLength(20)
  })

  it('compares line 1 before starting even when no line is done yet, as stdin is compared', async () => {
    const run = await finishedRun()
    // Killed with lines 2 and 3 done and line 1 still in flight: line 1 was read, so its digest is recorded.
    const unfinished = { ...run.checkpoint, complete: false, watermark: { line: 0, byte: 0 }, doneAbove: [[2, 3]] }
    writeFileSync(run.checkpointFile, JSON.stringify({ ...unfinished, stats: stats(2) }))
    writeFileSync(run.file, readFileSync(run.file, 'utf8').replace('"E1"', '"X1"'))
    const requests = sandbox.requests().length
    const resumed = await runCli(['replay', run.file, '--no-progress'], { cwd: run.dir })
    expect(resumed.result.exitCode).toBe(1)
    expect(resumed.stderr).toMatch(
      /Cannot resume from .*: .*events\.jsonl is not the input it was written for \(line 1 differs\)/
    )
    expect(resumed.stderr).not.toContain('Sending to')
    expect(sandbox.requests()).toHaveLength(requests)
  })

  it('refuses a completed checkpoint whose input has grown since', async () => {
    const run = await finishedRun()
    appendFileSync(run.file, `${JSON.stringify({ type: 'track', userId: 'u', event: 'Late' })}\n`)
    const again = await runCli(['replay', run.file, '--no-progress'], { cwd: run.dir })
    expect(again.result.exitCode).toBe(1)
    expect(again.stderr).toMatch(/it was completed at line 20, and .*events\.jsonl has grown since/)
  })

  it('on a finished checkpoint says nothing is left to send, and starts nothing', async () => {
    delete process.env.FULLSTORY_API_KEY // the embedded sandbox: a run would start one
    const dir = tempDir()
    const file = path.join(dir, 'done.jsonl')
    writeFileSync(file, `${JSON.stringify({ type: 'track', userId: 'u', event: 'Once' })}\n`)
    const first = await runCli(['replay', file, '--no-progress'], { cwd: dir })
    expect(first.stderr).toContain('The embedded sandbox holds 1 users and 1 events.')
    const saved = readFileSync(first.result.paths.checkpoint, 'utf8')

    const again = await runCli(['replay', file, '--no-progress'], { cwd: dir })
    expect(again.result.exitCode).toBe(0)
    expect(again.stdout).toMatch(
      /^Nothing to do: every line of .*done\.jsonl was already replayed, so nothing is left to send/
    )
    expect(again.stderr).toBe('')
    expect(readFileSync(first.result.paths.checkpoint, 'utf8')).toBe(saved)
  })
})

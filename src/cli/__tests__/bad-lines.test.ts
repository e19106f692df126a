import { readFileSync, writeFileSync } from 'fs'
import path from 'path'
import type { Sandbox } from '../../sandbox'
import { readDeadLetters, runCli, sandboxPerTest, tempDir } from './__helpers__/replay'

// Replays through a real HTTP server: sized for a 2-core machine with every core busy.
jest.setTimeout(60_000)

let sandbox: Sandbox
sandboxPerTest((started) => (sandbox = started))

describe('fullstory-cloud replay dead-letters what it cannot send, with the reason, and goes on', () => {
  it('writes malformed lines to the dead-letter file with their line numbers and goes on', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'mixed.jsonl')
    const lines = [
      '{"type":"track","userId":"u1","event":"A","properties":{"tag":"a"}}',
      '{oops',
      '',
      '"just a string"',
      '{"type":"bogus","userId":"u1"}',
      '{"type":"identify"}',
      '{"type":"track","userId":"u1","event":"B","properties":{"tag":"b"}}\r'
    ]
    writeFileSync(file, lines.join('\n'))
    const deadLetter = path.join(dir, 'custom', 'dead.jsonl')
    const run = await runCli(['replay', file, '--no-progress', '--dead-letter', deadLetter], { cwd: dir })

    expect(run.result.exitCode).toBe(2)
    expect(sandbox.events().map((e) => e.properties?.tag)).toEqual(expect.arrayContaining(['a', 'b']))
    const letters = readDeadLetters(deadLetter)
    expect(letters.map((l) => [l.line, l.reason, l.raw])).toEqual([
      [2, 'malformed', '{oops'],
      [4, 'malformed', '"just a string"'],
      [5, 'malformed', '{"type":"bogus","userId":"u1"}'],
      [6, 'malformed', '{"type":"identify"}']
    ])
    expect(letters.map((l) => l.error.message)).toEqual([
      expect.stringContaining('not JSON'),
      'not a JSON object (got string)',
      expect.stringContaining('"type" must be one of'),
      'needs a userId or an anonymousId'
    ])
    expect(run.result.checkpoint?.stats).toMatchObject({ lines: 6, sent: 2, failed: 4, malformed: 4, blank: 1 })
  })

  it.each([
    ['per event', []],
    ['batched', ['--batch']]
  ])(
    'dead-letters a line nested 5,000 deep with the reason and sends the rest (%s), instead of stopping there',
    async (_, flags) => {
      const dir = tempDir()
      const file = path.join(dir, 'deep.jsonl')
      const track = (n: number, properties: string) =>
        `{"type":"track","messageId":"d${n}","userId":"u1","event":"E${n}","properties":${properties}}`
      // Written out by hand: JSON.stringify itself overflows on such a value.
      const deep = `${'{"a":'.repeat(5000)}1${'}'.repeat(5000)}`
      const deepButSendable = `${'{"a":'.repeat(300)}1${'}'.repeat(300)}`
      writeFileSync(file, [track(1, '{}'), track(2, deep), track(3, deepButSendable), track(4, '{}')].join('\n'))
      expect(readFileSync(file).length).toBeGreaterThan(30_000)

      const run = await runCli(['replay', file, '--no-progress', ...flags], { cwd: dir })
      await new Promise((resolve) => setTimeout(resolve, 50)) // import jobs finish on the sandbox's next tick
      expect(run.result.exitCode).toBe(2)
      expect(readDeadLetters(run.result.paths.deadLetter)).toEqual([
        expect.objectContaining({
          line: 2,
          reason: 'malformed',
          error: { message: 'it is nested more than 512 levels deep' }
        })
      ])
      expect(sandbox.events().map((e) => e.name)).toEqual(['E1', 'E3', 'E4'])
      expect(run.result.checkpoint).toMatchObject({ complete: true, stats: { lines: 4, sent: 3, malformed: 1 } })
    }
  )

  it('dead-letters a line that is not UTF-8 with its line number and exact bytes, instead of sending U+FFFD', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'latin1.jsonl')
    const good = (n: number) => Buffer.from(`{"type":"track","messageId":"g${n}","userId":"u1","event":"Café ${n}"}\n`)
    // "Caf\xe9": the export was written in Latin-1, not UTF-8.
    const bad = Buffer.concat([
      Buffer.from('{"type":"track","messageId":"b","userId":"u1","event":"Caf'),
      Buffer.from([0xe9]),
      Buffer.from('"}\n')
    ])
    writeFileSync(file, Buffer.concat([good(1), bad, good(3)]))

    const run = await runCli(['replay', file, '--no-progress'], { cwd: dir })
    expect(run.result.exitCode).toBe(2)
    const [letter] = readDeadLetters(run.result.paths.deadLetter)
    expect(letter).toMatchObject({
      line: 2,
      reason: 'malformed',
      error: { message: expect.stringMatching(/^not valid UTF-8/) }
    })
    expect(Buffer.from(letter.rawBase64, 'base64')).toEqual(bad.subarray(0, -1))
    expect(sandbox.events().map((e) => e.name)).toEqual(['Café 1', 'Café 3'])
    expect(run.result.checkpoint?.stats).toMatchObject({ sent: 2, failed: 1, malformed: 1, notUtf8: 1 })
    expect(run.stdout).toMatch(
      /failed\s+1 {2}lines dead-lettered \(1 malformed, of which 1 not valid UTF-8; 0 refused or out of tries\)/
    )
  })

  it('dead-letters events whose tries run out, with the last error, and goes on', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'two.jsonl')
    writeFileSync(
      file,
      [
        '{"type":"track","messageId":"x1","userId":"u1","event":"A","properties":{"tag":"a"}}',
        '{"type":"track","messageId":"x2","userId":"u1","event":"B","properties":{"tag":"b"}}'
      ].join('\n')
    )
    sandbox.setFaults([{ status: 500, count: 3 }])
    const run = await runCli(['replay', file, '--no-progress', '--max-attempts', '3', '--concurrency', '1'], {
      cwd: dir
    })
    expect(run.result.exitCode).toBe(2)
    expect(readDeadLetters(run.result.paths.deadLetter)).toEqual([
      expect.objectContaining({
        line: 1,
        reason: 'retries-exhausted',
        tries: 3,
        error: expect.objectContaining({ status: 500 })
      })
    ])
    expect(sandbox.events().map((e) => e.properties?.tag)).toEqual(['b'])
  })

  it('dead-letters events whose Retry-After is over the cap, with the reason, instead of retrying at once', async () => {
    const dir = tempDir()
    const file = path.join(dir, 'throttled.jsonl')
    const line = (n: number) => JSON.stringify({ type: 'track', messageId: `x${n}`, userId: 'u1', event: `E${n}` })
    writeFileSync(file, [1, 2, 3].map(line).join('\n'))
    const waits: number[] = []
    const sleep = (ms: number) => Promise.resolve(void waits.push(ms))
    const throttled = (lineNumber: number) =>
      expect.objectContaining({
        line: lineNumber,
        reason: 'retry-after-too-long',
        tries: 1,
        error: expect.objectContaining({ status: 429, notRetried: expect.stringContaining('longer than the 5 min') })
      })

    sandbox.setFaults([{ status: 429, count: 1, retryAfter: 3_000_000, path: '/v2/events' }])
    const single = await runCli(['replay', file, '--no-progress', '--concurrency', '1'], {
      cwd: dir,
      hooks: { retry: { sleep } }
    })
    expect(single.result.exitCode).toBe(2)
    expect(readDeadLetters(single.result.paths.deadLetter)).toEqual([throttled(1)])
    expect(sandbox.events().map((e) => e.name)).toEqual(['E2', 'E3'])

    // An import job is one request: its three lines wait (or not) together.
    sandbox.setFaults([{ status: 429, count: 1, retryAfter: 3_000_000, path: '/v2/events/batch' }])
    const batched = await runCli(['replay', file, '--no-progress', '--batch', '--restart'], {
      cwd: dir,
      hooks: { retry: { sleep } }
    })
    expect(batched.result.exitCode).toBe(2)
    expect(readDeadLetters(batched.result.paths.deadLetter)).toEqual([throttled(1), throttled(2), throttled(3)])
    expect(waits).toEqual([])
  })
})

import { existsSync, readdirSync, readFileSync, writeFileSync } from 'fs'
import path from 'path'
import {
  freshCheckpoint,
  fromRanges,
  identityMismatch,
  loadCheckpoint,
  saveCheckpoint,
  toRanges
} from '../replay/checkpoint'
import { DeadLetters } from '../replay/dead-letters'
import { lineMessageId, parseLine } from '../replay/event'
import { Ledger } from '../replay/ledger'
import { resolvePaths, windowLines } from '../replay/options'
import { exitCode } from '../replay/summary'
import { emptyStats } from '../replay/stats'
import { tempDir } from './__helpers__/replay'

const line = (number: number, text: string) => ({ number, bytes: Buffer.from(text), start: 0, end: text.length + 1 })

describe('parseLine', () => {
  it('derives the same messageId for the same line on every run, and a different one for another line', () => {
    const text = '{"type":"track","userId":"u1","event":"A"}'
    const first = parseLine(line(12, text))
    const again = parseLine(line(12, text))
    expect(first).toMatchObject({ kind: 'event', messageIdDerived: true })
    expect(first.kind === 'event' && first.event.messageId).toBe(again.kind === 'event' && again.event.messageId)
    expect(lineMessageId(line(12, text))).not.toBe(lineMessageId(line(13, text)))
    expect(lineMessageId(line(12, text))).toMatch(/^replay-[0-9a-f]{32}$/)
  })

  it('keeps a given messageId, turns numeric ids into strings and adds nothing else', () => {
    const parsed = parseLine(line(1, '{"type":"identify","messageId":"m1","userId":42}'))
    expect(parsed).toEqual({
      kind: 'event',
      messageIdDerived: false,
      event: { type: 'identify', messageId: 'm1', userId: '42' }
    })
  })

  it.each([
    ['{"type":"track","userId":"u","event":"A"', /^not JSON/],
    ['null', /not a JSON object \(got null\)/],
    ['[{"type":"track"}]', /not a JSON object \(got an array\)/],
    ['{"userId":"u"}', /"type" must be one of/],
    ['{"type":"track","userId":"u"}', /needs an "event" name/],
    ['{"type":"track","event":"A"}', /needs a userId or an anonymousId/],
    ['{"type":"identify","userId":{"id":1}}', /"userId" must be a string/],
    ['{"type":"identify","userId":"u","traits":[1]}', /"traits" must be an object/],
    ['{"type":"identify","userId":"u","messageId":7}', /"messageId" must be a string/]
  ])('calls %s malformed', (text, message) => {
    const parsed = parseLine(line(3, text))
    expect(parsed).toMatchObject({ kind: 'malformed', raw: text })
    expect(parsed.kind === 'malformed' && parsed.message).toMatch(message)
  })

  it('calls a line that is not UTF-8 malformed, keeping its exact bytes', () => {
    const bytes = Buffer.from([0x7b, 0x22, 0xff, 0x22, 0x7d])
    expect(parseLine({ number: 4, bytes, start: 0, end: 6 })).toEqual({
      kind: 'malformed',
      message: 'not valid UTF-8 (the exact bytes are in rawBase64)',
      raw: '{"\ufffd"}',
      rawBase64: bytes.toString('base64')
    })
  })

  it('ignores blank lines', () => {
    expect(parseLine(line(1, '   '))).toEqual({ kind: 'blank' })
  })
})

describe('Ledger', () => {
  it('moves the watermark only over contiguous done lines, whatever order they complete in', () => {
    const ledger = new Ledger()
    ledger.complete(2, 20, 10)
    ledger.complete(3, 30, 10)
    expect(ledger.snapshot()).toEqual({ watermark: { line: 0, byte: 0 }, doneAbove: [[2, 3]] })
    ledger.complete(1, 10, 10)
    expect(ledger.snapshot()).toEqual({ watermark: { line: 3, byte: 30 }, doneAbove: [] })
    ledger.complete(5, 50, 10)
    expect(ledger.ahead(9)).toBe(6)
    expect(ledger.doneBytes).toBe(40)
  })

  it('keeps lines an earlier run finished until they are passed, so a checkpoint never forgets them', () => {
    const ledger = new Ledger(10, 100, [12, 13, 20])
    expect(ledger.wasDoneBefore(12)).toBe(true)
    expect(ledger.snapshot().doneAbove).toEqual([
      [12, 13],
      [20, 20]
    ])
    ledger.complete(11, 110, 10)
    ledger.complete(12, 120, 10)
    ledger.complete(13, 130, 10)
    expect(ledger.snapshot()).toEqual({ watermark: { line: 13, byte: 130 }, doneAbove: [[20, 20]] })
  })
})

describe('checkpoint files', () => {
  const identity = {
    input: 'events.jsonl',
    target: 'embedded-sandbox',
    mode: 'per-event' as const,
    mappingsSha256: 'abc'
  }

  it('are replaced atomically and read back', () => {
    const dir = tempDir()
    const file = path.join(dir, 'nested', 'x.checkpoint.json')
    const checkpoint = { ...freshCheckpoint(identity, 'dead.jsonl'), watermark: { line: 5, byte: 99 } }
    saveCheckpoint(file, checkpoint)
    saveCheckpoint(file, { ...checkpoint, watermark: { line: 6, byte: 120 } })
    expect(loadCheckpoint(file)?.watermark).toEqual({ line: 6, byte: 120 })
    expect(readdirSync(path.dirname(file))).toEqual(['x.checkpoint.json'])
    expect(loadCheckpoint(path.join(dir, 'missing.json'))).toBeUndefined()
    writeFileSync(file, '{"version":1')
    expect(() => loadCheckpoint(file)).toThrow(/Cannot read checkpoint .* Use --restart/)
  })

  it('refuse another target, mode, batch size or mapping', () => {
    const checkpoint = freshCheckpoint(identity, 'dead.jsonl')
    expect(identityMismatch(checkpoint, identity)).toBeUndefined()
    expect(identityMismatch(checkpoint, { ...identity, target: 'https://api.fullstory.com' })).toMatch(/written for/)
    expect(identityMismatch(checkpoint, { ...identity, mode: 'batch', batchSize: 10 })).toMatch(/per-event mode/)
    const batch = freshCheckpoint({ ...identity, mode: 'batch', batchSize: 10 }, 'dead.jsonl')
    expect(identityMismatch(batch, { ...identity, mode: 'batch', batchSize: 20 })).toMatch(/--batch-size 10/)
    expect(identityMismatch(checkpoint, { ...identity, mappingsSha256: 'def' })).toMatch(/other mappings/)
  })

  it('store done lines as ranges', () => {
    expect(toRanges([9, 3, 4, 5, 7])).toEqual([
      [3, 5],
      [7, 7],
      [9, 9]
    ])
    expect(fromRanges(toRanges([9, 3, 4, 5, 7]))).toEqual([3, 4, 5, 7, 9])
  })
})

describe('DeadLetters', () => {
  it('cuts what came after the checkpoint on resume, including half a record left by a kill', () => {
    const file = path.join(tempDir(), 'dead.jsonl')
    const { deadLetters } = DeadLetters.open(file, 0)
    deadLetters.append({ line: 1, reason: 'malformed', error: { message: 'x' }, raw: '{' })
    const kept = deadLetters.bytes
    deadLetters.append({ line: 9, reason: 'malformed', error: { message: 'y' }, raw: '[' })
    deadLetters.close()
    writeFileSync(file, readFileSync(file, 'utf8') + '{"line":10,"rea', { flag: 'w' })

    const reopened = DeadLetters.open(file, kept)
    expect(reopened.missingBytes).toBe(0)
    reopened.deadLetters.append({ line: 9, reason: 'malformed', error: { message: 'y' }, raw: '[' })
    reopened.deadLetters.close()
    expect(
      readFileSync(file, 'utf8')
        .trim()
        .split('\n')
        .map((l) => JSON.parse(l).line)
    ).toEqual([1, 9])
  })

  it('says when the file is shorter than the checkpoint recorded', () => {
    const file = path.join(tempDir(), 'gone.jsonl')
    const { deadLetters, missingBytes } = DeadLetters.open(file, 120)
    deadLetters.close()
    expect(missingBytes).toBe(120)
    expect(existsSync(file)).toBe(true)
  })

  it('writes a record whose event cannot be serialised without it, instead of stopping the run', () => {
    const file = path.join(tempDir(), 'dead.jsonl')
    const { deadLetters } = DeadLetters.open(file, 0)
    const cyclic: Record<string, unknown> = { type: 'track' }
    cyclic.self = cyclic
    const error = { type: 'PayloadValidationError', message: 'refused' }
    deadLetters.append({ line: 7, reason: 'rejected', subscription: 's', action: 'a', tries: 1, error, event: cyclic })
    deadLetters.close()
    expect(JSON.parse(readFileSync(file, 'utf8'))).toMatchObject({
      line: 7,
      reason: 'rejected',
      event: { message: expect.stringMatching(/^the event could not be written: .*circular/i) }
    })
  })
})

describe('options', () => {
  it('put the checkpoint and dead letters next to the input, or under .replay/ for stdin', () => {
    expect(resolvePaths({ input: 'data/events.jsonl' }, '/work')).toEqual({
      checkpoint: '/work/data/events.jsonl.checkpoint.json',
      deadLetter: '/work/data/events.jsonl.dead-letter.jsonl'
    })
    expect(resolvePaths({ input: '-' }, '/work')).toEqual({
      checkpoint: '/work/.replay/stdin.checkpoint.json',
      deadLetter: '/work/.replay/stdin.dead-letter.jsonl'
    })
    expect(resolvePaths({ input: '-', checkpoint: 'runs/a.json' }, '/work').deadLetter).toBe(
      '/work/runs/a.dead-letter.jsonl'
    )
    expect(resolvePaths({ input: 'e.jsonl', deadLetter: '/tmp/d.jsonl' }, '/work').deadLetter).toBe('/tmp/d.jsonl')
  })

  it('bound how far reading runs ahead of the oldest unfinished line', () => {
    expect(windowLines({ concurrency: 8, batch: false, batchSize: 1000 })).toBe(1024)
    expect(windowLines({ concurrency: 8, batch: true, batchSize: 1000 })).toBe(10_000)
  })
})

describe('exit codes', () => {
  it('are 0 when done, 2 when done with dead letters, 1 when fatal, 128 + signal when interrupted', () => {
    const stats = emptyStats()
    expect(exitCode({ kind: 'complete' }, stats)).toBe(0)
    expect(exitCode({ kind: 'complete' }, { ...stats, failed: 1 })).toBe(2)
    expect(exitCode({ kind: 'already-complete' }, { ...stats, failed: 1 })).toBe(2)
    expect(exitCode({ kind: 'fatal', message: 'x' }, stats)).toBe(1)
    expect(exitCode({ kind: 'interrupted', signal: 'SIGINT' }, stats)).toBe(130)
    expect(exitCode({ kind: 'interrupted', signal: 'SIGTERM' }, stats)).toBe(143)
  })
})

import { Readable } from 'stream'
import { Line, readLines } from '../replay/lines'

async function collect(chunks: (string | Buffer)[], options?: Parameters<typeof readLines>[1]): Promise<Line[]> {
  const lines: Line[] = []
  for await (const line of readLines(Readable.from(chunks), options)) lines.push(line)
  return lines
}
const text = (lines: Line[]) => lines.map((l) => l.bytes.toString())

describe('readLines', () => {
  it('splits on \\n and \\r\\n across chunk boundaries, with exact byte offsets', async () => {
    const lines = await collect(['{"a":1}\r', '\n{"b"', ':2}\n\n{"c":"é"}'])
    expect(text(lines)).toEqual(['{"a":1}', '{"b":2}', '', '{"c":"é"}'])
    expect(lines.map((l) => [l.number, l.start, l.end])).toEqual([
      [1, 0, 9],
      [2, 9, 17],
      [3, 17, 18],
      [4, 18, 28]
    ])
  })

  it('keeps multi-byte characters whole when a chunk splits them', async () => {
    const bytes = Buffer.from('{"name":"Zoë 🚀"}\n')
    const lines = await collect([bytes.subarray(0, 12), bytes.subarray(12, 15), bytes.subarray(15)])
    expect(text(lines)).toEqual(['{"name":"Zoë 🚀"}'])
  })

  it('drops a UTF-8 byte order mark on line 1 only, and numbers from a resume point', async () => {
    expect(text(await collect(['\ufeff{"a":1}\n\ufeff']))).toEqual(['{"a":1}', '\ufeff'])
    const resumed = await collect(['x\ny\n'], { firstLine: 41, startByte: 1000 })
    expect(resumed.map((l) => [l.number, l.start, l.end])).toEqual([
      [41, 1000, 1002],
      [42, 1002, 1004]
    ])
  })

  it('reports a line over the limit as too long, keeping only a preview, and goes on', async () => {
    const long = 'x'.repeat(5000)
    const lines = await collect([long.slice(0, 3000), long.slice(3000), '\nnext\n'], { maxBytes: 2048 })
    expect(lines[0]).toMatchObject({ number: 1, tooLong: true, end: 5001 })
    expect(lines[0].bytes.length).toBe(1024)
    expect(text(lines.slice(1))).toEqual(['next'])
  })

  it('reads no further than its consumer asks (backpressure)', async () => {
    let pulled = 0
    function* source() {
      for (let i = 0; i < 1000; i++) {
        pulled++
        yield Buffer.from(`{"n":${i}}\n`)
      }
    }
    const reader = readLines(Readable.from(source(), { objectMode: true, highWaterMark: 1 }))
    await reader.next()
    await reader.next()
    expect(pulled).toBeLessThanOrEqual(3)
    await reader.return(undefined)
  })
})

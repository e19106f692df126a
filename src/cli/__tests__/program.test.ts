import { PassThrough, Readable } from 'stream'
import { createProgram } from '../program'

async function parse(args: string[]) {
  const stdout = new PassThrough()
  const stderr = new PassThrough()
  const out: string[] = []
  stdout.on('data', (chunk: Buffer) => out.push(chunk.toString()))
  stderr.on('data', (chunk: Buffer) => out.push(chunk.toString()))
  const run = jest.fn()
  const program = createProgram({ stdin: Readable.from([]), stdout, stderr, cwd: '/tmp' }, run)
  program.exitOverride()
  for (const command of program.commands) command.exitOverride()
  let error: { code?: string; exitCode?: number } | undefined
  try {
    await program.parseAsync(['node', 'fullstory-cloud', ...args])
  } catch (thrown) {
    error = thrown as { code?: string }
  }
  return { output: out.join(''), error, run }
}

describe('fullstory-cloud command line', () => {
  it('takes --batch-size with --batch', async () => {
    const { error, run } = await parse(['replay', 'x.jsonl', '--batch', '--batch-size', '50'])
    expect(error).toBeUndefined()
    expect(run).toHaveBeenCalledTimes(1)
  })

  it('documents every replay option in --help', async () => {
    const { output, error } = await parse(['replay', '--help'])
    expect(error?.code).toBe('commander.helpDisplayed')
    for (const option of [
      '--mappings <file>',
      '--concurrency <n>',
      '--batch ',
      '--batch-size <n>',
      '--max-attempts <n>',
      '--checkpoint <file>',
      '--dead-letter <file>',
      '--restart',
      '--region <region>',
      '--no-progress'
    ]) {
      expect(output).toContain(option)
    }
    expect(output).toContain('Exit codes: 0 every line done; 2 every line done, some dead-lettered')
  })

  it.each([
    [['replay', 'x.jsonl', '--concurrency', '0'], "option '-c, --concurrency <n>' argument '0' is invalid"],
    [['replay', 'x.jsonl', '--batch-size', '20000'], 'must be a whole number from 1 to 10000'],
    [['replay', 'x.jsonl', '--region', 'us2'], 'Allowed choices are auto, eu1'],
    [['replay'], "missing required argument 'input'"],
    [['replay', 'x.jsonl', '--batch-size', '50'], "option '--batch-size <n>' applies only with --batch"]
  ])('rejects %j', async (args, message) => {
    const { output, error, run } = await parse(args)
    expect(error).toBeDefined()
    expect(output).toContain(message)
    expect(run).not.toHaveBeenCalled()
  })
})

import { Command, InvalidArgumentError, Option } from 'commander'
import { DEFAULTS, MAX_BATCH_SIZE, MAX_CONCURRENCY, ReplayOptions } from './replay/options'
import type { ReplayHooks, ReplayIO, ReplayResult } from './replay/runner'
import { runReplay } from './replay/runner'

interface Flags {
  batch?: boolean
  restart?: boolean
}

const integer = (min: number, max: number) => (value: string) => {
  const n = Number(value)
  if (!Number.isInteger(n) || n < min || n > max)
    throw new InvalidArgumentError(`must be a whole number from ${min} to ${max}`)
  return n
}

/**
 * The `fullstory-cloud` command line. Built by a function so tests can run it in process with their own streams;
 * `onResult` receives what a command produced (main.ts turns it into the exit code).
 */
export function createProgram(
  io: ReplayIO,
  onResult: (result: ReplayResult) => void,
  hooks: ReplayHooks = {}
): Command {
  const program = new Command()
    .name('fullstory-cloud')
    .description('Tools for FullStory Cloud Mode (Actions).')
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text)
    })

  program
    .command('replay')
    .summary('backfill exported Segment events into FullStory')
    .description(
      [
        'Replays exported Segment events (one JSON object per line) through the destination and its mappings. Killed at any moment and run again, it resumes from its checkpoint, and FullStory receives every event exactly once: a line sent again carries the same Idempotency-Key and body, which FullStory deduplicates for 24 hours.',
        'Without FULLSTORY_API_KEY it sends to an embedded FullStory sandbox that lives as long as the run; with it, to FullStory (or to FULLSTORY_API_URL when set).',
        'Exit codes: 0 every line done; 2 every line done, some dead-lettered; 1 stopped on an error (fix it and run the same command to resume); 130/143 stopped by SIGINT/SIGTERM (the same command resumes).'
      ].join('\n\n')
    )
    .argument('<input>', 'a .jsonl file of exported Segment events, or - to read them from stdin')
    .option(
      '-m, --mappings <file>',
      "subscriptions in Segment's shape, as for npm start (default: the destination's presets)"
    )
    .option(
      '-c, --concurrency <n>',
      'requests (with --batch: import jobs) in flight at once',
      integer(1, MAX_CONCURRENCY),
      DEFAULTS.concurrency
    )
    .option('--batch', "send through FullStory's batch import jobs instead of one request per event")
    .option(
      '--batch-size <n>',
      `lines per import job with --batch, 1 to ${MAX_BATCH_SIZE}`,
      integer(1, MAX_BATCH_SIZE),
      DEFAULTS.batchSize
    )
    .option(
      '--max-attempts <n>',
      'tries per request, the first included; retries back off with jitter and wait at least Retry-After',
      integer(1, 100),
      DEFAULTS.maxAttempts
    )
    .option(
      '--checkpoint <file>',
      'where progress is saved (default: <input>.checkpoint.json, or .replay/stdin.checkpoint.json for stdin)'
    )
    .option(
      '--dead-letter <file>',
      'JSONL of lines that failed, with line number, subscription and error (default: next to the checkpoint, <name>.dead-letter.jsonl)'
    )
    .option('--restart', 'ignore an existing checkpoint and start again from line 1')
    .addOption(
      new Option('--region <region>', 'FullStory data region when sending with FULLSTORY_API_KEY')
        .choices(['auto', 'eu1'])
        .default(process.env.FULLSTORY_REGION ?? DEFAULTS.region, 'auto, or env FULLSTORY_REGION')
    )
    .option('--no-progress', 'no progress bar (on a terminal) or progress lines every 5 s (otherwise)')
    .addHelpText(
      'after',
      [
        '',
        'Examples:',
        '  fullstory-cloud replay events.jsonl                      # to the embedded sandbox: try mappings safely',
        '  FULLSTORY_API_KEY=... fullstory-cloud replay events.jsonl --batch',
        '  gunzip -c export.jsonl.gz | fullstory-cloud replay - --checkpoint runs/may.checkpoint.json'
      ].join('\n')
    )
    .action(
      async (input: string, flags: Omit<ReplayOptions, 'input' | 'batch' | 'restart'> & Flags, command: Command) => {
        // Without --batch every event is its own request: a size given for jobs that will not exist is a mistake.
        if (!flags.batch && command.getOptionValueSource('batchSize') === 'cli') {
          command.error(
            "error: option '--batch-size <n>' applies only with --batch (import jobs); add --batch or leave it out"
          )
        }
        const options: ReplayOptions = { ...flags, input, batch: flags.batch === true, restart: flags.restart === true }
        onResult(await runReplay(options, io, hooks))
      }
    )

  return program
}

/**
 * `fullstory-cloud` (bin/fullstory-cloud.js, `npm run replay --`). Wires the process to the program: its streams,
 * its signals (the first SIGINT/SIGTERM finishes the requests in flight and saves the checkpoint; a second one
 * exits at once, which is also safe, only less tidy) and its exit code.
 */
import { createProgram } from './program'
import { EXIT } from './replay/summary'

// Segment's runtime runs in UTC: a date written without a zone ("01/02/2024 10:00") is read as it would be there,
// whatever this machine's zone, so a local run sends the same bodies (and Idempotency-Keys) as Segment would.
process.env.TZ = 'UTC'

const controller = new AbortController()
let signalled = false
const onSignal = (signal: 'SIGINT' | 'SIGTERM') => {
  if (signalled) process.exit(signal === 'SIGINT' ? EXIT.sigint : EXIT.sigterm)
  signalled = true
  controller.abort(signal)
}
process.on('SIGINT', () => onSignal('SIGINT'))
process.on('SIGTERM', () => onSignal('SIGTERM'))

let code: number = EXIT.ok
const program = createProgram(
  { stdin: process.stdin, stdout: process.stdout, stderr: process.stderr, cwd: process.cwd() },
  (result) => (code = result.exitCode),
  { signal: controller.signal }
)

program.parseAsync(process.argv).then(
  // Exit explicitly: keep-alive sockets to FullStory would otherwise hold the process open for a while.
  () => process.exit(code),
  (error: unknown) => {
    process.stderr.write(`fullstory-cloud: ${error instanceof Error ? error.message : String(error)}\n`)
    process.exit(EXIT.fatal)
  }
)

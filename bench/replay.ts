import { spawn } from 'child_process'
import { createWriteStream, readFileSync } from 'fs'
import { once } from 'events'
import path from 'path'
import { createInterface } from 'readline'
import { interruptedBy, ownedChild, tempDir } from './cleanup'
import { DELIVERABLE_MIX, eventMix } from './events'
import type { RowProgress } from './progress'

const ROOT = path.join(__dirname, '..')
const CLI_ENTRY = path.join(ROOT, 'src/cli/main.ts')
const SANDBOX_ENTRY = path.join(ROOT, 'src/sandbox/main.ts')
const API_KEY = 'bench-replay-key'
/** Share of a row's progress bar given to writing the input file; the replay takes the rest. */
const WRITE_SHARE = 0.15

export interface ReplayResult {
  events: number
  fileBytes: number
  /** Peak resident set of the CLI process (VmHWM), bytes; undefined where /proc is not available. */
  peakRssBytes: number | undefined
  /** Peak resident set of the sandbox process, for reference: it holds every event it imported. */
  sandboxPeakRssBytes: number | undefined
  wallSeconds: number
  exitCode: number | null
  /** The CLI's last lines of output when it failed. */
  failure?: string
}

/**
 * Peak memory and wall time of `fullstory-cloud replay <file> --batch` over `events` lines of JSONL, run as a
 * child process against a sandbox in another child process (so the events it stores do not count against the
 * CLI). `heapCapMiB` caps V8's old generation: a run that completes under a small cap holds little live memory,
 * whatever its RSS (which also counts garbage V8 has not yet collected).
 *
 * The input goes to a temporary folder, and both processes and the folder are registered with the cleanup, so an
 * interrupted run (Ctrl-C, SIGTERM) leaves neither behind.
 */
export async function benchReplay(events: number, heapCapMiB?: number, progress?: RowProgress): Promise<ReplayResult> {
  const folder = tempDir('fullstory-bench-')
  try {
    const file = path.join(folder.dir, 'events.jsonl')
    const fileBytes = await writeJsonl(file, events, (done) =>
      progress?.update((done / events) * WRITE_SHARE, `writing ${formatShare(done, events)}`)
    )
    const sandbox = await startSandboxProcess()
    try {
      const started = process.hrtime.bigint()
      const cap = heapCapMiB === undefined ? [] : [`--max-old-space-size=${heapCapMiB}`]
      const child = spawn(process.execPath, [...cap, '--import', 'tsx', CLI_ENTRY, 'replay', file, '--batch'], {
        cwd: ROOT,
        env: { ...process.env, FULLSTORY_API_URL: sandbox.url, FULLSTORY_API_KEY: API_KEY },
        stdio: ['ignore', 'pipe', 'pipe']
      })
      const cli = ownedChild(child, 'replay CLI')
      const output = keepTail(child.stdout, child.stderr)
      // Not a TTY, so the CLI prints "replay: 42% | ..." every 5 s on stderr.
      createInterface({ input: child.stderr }).on('line', (line) => {
        const match = /^replay: (\d+)% \| ([\d,.]+[kM]?) lines/.exec(line)
        if (match)
          progress?.update(WRITE_SHARE + (Number(match[1]) / 100) * (1 - WRITE_SHARE), `${match[2]} lines sent`)
      })
      const peak = watchPeakRss(child.pid)
      const [exitCode] = (await once(child, 'exit')) as [number | null]
      await cli.stop()
      const wallSeconds = Number(process.hrtime.bigint() - started) / 1e9
      return {
        events,
        fileBytes,
        peakRssBytes: peak.stop(),
        sandboxPeakRssBytes: readPeakRss(sandbox.pid),
        wallSeconds,
        exitCode,
        failure: exitCode === 0 ? undefined : output()
      }
    } finally {
      await sandbox.stop()
    }
  } finally {
    await folder.remove()
  }
}

function formatShare(done: number, total: number): string {
  return `${Math.floor((done / total) * 100)} %`
}

/** Streams `count` lines, cycling through a realistic mix with a unique messageId per line. */
async function writeJsonl(file: string, count: number, onProgress: (lines: number) => void): Promise<number> {
  const mix = eventMix(1000, 13, DELIVERABLE_MIX)
  const out = createWriteStream(file)
  let bytes = 0
  try {
    for (let i = 0; i < count; i++) {
      if (interruptedBy()) throw new Error('interrupted')
      const line = `${JSON.stringify({ ...mix[i % mix.length], messageId: `replay-${i}` })}\n`
      bytes += Buffer.byteLength(line)
      if (!out.write(line)) await once(out, 'drain')
      if (i % 5_000 === 0) onProgress(i)
    }
  } finally {
    out.end()
    await once(out, 'close')
  }
  return bytes
}

async function startSandboxProcess(): Promise<{ url: string; pid: number | undefined; stop: () => Promise<void> }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SANDBOX_ENTRY], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', FULLSTORY_SANDBOX_API_KEY: API_KEY },
    stdio: ['ignore', 'pipe', 'ignore']
  })
  const owned = ownedChild(child, 'sandbox')
  const lines = createInterface({ input: child.stdout })
  try {
    const [url] = (await Promise.race([
      once(lines, 'line'),
      once(child, 'exit').then(() => {
        throw new Error('the sandbox process exited before printing its URL')
      })
    ])) as [string]
    return { url: url.trim(), pid: child.pid, stop: owned.stop }
  } catch (error) {
    await owned.stop()
    throw error
  }
}

/** Polls VmHWM (the kernel's own high-water mark) until stopped; the last reading is the peak. */
function watchPeakRss(pid: number | undefined): { stop: () => number | undefined } {
  let peak = readPeakRss(pid)
  const timer = setInterval(() => (peak = readPeakRss(pid) ?? peak), 50)
  return {
    stop: () => {
      clearInterval(timer)
      return peak
    }
  }
}

function readPeakRss(pid: number | undefined): number | undefined {
  if (pid === undefined) return undefined
  try {
    const match = /^VmHWM:\s+(\d+) kB/m.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))
    return match ? Number(match[1]) * 1024 : undefined
  } catch {
    return undefined
  }
}

function keepTail(...streams: NodeJS.ReadableStream[]): () => string {
  let tail = ''
  for (const stream of streams) {
    stream.setEncoding('utf8')
    stream.on('data', (chunk: string) => (tail = (tail + chunk).slice(-2000)))
  }
  return () => tail.trim()
}

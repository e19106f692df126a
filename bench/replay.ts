import { spawn } from 'child_process'
import { createWriteStream, mkdtempSync, readFileSync, rmSync } from 'fs'
import { once } from 'events'
import os from 'os'
import path from 'path'
import { createInterface } from 'readline'
import { eventMix } from './events'

const ROOT = path.join(__dirname, '..')
const CLI_ENTRY = path.join(ROOT, 'src/cli/main.ts')
const SANDBOX_ENTRY = path.join(ROOT, 'src/sandbox/main.ts')
const API_KEY = 'bench-replay-key'

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
 */
export async function benchReplay(events: number, heapCapMiB?: number): Promise<ReplayResult> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'fullstory-bench-'))
  const sandbox = await startSandboxProcess()
  try {
    const file = path.join(dir, 'events.jsonl')
    const fileBytes = await writeJsonl(file, events)
    const started = process.hrtime.bigint()
    const cap = heapCapMiB === undefined ? [] : [`--max-old-space-size=${heapCapMiB}`]
    const child = spawn(process.execPath, [...cap, '--import', 'tsx', CLI_ENTRY, 'replay', file, '--batch'], {
      cwd: ROOT,
      env: { ...process.env, FULLSTORY_API_URL: sandbox.url, FULLSTORY_API_KEY: API_KEY },
      stdio: ['ignore', 'pipe', 'pipe']
    })
    const output = keepTail(child.stdout, child.stderr)
    const peak = watchPeakRss(child.pid)
    const [exitCode] = (await once(child, 'exit')) as [number | null]
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
    sandbox.stop()
    rmSync(dir, { recursive: true, force: true })
  }
}

/** Streams `count` lines, cycling through a realistic mix with a unique messageId per line. */
async function writeJsonl(file: string, count: number): Promise<number> {
  const mix = eventMix(1000, 13)
  const out = createWriteStream(file)
  let bytes = 0
  for (let i = 0; i < count; i++) {
    const line = `${JSON.stringify({ ...mix[i % mix.length], messageId: `replay-${i}` })}\n`
    bytes += Buffer.byteLength(line)
    if (!out.write(line)) await once(out, 'drain')
  }
  out.end()
  await once(out, 'finish')
  return bytes
}

async function startSandboxProcess(): Promise<{ url: string; pid: number | undefined; stop: () => void }> {
  const child = spawn(process.execPath, ['--import', 'tsx', SANDBOX_ENTRY], {
    cwd: ROOT,
    env: { ...process.env, PORT: '0', FULLSTORY_SANDBOX_API_KEY: API_KEY },
    stdio: ['ignore', 'pipe', 'ignore']
  })
  const lines = createInterface({ input: child.stdout })
  const [url] = (await Promise.race([
    once(lines, 'line'),
    once(child, 'exit').then(() => {
      throw new Error('the sandbox process exited before printing its URL')
    })
  ])) as [string]
  return { url: url.trim(), pid: child.pid, stop: () => child.kill('SIGTERM') }
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

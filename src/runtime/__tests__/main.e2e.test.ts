import { ChildProcess, spawn } from 'child_process'
import { mkdtempSync, writeFileSync } from 'fs'
import { createServer, Server } from 'http'
import { connect } from 'net'
import type { AddressInfo } from 'net'
import { tmpdir } from 'os'
import path from 'path'

// `npm start` as a process (tsx compiles it on start): sized for a 2-core machine with every core busy.
const START_TIMEOUT_MS = 40_000
jest.setTimeout(2 * START_TIMEOUT_MS)

const MAIN = path.join(__dirname, '..', 'main.ts')
const KEY = 'live-KEY-0123456789'

const started: ChildProcess[] = []
const servers: Server[] = []
afterEach(async () => {
  for (const child of started.splice(0)) {
    try {
      process.kill(-child.pid!, 'SIGKILL')
    } catch {
      // The group has already gone.
    }
  }
  await Promise.all(servers.splice(0).map((server) => new Promise((resolve) => server.close(resolve))))
})

/** A server on a free loopback port that answers 200 `{}` to anything. */
async function listening(): Promise<{ server: Server; port: number }> {
  const server = createServer((_, res) => res.end('{}'))
  servers.push(server)
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve))
  return { server, port: (server.address() as AddressInfo).port }
}

/**
 * Starts the runtime (`main.ts` under tsx, or `npm start` itself) and resolves once it has printed its banner or
 * exited, with what it printed.
 */
function start(args: string[], env: Record<string, string> = {}, viaNpm = false) {
  const [command, commandArgs] = viaNpm
    ? ['npm', ['start', '--', ...args]]
    : [process.execPath, ['--import', 'tsx', MAIN, ...args]]
  const child = spawn(command, commandArgs, {
    cwd: path.join(__dirname, '..', '..', '..'),
    env: { ...process.env, FULLSTORY_API_KEY: '', FULLSTORY_API_URL: '', PORT: '0', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
    // A process group of its own, so teardown stops npm's children too, whatever a test did to npm.
    detached: true
  })
  started.push(child)
  let stdout = ''
  let stderr = ''
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()))
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()))
  return new Promise<{ child: ChildProcess; stdout: string; stderr: string; exitCode: number | null }>(
    (resolve, reject) => {
      const timer = setTimeout(
        () => reject(new Error(`npm start printed nothing in time:\n${stdout}${stderr}`)),
        START_TIMEOUT_MS
      )
      const done = (exitCode: number | null) => {
        clearTimeout(timer)
        resolve({ child, stdout, stderr, exitCode })
      }
      child.stdout.on('data', () => stdout.includes('Subscriptions:') && done(null))
      child.on('exit', (code) => done(code))
    }
  )
}

/** Whether something accepts connections on the port. */
function accepts(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1')
    socket.once('connect', () => {
      socket.destroy()
      resolve(true)
    })
    socket.once('error', () => resolve(false))
  })
}

describe('npm start', () => {
  it('stops the runtime and frees its port when only npm gets SIGTERM (a process manager, a terminal closing)', async () => {
    const run = await start([], {}, true)
    const port = Number(/running at http:\/\/127\.0\.0\.1:(\d+)/.exec(run.stdout)?.[1])
    expect(await accepts(port)).toBe(true)
    const exited = new Promise((resolve) => run.child.once('exit', resolve))
    run.child.kill('SIGTERM')
    await exited
    // The runtime closes on its own SIGTERM handler; npm exits first, so give the runtime a moment to follow.
    const deadline = Date.now() + START_TIMEOUT_MS
    while ((await accepts(port)) && Date.now() < deadline) await new Promise((resolve) => setTimeout(resolve, 200))
    expect(await accepts(port)).toBe(false)
  })

  it('says plainly that a port is taken, without a stack trace, and exits 1', async () => {
    const { port } = await listening()
    const run = await start(['--port', String(port)])
    expect(run.exitCode).toBe(1)
    expect(run.stderr.trim()).toBe(
      `Port ${port} on 127.0.0.1 is already in use. Stop what listens there, or choose another port with --port or PORT.`
    )
  })

  it('says Live mode and which host, naming FULLSTORY_API_URL when it chose it, and never prints the key', async () => {
    const proxy = await listening()
    const run = await start([], { FULLSTORY_API_KEY: KEY, FULLSTORY_API_URL: `http://127.0.0.1:${proxy.port}` })
    expect(run.stdout).toContain(
      `Sending to: Live mode (FULLSTORY_API_KEY is set): http://127.0.0.1:${proxy.port}, set by FULLSTORY_API_URL`
    )
    expect(`${run.stdout}${run.stderr}`).not.toContain(KEY)
  })

  it('refuses a mappings file whose mapping cannot run before it starts anything', async () => {
    const file = path.join(mkdtempSync(path.join(tmpdir(), 'fs-mappings-')), 'mappings.json')
    writeFileSync(
      file,
      JSON.stringify([{ subscribe: 'type = "track"', partnerAction: 'trackEvent', mapping: { name: { '@path': 5 } } }])
    )
    const run = await start(['--mappings', file])
    expect(run.exitCode).toBe(1)
    expect(run.stderr.trim()).toBe(
      `${file} entry 0: the mapping cannot run: /name/@path should be a string or a mapping directive but it is a number.`
    )
    expect(run.stdout).toBe('')
  })
})

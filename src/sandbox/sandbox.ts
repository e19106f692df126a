import { createServer } from 'http'
import type { AddressInfo } from 'net'
import { createCore, resetCore } from './core'
import { createRequestHandler } from './server'
import type { Sandbox, SandboxOptions } from './types'

/** Starts an embedded FullStory sandbox on 127.0.0.1. */
export async function startSandbox(options: SandboxOptions = {}): Promise<Sandbox> {
  const core = createCore(options)
  // Fault delays are tracked so close() never leaves a timer holding the process (or a test runner) open.
  // A request still waiting when the sandbox closes is simply never answered: its socket is gone anyway.
  const delays = new Set<NodeJS.Timeout>()
  const sleep = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        delays.delete(timer)
        resolve()
      }, ms)
      delays.add(timer)
    })
  const server = createServer(createRequestHandler(core, sleep))

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject)
    server.listen(options.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject)
      resolve()
    })
  })
  const { port } = server.address() as AddressInfo

  let closing: Promise<void> | undefined
  return {
    url: `http://127.0.0.1:${port}`,
    users: () => core.store.listUsers(),
    events: () => core.store.listEvents(),
    user: (uid) => core.store.findUser(uid),
    latestEvent: (name) => core.store.latestEvent(name),
    eventFor: (body) => core.store.eventFor(body),
    requests: () => core.log.list(),
    setFaults: (faults) => core.faults.set(faults),
    markSessionFull: (sessionId) => core.store.markSessionFull(sessionId),
    reset: () => resetCore(core),
    close: () => {
      closing ??= new Promise<void>((resolve, reject) => {
        core.jobs.reset()
        for (const timer of delays) clearTimeout(timer)
        delays.clear()
        server.close((error) => (error ? reject(error) : resolve()))
        // Keep-alive connections (fetch keeps them) would otherwise hold close() open.
        server.closeAllConnections()
      })
      return closing
    }
  }
}

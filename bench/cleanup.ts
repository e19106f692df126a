import type { ChildProcess } from 'child_process'
import { mkdtempSync, rmSync } from 'fs'
import { once } from 'events'
import os from 'os'
import path from 'path'

/**
 * Everything the benchmark starts outside its own process (child processes, temporary folders) is registered
 * here, so that a normal end, an error and an interruption (Ctrl-C, SIGTERM) all leave nothing behind.
 *
 * On SIGINT or SIGTERM: every child is asked to stop (SIGTERM), given a few seconds, then killed (SIGKILL); once
 * all have exited (and been reaped), every folder is removed, and the process exits with 130 (SIGINT) or 143
 * (SIGTERM). Ctrl-C under `npm run` delivers the signal twice (from the terminal, and forwarded by npm), so a
 * repeat within a second is the same interruption; a later one kills the children at once. If the process exits
 * any other way, the `exit` hook kills what is left and removes the folders synchronously. Only SIGKILL of the
 * benchmark itself can leave something behind.
 */

interface Resource {
  kind: 'child' | 'folder'
  name: string
  /** Stops or removes the resource; may be called again, with `hurry` to escalate (SIGKILL without waiting). */
  release: (hurry: boolean) => Promise<void>
  /** The synchronous last resort for `process.on('exit')`. */
  releaseNow: () => void
}

const resources = new Set<Resource>()
const GRACE_MS = 3000
const KILL_WAIT_MS = 2000
const REPEAT_MS = 1000
let interrupted: NodeJS.Signals | undefined
let interruptedAt = 0
let hurrying = false
const beforeInterrupt: (() => void)[] = []

/** Registers a resource; the returned function releases it now (and forgets it). */
function register(resource: Resource): () => Promise<void> {
  if (interrupted) {
    // Started while the run is being stopped: undo it at once rather than leave it behind.
    resource.releaseNow()
    throw new Error(`interrupted (${interrupted})`)
  }
  resources.add(resource)
  return async () => {
    if (!resources.has(resource)) return
    await resource.release(false)
    resources.delete(resource)
  }
}

/** A new empty folder under the OS temp folder, removed by the returned function or on any exit. */
export function tempDir(prefix: string): { dir: string; remove: () => Promise<void> } {
  return ownedDir(mkdtempSync(path.join(os.tmpdir(), prefix)))
}

/** Takes ownership of an existing folder: removed by the returned function or on any exit. */
export function ownedDir(dir: string): { dir: string; remove: () => Promise<void> } {
  const removeNow = () => rmSync(dir, { recursive: true, force: true })
  const remove = register({
    kind: 'folder',
    name: dir,
    release: () => Promise.resolve(removeNow()),
    releaseNow: removeNow
  })
  return { dir, remove }
}

/**
 * Watches a child process: `stop` sends SIGTERM, waits up to a few seconds for it to exit, then sends SIGKILL,
 * and resolves once the child has exited. An exited child is forgotten on its own.
 */
export function ownedChild(child: ChildProcess, name: string): { stop: () => Promise<void> } {
  const alive = () => child.exitCode === null && child.signalCode === null
  const exited = alive() ? once(child, 'exit').then(() => undefined) : Promise.resolve()
  const waitExit = async (ms: number) => {
    let timer: NodeJS.Timeout | undefined
    await Promise.race([exited, new Promise<void>((resolve) => (timer = setTimeout(resolve, ms)))])
    clearTimeout(timer)
  }
  const resource: Resource = {
    kind: 'child',
    name: `${name} (pid ${child.pid})`,
    release: async (hurry) => {
      if (alive()) child.kill(hurry ? 'SIGKILL' : 'SIGTERM')
      await waitExit(hurry ? KILL_WAIT_MS : GRACE_MS)
      if (alive()) {
        child.kill('SIGKILL')
        await waitExit(KILL_WAIT_MS)
      }
    },
    releaseNow: () => {
      if (alive()) child.kill('SIGKILL')
    }
  }
  const stop = register(resource)
  void exited.then(() => resources.delete(resource))
  return { stop }
}

/** The signal that interrupted the run, if one did: long loops check it to stop early. */
export function interruptedBy(): NodeJS.Signals | undefined {
  return interrupted
}

/** Called once, before cleaning up after a signal: progress bars stop drawing so the messages stay readable. */
export function onInterrupt(callback: () => void): void {
  beforeInterrupt.push(callback)
}

export function installSignalHandlers(): void {
  const handle = (signal: NodeJS.Signals) => {
    if (interrupted) {
      if (hurrying || Date.now() - interruptedAt < REPEAT_MS) return
      hurrying = true
      process.stderr.write(`${signal} again: killing what is left without waiting\n`)
      void releaseAll(true).finally(() => process.exit(exitCode(interrupted ?? signal)))
      return
    }
    interrupted = signal
    interruptedAt = Date.now()
    for (const callback of beforeInterrupt) callback()
    const names = [...resources].map((resource) => resource.name)
    process.stderr.write(
      `\n${signal}: stopping the benchmark${names.length ? `; cleaning up ${names.join(', ')}` : ''}\n`
    )
    releaseAll(false).then(
      () => {
        process.stderr.write('Cleaned up: no process the benchmark started is running, no folder it made is left.\n')
        process.exit(exitCode(signal))
      },
      (error: unknown) => {
        process.stderr.write(`Cleaning up failed: ${String(error)}\n`)
        process.exit(exitCode(signal))
      }
    )
  }
  process.on('SIGINT', handle)
  process.on('SIGTERM', handle)
  process.on('exit', releaseAllNow)
}

/** Children first, all at once (a replay writes its checkpoint into its folder as it stops), then the folders. */
async function releaseAll(hurry: boolean): Promise<void> {
  const release = async (resource: Resource) => {
    await resource.release(hurry)
    resources.delete(resource)
  }
  const all = [...resources]
  await Promise.all(all.filter((resource) => resource.kind === 'child').map(release))
  for (const folder of all.filter((resource) => resource.kind === 'folder')) await release(folder)
}

function releaseAllNow(): void {
  for (const resource of [...resources].sort((a, b) => (a.kind === b.kind ? 0 : a.kind === 'child' ? -1 : 1))) {
    try {
      resource.releaseNow()
    } catch {
      // Best effort on the way out.
    }
  }
  resources.clear()
}

function exitCode(signal: NodeJS.Signals): number {
  return 128 + (os.constants.signals[signal] ?? 1)
}

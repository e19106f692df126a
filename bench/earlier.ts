import { spawn } from 'child_process'
import { existsSync, mkdirSync, mkdtempSync, readFileSync, renameSync, rmSync, writeFileSync } from 'fs'
import path from 'path'
import type { DestinationDefinition } from '@segment/actions-core'
import { ownedChild, ownedDir } from './cleanup'

/**
 * Segment's existing FullStory destination, the one a customer would pick instead of ours: the compiled
 * `dist/destinations/fullstory` of `@segment/action-destinations`, fetched with `npm pack` on first use into
 * `.cache/bench/` (gitignored; never a dependency of this package, never committed).
 *
 * Only that folder and the one helper it imports (`dist/lib/dayjs.js`) are unpacked. Its own imports resolve as
 * follows: lodash and dayjs from the cache folder's `node_modules` (installed there with `npm install --prefix`,
 * at the versions below, which satisfy its declared ranges); `@segment/actions-core` from this repository's
 * `node_modules`, because the cache sits inside the repository and Node looks up the folders. So both destinations
 * run on the very same actions-core instance: same version (3.170.0, which its `^3.170.0` accepts), and the same
 * stubbed transport.
 */
export const EARLIER_PACKAGE = '@segment/action-destinations'
export const EARLIER_VERSION = '3.497.0'
/** What the unpacked files import besides actions-core, pinned for repeatable runs (its ranges: ^4.18.1, ^1.10.7). */
const EARLIER_NEEDS = ['lodash@4.18.1', 'dayjs@1.11.23']

const ROOT = path.join(__dirname, '..')
export const CACHE_DIR = path.join(ROOT, '.cache', 'bench')
const HOME = path.join(CACHE_DIR, `action-destinations-${EARLIER_VERSION}`)
const DESTINATION_DIR = path.join(HOME, 'package', 'dist', 'destinations', 'fullstory')
const READY = path.join(HOME, 'READY')
const MEMBERS = ['package/package.json', 'package/dist/lib/dayjs.js', 'package/dist/destinations/fullstory']

export interface EarlierDestination {
  definition: DestinationDefinition<Record<string, unknown>>
  /** Where it was loaded from, for the report. */
  dir: string
  /** True when this run fetched it (the first run on a machine). */
  fetched: boolean
}

/** Loads the earlier destination, fetching it first when the cache does not have it. */
export async function loadEarlier(log: (line: string) => void = () => undefined): Promise<EarlierDestination> {
  let fetched = false
  if (!existsSync(READY)) {
    log(`Fetching ${EARLIER_PACKAGE}@${EARLIER_VERSION} into ${path.relative(ROOT, HOME)} (once per machine)`)
    await fetchEarlier()
    fetched = true
  }
  // The earlier destination must see the actions-core this process uses, or the stub transport would miss it.
  const ours = require.resolve('@segment/actions-core')
  const theirs = require.resolve('@segment/actions-core', { paths: [DESTINATION_DIR] })
  if (ours !== theirs) {
    throw new Error(`the earlier destination would load actions-core from ${theirs}, not this repository's ${ours}`)
  }
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- a CommonJS build outside the TypeScript project
  const module = require(DESTINATION_DIR) as { default: DestinationDefinition<Record<string, unknown>> }
  return { definition: module.default, dir: DESTINATION_DIR, fetched }
}

/**
 * npm pack, unpack the few files needed, install their two imports, and move the result into place in one rename,
 * so an interrupted or concurrent fetch never leaves a half-filled cache behind.
 */
async function fetchEarlier(): Promise<void> {
  mkdirSync(CACHE_DIR, { recursive: true })
  const staging = ownedDir(mkdtempSync(path.join(CACHE_DIR, 'fetching-')))
  try {
    const packed = await run('npm', [
      'pack',
      `${EARLIER_PACKAGE}@${EARLIER_VERSION}`,
      '--pack-destination',
      staging.dir,
      '--json',
      '--silent'
    ])
    const [{ filename, integrity }] = JSON.parse(packed) as { filename: string; integrity: string }[]
    const tarball = path.join(staging.dir, filename)
    await run('tar', ['-xzf', tarball, '-C', staging.dir, ...MEMBERS])
    rmSync(tarball)
    writeFileSync(
      path.join(staging.dir, 'package.json'),
      `${JSON.stringify({ name: 'bench-earlier-fullstory', private: true, description: 'npm run bench cache' }, null, 2)}\n`
    )
    await run('npm', [
      'install',
      '--prefix',
      staging.dir,
      '--no-audit',
      '--no-fund',
      '--ignore-scripts',
      '--save-exact',
      '--silent',
      ...EARLIER_NEEDS
    ])
    const declared = (
      JSON.parse(readFileSync(path.join(staging.dir, 'package/package.json'), 'utf8')) as {
        version: string
      }
    ).version
    if (declared !== EARLIER_VERSION) throw new Error(`npm pack gave version ${declared}, not ${EARLIER_VERSION}`)
    writeFileSync(path.join(staging.dir, 'READY'), `${EARLIER_PACKAGE}@${EARLIER_VERSION} ${integrity}\n`)
    if (existsSync(HOME)) rmSync(HOME, { recursive: true, force: true })
    renameSync(staging.dir, HOME)
  } catch (error) {
    throw new Error(
      `Could not fetch ${EARLIER_PACKAGE}@${EARLIER_VERSION} (the side-by-side comparison needs the npm registry ` +
        `once; later runs use ${path.relative(ROOT, HOME)}). Run with --no-earlier to skip it.\n${String(error)}`
    )
  } finally {
    await staging.remove()
  }
}

/** Runs a command to completion; resolves with its stdout, rejects with its stderr. Killed if the bench is. */
function run(command: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(command, args, { cwd: CACHE_DIR, stdio: ['ignore', 'pipe', 'pipe'] })
    const owned = ownedChild(child, command)
    let stdout = ''
    let stderr = ''
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk))
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk))
    child.on('error', reject)
    child.on('exit', (code) => {
      void owned.stop()
      if (code === 0) resolve(stdout)
      else reject(new Error(`${command} ${args.join(' ')} exited with ${code}: ${stderr.trim().slice(-2000)}`))
    })
  })
}

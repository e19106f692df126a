import { spawnSync } from 'child_process'
import { mkdirSync, rmSync, writeFileSync } from 'fs'
import path from 'path'
import type { DestinationDefinition } from '@segment/actions-core'
import { CACHE_DIR } from './earlier'

const ROOT = path.join(__dirname, '..')
export const COMPILED_DIR = path.join(CACHE_DIR, 'compiled')

/**
 * The destination folder of a copy of `src/` compiled by TypeScript, as the monorepo builds it and Segment runs it.
 * The earlier destination runs from its compiled dist; ours must too: under tsx every call across two of our
 * modules goes through an export getter, a cost no build of ours has. The folder imports nothing outside itself
 * but actions-core, which resolves to this repository's copy because the cache sits inside the repository.
 */
export function compiledDestination(srcDir: string, name: string): DestinationDefinition<never> {
  const folder = path.resolve(srcDir, 'destinations', 'fullstory-cloud')
  const out = path.join(COMPILED_DIR, name)
  rmSync(out, { recursive: true, force: true })
  mkdirSync(out, { recursive: true })
  const config = path.join(out, 'tsconfig.json')
  writeFileSync(
    config,
    JSON.stringify({
      extends: path.join(ROOT, 'tsconfig.build.json'),
      compilerOptions: { rootDir: folder, outDir: path.join(out, 'dist'), declaration: false, sourceMap: false },
      include: [folder],
      exclude: [path.join(folder, '**', '__tests__', '**')]
    })
  )
  const tsc = spawnSync(process.execPath, [require.resolve('typescript/bin/tsc'), '-p', config], {
    encoding: 'utf8',
    timeout: 120_000
  })
  if (tsc.status !== 0) throw new Error(`tsc could not compile ${folder}:\n${tsc.stdout}${tsc.stderr}`)
  // eslint-disable-next-line @typescript-eslint/no-require-imports -- compiled at run time
  return (require(path.join(out, 'dist')) as { default: DestinationDefinition<never> }).default
}

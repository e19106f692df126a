import path from 'path'

/** The parts of a V8 CPU profile (`.cpuprofile`, as the inspector and `node --cpu-prof` write it) read here. */
export interface CpuProfile {
  nodes: {
    id: number
    callFrame: { functionName: string; url: string; lineNumber: number }
    children?: number[]
  }[]
  samples: number[]
  timeDeltas: number[]
  startTime: number
  endTime: number
}

const ROOT = path.join(__dirname, '..')

/** Where a frame's code comes from, coarsely: our modules, each library, Node, V8, GC. */
export function category(url: string, functionName: string): string {
  if (functionName === '(garbage collector)') return 'GC'
  if (functionName === '(program)' || functionName === '(idle)' || functionName === '(root)')
    return 'V8 (program, idle)'
  if (!url) return 'V8 builtins (JSON, RegExp, ...)'
  if (url.startsWith('node:')) return 'Node internals'
  const file = url.startsWith('file://') ? decodeURIComponent(url.slice(7)) : url
  if (file.includes('/.cache/bench/compiled/')) return 'ours (src/, compiled)'
  if (file.includes('/.cache/bench/')) return 'earlier destination'
  const modules = file.lastIndexOf('/node_modules/')
  if (modules >= 0) {
    const rest = file.slice(modules + 14).split('/')
    return rest[0].startsWith('@') ? `${rest[0]}/${rest[1]}` : rest[0]
  }
  if (file.startsWith(path.join(ROOT, 'src'))) return 'ours (src/)'
  if (file.startsWith(path.join(ROOT, 'bench'))) return 'bench harness (stub transport, loop)'
  return 'other'
}

/** A frame's readable name: `setOptions (request-client.js:170)`. */
function frameName(frame: { functionName: string; url: string; lineNumber: number }): string {
  const file = frame.url ? path.basename(frame.url.split('?')[0]) : ''
  return `${frame.functionName || '(anonymous)'}${file ? ` (${file}:${frame.lineNumber + 1})` : ''}`
}

export interface ProfileSummary {
  totalMs: number
  samples: number
  categories: { name: string; ms: number; share: number }[]
  selfTop: { name: string; category: string; ms: number; share: number }[]
  /** Inclusive time of frames matching each probe, counted once per stack. */
  probes: { name: string; ms: number; share: number }[]
}

export interface Probe {
  name: string
  /** Matches a frame by function name and, optionally, the end of its file name. */
  functionName: string | RegExp
  file?: string | RegExp
}

/**
 * Self time by category and by function, and inclusive time under chosen frames (probes): the share of all
 * samples that were somewhere inside a frame matching the probe.
 */
export function summarize(profile: CpuProfile, probes: Probe[], top = 25): ProfileSummary {
  const byId = new Map(profile.nodes.map((node) => [node.id, node]))
  const parent = new Map<number, number>()
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id)
  const selfUs = new Map<number, number>()
  let totalUs = 0
  profile.samples.forEach((id, i) => {
    const delta = profile.timeDeltas[i + 1] ?? 0
    selfUs.set(id, (selfUs.get(id) ?? 0) + delta)
    totalUs += delta
  })
  const share = (us: number) => us / totalUs

  const categories = new Map<string, number>()
  const functions = new Map<string, { category: string; us: number }>()
  for (const [id, us] of selfUs) {
    const { callFrame } = byId.get(id)!
    const name = category(callFrame.url, callFrame.functionName)
    categories.set(name, (categories.get(name) ?? 0) + us)
    const key = frameName(callFrame)
    const entry = functions.get(key) ?? { category: name, us: 0 }
    entry.us += us
    functions.set(key, entry)
  }

  const matches = (probe: Probe, id: number) => {
    const { callFrame } = byId.get(id)!
    const nameMatches =
      typeof probe.functionName === 'string'
        ? callFrame.functionName === probe.functionName
        : probe.functionName.test(callFrame.functionName)
    return nameMatches && (probe.file === undefined || fileMatches(callFrame.url, probe.file))
  }
  const probeUs = probes.map(() => 0)
  for (const [id, us] of selfUs) {
    const hit = probes.map(() => false)
    for (let node: number | undefined = id; node !== undefined; node = parent.get(node)) {
      probes.forEach((probe, p) => {
        if (!hit[p] && matches(probe, node)) hit[p] = true
      })
    }
    hit.forEach((yes, p) => {
      if (yes) probeUs[p] += us
    })
  }

  return {
    totalMs: totalUs / 1000,
    samples: profile.samples.length,
    categories: [...categories]
      .map(([name, us]) => ({ name, ms: us / 1000, share: share(us) }))
      .sort((a, b) => b.ms - a.ms),
    selfTop: [...functions]
      .map(([name, { category, us }]) => ({ name, category, ms: us / 1000, share: share(us) }))
      .sort((a, b) => b.ms - a.ms)
      .slice(0, top),
    probes: probes.map((probe, p) => ({ name: probe.name, ms: probeUs[p] / 1000, share: share(probeUs[p]) }))
  }
}

function fileMatches(url: string, file: string | RegExp): boolean {
  return typeof file === 'string' ? url.endsWith(file) : file.test(url)
}

import os from 'os'
import { readFileSync } from 'fs'
import { formatBytes } from './stats'

/** One line describing where the numbers came from. */
export function describeMachine(): string {
  const cpus = os.cpus()
  const model = cpus[0]?.model.trim() || 'unknown CPU'
  return [
    `CPU: ${model}, ${cpus.length} logical cores (${os.availableParallelism()} available)`,
    `Memory: ${formatBytes(os.totalmem())} total, ${formatBytes(os.freemem())} free`,
    `OS: ${os.type()} ${os.release()} ${os.arch()}${cgroupCpuLimit()}`,
    `Node: ${process.version} (V8 ${process.versions.v8})`
  ].join('\n')
}

/** A container CPU quota changes what "a core" means; say so when there is one. */
function cgroupCpuLimit(): string {
  try {
    const [quota, period] = readFileSync('/sys/fs/cgroup/cpu.max', 'utf8').trim().split(/\s+/)
    return quota === 'max' ? '' : `, cgroup CPU quota ${(Number(quota) / Number(period)).toFixed(2)} cores`
  } catch {
    return ''
  }
}

/** "1.02, 0.87, 0.55 (1, 5, 15 min)": how busy the machine was; a benchmark on a shared machine should say. */
export function describeLoad(): string {
  const [one, five, fifteen] = os.loadavg().map((value) => value.toFixed(2))
  return `${one}, ${five}, ${fifteen} (1, 5, 15 min) on ${os.availableParallelism()} cores`
}

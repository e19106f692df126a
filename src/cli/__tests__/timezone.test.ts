import { spawn } from 'child_process'
import { writeFileSync } from 'fs'
import path from 'path'
import { startSandbox, type Sandbox } from '../../sandbox'
import { API_KEY, tempDir } from './__helpers__/replay'

// The real CLI as a child process (tsx compiles it on start): sized for a 2-core machine with every core busy.
const RUN_TIMEOUT_MS = 60_000
jest.setTimeout(RUN_TIMEOUT_MS + 10_000)

const BIN = path.join(__dirname, '..', '..', '..', 'bin', 'fullstory-cloud.js')

let sandbox: Sandbox
beforeAll(async () => {
  sandbox = await startSandbox({ apiKey: API_KEY })
})
afterAll(() => sandbox?.close())

it('reads a date without a zone as Segment does (in UTC), whatever machine it runs on', async () => {
  const file = path.join(tempDir(), 'events.jsonl')
  const event = { type: 'track', userId: 'u-tz', event: 'Zoned', messageId: 'm-tz', timestamp: '01/02/2024 10:00' }
  writeFileSync(file, `${JSON.stringify(event)}\n`)
  const child = spawn(process.execPath, [BIN, 'replay', file, '--no-progress'], {
    env: { ...process.env, TZ: 'America/New_York', FULLSTORY_API_KEY: API_KEY, FULLSTORY_API_URL: sandbox.url },
    stdio: 'ignore',
    timeout: RUN_TIMEOUT_MS
  })
  const code = await new Promise((resolve) => child.on('exit', resolve))
  expect(code).toBe(0)
  expect(sandbox.events().map((stored) => [stored.name, stored.timestamp])).toEqual([
    ['Zoned', '2024-01-02T10:00:00.000Z']
  ])
})

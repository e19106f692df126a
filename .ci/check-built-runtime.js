// Runs the built `npm start` entry (dist/runtime/main.js) as a user would, and checks it serves its page and
// delivers an event: the build must ship everything the runtime reads at start-up, not only compiled code.
'use strict'
const { spawn } = require('child_process')
const path = require('path')

const root = path.join(__dirname, '..')
// An empty key counts as none: the runtime starts its embedded sandbox.
const child = spawn(process.execPath, [path.join(root, 'dist/runtime/main.js'), '--port', '0'], {
  env: { ...process.env, FULLSTORY_API_KEY: '' },
  stdio: ['ignore', 'pipe', 'inherit']
})
const fail = (message) => {
  console.error(`built runtime: ${message}`)
  child.kill('SIGKILL')
  process.exit(1)
}
const timer = setTimeout(() => fail('no banner within 60 s'), 60_000)
child.on('exit', (code) => fail(`exited with code ${code} before the checks finished`))

let output = ''
child.stdout.on('data', (chunk) => {
  output += chunk
  const url = /running at (http:\/\/\S+)/.exec(output)?.[1]
  if (url) {
    child.stdout.removeAllListeners('data')
    check(url).then(
      () => {
        clearTimeout(timer)
        child.removeAllListeners('exit')
        child.kill('SIGTERM')
        console.log(`built runtime ok: ${url} served its page and delivered an event`)
      },
      (error) => fail(error.message)
    )
  }
})

async function check(url) {
  for (const asset of ['/', '/app.js', '/style.css']) {
    const response = await fetch(url + asset)
    if (response.status !== 200) throw new Error(`GET ${asset} answered ${response.status}`)
  }
  const response = await fetch(`${url}/v1/track`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify({ userId: 'ci-user', event: 'Built' })
  })
  const body = await response.json()
  if (body.result !== 'delivered') throw new Error(`POST /v1/track answered ${response.status}: ${body.message}`)
}

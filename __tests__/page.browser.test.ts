import { existsSync } from 'fs'
import { chromium } from 'playwright-core'
import type { Browser, Page } from 'playwright-core'
import { API_KEY, startLocalRuntime } from '../test/runtime-harness'

// Debian's Chromium, installed by .ci/run (apt-get install chromium); a test tool never downloads a browser here.
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium'
const CHROMIUM_FLAGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync'
]

jest.setTimeout(60_000)

describe('the local runtime page in Chromium', () => {
  let local: Awaited<ReturnType<typeof startLocalRuntime>>
  let browser: Browser
  let page: Page
  const consoleErrors: string[] = []

  beforeAll(async () => {
    if (!existsSync(CHROMIUM)) {
      throw new Error(`No Chromium at ${CHROMIUM}: run "apt-get install -y chromium" (or set CHROMIUM_PATH).`)
    }
    local = await startLocalRuntime()
    browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_FLAGS })
    page = await browser.newPage()
    page.on('console', (message) => void (message.type() === 'error' && consoleErrors.push(message.text())))
    page.on('pageerror', (error) => void consoleErrors.push(error.message))
    // Idle network: the page's own requests, the browser's icon request among them, have all been answered.
    await page.goto(`${local.runtime.url}/`, { waitUntil: 'networkidle' })
  })

  afterAll(async () => {
    await browser?.close()
    await local?.stop()
  })

  it('loads without a single console error (it asked for a /favicon.ico that does not exist)', () => {
    expect(consoleErrors).toEqual([])
  })

  it("shows the destination's settings, actions and fields with their labels, descriptions and defaults", async () => {
    await expect(page.getByTestId('mode-banner').textContent()).resolves.toContain('Sandbox mode')
    const apiKeyRow = page.locator('#settings tr[data-field="apiKey"]')
    await expect(apiKeyRow.textContent()).resolves.toMatch(/API Key.*password \(required\).*Standard key/)
    const trackEvent = page.locator('details[data-action="trackEvent"]')
    await trackEvent.locator('summary').click()
    const nameRow = trackEvent.locator('tr[data-field="name"]')
    await expect(nameRow.textContent()).resolves.toMatch(/Event Name.*\$\.event.*at most 250 characters/)
    await expect(trackEvent.locator('tr[data-field="segmentContext"]').textContent()).resolves.toMatch(
      /Segment Context.*\$\.context/
    )
    await expect(trackEvent.locator('tr[data-field="context"]').textContent()).resolves.toContain('browser_url')
  })

  it('sends an edited sample event and shows the payload, the redacted request, the response and the sandbox record', async () => {
    await page.getByTestId('sample').selectOption('track')
    const sample = JSON.parse(await page.getByTestId('event-json').inputValue())
    sample.event = 'Checkout Finished'
    await page.getByTestId('event-json').fill(JSON.stringify(sample))
    await page.getByTestId('send').click()
    await expect(page.getByTestId('send-status').textContent()).resolves.toBeDefined()

    const outcome = page.locator('[data-delivery] .outcome[data-action="trackEvent"][data-status="sent"]').first()
    await outcome.waitFor()
    const payload = await outcome.locator('[data-part="payload"]').textContent()
    expect(payload).toContain('"name": "Checkout Finished"')
    const request = await outcome.locator('[data-part="request"]').textContent()
    expect(request).toContain(`POST ${local.sandbox.url}/v2/events`)
    expect(request).toContain('authorization: Basic [redacted]')
    expect(request).toContain('"shipping_method": "express"')
    expect(request).not.toContain(API_KEY)
    expect(await outcome.locator('[data-part="response"]').textContent()).toMatch(/^200/)
    const sandboxRecord = await outcome.locator('[data-part="sandbox"]').textContent()
    expect(sandboxRecord).toContain('"name": "Checkout Finished"')
    expect(sandboxRecord).toContain('"products"')
    expect(local.sandbox.events().map((e) => e.name)).toEqual(['Checkout Finished'])
    expect(await page.locator('body').textContent()).not.toContain(API_KEY)
  })

  it('shows a rejected event with the reason', async () => {
    await page.getByTestId('event-json').fill(JSON.stringify({ type: 'track', anonymousId: 'a-1', event: 'No User' }))
    await page.getByTestId('send').click()
    const rejected = page.locator('[data-delivery] .outcome[data-action="trackEvent"][data-status="rejected"]').first()
    await rejected.waitFor()
    await expect(rejected.textContent()).resolves.toContain('needs a userId or a FullStory session URL')
  })

  it('says what became of each event: delivered, not subscribed, or refused with the reason and the field', async () => {
    const status = page.getByTestId('send-status')
    await page.getByTestId('sample').selectOption('page')
    await page.getByTestId('send').click()
    await page.locator('[data-testid="send-status"][data-result="not-subscribed"]').waitFor()
    expect(await status.textContent()).toBe(
      'Not subscribed: no subscription matches this page call, so nothing was sent.'
    )
    await expect(page.locator('[data-delivery]').first().getAttribute('data-result')).resolves.toBe('not-subscribed')

    await page.getByTestId('event-json').fill(JSON.stringify({ type: 'track', userId: 'u-1', event: 'x'.repeat(300) }))
    await page.getByTestId('send').click()
    await page.locator('[data-testid="send-status"][data-result="refused"]').waitFor()
    expect(await status.textContent()).toBe(
      'Refused: Track Custom Event (field name, mapped from $.event): The event name is 300 characters long; FullStory accepts at most 250.'
    )
    const refused = page.locator('[data-delivery]').first()
    await expect(refused.getAttribute('data-result')).resolves.toBe('refused')
    await expect(refused.locator('[data-part="error"]').textContent()).resolves.toContain(
      '(field name, mapped from $.event)'
    )

    await page.getByTestId('sample').selectOption('track')
    await page.getByTestId('send').click()
    await page.locator('[data-testid="send-status"][data-result="delivered"]').waitFor()
    expect(await status.textContent()).toBe('Delivered by Track Custom Event.')
  })

  it('shows which property values did not reach FullStory as sent', async () => {
    const event = { type: 'track', userId: 'u-9', event: 'Noted', properties: { note: 'n'.repeat(9000) } }
    await page.getByTestId('event-json').fill(JSON.stringify(event))
    await page.getByTestId('send').click()
    const warnings = page.locator('[data-delivery] .outcome[data-action="trackEvent"] [data-part="warnings"]').first()
    await warnings.waitFor()
    await expect(warnings.textContent()).resolves.toContain('note (truncated)')
  })

  it.each(['null', '[1]', '"track"'])(
    'says an event must be a JSON object when given %s, sending nothing',
    async (text) => {
      const before = local.sandbox.requests().length
      await page.getByTestId('event-json').fill(text)
      await page.getByTestId('send').click()
      await page.locator('[data-testid="send-status"][data-result="error"]').waitFor()
      expect(await page.getByTestId('send-status').textContent()).toBe(
        'The event must be a JSON object, such as a sample above.'
      )
      expect(local.sandbox.requests()).toHaveLength(before)
    }
  )

  it('says when the runtime cannot be reached, instead of "Sending…" for ever', async () => {
    await page.route('**/v1/**', (route) => route.abort('connectionrefused'))
    try {
      await page.getByTestId('sample').selectOption('track')
      await page.getByTestId('send').click()
      await page.locator('[data-testid="send-status"][data-result="error"]').waitFor()
      expect(await page.getByTestId('send-status').textContent()).toMatch(
        /^Could not reach the local runtime: .+\. Is npm start still running\?$/
      )
    } finally {
      await page.unroute('**/v1/**')
    }
  })
})

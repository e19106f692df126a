// The local runtime's page: shows the destination as a workspace admin sees it, sends sample events through the
// runtime, and shows what each delivery did. Plain DOM code: a newcomer runs no build step.
'use strict'

const $ = (selector) => document.querySelector(selector)

function el(tag, attributes, ...children) {
  const node = document.createElement(tag)
  for (const [key, value] of Object.entries(attributes || {})) {
    if (value !== undefined && value !== null) node.setAttribute(key, value)
  }
  for (const child of children) {
    if (child === undefined || child === null) continue
    node.append(child instanceof Node ? child : String(child))
  }
  return node
}

const json = (value) => JSON.stringify(value, null, 2)

function describeDefault(value) {
  if (value === undefined) return ''
  if (value && typeof value === 'object' && '@path' in value) return value['@path']
  return JSON.stringify(value)
}

function fieldRows(fields) {
  const table = el('table', { class: 'fields' })
  table.append(
    el('tr', {}, el('th', {}, 'Field'), el('th', {}, 'Type'), el('th', {}, 'Default'), el('th', {}, 'Description'))
  )
  for (const field of fields) {
    const name = el('td', {}, el('strong', {}, field.label || field.key), el('br'), el('code', {}, field.key))
    const type = el('td', {}, field.type + (field.required ? ' (required)' : ''))
    let defaults = describeDefault(field.default)
    if (field.properties)
      defaults = field.properties.map((p) => `${p.key}: ${describeDefault(field.default?.[p.key])}`).join('\n')
    const choices = field.choices
      ? el('div', { class: 'muted' }, 'Choices: ' + field.choices.map((c) => c.label || c).join('; '))
      : null
    table.append(
      el(
        'tr',
        { 'data-field': field.key },
        name,
        type,
        el('td', {}, el('code', {}, defaults)),
        el('td', {}, field.description || '', choices)
      )
    )
  }
  return table
}

function renderDefinition(definition) {
  $('#destination-name').textContent = definition.name
  $('#destination-description').textContent = definition.description
  const banner = $('#mode-banner')
  banner.className = 'banner ' + definition.mode
  banner.textContent =
    definition.mode === 'sandbox'
      ? `Sandbox mode: events go to the embedded FullStory sandbox at ${definition.apiUrl}`
      : `Live mode: events go to the real FullStory API at ${definition.apiUrl}`
  $('#settings').replaceWith(Object.assign(fieldRows(definition.settings), { id: 'settings' }))
  const subscriptions = $('#subscriptions')
  for (const subscription of definition.subscriptions) {
    subscriptions.append(
      el(
        'li',
        {},
        el('strong', {}, subscription.name || subscription.partnerAction),
        ' → ',
        el('code', {}, subscription.partnerAction),
        ' when ',
        el('code', {}, subscription.subscribe)
      )
    )
  }
  const actions = $('#actions')
  for (const action of definition.actions) {
    actions.append(
      el(
        'details',
        { 'data-action': action.slug },
        el('summary', {}, `${action.title} (${action.slug})`),
        el('p', {}, action.description),
        el('p', { class: 'muted' }, 'Default subscription: ', el('code', {}, action.defaultSubscription)),
        fieldRows(action.fields)
      )
    )
  }
}

// Outcome statuses in the words the answer uses for events.
const STATUS_LABELS = {
  sent: 'delivered',
  'not-subscribed': 'not subscribed',
  rejected: 'refused',
  retryable: 'failed'
}

function describeError(error) {
  const field = error.field ? ` (field ${error.field}${error.source ? `, mapped from ${error.source}` : ''})` : ''
  return `${error.type}${field}: ${error.message}${error.notRetried ? ` (${error.notRetried})` : ''}`
}

function renderOutcome(outcome) {
  const box = el('div', { class: 'outcome', 'data-action': outcome.action, 'data-status': outcome.status })
  box.append(
    el(
      'h4',
      {},
      `${outcome.subscription} `,
      el('span', { class: 'badge ' + outcome.status }, STATUS_LABELS[outcome.status] || outcome.status),
      outcome.tries > 1 ? el('span', { class: 'muted' }, ` after ${outcome.tries} tries`) : null
    )
  )
  if (outcome.status === 'not-subscribed') return box
  if (outcome.error) box.append(el('p', { class: 'error', 'data-part': 'error' }, describeError(outcome.error)))
  if (outcome.warnings) {
    box.append(
      el('ul', { class: 'warnings', 'data-part': 'warnings' }, ...outcome.warnings.map((w) => el('li', {}, w)))
    )
  }
  box.append(
    el('div', {}, el('strong', {}, 'Mapped payload')),
    el('pre', { 'data-part': 'payload' }, json(outcome.payload))
  )
  if (outcome.exchangesInDelivery !== undefined) {
    box.append(
      el('p', { class: 'muted' }, `The import job's HTTP exchange is shown under #${outcome.exchangesInDelivery}.`)
    )
  }
  ;(outcome.exchanges || []).forEach((exchange) => {
    const request = exchange.request
    const headers = Object.entries(request.headers)
      .map(([k, v]) => `${k}: ${v}`)
      .join('\n')
    box.append(
      el('div', {}, el('strong', {}, 'HTTP request')),
      el('pre', { 'data-part': 'request' }, `${request.method} ${request.url}\n${headers}\n\n${json(request.body)}`),
      el('div', {}, el('strong', {}, 'Response')),
      el('pre', { 'data-part': 'response' }, `${exchange.response.status}\n${json(exchange.response.body)}`)
    )
  })
  if (outcome.sandbox !== undefined) {
    box.append(
      el('div', {}, el('strong', {}, 'Now in the sandbox')),
      el('pre', { 'data-part': 'sandbox' }, json(outcome.sandbox))
    )
  }
  return box
}

function renderDelivery(delivery) {
  const event = delivery.event
  const title = event.type === 'track' ? `track "${event.event}"` : `${event.type} ${event.name || event.userId || ''}`
  const card = el(
    'article',
    { class: 'delivery', 'data-delivery': delivery.id, 'data-result': delivery.result },
    el(
      'h3',
      {},
      `#${delivery.id} ${title} `,
      el('span', { class: 'badge ' + delivery.result }, delivery.result.replace('-', ' ')),
      el('span', { class: 'muted' }, ` ${delivery.receivedAt}`)
    )
  )
  delivery.outcomes.forEach((outcome) => card.append(renderOutcome(outcome)))
  return card
}

// The runtime keeps its most recent deliveries and serves them a page at a time.
async function showDeliveries(url, append) {
  const { deliveries, next } = await (await fetch(url)).json()
  const container = $('#deliveries')
  if (!append) container.replaceChildren()
  container.querySelector('[data-part="older"]')?.remove()
  if (!append && deliveries.length === 0) container.append(el('p', { class: 'muted' }, 'Nothing sent yet.'))
  for (const delivery of deliveries) container.append(renderDelivery(delivery))
  if (next) {
    const older = el('button', { type: 'button', 'data-part': 'older' }, 'Show older deliveries')
    older.addEventListener('click', () => void showDeliveries(next, true))
    container.append(older)
  }
}

const refreshDeliveries = () => showDeliveries('/api/deliveries', false)

async function sendEvent() {
  const status = $('#send-status')
  let event
  try {
    event = JSON.parse($('#event-json').value)
  } catch (error) {
    return showSendResult('The event is not valid JSON: ' + error.message, 'error')
  }
  if (event === null || typeof event !== 'object' || Array.isArray(event)) {
    return showSendResult('The event must be a JSON object, such as a sample above.', 'error')
  }
  const type = event.type || $('#sample').value
  status.textContent = 'Sending…'
  status.removeAttribute('data-result')
  let response, body
  try {
    response = await fetch('/v1/' + encodeURIComponent(type), {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(event)
    })
    body = await response.json().catch(() => ({}))
  } catch (error) {
    // The runtime stopped, or the network between: say so instead of "Sending…" for ever.
    return showSendResult(
      'Could not reach the local runtime: ' + error.message + '. Is npm start still running?',
      'error'
    )
  }
  // The answer's own words: delivered, not subscribed, refused (why, and which field) or failed.
  showSendResult(body.message || `${response.status} ${response.statusText}`, body.result || 'error')
  await refreshDeliveries()
}

function showSendResult(message, result) {
  const status = $('#send-status')
  status.textContent = message
  status.setAttribute('data-result', result)
}

async function start() {
  const [definition, samples] = await Promise.all([
    fetch('/api/definition').then((r) => r.json()),
    fetch('/api/samples').then((r) => r.json())
  ])
  renderDefinition(definition)
  const select = $('#sample')
  for (const name of Object.keys(samples)) select.append(el('option', { value: name }, name))
  const showSample = () => ($('#event-json').value = json(samples[select.value]))
  select.addEventListener('change', showSample)
  select.value = 'track'
  showSample()
  $('#send').addEventListener('click', () => void sendEvent())
  await refreshDeliveries()
}

void start()

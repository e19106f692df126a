/**
 * Writes src/destinations/fullstory-cloud/metadata.json: the destination's public description (settings, actions
 * and their fields, presets) in the format segmentio/action-destinations commits next to every destination, byte for
 * byte what its `./bin/run generate:metadata-payload --path <folder>` writes (2-space JSON and a final newline; the
 * monorepo keeps these files out of Prettier). With --check it writes nothing and fails when the file is stale.
 *
 * The format, as that command produces it:
 * - top level: slug, name, mode (default 'cloud'), description, authentication ({ scheme, fields } or null),
 *   audienceConfig (or null), actions keyed by slug, presets;
 * - a setting: label, description, type, required, multiple, choices, default, depends_on;
 * - an action: title, description, platform, defaultSubscription, hidden, hasPerformBatch, syncMode, hooks,
 *   dynamicFields, fields;
 * - a field: label, description, type, required, multiple, allowNull, dynamic, default, choices, placeholder,
 *   properties (sub-fields, for object fields), category, depends_on, readOnly, hidden (unsafe_hidden), minimum,
 *   maximum, defaultObjectUI, disabledInputMethods, displayMode, format, additionalProperties;
 * - whatever a definition leaves out is null (false for the booleans, {} for a preset's mapping); `required` is
 *   true, false or its conditions object; choices are `{ label, value }` objects, plain values given as
 *   `{ label: String(value), value }`, and an empty list is null.
 */
import { existsSync, readFileSync, writeFileSync } from 'fs'
import path from 'path'
import { hookTypeStrings } from '@segment/actions-core/destination-kit'
import destination from '../src/destinations/fullstory-cloud'

type Json = null | boolean | number | string | Json[] | { [key: string]: Json | undefined }
type Definition = Record<string, unknown>

export const METADATA_FILE = path.join(__dirname, '..', 'src', 'destinations', 'fullstory-cloud', 'metadata.json')

const isObject = (value: unknown): value is Definition => typeof value === 'object' && value !== null
const entriesOf = (value: unknown): [string, unknown][] => (isObject(value) ? Object.entries(value) : [])
const orNull = (value: unknown): Json => (value ?? null) as Json
const orFalse = (value: unknown): Json => (value ?? false) as Json

function required(value: unknown): Json {
  return isObject(value) ? (value as Json) : value === true
}

function choices(value: unknown): Json {
  if (!Array.isArray(value) || value.length === 0) return null
  return value.map((choice: unknown): Json => {
    if (isObject(choice) && 'label' in choice && 'value' in choice) return choice as Json
    return { label: String(choice), value: choice as Json }
  })
}

function fieldsOf(fields: unknown, describe: (field: Definition) => Json): { [key: string]: Json } {
  const out: { [key: string]: Json } = {}
  for (const [key, field] of entriesOf(fields)) out[key] = describe(isObject(field) ? field : {})
  return out
}

function setting(field: Definition): Json {
  return {
    label: field.label as Json | undefined,
    description: field.description as Json | undefined,
    type: field.type as Json,
    required: required(field.required),
    multiple: orFalse(field.multiple),
    choices: choices(field.choices),
    default: orNull(field.default),
    depends_on: orNull(field.depends_on)
  }
}

function actionField(field: Definition): Json {
  const hasProperties = field.type === 'object' && isObject(field.properties)
  return {
    label: field.label as Json | undefined,
    description: field.description as Json | undefined,
    type: field.type as Json,
    required: required(field.required),
    multiple: orFalse(field.multiple),
    allowNull: orFalse(field.allowNull),
    dynamic: typeof field.dynamic === 'function' ? true : orFalse(field.dynamic),
    default: orNull(field.default),
    choices: choices(field.choices),
    placeholder: orNull(field.placeholder),
    properties: hasProperties ? fieldsOf(field.properties, actionField) : null,
    category: orNull(field.category),
    depends_on: orNull(field.depends_on),
    readOnly: orNull(field.readOnly),
    hidden: orNull(field.unsafe_hidden),
    minimum: orNull(field.minimum),
    maximum: orNull(field.maximum),
    defaultObjectUI: orNull(field.defaultObjectUI),
    disabledInputMethods: orNull(field.disabledInputMethods),
    displayMode: orNull(field.displayMode),
    format: orNull(field.format),
    additionalProperties: orFalse(field.additionalProperties)
  }
}

function syncMode(mode: unknown): Json {
  if (!isObject(mode)) return null
  return {
    default: mode.default as Json,
    label: (mode.label ?? 'Sync Mode') as Json,
    description: (mode.description ?? '') as Json,
    choices: (Array.isArray(mode.choices) ? (mode.choices as Definition[]) : []).map((choice) => ({
      value: choice.value as Json,
      label: choice.label as Json
    }))
  }
}

function hooks(definitions: unknown): Json {
  const out: { [key: string]: Json } = {}
  for (const [key, hook] of entriesOf(definitions)) {
    if (!(hookTypeStrings as readonly string[]).includes(key) || !isObject(hook)) continue
    out[key] = {
      label: (hook.label ?? key) as Json,
      description: (hook.description ?? '') as Json,
      inputFields: fieldsOf(hook.inputFields, actionField),
      outputFields: fieldsOf(hook.outputTypes ?? hook.outputFields, actionField)
    }
  }
  return Object.keys(out).length > 0 ? out : null
}

/** Only object-valued dynamic fields are listed, by which of `__keys__` and `__values__` they have. */
function dynamicFields(definitions: unknown): Json {
  if (!isObject(definitions)) return null
  const out: { [key: string]: Json } = {}
  for (const [key, dynamic] of entriesOf(definitions)) {
    const kinds = Object.keys(isObject(dynamic) ? dynamic : {}).filter((k) => k === '__keys__' || k === '__values__')
    if (kinds.length > 0) out[key] = kinds
  }
  return Object.keys(out).length > 0 ? out : null
}

function action(key: string, definition: Definition): Json {
  return {
    title: (definition.title ?? key) as Json,
    description: (definition.description ?? '') as Json,
    platform: definition.platform === 'web' ? 'web' : 'cloud',
    defaultSubscription: orNull(definition.defaultSubscription),
    hidden: orFalse(definition.hidden),
    hasPerformBatch: typeof definition.performBatch === 'function',
    syncMode: syncMode(definition.syncMode),
    hooks: hooks(definition.hooks),
    dynamicFields: dynamicFields(definition.dynamicFields),
    fields: fieldsOf(definition.fields, actionField)
  }
}

function audienceConfig(definition: Definition): Json {
  const config = definition.audienceConfig
  if (!isObject(config)) return null
  const mode = isObject(config.mode) ? config.mode : {}
  return {
    mode:
      mode.type === 'synced'
        ? { type: 'synced', full_audience_sync: orFalse(mode.full_audience_sync) }
        : { type: 'realtime' },
    audienceFields: fieldsOf(definition.audienceFields, setting),
    supportsAudienceFunctions: typeof config.createAudience === 'function' && typeof config.getAudience === 'function'
  }
}

export function metadataOf(definition: Definition, directory: string): Json {
  const authentication = isObject(definition.authentication) ? definition.authentication : undefined
  const settings = authentication?.fields ?? definition.settings
  const hasSettings = authentication !== undefined || entriesOf(settings).length > 0
  const actions: { [key: string]: Json } = {}
  for (const [key, value] of entriesOf(definition.actions)) actions[key] = action(key, isObject(value) ? value : {})
  const presets = Array.isArray(definition.presets) ? (definition.presets as Definition[]) : []
  return {
    slug: (definition.slug ?? directory) as Json,
    name: definition.name as Json,
    mode: (definition.mode ?? 'cloud') as Json,
    description: definition.description as Json | undefined,
    authentication: hasSettings
      ? { scheme: (authentication?.scheme ?? 'custom') as Json, fields: fieldsOf(settings, setting) }
      : null,
    audienceConfig: audienceConfig(definition),
    actions,
    presets: presets.map((preset) => ({
      name: preset.name as Json,
      type: preset.type as Json | undefined,
      partnerAction: preset.partnerAction as Json,
      subscribe: preset.subscribe as Json | undefined,
      mapping: (preset.mapping ?? {}) as Json,
      eventSlug: orNull(preset.eventSlug)
    }))
  }
}

export function metadataJson(definition: object, directory: string): string {
  return JSON.stringify(metadataOf(definition as Definition, directory), null, 2) + '\n'
}

function main(check: boolean): void {
  const text = metadataJson(destination, path.basename(path.dirname(METADATA_FILE)))
  const current = existsSync(METADATA_FILE) && readFileSync(METADATA_FILE, 'utf8') === text
  const shown = path.relative(process.cwd(), METADATA_FILE)
  if (check) {
    if (!current) {
      console.error(`stale: ${shown}. Run \`npm run metadata\` and commit the result.`)
      process.exit(1)
    }
    console.log(`${shown} is current.`)
    return
  }
  if (!current) writeFileSync(METADATA_FILE, text)
  console.log(current ? `${shown} was already current.` : `Wrote ${shown}.`)
}

if (require.main === module) main(process.argv.includes('--check'))

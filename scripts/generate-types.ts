/**
 * Regenerates every generated-types.ts from the definitions, as the monorepo's `generate:types` does.
 * With --check it writes nothing and fails when a file is stale.
 */
import { readFileSync, writeFileSync, existsSync } from 'fs'
import path from 'path'
import { fieldsToJsonSchema } from '@segment/actions-core'
import type { DestinationDefinition, InputField } from '@segment/actions-core'
import { compile } from 'json-schema-to-typescript'
import destination from '../src/destinations/fullstory-cloud'

const destinationDir = path.join(__dirname, '..', 'src', 'destinations', 'fullstory-cloud')
const bannerComment = '// Generated file. DO NOT MODIFY IT BY HAND.'
const style = { semi: false, singleQuote: true, trailingComma: 'none' as const, printWidth: 120 }

function stripTitlesAndEnums(schema: unknown): unknown {
  if (Array.isArray(schema)) return schema.map(stripTitlesAndEnums)
  if (!schema || typeof schema !== 'object') return schema
  const out: Record<string, unknown> = {}
  for (const [key, value] of Object.entries(schema)) {
    if (key === 'title' || key === 'enum') continue
    out[key] = stripTitlesAndEnums(value)
  }
  return out
}

async function typesFor(fields: Record<string, InputField>, name: string): Promise<string> {
  const schema = stripTitlesAndEnums(fieldsToJsonSchema(fields, { tsType: true }))
  return compile(schema as Parameters<typeof compile>[0], name, { bannerComment, style })
}

async function main(definition: DestinationDefinition<unknown>, check: boolean): Promise<void> {
  const files: [string, string][] = [
    [
      path.join(destinationDir, 'generated-types.ts'),
      await typesFor((definition.authentication?.fields ?? {}) as Record<string, InputField>, 'Settings')
    ]
  ]
  for (const slug of Object.keys(definition.actions)) {
    const fields = definition.actions[slug].fields as Record<string, InputField>
    files.push([path.join(destinationDir, slug, 'generated-types.ts'), await typesFor(fields, 'Payload')])
  }

  const stale = files.filter(([file, text]) => !existsSync(file) || readFileSync(file, 'utf8') !== text)
  if (check) {
    for (const [file] of stale) console.error(`stale: ${path.relative(process.cwd(), file)}`)
    if (stale.length) {
      console.error('Generated types are out of date: run `npm run types` and commit the result.')
      process.exit(1)
    }
    console.log(`Generated types are current (${files.length} files).`)
    return
  }
  for (const [file, text] of stale) writeFileSync(file, text)
  console.log(`Wrote ${stale.length} of ${files.length} generated-types files.`)
}

main(destination as DestinationDefinition<unknown>, process.argv.includes('--check')).catch((error) => {
  console.error(error)
  process.exit(1)
})

/**
 * The destination folder must drop into segmentio/action-destinations alone: nothing under it (tests included) may
 * import from outside it, or name a path outside it, except what that monorepo gives a destination. Prints every
 * violation and exits 1 when there is one.
 *
 *   npx tsx scripts/check-self-contained.ts [folder]     (default src/destinations/fullstory-cloud)
 *
 * Checked in every .ts/.js file: import and export declarations (type-only ones too), require(), import(),
 * require.resolve() and jest.mock()-style calls, and every other string literal that is a relative path.
 */
import { readdirSync, readFileSync } from 'fs'
import { builtinModules } from 'module'
import path from 'path'
import ts from 'typescript'

const REPO = path.join(__dirname, '..')
export const DEFAULT_FOLDER = path.join(REPO, 'src', 'destinations', 'fullstory-cloud')

/**
 * Packages a destination in the monorepo can import: the dependencies and devDependencies of its
 * packages/destination-actions (HEAD 970a17ee8d), the root dependencies it resolves (chance, liquidjs, xml-js), and
 * the workspace packages its jest and tsconfig map (actions-core, actions-shared, destination-subscriptions,
 * ajv-human-errors). lodash only as lodash/<method>, as the monorepo's lint requires.
 */
export const ALLOWED_PACKAGES = new Set([
  '@segment/actions-core',
  '@segment/actions-shared',
  '@segment/destination-subscriptions',
  '@segment/ajv-human-errors',
  '@segment/a1-notation',
  '@amplitude/ua-parser-js',
  '@aws-sdk/client-eventbridge',
  '@aws-sdk/client-kinesis',
  '@aws-sdk/client-s3',
  '@aws-sdk/client-sts',
  '@bufbuild/protobuf',
  'ajv-formats',
  'aws4',
  'chance',
  'cheerio',
  'dayjs',
  'escape-goat',
  'google-libphonenumber',
  'kafkajs',
  'liquidjs',
  'lodash',
  'lru-cache',
  'nock',
  'ssh2-sftp-client',
  'xml-js'
])

/** Outside the folder, only the monorepo's own test-data generator, which this repo mirrors at the same path. */
const ALLOWED_OUTSIDE = [path.join(REPO, 'src', 'lib', 'test-data')]

export interface Violation {
  file: string
  line: number
  text: string
  reason: string
}

const MODULE_CALLS = new Set([
  'require',
  'require.resolve',
  'jest.mock',
  'jest.doMock',
  'jest.unmock',
  'jest.requireActual',
  'jest.requireMock'
])

function packageName(specifier: string): string {
  const parts = specifier.split('/')
  return specifier.startsWith('@') ? parts.slice(0, 2).join('/') : parts[0]
}

function isBuiltin(specifier: string): boolean {
  const name = specifier.startsWith('node:') ? specifier.slice(5) : specifier
  return builtinModules.includes(name.split('/')[0]) || builtinModules.includes(name)
}

function isRelative(text: string): boolean {
  return text === '.' || text === '..' || text.startsWith('./') || text.startsWith('../')
}

function inside(folder: string, target: string): boolean {
  const relative = path.relative(folder, target)
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative))
}

/** Why a specifier or path written in `file` is not allowed, or undefined when it is. */
function refusal(folder: string, file: string, text: string, isSpecifier: boolean): string | undefined {
  if (isRelative(text)) {
    const target = path.resolve(path.dirname(file), text)
    if (inside(folder, target)) return undefined
    if (ALLOWED_OUTSIDE.some((allowed) => target === allowed || target.startsWith(`${allowed}.`))) return undefined
    return 'resolves outside the folder'
  }
  if (!isSpecifier) return undefined
  if (text.startsWith('/')) return 'an absolute path'
  if (isBuiltin(text)) return undefined
  if (text === 'lodash') return 'import lodash/<method>, not lodash (the monorepo lints lodash/import-scope: method)'
  if (ALLOWED_PACKAGES.has(packageName(text))) return undefined
  return 'a package the monorepo does not give destination-actions'
}

function calleeName(expression: ts.Expression): string | undefined {
  if (ts.isIdentifier(expression)) return expression.text
  if (ts.isPropertyAccessExpression(expression) && ts.isIdentifier(expression.expression)) {
    return `${expression.expression.text}.${expression.name.text}`
  }
  return undefined
}

/** Module specifiers and relative paths in one file's source that break the rule. */
export function violationsIn(folder: string, file: string, source: string): Violation[] {
  const sourceFile = ts.createSourceFile(file, source, ts.ScriptTarget.Latest, true)
  const specifiers = new Set<ts.Node>()
  const found: Violation[] = []
  const report = (node: ts.StringLiteralLike, isSpecifier: boolean) => {
    const reason = refusal(folder, file, node.text, isSpecifier)
    if (reason === undefined) return
    const line = sourceFile.getLineAndCharacterOfPosition(node.getStart(sourceFile)).line + 1
    found.push({ file, line, text: node.text, reason })
  }
  const visit = (node: ts.Node): void => {
    let specifier: ts.Expression | undefined
    if ((ts.isImportDeclaration(node) || ts.isExportDeclaration(node)) && node.moduleSpecifier) {
      specifier = node.moduleSpecifier
    } else if (ts.isImportEqualsDeclaration(node) && ts.isExternalModuleReference(node.moduleReference)) {
      specifier = node.moduleReference.expression
    } else if (ts.isImportTypeNode(node) && ts.isLiteralTypeNode(node.argument)) {
      specifier = node.argument.literal
    } else if (ts.isCallExpression(node) && node.arguments.length > 0) {
      const name = node.expression.kind === ts.SyntaxKind.ImportKeyword ? 'import' : calleeName(node.expression)
      if (name === 'import' || (name !== undefined && MODULE_CALLS.has(name))) specifier = node.arguments[0]
    }
    if (specifier !== undefined && ts.isStringLiteralLike(specifier)) {
      specifiers.add(specifier)
      report(specifier, true)
    } else if (ts.isStringLiteralLike(node) && !specifiers.has(node)) {
      report(node, false)
    }
    ts.forEachChild(node, visit)
  }
  visit(sourceFile)
  return found
}

function sourceFiles(dir: string): string[] {
  return readdirSync(dir, { withFileTypes: true }).flatMap((entry) => {
    const full = path.join(dir, entry.name)
    if (entry.isDirectory()) return entry.name === 'node_modules' ? [] : sourceFiles(full)
    return /\.(ts|js|mjs|cjs)$/.test(entry.name) ? [full] : []
  })
}

export function checkFolder(folder: string): { files: number; violations: Violation[] } {
  const files = sourceFiles(folder)
  const violations = files.flatMap((file) => violationsIn(folder, file, readFileSync(file, 'utf8')))
  return { files: files.length, violations }
}

if (require.main === module) {
  const folder = path.resolve(process.argv[2] ?? DEFAULT_FOLDER)
  const { files, violations } = checkFolder(folder)
  for (const v of violations) {
    console.error(`${path.relative(process.cwd(), v.file)}:${v.line}: '${v.text}' ${v.reason}`)
  }
  if (violations.length > 0) {
    console.error(`${violations.length} import(s) or path(s) reach outside ${path.relative(process.cwd(), folder)}.`)
    process.exit(1)
  }
  console.log(`${path.relative(process.cwd(), folder)} is self-contained (${files} files checked).`)
}

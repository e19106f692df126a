import path from 'path'
import { checkFolder, DEFAULT_FOLDER, violationsIn } from '../scripts/check-self-contained'

// scripts/check-self-contained.ts guards what the destination folder may import in the monorepo (.ci/run runs it).
const folder = DEFAULT_FOLDER
const testFile = path.join(folder, '__tests__', 'x.test.ts')
const found = (source: string, file = testFile) => violationsIn(folder, file, source).map((v) => [v.text, v.reason])

describe('check-self-contained', () => {
  it('passes the destination folder as it is', () => {
    const { files, violations } = checkFolder(folder)
    expect(files).toBeGreaterThan(30)
    expect(violations).toEqual([])
  })

  it('allows the folder, actions-core, packages the monorepo gives destinations, builtins and lib/test-data', () => {
    const source = [
      "import destination from '../index'",
      "import type { Payload } from '../trackEvent/generated-types'",
      "import { createTestIntegration } from '@segment/actions-core'",
      "import { parseFql } from '@segment/destination-subscriptions'",
      "import camelCase from 'lodash/camelCase'",
      "import nock from 'nock'",
      "import dayjs from 'dayjs'",
      "import crypto from 'crypto'",
      "import { readFileSync } from 'node:fs'",
      "import { generateTestData } from '../../../lib/test-data'",
      "const fixture = require.resolve('./__helpers__/observers')"
    ].join('\n')
    expect(found(source)).toEqual([])
    expect(
      found("import { generateTestData } from '../../../../lib/test-data'", path.join(folder, 'a', '__tests__', 'b.ts'))
    ).toEqual([])
  })

  it('flags imports, requires, mocks and paths that reach outside the folder, and packages the monorepo lacks', () => {
    const source = [
      "import { validateCreateEvent } from '../../../sandbox'",
      "export { PAGE_VIEW_SUBSCRIPTIONS } from '../../../../test/recipes'",
      "import fc from 'fast-check'",
      "import _ from 'lodash'",
      "const harness = require('../../../../test/runtime-harness')",
      "jest.mock('../../../delivery/deliver')",
      "const later = import('commander')",
      "type T = import('../../../runtime/server').Runtime",
      "const readme = readFileSync(path.join(__dirname, '../../../../README.md'), 'utf8')"
    ].join('\n')
    expect(found(source)).toEqual([
      ['../../../sandbox', 'resolves outside the folder'],
      ['../../../../test/recipes', 'resolves outside the folder'],
      ['fast-check', 'a package the monorepo does not give destination-actions'],
      ['lodash', 'import lodash/<method>, not lodash (the monorepo lints lodash/import-scope: method)'],
      ['../../../../test/runtime-harness', 'resolves outside the folder'],
      ['../../../delivery/deliver', 'resolves outside the folder'],
      ['commander', 'a package the monorepo does not give destination-actions'],
      ['../../../runtime/server', 'resolves outside the folder'],
      ['../../../../README.md', 'resolves outside the folder']
    ])
  })

  it('reports the line of each violation', () => {
    const [violation] = violationsIn(folder, testFile, "// one\n\nimport fc from 'fast-check'\n")
    expect(violation).toMatchObject({ file: testFile, line: 3, text: 'fast-check' })
  })
})

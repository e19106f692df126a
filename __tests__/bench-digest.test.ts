import { computeDigest, differences, readExpected } from '../bench/digest'

/**
 * What the destination sends for bench/digest.ts's fixed corpus, compared with bench/digest.expected.json. A change
 * meant to alter requests updates the file (`npm run bench:digest -- --update`) in the same commit; a change meant
 * to keep them (a performance change) must leave this test passing.
 */
describe('request digest of the benchmark corpus', () => {
  it('matches bench/digest.expected.json', async () => {
    const actual = await computeDigest()
    const diff = differences(readExpected(), actual)
    if (diff.length > 0) {
      throw new Error(
        `What the destination sends changed:\n  ${diff.join('\n  ')}\n` +
          'If that is intended, run `npm run bench:digest -- --update` and commit bench/digest.expected.json with the change.'
      )
    }
  })
})

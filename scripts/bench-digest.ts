/**
 * `npm run bench:digest [-- --update] [--dump <file.jsonl>]`: runs bench/digest.ts's fixed corpus through the
 * destination and compares the SHA-256 of what it sends with bench/digest.expected.json. Exit 0 when equal, 1 when
 * not. --update writes the new digest (for a change meant to alter requests, committed with it); --dump writes
 * every request as a JSON line, to diff two versions' output; --candidate <dir> checks a copy of src/ (inside this
 * repository, e.g. under .cache/) instead of src/.
 */
import { createWriteStream } from 'fs'
import { computeDigest, differences, EXPECTED_FILE, readExpected, writeExpected } from '../bench/digest'
import { loadCandidate } from '../bench/sides'

async function main(): Promise<void> {
  const args = process.argv.slice(2)
  const update = args.includes('--update')
  const dumpIndex = args.indexOf('--dump')
  const dump = dumpIndex >= 0 ? createWriteStream(args[dumpIndex + 1] ?? 'digest-requests.jsonl') : undefined
  const candidateIndex = args.indexOf('--candidate')
  const candidate = candidateIndex >= 0 ? loadCandidate(args[candidateIndex + 1]) : undefined
  if (candidate && update) throw new Error('--update writes the expected digest of src/, not of a candidate')
  const digest = await computeDigest(
    dump ? (request) => dump.write(`${JSON.stringify(request)}\n`) : undefined,
    candidate
  )
  dump?.end()
  console.log(`${digest.events} events, ${digest.requests} requests, ${digest.refused} refused`)
  console.log(`bodies   sha256 ${digest.bodies}`)
  console.log(`requests sha256 ${digest.requestsDigest}`)
  if (update) {
    writeExpected(digest)
    console.log(`Wrote ${EXPECTED_FILE}`)
    return
  }
  const diff = differences(readExpected(), digest)
  if (diff.length === 0) {
    console.log('Same as bench/digest.expected.json: no request changed.')
    return
  }
  console.error(`Differs from bench/digest.expected.json:\n  ${diff.join('\n  ')}`)
  console.error(
    'If the change is meant to alter what is sent, run `npm run bench:digest -- --update` and commit the file with it.'
  )
  process.exitCode = 1
}

main().catch((error: unknown) => {
  console.error(error)
  process.exit(1)
})

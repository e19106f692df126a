/**
 * fast-check arbitraries for what comes from FullStory's side and from the settings form: HTTP answers (errors of
 * every shape and size, redirects, Retry-After values) and API keys as pasted. The key's text, fuzz-secret-key, is
 * planted in answers so tests can check it never surfaces.
 */
import fc from 'fast-check'
import { text } from './segment-arbitraries'

/** Text of a hostile size, holding the key somewhere: an answer's fields are scrubbed and bounded. */
const hugeText = fc
  .tuple(fc.integer({ min: 1_000, max: 40_000 }), fc.constantFrom('m', 'é', ' ', '<'))
  .map(([length, unit]) => `${unit.repeat(length)} fuzz-secret-key ${unit.repeat(length)}`)

/** An HTTP answer FullStory (or something in between) might give: an error in `{ message, code }` or otherwise, or a redirect. */
export const errorAnswer = fc.record({
  status: fc.oneof(
    fc.integer({ min: 400, max: 599 }),
    fc.constantFrom(400, 401, 403, 404, 408, 409, 413, 422, 429, 500, 502, 503, 504),
    fc.constantFrom(301, 302, 303, 307, 308)
  ),
  body: fc.oneof(
    fc.record(
      {
        message: fc.oneof(text, fc.constant('the key fuzz-secret-key is not valid'), hugeText),
        code: fc.oneof(
          fc.constantFrom('invalid_argument', 'session_page_limit_exceeded', 'not_found', 'fuzz-secret-key'),
          text,
          hugeText
        )
      },
      { requiredKeys: [] }
    ),
    text,
    hugeText,
    fc.constant('')
  ),
  location: fc.option(
    fc.constantFrom(
      'https://evil.example/v2/events',
      'http://127.0.0.1:1/steal?key=fuzz-secret-key',
      '/v2/events',
      `https://api.fullstory.com/${'x'.repeat(5000)}`
    ),
    { nil: undefined }
  ),
  retryAfter: fc.option(
    fc.oneof(
      fc.integer({ min: -5, max: 100_000 }).map(String),
      fc.constantFrom('abc', '', '1.5', 'Wed, 21 Oct 2015 07:28:00 GMT', 'Fri, 01 Jan 2100 00:00:00 GMT')
    ),
    { nil: undefined }
  )
})

/**
 * API keys as they arrive from a settings form: pasted with surrounding whitespace or a line break, with characters
 * no HTTP header can carry inside, or clean.
 */
export const apiKey = fc.oneof(
  fc.constant('fuzz-secret-key'),
  fc
    .tuple(
      fc.constantFrom('', ' ', '\n', '\r\n', '\t', '\u00a0'),
      fc.constantFrom('fuzz-secret-key', 'na1.fuzz/secret+key=='),
      fc.constantFrom('', ' ', '\n', '\r\n', '\t')
    )
    .map(([before, key, after]) => `${before}${key}${after}`),
  fc
    .tuple(
      fc.integer({ min: 1, max: 14 }),
      fc.constantFrom('\n', '\r', '\u0000', '\u007f', '\u201c', '\u2028', '😀', 'é')
    )
    .map(([at, inner]) => `fuzz-secret-key`.slice(0, at) + inner + `fuzz-secret-key`.slice(at)),
  fc.constantFrom('', '   ', '\n')
)

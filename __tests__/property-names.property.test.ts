import fc from 'fast-check'
import { normalizePropertyName } from '../src/destinations/fullstory-cloud/properties'
import { LEGAL_SEGMENT, NUM_RUNS, trickyKey } from './__helpers__/property-arbitraries'

/** What a rewritten name looks like in the default style: no `__`, no `_` at either end. */
const CANONICAL_SEGMENT = /^[A-Za-z][A-Za-z0-9]*(?:_[A-Za-z0-9]+)*$/

describe('normalizePropertyName (property-based)', () => {
  const anyName = fc.oneof(
    fc.string({ unit: 'binary', maxLength: 20 }),
    fc.string({ unit: 'grapheme-ascii', maxLength: 20 }),
    trickyKey
  )

  it('keeps a legal name exactly, makes any other legal, and is idempotent, in both styles', () => {
    fc.assert(
      fc.property(anyName, fc.constantFrom('replace' as const, 'remove' as const), (raw, style) => {
        const name = normalizePropertyName(raw, style)
        expect(name).toMatch(LEGAL_SEGMENT)
        if (LEGAL_SEGMENT.test(raw)) expect(name).toBe(raw)
        else if (style === 'replace') expect(name).toMatch(CANONICAL_SEGMENT)
        expect(normalizePropertyName(name, style)).toBe(name)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it("'remove' deletes only characters FullStory does not allow, prefixing a name that would not start with a letter", () => {
    fc.assert(
      fc.property(anyName, (raw) => {
        const kept = raw.replace(/[^A-Za-z0-9_]/g, '')
        const name = normalizePropertyName(raw, 'remove')
        if (kept === '') expect(name).toBe('unnamed')
        else expect(name).toBe(/^[A-Za-z]/.test(kept) ? kept : `p_${kept}`)
      }),
      { numRuns: NUM_RUNS }
    )
  })

  it('never deletes a letter or digit: other characters become separators', () => {
    fc.assert(
      fc.property(anyName, (raw) => {
        const alphanumerics = raw.replace(/[^A-Za-z0-9]/g, '')
        const name = normalizePropertyName(raw)
        if (alphanumerics === '') expect(name).toBe('unnamed')
        else if (/^[A-Za-z]/.test(alphanumerics)) expect(name.replace(/_/g, '')).toBe(alphanumerics)
        else expect(name.replace(/_/g, '')).toBe(`p${alphanumerics}`)
      }),
      { numRuns: NUM_RUNS }
    )
  })
})

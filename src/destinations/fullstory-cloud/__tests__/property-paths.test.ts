import { cachedPathCount, childPath } from '../property-paths'

describe('childPath', () => {
  it('joins a parent path and a name with a dot, and gives a top-level name as it is', () => {
    expect(childPath('', 'plan')).toBe('plan')
    expect(childPath('shipping', 'address')).toBe('shipping.address')
    expect(childPath('shipping.address', 'zip')).toBe('shipping.address.zip')
    expect(childPath('a', '__proto__')).toBe('a.__proto__')
    expect(childPath('constructor', 'toString')).toBe('constructor.toString')
  })

  it('gives the same path every time, however many other paths came between', () => {
    const first = childPath('products', 'sku')
    for (let i = 0; i < 20_000; i++) expect(childPath(`p${i % 300}`, `k${i}`)).toBe(`p${i % 300}.k${i}`)
    expect(childPath('products', 'sku')).toBe(first)
  })

  it('remembers a bounded number of paths, and none too long to be worth it', () => {
    for (let i = 0; i < 50_000; i++) childPath('parent', `name${i}`)
    expect(cachedPathCount()).toBeLessThanOrEqual(8192)
    const before = cachedPathCount()
    const long = 'x'.repeat(300)
    expect(childPath('parent', long)).toBe(`parent.${long}`)
    expect(cachedPathCount()).toBe(before)
  })
})

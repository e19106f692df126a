import { transformProperties } from '../properties'

describe('rule 4: arrays', () => {
  it('turns an array of objects into an object of arrays (README example)', () => {
    const result = transformProperties({
      products: [
        { sku: 'a', price: 1 },
        { sku: 'b', price: 2.5 }
      ]
    })
    expect(result.properties).toEqual({ products: { sku: ['a', 'b'], price: [1, 2.5] } })
    expect(result.schema).toEqual({ 'products.sku': 'strs', 'products.price': 'reals' })
    expect(result.dropped).toEqual([])
  })

  it('recurses into nested objects with dotted paths', () => {
    const result = transformProperties({
      items: [{ dims: { w: 1, unit: 'cm' } }, { dims: { w: 2, h: 3.5 } }]
    })
    expect(result.properties).toEqual({ items: { dims: { w: [1, 2], unit: ['cm'], h: [3.5] } } })
    expect(result.schema).toEqual({ 'items.dims.w': 'ints', 'items.dims.unit': 'strs', 'items.dims.h': 'reals' })
  })

  it('flattens arrays found inside the objects', () => {
    const result = transformProperties({ orders: [{ tags: ['a', 'b'] }, { tags: ['c'] }, { tags: [] }] })
    expect(result.properties).toEqual({ orders: { tags: ['a', 'b', 'c'] } })
    expect(result.dropped).toEqual([{ path: 'orders.tags', reason: 'empty' }])
  })

  it('transposes arrays of objects nested in arrays of objects', () => {
    const result = transformProperties({
      carts: [{ lines: [{ sku: 'a' }, { sku: 'b' }] }, { lines: [{ sku: 'c', qty: 2 }] }]
    })
    expect(result.properties).toEqual({ carts: { lines: { sku: ['a', 'b', 'c'], qty: [2] } } })
    expect(result.schema).toEqual({ 'carts.lines.sku': 'strs', 'carts.lines.qty': 'ints' })
  })

  it('keeps keys missing from some objects, and collects values in element order', () => {
    const result = transformProperties({ rows: [{ a: 1 }, { b: 'x' }, { a: 3, b: 'y' }] })
    expect(result.properties).toEqual({ rows: { a: [1, 3], b: ['x', 'y'] } })
  })

  it('renames element keys like object keys; alike keys from different elements stay apart', () => {
    const result = transformProperties({ rows: [{ 'a b': 1 }, { 'a-b': 2 }, { price_real: 3 }] })
    expect(result.properties).toEqual({ rows: { a_b: [1], a_b_2: [2], price_real: [3] } })
    expect(result.schema).toEqual({ 'rows.a_b': 'ints', 'rows.a_b_2': 'ints', 'rows.price_real': 'reals' })
  })

  it('turns mixed scalars into strings', () => {
    const result = transformProperties({ mixed: [1, 'a', true, 2.5] })
    expect(result.properties).toEqual({ mixed: ['1', 'a', 'true', '2.5'] })
    expect(result.schema).toEqual({ mixed: 'strs' })
  })

  it('flattens nested arrays', () => {
    const result = transformProperties({ n: [1, [2, [3, [4]]]], s: [['a'], [['b']]] })
    expect(result.properties).toEqual({ n: [1, 2, 3, 4], s: ['a', 'b'] })
    expect(result.schema).toEqual({ n: 'ints', s: 'strs' })
  })

  it('keeps scalars mixed with objects under "values"', () => {
    const result = transformProperties({ list: ['x', { y: 1 }, 2, [{ y: 2 }]] })
    expect(result.properties).toEqual({ list: { y: [1, 2], values: ['x', '2'] } })
    expect(result.schema).toEqual({ 'list.y': 'ints', 'list.values': 'strs' })
  })

  it('gives "values" a suffix when an element key already uses it', () => {
    const result = transformProperties({ list: ['x', { values: 1 }] })
    expect(result.properties).toEqual({ list: { values: [1], values_2: ['x'] } })
  })

  it('treats a key holding a scalar in one element and an object in another like a mixed array', () => {
    const result = transformProperties({ rows: [{ a: 1 }, { a: { b: 2 } }] })
    expect(result.properties).toEqual({ rows: { a: { b: [2], values: [1] } } })
  })

  it('drops nulls inside arrays, counting them', () => {
    const result = transformProperties({ tags: ['a', null, 'b', null], rows: [{ a: null }, { a: 1 }] })
    expect(result.properties).toEqual({ tags: ['a', 'b'], rows: { a: [1] } })
    expect(result.dropped).toEqual([
      { path: 'tags', reason: 'null', count: 2 },
      { path: 'rows.a', reason: 'null' }
    ])
  })

  it('drops empty arrays, and arrays left with nothing', () => {
    const result = transformProperties({ none: [], nulls: [null, null], empties: [[], {}], keep: 1 })
    expect(result.properties).toEqual({ keep: 1 })
    expect(result.dropped).toEqual([
      { path: 'none', reason: 'empty' },
      { path: 'nulls', reason: 'null', count: 2 },
      { path: 'empties', reason: 'empty', count: 2 }
    ])
  })

  it('is stable when transformed again', () => {
    const first = transformProperties({ products: [{ sku: 'a', price: 1 }, 'loose', { sku: 'b', tags: ['x', 1] }] })
    expect(transformProperties(first.properties).properties).toEqual(first.properties)
    expect(transformProperties(first.properties).schema).toEqual(first.schema)
  })
})

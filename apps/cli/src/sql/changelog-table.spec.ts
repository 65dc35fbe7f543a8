import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { materialize, MaterializedTable, rowKey, type ChangeKind } from './changelog-table.js'

type Change = { kind: ChangeKind; values: readonly unknown[] }

/** Flink's MaterializedCollectStreamResult: a list; add appends, a retraction removes the newest equal row. */
const flinkList = (changes: readonly Change[]): (readonly unknown[])[] => {
  const list: (readonly unknown[])[] = []
  for (const c of changes) {
    if (c.kind === '+I' || c.kind === '+U') list.push(c.values)
    else {
      for (let i = list.length - 1; i >= 0; i--)
        if (rowKey(list[i]!) === rowKey(c.values)) {
          list.splice(i, 1)
          break
        }
    }
  }
  return list
}

const sortedKeys = (rows: readonly (readonly unknown[])[]): string[] => rows.map(rowKey).sort()

/** Changelogs as an aggregation emits them: per key, +I, then -U old / +U new, maybe -D; rows may repeat across keys. */
const changelog = fc
  .array(fc.tuple(fc.integer({ min: 0, max: 4 }), fc.integer({ min: 0, max: 3 }), fc.constantFrom('ins', 'upd', 'del')), { maxLength: 60 })
  .map((ops) => {
    const current = new Map<number, readonly unknown[]>()
    const out: Change[] = []
    for (const [key, value, op] of ops) {
      const before = current.get(key)
      const row = [key % 2, value] // different keys may produce equal rows: duplicates
      if (before === undefined) {
        if (op === 'del') continue
        out.push({ kind: '+I', values: row })
        current.set(key, row)
      } else if (op === 'del') {
        out.push({ kind: '-D', values: before })
        current.delete(key)
      } else {
        out.push({ kind: '-U', values: before }, { kind: '+U', values: row })
        current.set(key, row)
      }
    }
    return { changes: out, final: [...current.values()] }
  })

describe('rowKey', () => {
  it('is equal exactly for equal rows', () => {
    expect(rowKey([1, 'a', null])).toBe(rowKey([1, 'a', null]))
    expect(rowKey([1, 'a'])).not.toBe(rowKey(['1', 'a']))
    expect(rowKey(['a,b'])).not.toBe(rowKey(['a', 'b']))
    expect(rowKey([null])).not.toBe(rowKey(['null']))
    expect(rowKey([true])).not.toBe(rowKey(['T']))
    expect(rowKey([[1, [2, null]]])).toBe(rowKey([[1, [2, null]]]))
    expect(rowKey([new Uint8Array([1, 255])])).toBe(rowKey([new Uint8Array([1, 255])]))
    expect(rowKey([new Map([['a', 1], ['b', 2]])])).toBe(rowKey([new Map([['b', 2], ['a', 1]])]))
    expect(rowKey([new Map([['a', 1]])])).not.toBe(rowKey([new Map([['a', 2]])]))
  })

  it('tells different rows apart (property)', () => {
    const value = fc.oneof(fc.integer(), fc.string(), fc.boolean(), fc.constant(null), fc.double({ noNaN: true }))
    fc.assert(
      fc.property(fc.array(value, { maxLength: 4 }), fc.array(value, { maxLength: 4 }), (a, b) => {
        const equal = a.length === b.length && a.every((x, i) => Object.is(x, b[i]) || (x === 0 && b[i] === 0))
        expect(rowKey(a) === rowKey(b)).toBe(equal)
      }),
    )
  })
})

describe('MaterializedTable', () => {
  it('applies inserts, updates and deletes; an update moves the row to the end', () => {
    const t = new MaterializedTable()
    t.apply('+I', ['a', 1])
    t.apply('+I', ['b', 1])
    t.apply('-U', ['a', 1])
    t.apply('+U', ['a', 2])
    t.apply('+I', ['c', 1])
    t.apply('-D', ['b', 1])
    t.apply('-D', ['zzz', 9]) // not held: ignored
    expect(t.rows()).toEqual([
      ['a', 2],
      ['c', 1],
    ])
    expect(t.size).toBe(2)
    expect(t.changes).toBe(7)
    expect(t.rows(1)).toEqual([['a', 2]])
  })

  it('keeps copies of equal rows', () => {
    const t = new MaterializedTable()
    t.apply('+I', [1])
    t.apply('+I', [2])
    t.apply('+I', [1])
    expect(t.rows()).toEqual([[1], [1], [2]])
    t.apply('-D', [1])
    expect(t.rows()).toEqual([[1], [2]])
    expect(t.size).toBe(2)
  })

  it('drops the oldest rows beyond its maximum', () => {
    const t = new MaterializedTable(3)
    for (let i = 0; i < 5; i++) t.apply('+I', [i])
    expect(t.rows()).toEqual([[2], [3], [4]])
    expect(t.size).toBe(3)
  })

  it('leaves the rows of the changelog: the same multiset as applying it by brute force', () => {
    fc.assert(
      fc.property(changelog, ({ changes, final }) => {
        const rows = materialize(changes)
        expect(sortedKeys(rows)).toEqual(sortedKeys(final))
        expect(sortedKeys(rows)).toEqual(sortedKeys(flinkList(changes)))
      }),
    )
  })

  it("keeps Flink's order when no two rows are equal", () => {
    const distinct = fc.array(fc.tuple(fc.integer({ min: 0, max: 6 }), fc.boolean()), { maxLength: 60 }).map((ops) => {
      const held = new Set<number>()
      const out: Change[] = []
      for (const [v, add] of ops) {
        if (add && !held.has(v)) {
          out.push({ kind: '+I', values: [v] })
          held.add(v)
        } else if (!add && held.has(v)) {
          out.push({ kind: '-D', values: [v] })
          held.delete(v)
        }
      }
      return out
    })
    fc.assert(
      fc.property(distinct, (changes) => {
        expect(materialize(changes)).toEqual(flinkList(changes))
      }),
    )
  })
})

// A small AggsHandle for the OVER specs, until createAggsHandle (aggregate/builtin-aggregates.ts)
// exists: SUM, COUNT(*), MIN, MAX (retractable, over a multiset) and COLLECT (the values in
// accumulation order, not retractable: it catches frames accumulated in the wrong order).
import type { AggsHandle } from '../../../aggregate/aggregate-call.js'
import { createAggsHandle } from '../../../aggregate/builtin-aggregates.js'
import { DataTypes } from '../../../types/data-type.js'

/** An aggregate of the test handle, over one input field (`count` counts rows). */
export type TestAgg = 'sum' | 'count' | 'min' | 'max' | 'collect'

/** The same aggregate computed directly over a frame's values (NULLs ignored, as SQL does). */
export const aggregateDirectly = (agg: TestAgg, values: readonly unknown[]): unknown => {
  const vs = values.filter((v) => v !== null && v !== undefined) as number[]
  switch (agg) {
    case 'count':
      return values.length
    case 'sum':
      return vs.length === 0 ? null : vs.reduce((a, b) => a + b, 0)
    case 'min':
      return vs.length === 0 ? null : Math.min(...vs)
    case 'max':
      return vs.length === 0 ? null : Math.max(...vs)
    case 'collect':
      return vs.join(',')
  }
}

const extreme = (m: Map<number, number>, max: boolean): number | null => {
  let best: number | null = null
  for (const k of m.keys()) if (best === null || (max ? k > best : k < best)) best = k
  return best
}

/** A handle computing `aggs` over input field `field`; retractable unless it has `collect`. */
export const testAggsHandle = (aggs: readonly TestAgg[], field: number): AggsHandle => ({
  retractable: !aggs.includes('collect'),
  mergeable: false,
  createAccumulators: () =>
    aggs.map((a) => {
      switch (a) {
        case 'sum':
          return [0, 0]
        case 'count':
          return 0
        case 'min':
        case 'max':
          return new Map<number, number>()
        case 'collect':
          return [] as number[]
      }
    }),
  accumulate(accs, fields) {
    const v = fields[field] as number | null
    for (let i = 0; i < aggs.length; i++) {
      const a = aggs[i]!
      if (a === 'count') accs[i] = (accs[i] as number) + 1
      else if (v === null || v === undefined) continue
      else if (a === 'sum') {
        const s = accs[i] as number[]
        s[0] += v
        s[1]!++
      } else if (a === 'collect') (accs[i] as number[]).push(v)
      else {
        const m = accs[i] as Map<number, number>
        m.set(v, (m.get(v) ?? 0) + 1)
      }
    }
  },
  retract(accs, fields) {
    const v = fields[field] as number | null
    for (let i = 0; i < aggs.length; i++) {
      const a = aggs[i]!
      if (a === 'count') accs[i] = (accs[i] as number) - 1
      else if (v === null || v === undefined) continue
      else if (a === 'sum') {
        const s = accs[i] as number[]
        s[0] -= v
        s[1]!--
      } else if (a === 'collect') throw new Error('COLLECT cannot retract')
      else {
        const m = accs[i] as Map<number, number>
        const c = m.get(v)!
        if (c === 1) m.delete(v)
        else m.set(v, c - 1)
      }
    }
  },
  merge() {
    throw new Error('not mergeable')
  },
  getValue: (accs) => aggs.map((a, i) => valueOf(a, accs[i])),
  writeValues(accs, target, offset) {
    for (let i = 0; i < aggs.length; i++) target[offset + i] = valueOf(aggs[i]!, accs[i])
  },
})

const valueOf = (a: TestAgg, acc: unknown): unknown => {
  switch (a) {
    case 'count':
      return acc
    case 'sum':
      return (acc as number[])[1] === 0 ? null : (acc as number[])[0]
    case 'min':
      return extreme(acc as Map<number, number>, false)
    case 'max':
      return extreme(acc as Map<number, number>, true)
    case 'collect':
      return (acc as number[]).join(',')
  }
}

/**
 * The builtin handle (`createAggsHandle`) for `SUM(f), COUNT(*), MAX(f)` over INT field `field`:
 * the same results as `testAggsHandle(['sum', 'count', 'max'], field)`.
 */
export const builtinSumCountMax = (field: number, retraction = true): AggsHandle => {
  const INT = DataTypes.INT()
  return createAggsHandle(
    [
      { name: 'SUM', args: [field], argTypes: [INT], distinct: false, type: INT },
      { name: 'COUNT', args: [], argTypes: [], distinct: false, type: DataTypes.BIGINT(false) },
      { name: 'MAX', args: [field], argTypes: [INT], distinct: false, type: INT },
    ],
    { retraction },
  )
}

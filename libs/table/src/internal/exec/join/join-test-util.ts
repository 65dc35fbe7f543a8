/**
 * Helpers of the join specs: scripted inputs, changelog materialization, row formatting and
 * brute-force references. Test code only.
 *
 * @packageDocumentation
 */
import type { KeyedCoProcessFunction } from '@strom/process'
import { KeyedCoProcessFunctionHarness } from '@strom/process/testing'
import type { Row, RowKind } from '../../../data/row.js'
import { ROW_KIND_SHORT } from '../../../data/row.js'
import type { RowKey } from '../keys.js'
import { keySelectorOf } from '../keys.js'
import { encodeFields } from './join-util.js'

/** One step of a two-input script: a row on input 1 or 2, a watermark, or a processing time. */
export type Step =
  | { readonly in: 1 | 2; readonly row: Row; readonly ts?: number }
  | { readonly wm: number; readonly input?: 1 | 2 }
  | { readonly proc: number }

/** A row from its short form, `r('+I', 1, 'a')`. */
export const r = (kind: (typeof ROW_KIND_SHORT)[number], ...fields: unknown[]): Row => ({
  kind: ROW_KIND_SHORT.indexOf(kind) as RowKind,
  fields,
})

/** A row as a string, `+I[1, a, null]`, for readable expectations. */
export const fmt = (row: Row): string => `${ROW_KIND_SHORT[row.kind]}[${row.fields.map((v) => (v === null ? 'null' : String(v))).join(', ')}]`

/** A harness of a join function keyed by the given key fields of each side. */
export const joinHarness = (
  fn: KeyedCoProcessFunction<RowKey, Row, Row, Row>,
  leftKeys: readonly number[],
  rightKeys: readonly number[],
): KeyedCoProcessFunctionHarness<RowKey, Row, Row, Row> => KeyedCoProcessFunctionHarness.of(fn, keySelectorOf(leftKeys), keySelectorOf(rightKeys))

/** Applies a script to a harness. */
export const runSteps = (h: KeyedCoProcessFunctionHarness<RowKey, Row, Row, Row>, steps: readonly Step[]): void => {
  for (const s of steps) {
    if ('row' in s) {
      if (s.in === 1) h.processElement1(s.row, s.ts)
      else h.processElement2(s.row, s.ts)
    } else if ('wm' in s) {
      if (s.input === 1) h.processWatermark1(s.wm)
      else if (s.input === 2) h.processWatermark2(s.wm)
      else h.processWatermark(s.wm)
    } else h.setProcessingTime(s.proc)
  }
}

/**
 * Runs a script in one harness, and again with a snapshot and restore into a fresh harness
 * after step `cut` (which then gets the last watermark of the prefix again, as sources re-emit
 * it); returns both outputs (the second one is the prefix's output followed by the restored
 * harness's).
 */
export const runWithRestore = (
  fn: KeyedCoProcessFunction<RowKey, Row, Row, Row>,
  leftKeys: readonly number[],
  rightKeys: readonly number[],
  steps: readonly Step[],
  cut: number,
  end = true,
): { straight: Row[]; restored: Row[] } => {
  const a = joinHarness(fn, leftKeys, rightKeys)
  runSteps(a, steps)
  if (end) a.endInput()
  const b = joinHarness(fn, leftKeys, rightKeys)
  runSteps(b, steps.slice(0, cut))
  const snap = b.snapshot()
  const prefix = b.extractOutputValues()
  b.close()
  const c = KeyedCoProcessFunctionHarness.restore(fn, keySelectorOf(leftKeys), keySelectorOf(rightKeys), snap, {
    processingTime: b.getProcessingTime(),
  })
  // watermarks are not part of snapshots: the restored job's sources bring it back first
  const lastWm = steps
    .slice(0, cut)
    .filter((s): s is { wm: number } => 'wm' in s && s.input === undefined)
    .at(-1)
  if (lastWm !== undefined) c.processWatermark(lastWm.wm)
  runSteps(c, steps.slice(cut))
  if (end) c.endInput()
  return { straight: a.extractOutputValues(), restored: [...prefix, ...c.extractOutputValues()] }
}

/** A multiset of field lists, as encoded key -> count (entries with count 0 removed). */
export type Bag = Map<string, number>

/** Adds `n` copies of a field list to a bag. */
export const addTo = (bag: Bag, fields: readonly unknown[], n = 1): void => {
  const k = encodeFields(fields)
  const c = (bag.get(k) ?? 0) + n
  if (c === 0) bag.delete(k)
  else bag.set(k, c)
}

/** A bag of field lists. */
export const bagOf = (rows: Iterable<readonly unknown[]>): Bag => {
  const b: Bag = new Map()
  for (const f of rows) addTo(b, f)
  return b
}

/**
 * Applies a changelog to a bag (`+I`/`+U` add a copy, `-U`/`-D` remove one) and returns the
 * retractions that removed a row the bag did not hold (a wrong changelog); the bag may then hold
 * negative counts.
 */
export const applyChangelog = (bag: Bag, rows: readonly Row[]): string[] => {
  const bad: string[] = []
  for (const row of rows) {
    const acc = row.kind === 0 || row.kind === 2
    if (!acc && (bag.get(encodeFields(row.fields)) ?? 0) <= 0) bad.push(fmt(row))
    addTo(bag, row.fields, acc ? 1 : -1)
  }
  return bad
}

/** The bag a changelog materializes into. */
export const materialize = (rows: readonly Row[]): Bag => {
  const b: Bag = new Map()
  applyChangelog(b, rows)
  return b
}

/** A bag as a sorted list of `count x fields` strings, for readable failures. */
export const showBag = (bag: Bag): string[] => [...bag].map(([k, n]) => `${n} x ${k}`).sort()

/** The join types the references handle. */
export type RefJoinType = 'INNER' | 'LEFT' | 'RIGHT' | 'FULL' | 'SEMI' | 'ANTI'

/**
 * The nested-loop join of two multisets of rows on key fields (NULL keys never match) and a
 * condition: the reference result of a join.
 */
export const nestedLoopJoin = (
  type: RefJoinType,
  left: readonly (readonly unknown[])[],
  right: readonly (readonly unknown[])[],
  leftKeys: readonly number[],
  rightKeys: readonly number[],
  leftWidth: number,
  rightWidth: number,
  cond: (l: readonly unknown[], r: readonly unknown[]) => boolean = () => true,
): unknown[][] => {
  const keyMatch = (l: readonly unknown[], rr: readonly unknown[]): boolean =>
    leftKeys.every((li, i) => {
      const a = l[li]
      const b = rr[rightKeys[i]!]
      return a !== null && a !== undefined && b !== null && b !== undefined && encodeFields([a]) === encodeFields([b])
    })
  const nulls = (n: number): null[] => Array.from({ length: n }, () => null)
  const out: unknown[][] = []
  const rightMatched = right.map(() => false)
  for (const l of left) {
    let any = false
    for (let j = 0; j < right.length; j++) {
      const rr = right[j]!
      if (!keyMatch(l, rr) || !cond(l, rr)) continue
      any = true
      rightMatched[j] = true
      if (type !== 'SEMI' && type !== 'ANTI') out.push([...l, ...rr])
    }
    if (type === 'SEMI' && any) out.push([...l])
    if (type === 'ANTI' && !any) out.push([...l])
    if (!any && (type === 'LEFT' || type === 'FULL')) out.push([...l, ...nulls(rightWidth)])
  }
  if (type === 'RIGHT' || type === 'FULL')
    for (let j = 0; j < right.length; j++) if (!rightMatched[j]) out.push([...nulls(leftWidth), ...right[j]!])
  return out
}

/**
 * Rewrites of the relational plan into the operators Strom runs in streaming: calc merging,
 * window aggregation over window TVFs, Top-N / deduplication / window Top-N from ranked OVER
 * windows, and interval and window joins from join conditions.
 *
 * @packageDocumentation
 */
import { call, inputRef, literal, type Rex } from '../expr/rex.js'
import { isRowtime, isTimeAttribute, DataTypes, type DataType } from '../types/data-type.js'
import { inputsOf, type AggregateRel, type CalcRel, type Field, type IntervalJoinRel, type JoinRel, type WindowJoinRel, type OverAggregateRel, type Rel, type SortKey, type WindowAggregateRel, type WindowSpec, type WindowTvfRel } from './rel.js'

// ---------------------------------------------------------------------------------------------
// expression utilities
// ---------------------------------------------------------------------------------------------

/** Replaces input references (side 0) by the given expressions. */
export const substituteRefs = (r: Rex, by: readonly Rex[]): Rex => {
  switch (r.kind) {
    case 'input':
      return r.side === 0 ? by[r.index]! : r
    case 'literal':
      return r
    case 'field':
      return { ...r, expr: substituteRefs(r.expr, by) }
    case 'call':
      return { ...r, args: r.args.map((a) => substituteRefs(a, by)) }
    case 'udf':
      return { ...r, args: r.args.map((a) => substituteRefs(a, by)) }
  }
}

/** The side-0 input fields an expression reads. */
export const refsOf = (r: Rex, into: Set<number> = new Set()): Set<number> => {
  switch (r.kind) {
    case 'input':
      if (r.side === 0) into.add(r.index)
      break
    case 'literal':
      break
    case 'field':
      refsOf(r.expr, into)
      break
    default:
      for (const a of r.args) refsOf(a, into)
  }
  return into
}

/** Renumbers the side-0 input references by `map` (old index -> new index). */
export const remapRefs = (r: Rex, map: (i: number) => number): Rex => {
  switch (r.kind) {
    case 'input':
      return r.side === 0 ? inputRef(map(r.index), r.type) : r
    case 'literal':
      return r
    case 'field':
      return { ...r, expr: remapRefs(r.expr, map) }
    case 'call':
      return { ...r, args: r.args.map((a) => remapRefs(a, map)) }
    case 'udf':
      return { ...r, args: r.args.map((a) => remapRefs(a, map)) }
  }
}

/**
 * An expression over a join's combined row (left fields, then right ones), as one over its two
 * inputs (left side 0, right side 1); `typeOf` retypes each reference as its input's field (a
 * filter moved from above the join into it reads the inputs' time attributes).
 */
export const toTwoSided = (r: Rex, leftWidth: number, typeOf?: (side: 0 | 1, index: number) => DataType): Rex => {
  switch (r.kind) {
    case 'input': {
      const [side, index] = r.index < leftWidth ? ([0, r.index] as const) : ([1, r.index - leftWidth] as const)
      return inputRef(index, typeOf === undefined ? r.type : typeOf(side, index), side)
    }
    case 'literal':
      return r
    case 'field':
      return { ...r, expr: toTwoSided(r.expr, leftWidth, typeOf) }
    case 'call':
      return { ...r, args: r.args.map((a) => toTwoSided(a, leftWidth, typeOf)) }
    case 'udf':
      return { ...r, args: r.args.map((a) => toTwoSided(a, leftWidth, typeOf)) }
  }
}

/** Equi-join keys (`l.a = r.b`, both plain field references) and the rest of a join condition over the combined row. */
export const analyzeJoinCondition = (cond: Rex | undefined, leftWidth: number): { leftKeys: number[]; rightKeys: number[]; rest: Rex[] } => {
  const leftKeys: number[] = []
  const rightKeys: number[] = []
  const rest: Rex[] = []
  for (const c of cond === undefined ? [] : splitAnd(cond)) {
    if (c.kind === 'call' && c.op === '=' && isRef(c.args[0]) && isRef(c.args[1])) {
      const [a, b] = c.args as [Extract<Rex, { kind: 'input' }>, Extract<Rex, { kind: 'input' }>]
      if (a.index < leftWidth && b.index >= leftWidth) {
        leftKeys.push(a.index)
        rightKeys.push(b.index - leftWidth)
        continue
      }
      if (b.index < leftWidth && a.index >= leftWidth) {
        leftKeys.push(b.index)
        rightKeys.push(a.index - leftWidth)
        continue
      }
    }
    rest.push(c)
  }
  return { leftKeys, rightKeys, rest }
}

const isRef = (r: Rex | undefined, index?: number): r is Extract<Rex, { kind: 'input' }> => r !== undefined && r.kind === 'input' && r.side === 0 && (index === undefined || r.index === index)

/** Whether an expression may give different values for the same input (RAND, PROCTIME(), a non-deterministic UDF, ...). */
export const isNonDeterministic = (r: Rex): boolean => {
  switch (r.kind) {
    case 'input':
    case 'literal':
      return false
    case 'field':
      return isNonDeterministic(r.expr)
    case 'udf':
      return !r.deterministic || r.args.some(isNonDeterministic)
    case 'call':
      return NON_DETERMINISTIC.has(r.op) || r.args.some(isNonDeterministic)
  }
}

const NON_DETERMINISTIC = new Set(['RAND', 'RAND_INTEGER', 'UUID', 'NOW', 'CURRENT_TIMESTAMP', 'LOCALTIMESTAMP', 'CURRENT_DATE', 'CURRENT_TIME', 'LOCALTIME', 'PROCTIME', 'CURRENT_WATERMARK', 'UNIX_TIMESTAMP'])

const splitAnd = (r: Rex): Rex[] => (r.kind === 'call' && r.op === 'AND' ? r.args.flatMap(splitAnd) : [r])
/** The conjunction of the expressions (undefined for none). */
export const andAll = (rs: readonly Rex[]): Rex | undefined => (rs.length === 0 ? undefined : rs.reduce((a, b) => call('AND', [a, b], DataTypes.BOOLEAN(a.type.nullable || b.type.nullable))))

const isIdentityCalc = (c: CalcRel): boolean =>
  c.condition === undefined && c.projects.length === c.input.fields.length && c.projects.every((p, i) => isRef(p, i)) && c.fields.every((f, i) => f.name === c.input.fields[i]!.name)

// ---------------------------------------------------------------------------------------------
// the driver
// ---------------------------------------------------------------------------------------------

/** Applies the rules bottom-up until the plan no longer changes. */
export const optimize = (rel: Rel): Rel => {
  let current = rel
  for (let i = 0; i < 10; i++) {
    const next = rewrite(current)
    if (next === current) return current
    current = next
  }
  return current
}

const withInputs = (rel: Rel, inputs: readonly Rel[]): Rel => {
  switch (rel.kind) {
    case 'scan':
    case 'streamScan':
    case 'values':
      return rel
    case 'join':
    case 'intervalJoin':
    case 'windowJoin':
    case 'temporalJoin':
      return inputs[0] === rel.left && inputs[1] === rel.right ? rel : { ...rel, left: inputs[0]!, right: inputs[1]! }
    case 'lookupJoin':
      return inputs[0] === rel.left ? rel : { ...rel, left: inputs[0]! }
    case 'union':
      return inputs.every((x, i) => x === rel.inputs[i]) ? rel : { ...rel, inputs }
    default:
      return inputs[0] === rel.input ? rel : ({ ...rel, input: inputs[0]! } as Rel)
  }
}


const rewrite = (rel: Rel): Rel => {
  const kids = inputsOf(rel)
  const newKids = kids.map(rewrite)
  const node = newKids.some((k, i) => k !== kids[i]) ? withInputs(rel, newKids) : rel
  return rewriteNode(node)
}

const rewriteNode = (rel: Rel): Rel => {
  switch (rel.kind) {
    case 'calc':
      return mergeCalc(rel) ?? filterIntoJoinRule(rel) ?? calcJoinPruneRule(rel) ?? rankRule(rel) ?? rel
    case 'aggregate':
      return windowAggregateRule(rel) ?? cascadingWindowRule(rel) ?? bypassRefCalc(rel) ?? aggregateJoinPruneRule(rel) ?? rel
    case 'windowAggregate':
      return bypassRefCalc(rel) ?? rel
    case 'join':
      return windowJoinRule(rel) ?? intervalJoinRule(rel) ?? rel
    default:
      return rel
  }
}

// ---------------------------------------------------------------------------------------------
// Calc
// ---------------------------------------------------------------------------------------------

const mergeCalc = (c: CalcRel): Rel | undefined => {
  if (isIdentityCalc(c)) return c.input
  if (c.input.kind !== 'calc') return undefined
  const inner = c.input
  // a non-deterministic inner projection read twice would be computed twice
  if (inner.projects.some(isNonDeterministic)) return undefined
  const projects = c.projects.map((p) => substituteRefs(p, inner.projects))
  const outerCond = c.condition === undefined ? undefined : substituteRefs(c.condition, inner.projects)
  const condition = inner.condition === undefined ? outerCond : outerCond === undefined ? inner.condition : call('AND', [inner.condition, outerCond], DataTypes.BOOLEAN())
  return { kind: 'calc', input: inner.input, projects, fields: c.fields, ...(condition === undefined ? {} : { condition }) }
}

/**
 * A filter over an INNER join goes into it (Flink's `FilterJoinRule`): a conjunct on one input's
 * fields filters that input before the join, `l.a = r.b` becomes a join key, and any other
 * conjunct over both inputs joins the join's condition (where the interval and window join
 * rules can read it). So `FROM a, b WHERE a.x = b.y` is an equi-join, not a filtered cross join
 * (Nexmark q4, q9, q20). Non-deterministic conjuncts stay above the join.
 */
const filterIntoJoinRule = (c: CalcRel): Rel | undefined => {
  const j = c.input
  if (j.kind !== 'join' || j.joinType !== 'INNER' || c.condition === undefined) return undefined
  const lw = j.left.fields.length
  const keep: Rex[] = []
  const leftOnly: Rex[] = []
  const rightOnly: Rex[] = []
  const across: Rex[] = []
  for (const x of splitAnd(c.condition)) {
    const refs = [...refsOf(x)]
    const onLeft = refs.some((i) => i < lw)
    const onRight = refs.some((i) => i >= lw)
    if (isNonDeterministic(x) || (!onLeft && !onRight)) keep.push(x)
    else if (!onRight) leftOnly.push(x)
    else if (!onLeft) rightOnly.push(remapRefs(x, (i) => i - lw))
    else across.push(x)
  }
  // the same split into keys and the rest as an ON condition's
  const keys = analyzeJoinCondition(andAll(across), lw)
  const leftKeys = [...j.leftKeys, ...keys.leftKeys]
  const rightKeys = [...j.rightKeys, ...keys.rightKeys]
  const both = keys.rest.map((x) => toTwoSided(x, lw, (side, i) => (side === 0 ? j.left : j.right).fields[i]!.type))
  if (leftOnly.length === 0 && rightOnly.length === 0 && both.length === 0 && leftKeys.length === j.leftKeys.length) return undefined
  const filtered = (input: Rel, conds: readonly Rex[]): Rel => {
    const cond = andAll(conds)
    return cond === undefined ? input : { kind: 'calc', input, projects: input.fields.map((f, i) => inputRef(i, f.type)), fields: input.fields, condition: cond }
  }
  const condition = andAll([...(j.condition === undefined ? [] : [j.condition]), ...both])
  const join: JoinRel = {
    ...j,
    left: filtered(j.left, leftOnly),
    right: filtered(j.right, rightOnly),
    leftKeys,
    rightKeys,
    ...(condition === undefined ? {} : { condition }),
  }
  const rest = andAll(keep)
  return { kind: 'calc', input: join, projects: c.projects, fields: c.fields, ...(rest === undefined ? {} : { condition: rest }) }
}

// ---------------------------------------------------------------------------------------------
// column pruning below joins
// ---------------------------------------------------------------------------------------------

type PrunableJoin = JoinRel | IntervalJoinRel | WindowJoinRel

/** Renumbers a two-sided expression's references: side 0 by `left`, side 1 by `right`. */
const remapSides = (r: Rex, left: (i: number) => number, right: (i: number) => number): Rex => {
  switch (r.kind) {
    case 'input':
      return { ...r, index: r.side === 0 ? left(r.index) : right(r.index) }
    case 'literal':
      return r
    case 'field':
      return { ...r, expr: remapSides(r.expr, left, right) }
    case 'call':
      return { ...r, args: r.args.map((a) => remapSides(a, left, right)) }
    case 'udf':
      return { ...r, args: r.args.map((a) => remapSides(a, left, right)) }
  }
}

/** The references of a two-sided expression, per side. */
const sideRefs = (r: Rex, into: [Set<number>, Set<number>]): [Set<number>, Set<number>] => {
  switch (r.kind) {
    case 'input':
      into[r.side].add(r.index)
      break
    case 'literal':
      break
    case 'field':
      sideRefs(r.expr, into)
      break
    default:
      for (const a of r.args) sideRefs(a, into)
  }
  return into
}

/**
 * A join whose consumer reads only the fields `used` (of the join's output) keeps only those, and
 * the ones it needs itself (keys, condition, times, windows), from each input: a Calc below each
 * side (Flink's `ProjectJoinTransposeRule`). Smaller rows in the join's state and output (Nexmark
 * q4 reads 6 of its join's 17 fields). Returns the new join and the old-to-new field numbering.
 */
const pruneJoin = (j: PrunableJoin, used: ReadonlySet<number>): { join: PrunableJoin; map: (i: number) => number } | undefined => {
  if (j.joinType === 'SEMI' || j.joinType === 'ANTI') return undefined
  const lw = j.left.fields.length
  const rw = j.right.fields.length
  const [l, r] = j.condition === undefined ? [new Set<number>(), new Set<number>()] : sideRefs(j.condition, [new Set<number>(), new Set<number>()])
  for (const i of used) {
    if (i < lw) l.add(i)
    else r.add(i - lw)
  }
  j.leftKeys.forEach((k) => l.add(k))
  j.rightKeys.forEach((k) => r.add(k))
  if (j.kind === 'intervalJoin') {
    l.add(j.leftTimeIndex)
    r.add(j.rightTimeIndex)
  }
  if (j.kind === 'windowJoin') {
    l.add(j.leftWindow.start).add(j.leftWindow.end)
    r.add(j.rightWindow.start).add(j.rightWindow.end)
  }
  if (l.size === lw && r.size === rw) return undefined
  const li = [...l].sort((a, b) => a - b)
  const ri = [...r].sort((a, b) => a - b)
  const lm = (i: number): number => li.indexOf(i)
  const rm = (i: number): number => ri.indexOf(i)
  const side = (input: Rel, keep: readonly number[]): Rel =>
    keep.length === input.fields.length ? input : { kind: 'calc', input, projects: keep.map((i) => inputRef(i, input.fields[i]!.type)), fields: keep.map((i) => input.fields[i]!) }
  const base = {
    left: side(j.left, li),
    right: side(j.right, ri),
    leftKeys: j.leftKeys.map(lm),
    rightKeys: j.rightKeys.map(rm),
    fields: [...li.map((i) => j.fields[i]!), ...ri.map((i) => j.fields[lw + i]!)],
    ...(j.condition === undefined ? {} : { condition: remapSides(j.condition, lm, rm) }),
  }
  const join: PrunableJoin =
    j.kind === 'join'
      ? { ...j, ...base }
      : j.kind === 'intervalJoin'
        ? { ...j, ...base, leftTimeIndex: lm(j.leftTimeIndex), rightTimeIndex: rm(j.rightTimeIndex) }
        : { ...j, ...base, leftWindow: { start: lm(j.leftWindow.start), end: lm(j.leftWindow.end) }, rightWindow: { start: rm(j.rightWindow.start), end: rm(j.rightWindow.end) } }
  return { join, map: (i) => (i < lw ? lm(i) : li.length + rm(i - lw)) }
}

const isPrunableJoin = (r: Rel): r is PrunableJoin => r.kind === 'join' || r.kind === 'intervalJoin' || r.kind === 'windowJoin'

const calcJoinPruneRule = (c: CalcRel): Rel | undefined => {
  if (!isPrunableJoin(c.input)) return undefined
  const used = new Set<number>()
  for (const p of c.projects) refsOf(p, used)
  if (c.condition !== undefined) refsOf(c.condition, used)
  const pruned = pruneJoin(c.input, used)
  if (pruned === undefined) return undefined
  return {
    ...c,
    input: pruned.join,
    projects: c.projects.map((p) => remapRefs(p, pruned.map)),
    ...(c.condition === undefined ? {} : { condition: remapRefs(c.condition, pruned.map) }),
  }
}

const aggregateJoinPruneRule = (agg: AggregateRel): Rel | undefined => {
  if (!isPrunableJoin(agg.input)) return undefined
  const used = new Set<number>(agg.groupIndices)
  for (const a of agg.aggs) {
    a.args.forEach((x) => used.add(x))
    if (a.filterArg !== undefined) used.add(a.filterArg)
  }
  const pruned = pruneJoin(agg.input, used)
  if (pruned === undefined) return undefined
  const m = pruned.map
  return {
    ...agg,
    input: pruned.join,
    groupIndices: agg.groupIndices.map(m),
    aggs: agg.aggs.map((a) => ({ ...a, args: a.args.map(m), ...(a.filterArg === undefined ? {} : { filterArg: m(a.filterArg) }) })),
  }
}

/**
 * An aggregation whose input is a Calc of plain field references reads the Calc's input directly
 * (the indices remapped): one row copy less per record.
 */
const bypassRefCalc = (agg: AggregateRel | WindowAggregateRel): Rel | undefined => {
  const c = agg.input
  if (c.kind !== 'calc' || c.condition !== undefined || !c.projects.every((p) => isRef(p))) return undefined
  const map = (i: number): number => (c.projects[i] as Extract<Rex, { kind: 'input' }>).index
  const aggs = agg.aggs.map((a) => ({ ...a, args: a.args.map(map), ...(a.filterArg === undefined ? {} : { filterArg: map(a.filterArg) }) }))
  const base = { ...agg, input: c.input, groupIndices: agg.groupIndices.map(map), aggs }
  if (agg.kind === 'aggregate') return base as AggregateRel
  const window = agg.window.kind === 'SESSION' ? { ...agg.window, partitionKeys: agg.window.partitionKeys.map(map) } : agg.window
  return { ...base, kind: 'windowAggregate', timeIndex: map(agg.timeIndex), window } as WindowAggregateRel
}

// ---------------------------------------------------------------------------------------------
// window aggregation
// ---------------------------------------------------------------------------------------------

/** The window TVF under an aggregate's input (directly or under one Calc), with that Calc. */
const windowTvfUnder = (input: Rel): { tvf: WindowTvfRel; calc: CalcRel | undefined } | undefined => {
  if (input.kind === 'windowTvf') return { tvf: input, calc: undefined }
  if (input.kind === 'calc' && input.input.kind === 'windowTvf') return { tvf: input.input, calc: input }
  return undefined
}

const windowAggregateRule = (agg: AggregateRel): Rel | undefined => {
  const found = windowTvfUnder(agg.input)
  if (found === undefined) return undefined
  const { tvf } = found
  const n = tvf.input.fields.length
  const calc = found.calc ?? ({ kind: 'calc', input: tvf, projects: tvf.fields.map((f, i) => inputRef(i, f.type)), fields: tvf.fields } as CalcRel)
  // which of the aggregate's input fields are window_start / window_end / window_time
  const windowProp = (j: number): number => {
    const p = calc.projects[j]
    return isRef(p) && p.index >= n ? p.index - n : -1
  }
  const groupProps = agg.groupIndices.map(windowProp)
  if (!groupProps.includes(0) || !groupProps.includes(1)) return undefined
  if (calc.condition !== undefined && [...refsOf(calc.condition)].some((i) => i >= n)) return undefined
  // every other projection used by the aggregate must read the TVF's input only
  const used = new Set<number>([...agg.groupIndices.filter((_, k) => groupProps[k]! < 0), ...agg.aggs.flatMap((a) => [...a.args, ...(a.filterArg === undefined ? [] : [a.filterArg])])])
  for (const j of used) if ([...refsOf(calc.projects[j]!)].some((i) => i >= n)) return undefined
  const kept = [...used].sort((a, b) => a - b)
  const projects = kept.map((j) => calc.projects[j]!)
  const names = kept.map((j) => calc.fields[j]!.name)
  let timeIndex = projects.findIndex((p) => isRef(p, tvf.timeIndex))
  if (timeIndex < 0) {
    projects.push(inputRef(tvf.timeIndex, tvf.input.fields[tvf.timeIndex]!.type))
    names.push(tvf.input.fields[tvf.timeIndex]!.name)
    timeIndex = projects.length - 1
  }
  const newIndex = (j: number): number => kept.indexOf(j)
  const plainGroups = agg.groupIndices.filter((_, k) => groupProps[k]! < 0)
  const groupIndices = plainGroups.map(newIndex)
  // a session's partition keys are indices of the TVF's input: renumber them into the new input
  let window = tvf.window
  if (window.kind === 'SESSION') {
    const partitionKeys = window.partitionKeys.map((p) => {
      const g = groupIndices.find((gi) => isRef(projects[gi], p))
      if (g !== undefined) return g
      const j = projects.findIndex((x) => isRef(x, p))
      if (j >= 0) return j
      projects.push(inputRef(p, tvf.input.fields[p]!.type))
      names.push(tvf.input.fields[p]!.name)
      return projects.length - 1
    })
    window = { ...window, partitionKeys }
  }
  const pre: CalcRel = {
    kind: 'calc',
    input: tvf.input,
    projects,
    fields: projects.map((p, i) => ({ name: names[i]!, type: p.type })),
    ...(calc.condition === undefined ? {} : { condition: calc.condition }),
  }
  const aggs = agg.aggs.map((a) => ({ ...a, args: a.args.map(newIndex), ...(a.filterArg === undefined ? {} : { filterArg: newIndex(a.filterArg) }) }))
  const windowFields = tvf.fields.slice(n)
  const fields: Field[] = [...groupIndices.map((g) => pre.fields[g]!), ...agg.fields.slice(agg.groupIndices.length), ...windowFields]
  const wagg: Rel = {
    kind: 'windowAggregate',
    input: pre,
    window,
    timeIndex,
    isEventTime: isRowtime(tvf.input.fields[tvf.timeIndex]!.type),
    groupIndices,
    aggs,
    fields,
  }
  // back to the aggregate's field order: groups (window properties in place), then aggregates
  const g = groupIndices.length
  const a = aggs.length
  let plain = 0
  const out = agg.groupIndices.map((_, k) => {
    const prop = groupProps[k]!
    const idx = prop >= 0 ? g + a + prop : plain++
    return inputRef(idx, fields[idx]!.type)
  })
  for (let i = 0; i < a; i++) out.push(inputRef(g + i, fields[g + i]!.type))
  return { kind: 'calc', input: wagg, projects: out, fields: agg.fields.map((f, i) => ({ name: f.name, type: out[i]!.type })) }
}

// ---------------------------------------------------------------------------------------------
// Top-N, deduplication, window Top-N
// ---------------------------------------------------------------------------------------------

const RANKS = new Set(['ROW_NUMBER', 'RANK', 'DENSE_RANK'])

/** The rank range a condition on the rank field sets (`rn <= 3`, `rn = 1`, `rn BETWEEN 2 AND 5`), and what remains. */
const rankRange = (cond: Rex, rankField: number): { start: number; end: number; rest: Rex[] } | undefined => {
  let start = 1
  let end = Number.POSITIVE_INFINITY
  const rest: Rex[] = []
  let found = false
  const num = (r: Rex | undefined): number | undefined => (r !== undefined && r.kind === 'literal' && typeof r.value === 'number' ? r.value : r !== undefined && r.kind === 'call' && r.op === 'CAST' ? num(r.args[0]) : undefined)
  for (const c of splitAnd(cond)) {
    if (c.kind === 'call' && c.args.length === 2) {
      const [a, b] = c.args
      const flip: Record<string, string> = { '<=': '>=', '<': '>', '>=': '<=', '>': '<', '=': '=' }
      let op = c.op
      let v: number | undefined
      if (isRef(a, rankField)) v = num(b)
      else if (isRef(b, rankField)) {
        v = num(a)
        op = flip[op] ?? op
      }
      if (v !== undefined) {
        found = true
        if (op === '<=') end = Math.min(end, v)
        else if (op === '<') end = Math.min(end, v - 1)
        else if (op === '>=') start = Math.max(start, v)
        else if (op === '>') start = Math.max(start, v + 1)
        else if (op === '=') {
          start = Math.max(start, v)
          end = Math.min(end, v)
        } else {
          found = false
          rest.push(c)
        }
        continue
      }
    }
    if (c.kind === 'call' && c.op === 'BETWEEN' && isRef(c.args[0], rankField) && num(c.args[1]) !== undefined && num(c.args[2]) !== undefined) {
      found = true
      start = Math.max(start, num(c.args[1])!)
      end = Math.min(end, num(c.args[2])!)
      continue
    }
    rest.push(c)
  }
  if (!found || !Number.isFinite(end)) return undefined
  return { start, end, rest }
}

/** Where window_start / window_end of a window TVF (or a window aggregate) are among a node's fields. */
const windowColumns = (rel: Rel): { start: number; end: number } | undefined => {
  if (rel.kind === 'windowTvf' || rel.kind === 'windowAggregate') {
    const n = rel.fields.length
    return { start: n - 3, end: n - 2 }
  }
  if (rel.kind === 'calc') {
    const inner = windowColumns(rel.input)
    if (inner === undefined) return undefined
    // a cascading aggregation's window starts its upstream window's size before its end
    const size = cascadeSizeOf(rel.input)
    const isStart = (p: Rex): boolean => isRef(p, inner.start) || (size !== undefined && isEndMinus(p, inner.end, size))
    const start = rel.projects.findIndex(isStart)
    const end = rel.projects.findIndex((p) => isRef(p, inner.end))
    return start >= 0 && end >= 0 ? { start, end } : undefined
  }
  return undefined
}

/** The `cascadeSizeMs` of the window aggregation under `rel` (through Calcs), if it is a cascading one. */
const cascadeSizeOf = (rel: Rel): number | undefined => (rel.kind === 'windowAggregate' ? rel.cascadeSizeMs : rel.kind === 'calc' ? cascadeSizeOf(rel.input) : undefined)

/** Whether `p` is `$end - INTERVAL sizeMs`. */
const isEndMinus = (p: Rex, end: number, sizeMs: number): boolean =>
  p.kind === 'call' && p.op === '-' && p.args.length === 2 && isRef(p.args[0], end) && p.args[1]!.kind === 'literal' && p.args[1]!.value === sizeMs && p.args[1]!.type.kind === 'INTERVAL_DAY_TIME'

/** The event-time TUMBLE or HOP window aggregation whose window_start / window_end field `index` of `rel` is (through Calcs of plain references). */
const windowOrigin = (rel: Rel, index: number): { agg: WindowAggregateRel; column: 'start' | 'end' } | undefined => {
  if (rel.kind === 'windowAggregate') {
    if (!rel.isEventTime || (rel.window.kind !== 'TUMBLE' && rel.window.kind !== 'HOP') || rel.cascadeSizeMs !== undefined) return undefined
    const n = rel.fields.length
    return index === n - 3 ? { agg: rel, column: 'start' } : index === n - 2 ? { agg: rel, column: 'end' } : undefined
  }
  if (rel.kind === 'calc') {
    const p = rel.projects[index]
    return isRef(p) ? windowOrigin(rel.input, p.index) : undefined
  }
  return undefined
}

/**
 * An aggregation grouped by the window_start and window_end of the rows of an event-time TUMBLE
 * or HOP window aggregation (Flink's cascading window aggregation, Nexmark q5's maximum per
 * window) is itself a window aggregation: a tumbling window of the upstream window's step over
 * `window_end - 1 ms` (the upstream rows' time) holds exactly the rows of one upstream window, and
 * fires when that window's rows are complete. Insert-only, its state dropped at each window's
 * end, instead of an updating aggregation keeping every window forever.
 */
const cascadingWindowRule = (agg: AggregateRel): Rel | undefined => {
  const origins = agg.groupIndices.map((g) => windowOrigin(agg.input, g))
  const startAt = origins.findIndex((o) => o?.column === 'start')
  const endAt = origins.findIndex((o) => o?.column === 'end')
  if (startAt < 0 || endAt < 0 || origins[startAt]!.agg !== origins[endAt]!.agg) return undefined
  const upstream = origins[endAt]!.agg
  const w = upstream.window as Extract<WindowSpec, { kind: 'TUMBLE' | 'HOP' }>
  const step = w.kind === 'TUMBLE' ? w.sizeMs : w.slideMs
  const input = agg.input
  const endField = agg.groupIndices[endAt]!
  const endType = input.fields[endField]!.type
  const timeType = upstream.fields[upstream.fields.length - 1]!.type // window_time: the rowtime
  const pre: CalcRel = {
    kind: 'calc',
    input,
    projects: [...input.fields.map((f, i) => inputRef(i, f.type)), call('-', [inputRef(endField, endType), literal(1, DataTypes.INTERVAL_DAY_TIME(false))], timeType)],
    fields: [...input.fields, { name: '$window_time', type: timeType }],
  }
  const plainGroups = agg.groupIndices.filter((_, k) => k !== startAt && k !== endAt)
  const windowFields = upstream.fields.slice(upstream.fields.length - 3)
  const fields: Field[] = [...plainGroups.map((g) => input.fields[g]!), ...agg.fields.slice(agg.groupIndices.length), ...windowFields]
  const wagg: WindowAggregateRel = {
    kind: 'windowAggregate',
    input: pre,
    window: { kind: 'TUMBLE', sizeMs: step, offsetMs: w.offsetMs },
    timeIndex: input.fields.length,
    isEventTime: true,
    groupIndices: plainGroups,
    aggs: agg.aggs,
    fields,
    cascadeSizeMs: w.sizeMs,
  }
  const g = plainGroups.length
  const a = agg.aggs.length
  const wEnd = g + a + 1
  let plain = 0
  const out = agg.groupIndices.map((_, k) => {
    if (k === endAt) return inputRef(wEnd, fields[wEnd]!.type)
    if (k === startAt) return call('-', [inputRef(wEnd, fields[wEnd]!.type), literal(w.sizeMs, DataTypes.INTERVAL_DAY_TIME(false))], agg.fields[k]!.type)
    const idx = plain++
    return inputRef(idx, fields[idx]!.type)
  })
  for (let i = 0; i < a; i++) out.push(inputRef(g + i, fields[g + i]!.type))
  return { kind: 'calc', input: wagg, projects: out, fields: agg.fields.map((f, i) => ({ name: f.name, type: out[i]!.type })) }
}

const rankRule = (c: CalcRel): Rel | undefined => {
  if (c.condition === undefined || c.input.kind !== 'overAggregate') return undefined
  const over: OverAggregateRel = c.input
  if (over.aggs.length !== 1 || !RANKS.has(over.aggs[0]!.name)) return undefined
  const n = over.input.fields.length
  const range = rankRange(c.condition, n)
  if (range === undefined) return undefined
  const rankType = over.aggs[0]!.name as 'ROW_NUMBER' | 'RANK' | 'DENSE_RANK'
  const outputsRank = c.projects.some((p) => refsOf(p).has(n)) || range.rest.some((r) => refsOf(r).has(n))
  const input = over.input
  const win = windowColumns(input)
  const partitionsByWindow = win !== undefined && over.partitionKeys.includes(win.start) && over.partitionKeys.includes(win.end)
  let ranked: Rel
  const fields = outputsRank ? over.fields : input.fields
  const orderKeys: readonly SortKey[] = over.orderKeys
  if (partitionsByWindow) {
    ranked = {
      kind: 'windowRank',
      input,
      rankType,
      partitionKeys: over.partitionKeys.filter((k) => k !== win!.start && k !== win!.end),
      orderKeys,
      rankStart: range.start,
      rankEnd: range.end,
      outputRankNumber: outputsRank,
      windowStartIndex: win!.start,
      windowEndIndex: win!.end,
      fields,
    }
  } else if (rankType === 'ROW_NUMBER' && range.start === 1 && range.end === 1 && orderKeys.length === 1 && isTimeAttribute(input.fields[orderKeys[0]!.index]!.type)) {
    ranked = {
      kind: 'deduplicate',
      input,
      partitionKeys: over.partitionKeys,
      timeIndex: orderKeys[0]!.index,
      isEventTime: isRowtime(input.fields[orderKeys[0]!.index]!.type),
      keepLast: orderKeys[0]!.direction === 'DESC',
      outputRankNumber: outputsRank,
      fields,
    }
  } else {
    ranked = {
      kind: 'rank',
      input,
      rankType,
      partitionKeys: over.partitionKeys,
      orderKeys,
      rankStart: range.start,
      rankEnd: range.end,
      outputRankNumber: outputsRank,
      fields,
    }
  }
  const rest = andAll(range.rest)
  return { kind: 'calc', input: ranked, projects: c.projects, fields: c.fields, ...(rest === undefined ? {} : { condition: rest }) }
}

// ---------------------------------------------------------------------------------------------
// joins
// ---------------------------------------------------------------------------------------------

const windowJoinRule = (j: JoinRel): Rel | undefined => {
  const lw = windowColumns(j.left)
  const rw = windowColumns(j.right)
  if (lw === undefined || rw === undefined) return undefined
  const pairs = j.leftKeys.map((l, i) => [l, j.rightKeys[i]!] as const)
  const hasStart = pairs.some(([l, r]) => l === lw.start && r === rw.start)
  const hasEnd = pairs.some(([l, r]) => l === lw.end && r === rw.end)
  if (!hasStart || !hasEnd) return undefined
  const rest = pairs.filter(([l, r]) => !((l === lw.start && r === rw.start) || (l === lw.end && r === rw.end)))
  return {
    kind: 'windowJoin',
    left: j.left,
    right: j.right,
    joinType: j.joinType,
    leftKeys: rest.map(([l]) => l),
    rightKeys: rest.map(([, r]) => r),
    leftWindow: lw,
    rightWindow: rw,
    ...(j.condition === undefined ? {} : { condition: j.condition }),
    fields: j.fields,
  }
}

/**
 * Whether field `index` of `rel` is the `window_end` of an event-time window aggregation (through
 * Calcs that pass it on). Such a column times its row as well as `window_time` does: the
 * aggregation emits the row before it forwards the watermark that closed the window, so
 * downstream the row is never late, and `window_end` is `window_time + 1 ms`.
 */
const isWindowEndField = (rel: Rel, index: number): boolean => {
  if (rel.kind === 'windowAggregate') return rel.isEventTime && index === rel.fields.length - 2
  if (rel.kind === 'calc') {
    const p = rel.projects[index]
    return isRef(p) && isWindowEndField(rel.input, p.index)
  }
  return false
}

/** `side.t [+/- interval]` as (side, field, offset ms), where `timed(side, field)` says whether a field times its rows. */
const timeTerm = (r: Rex, timed: (side: 0 | 1, index: number, type: Rex['type']) => boolean): { side: 0 | 1; index: number; offset: number } | undefined => {
  if (r.kind === 'input') return timed(r.side, r.index, r.type) ? { side: r.side, index: r.index, offset: 0 } : undefined
  if (r.kind === 'call' && r.op === 'CAST' && r.args.length === 1) return timeTerm(r.args[0]!, timed)
  if (r.kind === 'call' && (r.op === '+' || r.op === '-') && r.args.length === 2) {
    const [a, b] = r.args as [Rex, Rex]
    const base = timeTerm(a, timed)
    if (base !== undefined && b.kind === 'literal' && typeof b.value === 'number' && b.type.kind === 'INTERVAL_DAY_TIME')
      return { ...base, offset: base.offset + (r.op === '+' ? b.value : -b.value) }
    if (r.op === '+') {
      const base2 = timeTerm(b, timed)
      if (base2 !== undefined && a.kind === 'literal' && typeof a.value === 'number' && a.type.kind === 'INTERVAL_DAY_TIME') return { ...base2, offset: base2.offset + a.value }
    }
  }
  return undefined
}

const intervalJoinRule = (j: JoinRel): Rel | undefined => {
  if (j.condition === undefined || j.joinType === 'SEMI' || j.joinType === 'ANTI') return undefined
  // time attributes, and the window_end of an event-time window aggregation (Nexmark q7 joins bids
  // with the highest bid of the 10 s window ending at window_end: an interval join, bounded state)
  const windowEnd = (side: 0 | 1, index: number): boolean => isWindowEndField(side === 0 ? j.left : j.right, index)
  const timed = (side: 0 | 1, index: number, type: Rex['type']): boolean => isTimeAttribute(type) || windowEnd(side, index)
  let lower = Number.NEGATIVE_INFINITY
  let upper = Number.POSITIVE_INFINITY
  let lt: number | undefined
  let rt: number | undefined
  const rest: Rex[] = []
  const bound = (a: Rex, op: string, b: Rex): boolean => {
    const x = timeTerm(a, timed)
    const y = timeTerm(b, timed)
    if (x === undefined || y === undefined || x.side === y.side) return false
    // normalize to l.t - r.t OP k
    const [l, r, o] = x.side === 0 ? [x, y, op] : [y, x, ({ '<': '>', '<=': '>=', '>': '<', '>=': '<=' } as Record<string, string>)[op]!]
    if ((lt !== undefined && lt !== l.index) || (rt !== undefined && rt !== r.index)) return false
    lt = l.index
    rt = r.index
    const k = r.offset - l.offset
    if (o === '>=') lower = Math.max(lower, k)
    else if (o === '>') lower = Math.max(lower, k + 1)
    else if (o === '<=') upper = Math.min(upper, k)
    else if (o === '<') upper = Math.min(upper, k - 1)
    else return false
    return true
  }
  for (const c of splitAnd(j.condition)) {
    if (c.kind === 'call' && c.args.length === 2 && ['<', '<=', '>', '>='].includes(c.op) && bound(c.args[0]!, c.op, c.args[1]!)) continue
    if (c.kind === 'call' && c.op === 'BETWEEN' && c.args.length === 3 && bound(c.args[0]!, '>=', c.args[1]!) && bound(c.args[0]!, '<=', c.args[2]!)) continue
    rest.push(c)
  }
  if (lt === undefined || rt === undefined || !Number.isFinite(lower) || !Number.isFinite(upper)) return undefined
  const lRowtime = isRowtime(j.left.fields[lt]!.type) || windowEnd(0, lt)
  const rRowtime = isRowtime(j.right.fields[rt]!.type) || windowEnd(1, rt)
  if (lRowtime !== rRowtime) return undefined
  const cond = andAll(rest)
  return {
    kind: 'intervalJoin',
    left: j.left,
    right: j.right,
    joinType: j.joinType as 'INNER' | 'LEFT' | 'RIGHT' | 'FULL',
    leftKeys: j.leftKeys,
    rightKeys: j.rightKeys,
    leftTimeIndex: lt,
    rightTimeIndex: rt,
    isEventTime: lRowtime,
    lowerBoundMs: lower,
    upperBoundMs: upper,
    ...(cond === undefined ? {} : { condition: cond }),
    fields: j.fields,
  }
}

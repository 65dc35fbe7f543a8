/**
 * Changelog inference: which row kinds each operator of a plan produces, whether it must send
 * `-U` rows (retract) or may leave them out (upsert), and a plan error naming the operator that
 * produces updates when a consumer cannot take them.
 *
 * @remarks
 * Bottom-up, every node's output mode follows from its inputs: scans and windowed operators
 * produce inserts only; group aggregations, outer joins, Top-N and keep-last deduplication turn
 * inserts into updates. Operators that need inserts only (window aggregations over
 * non-retractable aggregates, interval/window/temporal/lookup joins on their probe side) fail
 * with the producer's description and position. Top-down, an aggregation whose only consumer is
 * an upsert sink keyed by the aggregation's group key sends no `-U` rows.
 *
 * @packageDocumentation
 */
import { createAggsHandle } from '../aggregate/builtin-aggregates.js'
import { ChangelogModes, RowKind, formatChangelogMode, isInsertOnly, type ChangelogMode } from '../data/row.js'
import type { SqlProblem } from '../errors.js'
import { fail } from './problems.js'
import { describeRel } from './explain.js'
import { inputsOf, type Rel } from './rel.js'

/** What the planner decided for one node. */
export interface NodeTraits {
  /** The row kinds the node produces. */
  readonly mode: ChangelogMode
  /** Whether it sends `-U` before `+U` (retract) or only `+U` (upsert). */
  readonly generateUpdateBefore: boolean
}

/** The traits of every node of a plan. */
export type PlanTraits = ReadonlyMap<Rel, NodeTraits>

const modeOf = (...kinds: number[]): ChangelogMode => ({ kinds: new Set(kinds as RowKind[]) })
const union = (ms: readonly ChangelogMode[]): ChangelogMode => ({ kinds: new Set(ms.flatMap((m) => [...m.kinds])) })

/** The node that first turned inserts into updates under `rel` (for messages). */
const updateProducer = (rel: Rel, traits: ReadonlyMap<Rel, NodeTraits>): Rel => {
  for (const input of inputsOf(rel)) {
    const t = traits.get(input)
    if (t !== undefined && !isInsertOnly(t.mode)) return updateProducer(input, traits)
  }
  return rel
}

/** The plan error for a consumer that needs inserts only. */
const needsInsertOnly = (consumer: string, input: Rel, traits: ReadonlyMap<Rel, NodeTraits>, advice: string): never => {
  const producer = updateProducer(input, traits)
  return fail(
    `${consumer} can only consume inserts, but its input produces updates ${formatChangelogMode(traits.get(input)!.mode)}: ` +
      `${describeRel(producer)} turns inserts into updates. ${advice}`,
    producer.pos,
  )
}

const WINDOW_ADVICE = 'Aggregate over a window TVF (TUMBLE/HOP/CUMULATE) instead of a plain GROUP BY, or move this operator before the aggregation.'

/**
 * Infers every node's changelog traits (bottom-up, then `-U` elision for upsert sinks).
 * Throws `Problems` for a plan that cannot run.
 */
export const inferTraits = (root: Rel, runtimeMode: 'STREAMING' | 'BATCH'): PlanTraits => {
  const traits = new Map<Rel, NodeTraits>()
  const visit = (rel: Rel): ChangelogMode => {
    const known = traits.get(rel)
    if (known !== undefined) return known.mode
    const inputs = inputsOf(rel).map(visit)
    const input0 = inputsOf(rel)[0]
    const mode = outputMode(rel, inputs, input0, traits, runtimeMode)
    traits.set(rel, { mode, generateUpdateBefore: mode.kinds.has(RowKind.UPDATE_BEFORE) })
    return mode
  }
  visit(root)
  elideUpdateBefore(root, traits)
  return traits
}

const outputMode = (rel: Rel, inputs: readonly ChangelogMode[], input0: Rel | undefined, traits: ReadonlyMap<Rel, NodeTraits>, runtimeMode: 'STREAMING' | 'BATCH'): ChangelogMode => {
  const insertOnly = inputs.every(isInsertOnly)
  switch (rel.kind) {
    case 'scan':
      return rel.source.changelogMode
    case 'streamScan':
      return rel.changelogMode
    case 'values':
      return ChangelogModes.INSERT_ONLY
    case 'calc':
    case 'watermark':
    case 'correlate':
    case 'collect':
      return inputs[0]!
    case 'windowTvf':
      if (!insertOnly) needsInsertOnly('A window table function', input0!, traits, WINDOW_ADVICE)
      return ChangelogModes.INSERT_ONLY
    case 'aggregate': {
      // over inserts only, a group never disappears: no -D (as Flink infers); BATCH: each group's
      // final result once, when the input ends
      if (insertOnly) return runtimeMode === 'BATCH' ? ChangelogModes.INSERT_ONLY : modeOf(RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER)
      if (rel.aggs.length > 0) {
        const handle = createAggsHandle(rel.aggs)
        if (!handle.retractable) {
          const bad = rel.aggs.filter((a) => a.udaf !== undefined && a.udaf.retract === undefined).map((a) => a.name)
          needsInsertOnly(`The aggregation ${describeRel(rel)}${bad.length > 0 ? ` (${bad.join(', ')} has no retract method)` : ''}`, input0!, traits, 'Give the aggregate function a retract method, or aggregate an insert-only input.')
        }
      }
      return runtimeMode === 'BATCH' ? ChangelogModes.INSERT_ONLY : ChangelogModes.ALL
    }
    case 'windowAggregate':
      if (!insertOnly) {
        const handle = createAggsHandle(rel.aggs)
        if (!handle.retractable) needsInsertOnly(`The window aggregation ${describeRel(rel)}`, input0!, traits, WINDOW_ADVICE)
      }
      return ChangelogModes.INSERT_ONLY
    case 'join':
      if (rel.joinType === 'INNER' && insertOnly) return ChangelogModes.INSERT_ONLY
      if (rel.joinType === 'SEMI' && insertOnly) return ChangelogModes.INSERT_ONLY
      // outer joins of inserts retract their null-padded rows with -D and add the joined ones with +I
      if (insertOnly) return modeOf(RowKind.INSERT, RowKind.DELETE)
      return ChangelogModes.ALL
    case 'intervalJoin':
      if (!insertOnly) needsInsertOnly(`The interval join ${describeRel(rel)}`, !isInsertOnly(inputs[0]!) ? rel.left : rel.right, traits, 'Join the inputs with a regular join, or make both inputs insert-only.')
      return ChangelogModes.INSERT_ONLY
    case 'windowJoin':
      if (!insertOnly) needsInsertOnly(`The window join ${describeRel(rel)}`, !isInsertOnly(inputs[0]!) ? rel.left : rel.right, traits, WINDOW_ADVICE)
      return ChangelogModes.INSERT_ONLY
    case 'temporalJoin':
      if (!isInsertOnly(inputs[0]!)) needsInsertOnly(`The temporal join ${describeRel(rel)}`, rel.left, traits, 'The probe (left) side of a temporal join must be insert-only.')
      return ChangelogModes.INSERT_ONLY
    case 'lookupJoin':
      if (!insertOnly) needsInsertOnly(`The lookup join ${describeRel(rel)}`, rel.left, traits, 'The probe (left) side of a lookup join must be insert-only.')
      return ChangelogModes.INSERT_ONLY
    case 'union':
      return union(inputs)
    case 'overAggregate':
      return insertOnly ? ChangelogModes.INSERT_ONLY : ChangelogModes.ALL
    case 'rank':
      return ChangelogModes.ALL
    case 'deduplicate':
      if (!insertOnly) needsInsertOnly(`The deduplication ${describeRel(rel)}`, input0!, traits, 'Deduplicate before the operator that produces updates.')
      return !rel.keepLast && !rel.isEventTime ? ChangelogModes.INSERT_ONLY : ChangelogModes.ALL
    case 'windowRank':
      if (!insertOnly) needsInsertOnly(`The window Top-N ${describeRel(rel)}`, input0!, traits, WINDOW_ADVICE)
      return ChangelogModes.INSERT_ONLY
    case 'sortLimit':
      return runtimeMode === 'BATCH' && insertOnly ? ChangelogModes.INSERT_ONLY : ChangelogModes.ALL
    case 'sink': {
      const accepted = rel.sink.acceptedChangelogMode(inputs[0]!)
      // a sink taking +U without -U (an upsert sink, or one that drops -U as the blackhole sink)
      // gets its input's updates without -U where the producer can leave them out (elideUpdateBefore)
      const missing = [...inputs[0]!.kinds].filter((k) => !accepted.kinds.has(k) && !(k === RowKind.UPDATE_BEFORE && accepted.kinds.has(RowKind.UPDATE_AFTER)))
      if (missing.length > 0) {
        if (isInsertOnly(accepted))
          needsInsertOnly(
            `Table sink '${rel.table}'`,
            rel.input,
            traits,
            "Write into a sink that accepts updates (a table with a PRIMARY KEY and an upsert connector, or 'print'), or make the query insert-only: " + WINDOW_ADVICE,
          )
        fail(`Table sink '${rel.table}' accepts ${formatChangelogMode(accepted)} but the query produces ${formatChangelogMode(inputs[0]!)}.`)
      }
      return modeOf()
    }
  }
}

/**
 * An aggregation feeding (through projections) a sink that takes no `-U` sends none: an upsert
 * sink keyed by its group key, or a sink without a key that drops `-U` rows (the blackhole sink, as
 * Flink's).
 */
const elideUpdateBefore = (root: Rel, traits: Map<Rel, NodeTraits>): void => {
  if (root.kind !== 'sink') return
  const accepted = root.sink.acceptedChangelogMode(traits.get(root.input)!.mode)
  if (accepted.kinds.has(RowKind.UPDATE_BEFORE) || !accepted.kinds.has(RowKind.UPDATE_AFTER)) return
  let node = root.input
  const keyed = root.primaryKey !== undefined
  let keyFields: readonly number[] = root.primaryKey ?? []
  const path: Rel[] = []
  while (node.kind === 'calc' && node.condition === undefined) {
    const c = node
    const mapped = keyFields.map((k) => {
      const p = c.projects[k]
      return p !== undefined && p.kind === 'input' ? p.index : -1
    })
    if (mapped.includes(-1)) return
    keyFields = mapped
    path.push(node)
    node = node.input
  }
  if (node.kind !== 'aggregate') return
  const groups = node.groupIndices.map((_, i) => i)
  if (keyed && (groups.length !== keyFields.length || !groups.every((g) => keyFields.includes(g)))) return
  const upsert = ChangelogModes.UPSERT
  for (const n of [node, ...path]) traits.set(n, { mode: upsert, generateUpdateBefore: false })
}

/** Problems of a plan error, for callers that catch them. @internal */
export type ChangelogProblem = SqlProblem

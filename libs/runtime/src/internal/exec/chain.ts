import { UserFunctionError, describeError } from '../../core/errors.js'
import type { OutputTag } from '../../core/output-tag.js'
import type { Key } from '../../core/key.js'
import type { KeyedStateBackend } from '../../state/keyed-state-backend.js'
import type { Output } from '../../operators/output.js'
import type { OneInputStreamOperator, StreamOperator, TwoInputStreamOperator } from '../../operators/stream-operator.js'

/**
 * Where a node's records go: the next operator of the chain, or a network edge.
 */
export interface RecordConsumer {
  push(value: unknown, timestamp: number): void
  watermark(watermark: number): void
  status(idle: boolean): void
}

/** What is needed to name a failing operator in an error. */
export interface OperatorIdentity {
  readonly name: string
  readonly subtaskIndex: number
  readonly parallelism: number
  readonly backend: KeyedStateBackend<Key> | undefined
}

const currentKeyOf = (backend: KeyedStateBackend<Key> | undefined): { has: boolean; key: unknown } => {
  if (backend === undefined) return { has: false, key: undefined }
  try {
    return { has: true, key: backend.getCurrentKey() }
  } catch {
    return { has: false, key: undefined }
  }
}

/**
 * Wraps what an operator threw into a {@link UserFunctionError} naming the operator, the subtask and
 * the key; an error already wrapped (by an operator further down the chain) passes unchanged.
 */
export const wrapOperatorError = (e: unknown, op: OperatorIdentity, what: string): unknown => {
  if (e instanceof UserFunctionError) return e
  const { has, key } = currentKeyOf(op.backend)
  const keyText = has ? ` with key ${JSON.stringify(typeof key === 'bigint' ? key.toString() : key)}` : ''
  return new UserFunctionError(
    `Operator '${op.name}' (subtask ${op.subtaskIndex + 1}/${op.parallelism}) failed while processing ${what}${keyText}: ${describeError(e)}`,
    op.name,
    op.subtaskIndex,
    has ? key : undefined,
    { cause: e },
  )
}

/** What every input of an operator does with watermarks and idleness, with failures named. */
abstract class OperatorInput implements RecordConsumer {
  /** Records pushed into the operator, for its numRecordsIn metric. */
  recordsIn = 0
  /** The last watermark passed to the operator, for its currentInputWatermark metric. */
  currentWatermark = Number.NEGATIVE_INFINITY

  constructor(
    protected readonly op: StreamOperator<unknown>,
    protected readonly id: OperatorIdentity,
  ) {}

  abstract push(value: unknown, timestamp: number): void

  watermark(watermark: number): void {
    this.currentWatermark = watermark
    try {
      this.op.processWatermark(watermark)
    } catch (e) {
      throw wrapOperatorError(e, this.id, `watermark ${watermark}`)
    }
  }

  status(idle: boolean): void {
    this.op.processWatermarkStatus(idle)
  }
}

/** Feeds a one-input operator (chained, or the head of a task). */
export class ChainedInput extends OperatorInput {
  constructor(
    private readonly one: OneInputStreamOperator<unknown, unknown>,
    id: OperatorIdentity,
  ) {
    super(one, id)
  }

  push(value: unknown, timestamp: number): void {
    this.recordsIn++
    try {
      this.one.processElement(value, timestamp)
    } catch (e) {
      throw wrapOperatorError(e, this.id, 'a record')
    }
  }
}

/** Feeds input 1 of a two-input operator (always the head of its task). */
export class FirstInput extends OperatorInput {
  constructor(
    private readonly two: TwoInputStreamOperator<unknown, unknown, unknown>,
    id: OperatorIdentity,
  ) {
    super(two, id)
  }

  push(value: unknown, timestamp: number): void {
    try {
      this.two.processElement1(value, timestamp)
    } catch (e) {
      throw wrapOperatorError(e, this.id, 'a record of input 1')
    }
  }
}

/** Feeds input 2 of a two-input operator. */
export class SecondInput extends OperatorInput {
  constructor(
    private readonly two: TwoInputStreamOperator<unknown, unknown, unknown>,
    id: OperatorIdentity,
  ) {
    super(two, id)
  }

  push(value: unknown, timestamp: number): void {
    try {
      this.two.processElement2(value, timestamp)
    } catch (e) {
      throw wrapOperatorError(e, this.id, 'a record of input 2')
    }
  }
}

/** An operator's output with one consumer and no side outputs: the common, fast case. */
export class SingleOutput implements Output<unknown> {
  /** Records emitted, for the operator's numRecordsOut metric. */
  recordsOut = 0
  /** The last watermark emitted, for the operator's currentOutputWatermark metric. */
  currentWatermark = Number.NEGATIVE_INFINITY

  constructor(private readonly consumer: RecordConsumer) {}

  collect(value: unknown, timestamp: number): void {
    this.recordsOut++
    this.consumer.push(value, timestamp)
  }

  collectSide(): void {}

  emitWatermark(watermark: number): void {
    this.currentWatermark = watermark
    this.consumer.watermark(watermark)
  }

  emitWatermarkStatus(idle: boolean): void {
    this.consumer.status(idle)
  }
}

/** An operator's output with several consumers and/or side outputs. */
export class FanOutOutput implements Output<unknown> {
  /** Records emitted (main and side outputs), for the operator's numRecordsOut metric. */
  recordsOut = 0
  /** The last watermark emitted, for the operator's currentOutputWatermark metric. */
  currentWatermark = Number.NEGATIVE_INFINITY

  constructor(
    private readonly main: readonly RecordConsumer[],
    private readonly sides: ReadonlyMap<string, readonly RecordConsumer[]>,
    private readonly all: readonly RecordConsumer[],
  ) {}

  collect(value: unknown, timestamp: number): void {
    this.recordsOut++
    const m = this.main
    for (let i = 0; i < m.length; i++) m[i]!.push(value, timestamp)
  }

  collectSide<S>(tag: OutputTag<S>, value: S, timestamp: number): void {
    this.recordsOut++
    const s = this.sides.get(tag.id)
    if (s !== undefined) for (let i = 0; i < s.length; i++) s[i]!.push(value, timestamp)
  }

  emitWatermark(watermark: number): void {
    this.currentWatermark = watermark
    for (const c of this.all) c.watermark(watermark)
  }

  emitWatermarkStatus(idle: boolean): void {
    for (const c of this.all) c.status(idle)
  }
}

/** Builds the output of a node from its consumers. */
export const makeOutput = (
  main: readonly RecordConsumer[],
  sides: ReadonlyMap<string, readonly RecordConsumer[]>,
): SingleOutput | FanOutOutput => {
  const all = [...main, ...[...sides.values()].flat()]
  if (main.length === 1 && sides.size === 0) return new SingleOutput(main[0]!)
  return new FanOutOutput(main, sides, all)
}

import type {
  ChainingStrategy,
  Key,
  KeySelector,
  OperatorFactory,
  Partitioner,
  Sink,
  Source,
  StreamOperator,
  WatermarkStrategy,
} from '@strom/runtime'

/**
 * One step of a DataStream program, as the API records it. The environment turns the recorded
 * transformations into the runtime's `StreamGraph` when the job is executed, so settings made
 * after a call (`setParallelism`, `name`, `uid`) still apply.
 *
 * @remarks
 * Like Flink's `Transformation`: sources, one- and two-input operators and sinks become graph
 * nodes; partitioning, side outputs and unions are not nodes but properties of the references
 * ({@link StreamRef}) that connect them.
 *
 * @category Internals
 * @since 0.1.0
 */
export interface Transformation {
  /** Position in the environment's list (creation order; inputs always come first). */
  readonly id: number
  readonly kind: 'source' | 'one-input' | 'two-input' | 'sink'
  name: string
  uid: string | undefined
  /** Undefined: the environment's default parallelism. */
  parallelism: number | undefined
  chaining: ChainingStrategy
  /** Set when the parallelism must stay at the value set (windowAll, global aggregations). */
  fixedParallelism: boolean
  readonly source?: Source<any, any, any>
  readonly watermarkStrategy?: WatermarkStrategy<any> | undefined
  readonly factory?: OperatorFactory<StreamOperator<any>>
  readonly sink?: Sink<any>
  /** Inputs by index: one list for one-input operators and sinks, two for two-input operators. */
  readonly inputs: readonly (readonly StreamRef[])[]
  /** Key selector per input where the operator is keyed on it. */
  readonly keySelectors: readonly (KeySelector<any, Key> | undefined)[]
}

/**
 * A reference to the records of one transformation: its main output or one side output, with the
 * partitioning to use on the edge (undefined: forward when the parallelism is equal, else
 * rebalance, as in Flink).
 *
 * @category Internals
 * @since 0.1.0
 */
export interface StreamRef {
  readonly transformation: Transformation
  readonly sideOutput: string | undefined
  readonly partitioner: Partitioner | undefined
}

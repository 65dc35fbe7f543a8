import * as E from 'fp-ts/lib/Either.js'
import { ConfigError, GraphError } from '../core/errors.js'
import type { Key, KeySelector } from '../core/key.js'
import { DEFAULT_MAX_PARALLELISM, UPPER_BOUND_MAX_PARALLELISM } from '../core/key-groups.js'
import type { OperatorFactory, StreamOperator } from '../operators/stream-operator.js'
import type { Sink } from '../sink/sink.js'
import type { Source } from '../source/source.js'
import type { WatermarkStrategy } from '../watermark/watermark-strategy.js'
import type { Partitioner } from './partitioner.js'
import type { CheckpointingOptions } from '../checkpoint/checkpointing-options.js'
import type { RestartStrategy } from '../checkpoint/restart-strategy.js'

/**
 * Whether an operator chains with its neighbours.
 *
 * - `always`: chain with the upstream operator where the edge allows (the default).
 * - `head`: start a new chain here (`startNewChain()`); downstream may chain to it.
 * - `never`: no chaining on either side (`disableChaining()`).
 *
 * @category Graph
 * @since 0.1.0
 */
export type ChainingStrategy = 'always' | 'head' | 'never'

/**
 * What a node of the graph runs.
 *
 * @category Graph
 * @since 0.1.0
 */
export type StreamNodeSpec =
  | {
      readonly kind: 'source'
      readonly source: Source<any, any, any>
      readonly watermarkStrategy: WatermarkStrategy<any> | undefined
    }
  | {
      readonly kind: 'operator'
      readonly inputs: 1 | 2
      readonly factory: OperatorFactory<StreamOperator<any>>
      /** Per input, the key selector where the operator is keyed on that input. */
      readonly keySelectors: readonly (KeySelector<any, Key> | undefined)[]
    }
  | { readonly kind: 'sink'; readonly sink: Sink<any> }

/**
 * A node of the {@link StreamGraph}: one logical operator (a source, an operator or a sink).
 *
 * @category Graph
 * @since 0.1.0
 */
export interface StreamNode {
  /** The node's id, its position in the graph (stable for the same program). */
  readonly id: number
  /** What it runs. */
  readonly spec: StreamNodeSpec
  /** A human-readable name, used in errors and metrics. */
  name: string
  /** A stable id that checkpoints and savepoints match state by; derived from the id if unset. */
  uid: string | undefined
  /** How many parallel subtasks run it. */
  parallelism: number
  /** How it chains with its neighbours. */
  chaining: ChainingStrategy
}

/**
 * An edge of the {@link StreamGraph}: records of `source` (or of one of its side outputs) go to input
 * `inputIndex` of `target`, partitioned by `partitioner`.
 *
 * @category Graph
 * @since 0.1.0
 */
export interface StreamEdge {
  readonly source: number
  readonly target: number
  readonly inputIndex: 0 | 1
  readonly partitioner: Partitioner
  /** The id of the side output this edge carries, or undefined for the main output. */
  readonly sideOutput: string | undefined
}

/**
 * Options of a node when it is added.
 *
 * @category Graph
 * @since 0.1.0
 */
export interface NodeOptions {
  readonly name: string
  readonly uid?: string
  readonly parallelism?: number
  readonly chaining?: ChainingStrategy
}

/**
 * One input of an operator being added: the upstream node and how records get there.
 *
 * @category Graph
 * @since 0.1.0
 */
export interface InputSpec {
  readonly from: StreamNode
  readonly partitioner: Partitioner
  /** Which input of a two-input operator (default 0). */
  readonly inputIndex?: 0 | 1
  /** Take the upstream's side output with this id instead of its main output. */
  readonly sideOutput?: string
}

/**
 * The job configuration key of the runtime mode, `STREAMING` or `BATCH` (set by the DataStream
 * layer). In `BATCH` mode, a task fires every pending processing-time timer of an operator at the
 * end of input, before the operator's `finish()`, as Flink does.
 *
 * @category Graph
 * @since 0.1.0
 */
export const RUNTIME_MODE_CONFIG_KEY = 'execution.runtime-mode'

/**
 * The job configuration key of the keyed state backend: `heap` (default) or `lmdb`.
 *
 * @category Graph
 * @since 0.2.0
 */
export const STATE_BACKEND_CONFIG_KEY = 'state.backend'

/**
 * The job configuration key of the directory the `lmdb` state backend keeps its files in
 * (default: the system's temporary directory). Each operator subtask gets a subdirectory, removed
 * when the subtask ends.
 *
 * @category Graph
 * @since 0.2.0
 */
export const STATE_BACKEND_DIRECTORY_CONFIG_KEY = 'state.backend.lmdb.directory'

/**
 * Options of a whole job.
 *
 * @category Graph
 * @since 0.1.0
 */
export interface JobOptions {
  /** The job's name (default `'strom-job'`). */
  readonly jobName?: string
  /** The default parallelism of nodes (default 1). */
  readonly parallelism?: number
  /** The number of key groups, the upper bound of any keyed parallelism (default 128). */
  readonly maxParallelism?: number
  /** Job-wide configuration values. */
  readonly config?: ReadonlyMap<string, string> | Readonly<Record<string, string>>
  /** How often sources emit periodic watermarks, in ms (default 200). */
  readonly autoWatermarkInterval?: number
  /** How long a partly filled batch may wait before it is sent, in ms (default 1, like Flink's buffer timeout). */
  readonly bufferTimeout?: number
  /** Records per batch between tasks (default 512). */
  readonly batchSize?: number
  /** Batches a channel may have in flight before its producer waits (credit, default 8). */
  readonly channelCredits?: number
  /** Periodic checkpoints (default none). */
  readonly checkpointing?: CheckpointingOptions
  /** What happens when the job fails (default: exponential delay with checkpointing, else no restart). */
  readonly restartStrategy?: RestartStrategy
}

/**
 * The logical graph of a job as the API layers build it: sources, operators, sinks and the edges
 * between them. The runtime turns it into a job graph by chaining, then runs it.
 *
 * @remarks
 * Building is the control plane: mistakes (a forward edge between different parallelisms, a
 * parallelism above maxParallelism) are collected by {@link StreamGraph.validate} and reported
 * together. Node ids follow the order nodes are added, so the same program builds the same graph
 * in every thread, which is how worker threads rebuild it.
 *
 * @category Graph
 * @since 0.1.0
 */
export class StreamGraph {
  readonly nodes: StreamNode[] = []
  readonly edges: StreamEdge[] = []
  readonly jobName: string
  readonly parallelism: number
  readonly maxParallelism: number
  readonly config: ReadonlyMap<string, string>
  readonly autoWatermarkInterval: number
  readonly bufferTimeout: number
  readonly batchSize: number
  readonly channelCredits: number
  /** Periodic checkpoints, if enabled. */
  checkpointing: CheckpointingOptions | undefined
  /** The restart strategy, if set. */
  restartStrategy: RestartStrategy | undefined

  constructor(options: JobOptions = {}) {
    this.jobName = options.jobName ?? 'strom-job'
    this.parallelism = options.parallelism ?? 1
    this.maxParallelism = options.maxParallelism ?? DEFAULT_MAX_PARALLELISM
    this.config =
      options.config instanceof Map ? options.config : new Map(Object.entries(options.config ?? {}))
    this.autoWatermarkInterval = options.autoWatermarkInterval ?? 200
    this.bufferTimeout = options.bufferTimeout ?? 1
    this.batchSize = options.batchSize ?? 512
    this.channelCredits = options.channelCredits ?? 8
    this.checkpointing = options.checkpointing
    this.restartStrategy = options.restartStrategy
    if (!Number.isInteger(this.parallelism) || this.parallelism < 1)
      throw new ConfigError(`The job parallelism must be a positive integer, got ${this.parallelism}.`)
    if (
      !Number.isInteger(this.maxParallelism) ||
      this.maxParallelism < 1 ||
      this.maxParallelism > UPPER_BOUND_MAX_PARALLELISM
    )
      throw new ConfigError(
        `maxParallelism must be an integer in [1, ${UPPER_BOUND_MAX_PARALLELISM}], got ${this.maxParallelism}.`,
      )
  }

  /** Adds a source. */
  addSource(source: Source<any, any, any>, watermarkStrategy: WatermarkStrategy<any> | undefined, options: NodeOptions): StreamNode {
    return this.addNode({ kind: 'source', source, watermarkStrategy }, options)
  }

  /** Adds an operator fed by the given inputs. */
  addOperator(
    factory: OperatorFactory<StreamOperator<any>>,
    inputs: readonly InputSpec[],
    options: NodeOptions & { readonly twoInput?: boolean; readonly keySelectors?: readonly (KeySelector<any, Key> | undefined)[] },
  ): StreamNode {
    const node = this.addNode(
      { kind: 'operator', inputs: options.twoInput ? 2 : 1, factory, keySelectors: options.keySelectors ?? [] },
      options,
    )
    for (const input of inputs) this.connect(input, node)
    return node
  }

  /** Adds a sink fed by the given inputs (several inputs make a union). */
  addSink(sink: Sink<any>, inputs: readonly InputSpec[], options: NodeOptions): StreamNode {
    const node = this.addNode({ kind: 'sink', sink }, options)
    for (const input of inputs) this.connect(input, node)
    return node
  }

  /** Adds an edge into `target`. */
  connect(input: InputSpec, target: StreamNode): void {
    this.edges.push({
      source: input.from.id,
      target: target.id,
      inputIndex: input.inputIndex ?? 0,
      partitioner: input.partitioner,
      sideOutput: input.sideOutput,
    })
  }

  /** The node with this id. */
  node(id: number): StreamNode {
    const n = this.nodes[id]
    if (n === undefined) throw new GraphError(`The graph has no node ${id}.`)
    return n
  }

  /** The edges into a node. */
  inEdges(id: number): StreamEdge[] {
    return this.edges.filter((e) => e.target === id)
  }

  /** The edges out of a node. */
  outEdges(id: number): StreamEdge[] {
    return this.edges.filter((e) => e.source === id)
  }

  /** The uid of a node: its own, or one derived from its position. */
  uidOf(node: StreamNode): string {
    return node.uid ?? `node-${node.id}`
  }

  /** Checks the whole graph and reports every problem at once. */
  validate(): E.Either<readonly GraphError[], this> {
    const errors: GraphError[] = []
    const uids = new Map<string, StreamNode>()
    for (const n of this.nodes) {
      if (!Number.isInteger(n.parallelism) || n.parallelism < 1)
        errors.push(new GraphError(`Operator '${n.name}' has parallelism ${n.parallelism}; it must be a positive integer.`))
      else if (n.parallelism > this.maxParallelism)
        errors.push(
          new GraphError(
            `Operator '${n.name}' has parallelism ${n.parallelism}, above the job's maxParallelism ${this.maxParallelism}.`,
          ),
        )
      if (n.uid !== undefined) {
        const other = uids.get(n.uid)
        if (other !== undefined)
          errors.push(new GraphError(`Operators '${other.name}' and '${n.name}' have the same uid '${n.uid}'.`))
        uids.set(n.uid, n)
      }
      const ins = this.inEdges(n.id)
      if (n.spec.kind === 'source' && ins.length > 0)
        errors.push(new GraphError(`Source '${n.name}' cannot have inputs.`))
      if (n.spec.kind !== 'source' && ins.length === 0)
        errors.push(new GraphError(`Operator '${n.name}' has no input.`))
      if (n.spec.kind === 'operator' && n.spec.inputs === 2) {
        for (const idx of [0, 1] as const)
          if (!ins.some((e) => e.inputIndex === idx))
            errors.push(new GraphError(`Two-input operator '${n.name}' has nothing on input ${idx + 1}.`))
      }
      if ((n.spec.kind === 'sink' || (n.spec.kind === 'operator' && n.spec.inputs === 1)) && ins.some((e) => e.inputIndex !== 0))
        errors.push(new GraphError(`One-input operator '${n.name}' has an edge into a second input.`))
    }
    for (const e of this.edges) {
      const from = this.nodes[e.source]
      const to = this.nodes[e.target]
      if (from === undefined || to === undefined) {
        errors.push(new GraphError(`An edge connects unknown nodes ${e.source} -> ${e.target}.`))
        continue
      }
      if (e.source >= e.target)
        errors.push(new GraphError(`The edge '${from.name}' -> '${to.name}' goes backwards; graphs must be acyclic.`))
      if (e.partitioner.kind === 'forward' && from.parallelism !== to.parallelism)
        errors.push(
          new GraphError(
            `The forward edge '${from.name}' (parallelism ${from.parallelism}) -> '${to.name}' (parallelism ${to.parallelism}) ` +
              `needs equal parallelism; use rebalance() or another partitioning.`,
          ),
        )
    }
    return errors.length > 0 ? E.left(errors) : E.right(this)
  }

  private addNode(spec: StreamNodeSpec, options: NodeOptions): StreamNode {
    const node: StreamNode = {
      id: this.nodes.length,
      spec,
      name: options.name,
      uid: options.uid,
      parallelism: options.parallelism ?? this.parallelism,
      chaining: options.chaining ?? 'always',
    }
    this.nodes.push(node)
    return node
  }
}

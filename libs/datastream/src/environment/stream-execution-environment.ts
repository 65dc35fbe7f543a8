import {
  CollectionSource,
  ConfigError,
  DataGenSource,
  executeGraph,
  FileLineSource,
  resolveCheckpointingOptions,
  STATE_BACKEND_CONFIG_KEY,
  STATE_BACKEND_DIRECTORY_CONFIG_KEY,
  Partitioners,
  StreamGraph,
  SystemClock,
  WatermarkStrategy,
  type CheckpointingMode,
  type CheckpointingOptions,
  type Clock,
  type ExecutionOptions,
  type RestartStrategy,
  type JobClient,
  type JobOptions,
  type JobResult,
  type Source,
  type StreamNode,
} from '@strom/runtime'
import { DataStreamSource } from '../datastream/data-stream.js'
import type { StreamRef, Transformation } from '../datastream/transformation.js'
import { RUNTIME_MODE_KEY, RuntimeExecutionMode } from './runtime-execution-mode.js'

/**
 * Options of a {@link StreamExecutionEnvironment}: the job defaults and the runtime mode.
 *
 * @category Environment
 * @since 0.1.0
 */
export interface EnvironmentOptions extends Omit<JobOptions, 'jobName'> {
  /** STREAMING (default), BATCH or AUTOMATIC; see {@link RuntimeExecutionMode}. */
  readonly runtimeMode?: RuntimeExecutionMode
  /** The processing-time clock of jobs run in this thread (a `ManualClock` in tests). */
  readonly clock?: Clock
}

/**
 * How one run of a job starts (see `ExecutionOptions` of the runtime).
 *
 * @category Environment
 * @since 0.2.0
 */
export type JobExecutionOptions = Pick<ExecutionOptions, 'restoreFrom' | 'allowNonRestoredState' | 'log'>

/**
 * The keyed state backends: `heap` (in memory) and `lmdb` (on disk).
 *
 * @category Environment
 * @since 0.2.0
 */
export type StateBackendName = 'heap' | 'lmdb'

/**
 * Where a DataStream program starts: it creates sources, holds the job's defaults (parallelism,
 * runtime mode), records the transformations the program makes, and executes them as a job.
 *
 * @remarks
 * Transformations are recorded, not run: `execute()` turns them into a `StreamGraph` (so settings
 * made after a call, such as `setParallelism`, apply) and runs it in the calling thread, every
 * parallel subtask included, and then forgets them so the environment can build the next job (as
 * Flink does). To run parallel subtasks on worker threads, define the job with
 * {@link defineStreamJob}: JavaScript cannot send functions to a thread, so each worker imports
 * the job's module and builds the same program again.
 *
 * {@includeCode ../examples/environment.example.ts#word-count}
 *
 * @category Environment
 * @since 0.1.0
 */
export class StreamExecutionEnvironment {
  /** @internal The recorded transformations, in creation order. */
  readonly transformations: Transformation[] = []
  private parallelism: number
  private maxParallelism: number
  private runtimeMode: RuntimeExecutionMode
  private readonly options: EnvironmentOptions
  private checkpointing: CheckpointingOptions | undefined
  private restartStrategy: RestartStrategy | undefined
  private stateBackend: StateBackendName | undefined

  private constructor(options: EnvironmentOptions) {
    this.options = options
    this.parallelism = options.parallelism ?? 1
    this.maxParallelism = options.maxParallelism ?? 128
    this.runtimeMode = options.runtimeMode ?? 'STREAMING'
    this.checkpointing = options.checkpointing
    this.restartStrategy = options.restartStrategy
    checkParallelism(this.parallelism, 'The default parallelism')
    if (!Object.hasOwn(RuntimeExecutionMode, this.runtimeMode))
      throw new ConfigError(`Unknown runtime mode '${String(this.runtimeMode)}'; use STREAMING, BATCH or AUTOMATIC.`)
  }

  /** Creates an environment; every option has a default (parallelism 1, STREAMING). */
  static create(options: EnvironmentOptions = {}): StreamExecutionEnvironment {
    return new StreamExecutionEnvironment(options)
  }

  /** Sets the default parallelism of operators that do not set their own. */
  setParallelism(parallelism: number): this {
    checkParallelism(parallelism, 'The default parallelism')
    this.parallelism = parallelism
    return this
  }

  /** The default parallelism. */
  getParallelism(): number {
    return this.parallelism
  }

  /** Sets the number of key groups (the upper bound of keyed parallelism, default 128). */
  setMaxParallelism(maxParallelism: number): this {
    checkParallelism(maxParallelism, 'maxParallelism')
    this.maxParallelism = maxParallelism
    return this
  }

  /** The number of key groups. */
  getMaxParallelism(): number {
    return this.maxParallelism
  }

  /** How often sources and `assignTimestampsAndWatermarks` emit periodic watermarks, in ms. */
  autoWatermarkInterval(): number {
    return this.options.autoWatermarkInterval ?? 200
  }

  /**
   * Enables periodic checkpoints every `intervalMs` (Flink's `enableCheckpointing`); `options`
   * sets the rest (mode, directory, timeout, retained, ...; see `CheckpointingOptions`).
   *
   * @example
   * ```ts
   * env.enableCheckpointing(1000, 'EXACTLY_ONCE', { directory: './checkpoints' })
   * ```
   */
  enableCheckpointing(intervalMs: number, mode: CheckpointingMode = 'EXACTLY_ONCE', options: Omit<CheckpointingOptions, 'intervalMs' | 'mode'> = {}): this {
    this.checkpointing = resolveCheckpointingOptions({ ...options, intervalMs, mode })
    return this
  }

  /** The checkpointing options, when checkpointing is enabled. */
  getCheckpointConfig(): CheckpointingOptions | undefined {
    return this.checkpointing
  }

  /** Sets what the job does when it fails (see `RestartStrategies`). */
  setRestartStrategy(strategy: RestartStrategy): this {
    this.restartStrategy = strategy
    return this
  }

  /**
   * Chooses the keyed state backend: `'heap'` (the default: state in memory) or `'lmdb'`
   * (embedded, on disk, for state larger than memory; `directory` is where its files go,
   * default the system's temporary directory). Savepoints of either restore into the other.
   */
  setStateBackend(backend: StateBackendName, options: { readonly directory?: string } = {}): this {
    if (backend !== 'heap' && backend !== 'lmdb') throw new ConfigError(`Unknown state backend '${String(backend)}'; use 'heap' or 'lmdb'.`)
    this.stateBackend = backend
    this.stateBackendDirectory = options.directory
    return this
  }

  private stateBackendDirectory: string | undefined

  /** Sets the runtime mode (see {@link RuntimeExecutionMode}). */
  setRuntimeMode(mode: RuntimeExecutionMode): this {
    if (!Object.hasOwn(RuntimeExecutionMode, mode))
      throw new ConfigError(`Unknown runtime mode '${String(mode)}'; use STREAMING, BATCH or AUTOMATIC.`)
    this.runtimeMode = mode
    return this
  }

  /** The runtime mode as set (possibly `AUTOMATIC`). */
  getRuntimeMode(): RuntimeExecutionMode {
    return this.runtimeMode
  }

  /**
   * The mode the job will run in: `AUTOMATIC` resolved by the boundedness of the sources.
   *
   * @throws ConfigError when `BATCH` is set but some source is unbounded.
   */
  effectiveRuntimeMode(): 'STREAMING' | 'BATCH' {
    const unbounded = this.transformations.filter((t) => t.kind === 'source' && t.source?.boundedness === 'unbounded')
    if (this.runtimeMode === 'AUTOMATIC') return unbounded.length === 0 ? 'BATCH' : 'STREAMING'
    if (this.runtimeMode === 'BATCH' && unbounded.length > 0)
      throw new ConfigError(
        `BATCH mode needs bounded input, but source${unbounded.length > 1 ? 's' : ''} ` +
          `${unbounded.map((t) => `'${t.name}'`).join(', ')} ${unbounded.length > 1 ? 'are' : 'is'} unbounded; ` +
          `use STREAMING or AUTOMATIC, or bound the source (e.g. a datagen count).`,
      )
    return this.runtimeMode
  }

  // --- sources ---------------------------------------------------------------------------------

  /**
   * A stream from a source, with the watermarks the strategy makes per split (use
   * `WatermarkStrategy.noWatermarks()` for processing-time jobs).
   *
   * @typeParam T - the record type
   */
  fromSource<T>(source: Source<T, any, any>, watermarkStrategy: WatermarkStrategy<T>, name: string): DataStreamSource<T> {
    const t = this.addTransformation({
      kind: 'source',
      name,
      source,
      watermarkStrategy,
      inputs: [],
      keySelectors: [],
    })
    return new DataStreamSource<T>(this, t)
  }

  /**
   * A bounded stream of the given values, without timestamps, read by one subtask in order (as
   * Flink's `fromCollection`).
   *
   * @typeParam T - the record type
   */
  fromCollection<T>(values: Iterable<T>, name = 'Collection Source'): DataStreamSource<T> {
    return this.fromSource(CollectionSource.of(values), WatermarkStrategy.noWatermarks<T>(), name).fixParallelism(1)
  }

  /**
   * A bounded stream of the given values (see {@link StreamExecutionEnvironment.fromCollection}).
   *
   * @typeParam T - the record type
   */
  fromElements<T>(...values: T[]): DataStreamSource<T> {
    return this.fromCollection(values, 'Elements Source')
  }

  /** The numbers `from` to `to` (both included), generated in parallel splits. */
  fromSequence(from: number, to: number): DataStreamSource<number> {
    if (!Number.isSafeInteger(from) || !Number.isSafeInteger(to) || to < from)
      throw new ConfigError(`fromSequence needs integers from <= to, got ${from} and ${to}.`)
    return this.fromSource(
      DataGenSource.of((i) => from + i, { count: to - from + 1 }),
      WatermarkStrategy.noWatermarks<number>(),
      'Sequence Source',
    )
  }

  /** The lines of text files, bounded, split by file (as Flink's `readTextFile`). */
  readTextFile(...paths: string[]): DataStreamSource<string> {
    return this.fromSource(FileLineSource.forPaths(...paths), WatermarkStrategy.noWatermarks<string>(), 'Text File Source')
  }

  // --- building and running --------------------------------------------------------------------

  /** @internal Records a transformation. */
  addTransformation(
    spec: Omit<Transformation, 'id' | 'uid' | 'parallelism' | 'chaining' | 'fixedParallelism'> & {
      readonly parallelism?: number
    },
  ): Transformation {
    const t: Transformation = {
      ...spec,
      id: this.transformations.length,
      uid: undefined,
      parallelism: spec.parallelism,
      chaining: 'always',
      fixedParallelism: spec.parallelism !== undefined,
    }
    this.transformations.push(t)
    return t
  }

  /**
   * Turns the recorded transformations into the runtime's graph (without running or forgetting
   * them). The graph's nodes follow the order of the calls, so the same program builds the same
   * graph in every thread.
   */
  getStreamGraph(jobName = 'strom-job'): StreamGraph {
    const mode = this.effectiveRuntimeMode()
    const config = new Map(
      this.options.config instanceof Map ? this.options.config : Object.entries(this.options.config ?? {}),
    )
    config.set(RUNTIME_MODE_KEY, mode)
    if (this.stateBackend !== undefined) config.set(STATE_BACKEND_CONFIG_KEY, this.stateBackend)
    if (this.stateBackendDirectory !== undefined) config.set(STATE_BACKEND_DIRECTORY_CONFIG_KEY, this.stateBackendDirectory)
    const graph = new StreamGraph({
      ...this.options,
      ...(this.checkpointing !== undefined ? { checkpointing: this.checkpointing } : {}),
      ...(this.restartStrategy !== undefined ? { restartStrategy: this.restartStrategy } : {}),
      jobName,
      parallelism: this.parallelism,
      maxParallelism: this.maxParallelism,
      config,
    })
    const nodes: StreamNode[] = []
    const inputsOf = (refs: readonly StreamRef[], parallelism: number, inputIndex: 0 | 1) =>
      refs.map((r) => {
        const from = nodes[r.transformation.id]!
        return {
          from,
          inputIndex,
          sideOutput: r.sideOutput,
          partitioner:
            r.partitioner ?? (from.parallelism === parallelism ? Partitioners.forward() : Partitioners.rebalance()),
        }
      })
    for (const t of this.transformations) {
      const parallelism = t.parallelism ?? this.parallelism
      const options = { name: t.name, parallelism, chaining: t.chaining, ...(t.uid !== undefined ? { uid: t.uid } : {}) }
      let node: StreamNode
      if (t.kind === 'source') {
        // BATCH: no watermarks per record (the end of input still moves event time to +infinity),
        // but records keep their timestamps: event-time windows and timers need them.
        const assigner = t.watermarkStrategy!.createTimestampAssigner()
        const strategy = mode === 'BATCH' ? (assigner === undefined ? WatermarkStrategy.noWatermarks() : WatermarkStrategy.noWatermarks().withTimestampAssigner(assigner)) : t.watermarkStrategy
        node = graph.addSource(t.source!, strategy, options)
      } else if (t.kind === 'sink') {
        node = graph.addSink(t.sink!, inputsOf(t.inputs[0]!, parallelism, 0), options)
      } else {
        const inputs = t.inputs.flatMap((refs, i) => inputsOf(refs, parallelism, i as 0 | 1))
        node = graph.addOperator(t.factory!, inputs, {
          ...options,
          twoInput: t.kind === 'two-input',
          keySelectors: t.keySelectors,
        })
      }
      nodes.push(node)
    }
    return graph
  }

  /**
   * Runs the recorded program as a job in this thread and resolves with its result when it ends
   * (for bounded input; use {@link StreamExecutionEnvironment.executeAsync} to cancel an unbounded
   * job). The environment then forgets the program.
   */
  async execute(jobName = 'strom-job', options: JobExecutionOptions = {}): Promise<JobResult> {
    return this.executeAsync(jobName, options).result
  }

  /**
   * Starts the recorded program as a job in this thread and returns its client at once (to
   * cancel it, take savepoints, read metrics). `options.restoreFrom` starts it from a
   * savepoint or checkpoint directory.
   */
  executeAsync(jobName = 'strom-job', options: JobExecutionOptions = {}): JobClient {
    const graph = this.getStreamGraph(jobName)
    if (this.transformations.every((t) => t.kind !== 'sink'))
      throw new ConfigError(
        `Job '${jobName}' has no sink, so it would compute nothing visible; add sinkTo(), print() or executeAndCollect().`,
      )
    this.transformations.length = 0
    return executeGraph(graph, { ...options, clock: this.options.clock ?? SystemClock })
  }
}

const checkParallelism = (p: number, what: string): void => {
  if (!Number.isInteger(p) || p < 1) throw new ConfigError(`${what} must be a positive integer, got ${p}.`)
}

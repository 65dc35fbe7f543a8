import {
  CollectSink,
  ConfigError,
  FilterOperator,
  FlatMapOperator,
  MapOperator,
  Partitioners,
  PrintSink,
  type Collector,
  type Key,
  type KeySelector,
  type MapStateDescriptor,
  type OneInputStreamOperator,
  type OperatorFactory,
  type OutputTag,
  type Partitioner,
  type PrintSinkOptions,
  type Sink,
  type WatermarkStrategy,
} from '@strom/runtime'
import {
  KeyedProcessFunction,
  keyedProcessOperator,
  processOperator,
  type ProcessFunction,
} from '@strom/process'
import type { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import { fieldReducers, type ComparableField, type NumericField } from '../functions/field-aggregations.js'
import { StreamGroupedReduceOperator } from '../internal/exec/stream-grouped-reduce-operator.js'
import { TimestampsAndWatermarksOperator } from '../internal/exec/timestamps-and-watermarks-operator.js'
import { CoGroupedStreams } from '../join/co-grouped-streams.js'
import { AllWindowedStream } from '../windowing/all-windowed-stream.js'
import type { WindowAssigner } from '../windowing/window-assigner.js'
import { WindowedStream } from '../windowing/windowed-stream.js'
import type { GlobalWindow, Window } from '../windowing/windows.js'
import { IntervalJoin } from '../join/interval-join.js'
import { JoinedStreams } from '../join/joined-streams.js'
import { BroadcastConnectedStream, BroadcastStream, ConnectedStreams } from './connected-streams.js'
import type { StreamRef, Transformation } from './transformation.js'

/**
 * A function of `map`: one output per record.
 *
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Functions
 * @since 0.1.0
 */
export type MapFunction<I, O> = (value: I) => O

/**
 * A function of `flatMap`: zero or more outputs per record, emitted to the collector during the
 * call (the collector is reused; do not keep it), or returned as an iterable (an array, a
 * generator), which lets TypeScript infer the output type.
 *
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Functions
 * @since 0.1.0
 */
export type FlatMapFunction<I, O> = (value: I, out: Collector<O>) => Iterable<O> | void

/**
 * A predicate of `filter`: keeps the records it returns `true` for.
 *
 * @typeParam T - the record type
 * @category Functions
 * @since 0.1.0
 */
export type FilterFunction<T> = (value: T) => boolean

/**
 * A function of `reduce`: combines two values of the same key into one (associative).
 *
 * @typeParam T - the record type
 * @category Functions
 * @since 0.1.0
 */
export type ReduceFunction<T> = (a: T, b: T) => T

/**
 * A stream of records of type `T`: the result of a source or a transformation. Transformations
 * return new streams; nothing runs until the environment executes the job.
 *
 * @remarks
 * Records keep their timestamps through `map`, `filter` and `flatMap`. Between operators of equal
 * parallelism records go forward (and the operators are chained into one task); otherwise they are
 * rebalanced, unless a partitioning is chosen (`keyBy`, `shuffle`, `rebalance`, `rescale`,
 * `broadcast`, `global`, `partitionCustom`).
 *
 * {@includeCode ../examples/environment.example.ts#word-count}
 *
 * @typeParam T - the record type
 * @category DataStream
 * @since 0.1.0
 */
export class DataStream<T> {
  constructor(
    /** The environment this stream belongs to. */
    readonly env: StreamExecutionEnvironment,
    /** @internal Where the records come from (several for a union), with their partitioning. */
    readonly refs: readonly StreamRef[],
  ) {}

  // --- record-at-a-time transformations --------------------------------------------------------

  /** Applies `fn` to every record. */
  map<O>(fn: MapFunction<T, O>): SingleOutputStreamOperator<O> {
    return this.transform<O>('Map', () => new MapOperator<T, O>(fn))
  }

  /** Emits zero or more records per record. */
  flatMap<O>(fn: FlatMapFunction<T, O>): SingleOutputStreamOperator<O> {
    return this.transform<O>('Flat Map', () => new FlatMapOperator<T, O>(fn))
  }

  /** Keeps the records `fn` accepts. */
  filter(fn: FilterFunction<T>): SingleOutputStreamOperator<T> {
    return this.transform<T>('Filter', () => new FilterOperator<T>(fn))
  }

  /**
   * Runs a {@link ProcessFunction} on every record: the layers mix here, the function sees
   * timestamps, the timer service's clocks and side outputs.
   */
  process<O>(fn: ProcessFunction<T, O>): SingleOutputStreamOperator<O> {
    return this.transform<O>('Process', processOperator(fn))
  }

  /**
   * Adds an operator of your own (or of a higher layer) after this stream.
   *
   * @remarks
   * `factory` is called once per subtask. On a {@link KeyedStream} the operator is keyed: it gets
   * the keyed state backend and timers.
   */
  transform<O>(name: string, factory: OperatorFactory<OneInputStreamOperator<T, O>>): SingleOutputStreamOperator<O> {
    const t = this.env.addTransformation({
      kind: 'one-input',
      name,
      factory,
      inputs: [this.refs],
      keySelectors: [this.keySelectorOrUndefined()],
    })
    return new SingleOutputStreamOperator<O>(this.env, t)
  }

  // --- time ------------------------------------------------------------------------------------

  /**
   * Assigns timestamps and makes new watermarks here, per subtask (usually better done in
   * `fromSource`, per split).
   *
   * @remarks
   * Watermarks from upstream are dropped from here on (except the end of input's +infinity).
   * Periodic watermarks follow the environment's `autoWatermarkInterval` (default 200 ms).
   */
  assignTimestampsAndWatermarks(strategy: WatermarkStrategy<T>): SingleOutputStreamOperator<T> {
    const interval = this.env.autoWatermarkInterval()
    return this.transform<T>('Timestamps/Watermarks', () => new TimestampsAndWatermarksOperator<T>(strategy, interval))
  }

  // --- partitioning ----------------------------------------------------------------------------

  /**
   * Partitions by key: records with the same key go to the same subtask, and the next operator
   * gets keyed state and timers scoped to the key.
   *
   * @typeParam K - the key type (a string, number, bigint or boolean; encode composite keys)
   */
  keyBy<K extends Key>(keySelector: KeySelector<T, K>): KeyedStream<T, K> {
    return new KeyedStream<T, K>(this, keySelector)
  }

  /** Sends each record to a uniformly random downstream subtask. */
  shuffle(): DataStream<T> {
    return this.partitioned(Partitioners.shuffle())
  }

  /** Sends records round-robin to all downstream subtasks. */
  rebalance(): DataStream<T> {
    return this.partitioned(Partitioners.rebalance())
  }

  /** Sends records round-robin to a local group of downstream subtasks. */
  rescale(): DataStream<T> {
    return this.partitioned(Partitioners.rescale())
  }

  /** Sends records to subtask 0 of the next operator. */
  global(): DataStream<T> {
    return this.partitioned(Partitioners.global())
  }

  /** Sends records to the same subtask index downstream (needs equal parallelism). */
  forward(): DataStream<T> {
    return this.partitioned(Partitioners.forward())
  }

  /** Sends every record to every downstream subtask. */
  broadcast(): DataStream<T>
  /**
   * A broadcast stream carrying broadcast state with these descriptors, to `connect` to another
   * stream and process with a (Keyed)BroadcastProcessFunction.
   */
  broadcast(...descriptors: MapStateDescriptor<any, any>[]): BroadcastStream<T>
  broadcast(...descriptors: MapStateDescriptor<any, any>[]): DataStream<T> | BroadcastStream<T> {
    const stream = this.partitioned(Partitioners.broadcast())
    return descriptors.length === 0 ? stream : new BroadcastStream<T>(stream, descriptors)
  }

  /**
   * Partitions by a function of the key: `partitioner(key, numPartitions)` returns the subtask
   * index.
   *
   * @typeParam K - the key type
   */
  partitionCustom<K extends Key>(
    partitioner: (key: K, numPartitions: number) => number,
    keySelector: KeySelector<T, K>,
  ): DataStream<T> {
    return this.partitioned(Partitioners.custom(partitioner, keySelector))
  }

  // --- several streams -------------------------------------------------------------------------

  /** Merges streams of the same type into one (no order between them). */
  union(...others: DataStream<T>[]): DataStream<T> {
    for (const o of others)
      if (o.env !== this.env) throw new ConfigError('union() needs streams of the same environment.')
    return new DataStream<T>(this.env, [...this.refs, ...others.flatMap((o) => o.refs)])
  }

  /**
   * Connects two streams of possibly different types, for an operator that sees both and may
   * share state between them (co-map, co-flatMap, (Keyed)CoProcessFunction).
   *
   * @typeParam T2 - the other stream's type
   */
  connect<T2>(other: DataStream<T2>): ConnectedStreams<T, T2>
  /**
   * Connects this stream to a broadcast stream, for a (Keyed)BroadcastProcessFunction.
   *
   * @typeParam B - the broadcast stream's type
   */
  connect<B>(other: BroadcastStream<B>): BroadcastConnectedStream<T, B>
  connect<T2>(other: DataStream<T2> | BroadcastStream<T2>): ConnectedStreams<T, T2> | BroadcastConnectedStream<T, T2> {
    if (other instanceof BroadcastStream) return new BroadcastConnectedStream<T, T2>(this, other)
    return new ConnectedStreams<T, T2>(this, other)
  }

  // --- windows over the whole stream ----------------------------------------------------------

  /**
   * Windows over the whole (non-keyed) stream: every record goes to one subtask (parallelism 1),
   * as Flink's `windowAll`. Prefer `keyBy(...).window(...)` where the data has a key.
   *
   * @typeParam W - the window type
   */
  windowAll<W extends Window>(assigner: WindowAssigner<T, W>): AllWindowedStream<T, W> {
    return new AllWindowedStream<T, W>(this, assigner)
  }

  /**
   * Count windows over the whole stream: every `size` records (tumbling), or the last `size`
   * records every `slide` records (sliding).
   */
  countWindowAll(size: number, slide?: number): AllWindowedStream<T, GlobalWindow> {
    return AllWindowedStream.countWindowAll(this, size, slide)
  }

  // --- joins -----------------------------------------------------------------------------------

  /**
   * A window join with another stream: `join(other).where(key1).equalTo(key2).window(assigner)
   * .apply(fn)` calls `fn` for every pair of records with equal keys in the same window.
   *
   * @typeParam T2 - the other stream's type
   */
  join<T2>(other: DataStream<T2>): JoinedStreams<T, T2> {
    return new JoinedStreams<T, T2>(this, other)
  }

  /**
   * A window coGroup with another stream: like `join`, but the function gets all records of both
   * sides of a key and window at once (also when one side is empty).
   *
   * @typeParam T2 - the other stream's type
   */
  coGroup<T2>(other: DataStream<T2>): CoGroupedStreams<T, T2> {
    return new CoGroupedStreams<T, T2>(this, other)
  }

  // --- sinks -----------------------------------------------------------------------------------

  /** Writes the stream to a sink. */
  sinkTo(sink: Sink<T>, name = 'Sink'): DataStreamSink<T> {
    const t = this.env.addTransformation({ kind: 'sink', name, sink, inputs: [this.refs], keySelectors: [] })
    return new DataStreamSink<T>(t)
  }

  /** Prints every record to stdout (strings as they are, other values as JSON). */
  print(prefixOrOptions?: string | PrintSinkOptions<T>): DataStreamSink<T> {
    const options = typeof prefixOrOptions === 'string' ? { prefix: prefixOrOptions } : (prefixOrOptions ?? {})
    return this.sinkTo(new PrintSink<T>(options), 'Print')
  }

  /**
   * Runs the environment's whole program with this stream collected, and resolves with every
   * record it produced (for bounded input; for tests and notebooks). With `limit`, resolves with
   * the first `limit` records to arrive and cancels the job then, which also works for unbounded
   * input.
   *
   * @remarks
   * The records of parallel subtasks interleave in arrival order; sort them to compare.
   */
  async executeAndCollect(options: string | { readonly jobName?: string; readonly limit?: number } = {}): Promise<T[]> {
    const { jobName = 'collect', limit } = typeof options === 'string' ? { jobName: options } : options
    if (limit !== undefined && !(Number.isInteger(limit) && limit >= 0))
      throw new ConfigError(`executeAndCollect's limit must be an integer >= 0, got ${limit}.`)
    const sink = new CollectSink<T>()
    this.sinkTo(sink, 'Collect')
    if (limit === undefined) {
      await this.env.execute(jobName)
      return [...sink.values]
    }
    const client = this.env.executeAsync(jobName)
    const enough = (): boolean => sink.values.length >= limit
    // records reach the sink object between tasks' batches; look after each turn of the event loop
    const watch = setInterval(() => {
      if (enough()) client.cancel()
    }, 1)
    try {
      if (limit === 0) client.cancel()
      await client.result
    } finally {
      clearInterval(watch)
    }
    return sink.values.slice(0, limit)
  }

  /** @internal The key selector when this stream is keyed. */
  keySelectorOrUndefined(): KeySelector<T, Key> | undefined {
    return undefined
  }

  private partitioned(partitioner: Partitioner): DataStream<T> {
    return new DataStream<T>(
      this.env,
      this.refs.map((r) => ({ ...r, partitioner })),
    )
  }
}

/**
 * The stream an operator produces, with the operator's settings: name, uid, parallelism,
 * chaining, and its side outputs.
 *
 * @typeParam T - the record type
 * @category DataStream
 * @since 0.1.0
 */
export class SingleOutputStreamOperator<T> extends DataStream<T> {
  constructor(
    env: StreamExecutionEnvironment,
    /** @internal The operator's transformation. */
    readonly transformation: Transformation,
  ) {
    super(env, [{ transformation, sideOutput: undefined, partitioner: undefined }])
  }

  /** Names the operator (in metrics, errors and the job graph). */
  name(name: string): this {
    this.transformation.name = name
    return this
  }

  /**
   * Sets the operator's stable id, which checkpoints and savepoints match state by; set it on
   * every stateful operator of a long-running job.
   */
  uid(uid: string): this {
    this.transformation.uid = uid
    return this
  }

  /** Sets how many parallel subtasks run the operator. */
  setParallelism(parallelism: number): this {
    if (!Number.isInteger(parallelism) || parallelism < 1)
      throw new ConfigError(`The parallelism of '${this.transformation.name}' must be a positive integer, got ${parallelism}.`)
    if (this.transformation.fixedParallelism && parallelism !== this.transformation.parallelism)
      throw new ConfigError(
        `The parallelism of '${this.transformation.name}' is fixed at ${this.transformation.parallelism}; it cannot be ${parallelism}.`,
      )
    this.transformation.parallelism = parallelism
    return this
  }

  /** @internal Sets a parallelism that cannot be changed later (windowAll, global operators). */
  fixParallelism(parallelism: number): this {
    this.transformation.parallelism = parallelism
    this.transformation.fixedParallelism = true
    return this
  }

  /** The operator's parallelism (undefined: the environment's default). */
  getParallelism(): number {
    return this.transformation.parallelism ?? this.env.getParallelism()
  }

  /** Keeps the operator out of any chain: it runs in a task of its own. */
  disableChaining(): this {
    this.transformation.chaining = 'never'
    return this
  }

  /** Starts a new chain at this operator (it does not chain to its input). */
  startNewChain(): this {
    this.transformation.chaining = 'head'
    return this
  }

  /**
   * The records the operator emitted to a side output (`ctx.output(tag, value)`, late data of a
   * window).
   *
   * @typeParam S - the side output's type
   */
  getSideOutput<S>(tag: OutputTag<S>): DataStream<S> {
    return new DataStream<S>(this.env, [{ transformation: this.transformation, sideOutput: tag.id, partitioner: undefined }])
  }
}

/**
 * The stream a source produces.
 *
 * @typeParam T - the record type
 * @category DataStream
 * @since 0.1.0
 */
export class DataStreamSource<T> extends SingleOutputStreamOperator<T> {}

/**
 * A sink added to a stream, with its settings.
 *
 * @typeParam T - the record type
 * @category DataStream
 * @since 0.1.0
 */
export class DataStreamSink<T> {
  /** @internal keeps T in the type */
  declare readonly _type?: T

  constructor(
    /** @internal The sink's transformation. */
    readonly transformation: Transformation,
  ) {}

  /** Names the sink. */
  name(name: string): this {
    this.transformation.name = name
    return this
  }

  /** Sets the sink's stable id (for its pre-committed state in checkpoints). */
  uid(uid: string): this {
    this.transformation.uid = uid
    return this
  }

  /** Sets how many parallel writers run the sink. */
  setParallelism(parallelism: number): this {
    if (!Number.isInteger(parallelism) || parallelism < 1)
      throw new ConfigError(`The parallelism of '${this.transformation.name}' must be a positive integer, got ${parallelism}.`)
    this.transformation.parallelism = parallelism
    return this
  }

  /** Keeps the sink out of any chain. */
  disableChaining(): this {
    this.transformation.chaining = 'never'
    return this
  }
}

/**
 * A stream partitioned by key: the next operator runs keyed, with state and timers scoped to each
 * record's key. Rolling aggregations (`reduce`, `sum`, `min`, `max`, `minBy`, `maxBy`), keyed
 * process functions and windows start here.
 *
 * @remarks
 * `map`, `filter` and `flatMap` on a keyed stream run keyed too (after the hash partitioning).
 * Rolling aggregations emit the new value for every record in STREAMING mode, and only the final
 * value per key in BATCH mode.
 *
 * @typeParam T - the record type
 * @typeParam K - the key type
 * @category DataStream
 * @since 0.1.0
 */
export class KeyedStream<T, K extends Key> extends DataStream<T> {
  constructor(
    input: DataStream<T>,
    /** Extracts the key of a record (must be deterministic). */
    readonly keySelector: KeySelector<T, K>,
  ) {
    super(
      input.env,
      input.refs.map((r) => ({ ...r, partitioner: Partitioners.hash(keySelector) })),
    )
  }

  /** @internal */
  override keySelectorOrUndefined(): KeySelector<T, Key> {
    return this.keySelector
  }

  /**
   * Runs a {@link KeyedProcessFunction}: keyed state, event- and processing-time timers, side
   * outputs.
   *
   * @typeParam O - the output type
   */
  override process<O>(fn: KeyedProcessFunction<K, T, O> | ProcessFunction<T, O>): SingleOutputStreamOperator<O> {
    if (fn instanceof KeyedProcessFunction)
      return this.transform<O>('Keyed Process', keyedProcessOperator<K, T, O>(fn))
    return this.transform<O>('Process', processOperator(fn))
  }

  /**
   * Windows per key: the assigner puts each record in windows (tumbling, sliding, session,
   * global...), the trigger decides when a window's function runs. Continue with `reduce`,
   * `aggregate`, `process` or `apply`.
   *
   * @typeParam W - the window type
   */
  window<W extends Window>(assigner: WindowAssigner<T, W>): WindowedStream<T, K, W> {
    return new WindowedStream<T, K, W>(this, assigner)
  }

  /**
   * Count windows per key: every `size` records of a key (tumbling), or the key's last `size`
   * records every `slide` of its records (sliding).
   */
  countWindow(size: number, slide?: number): WindowedStream<T, K, GlobalWindow> {
    return WindowedStream.countWindow(this, size, slide)
  }

  /**
   * An interval join with another keyed stream: `intervalJoin(other).between(lower, upper)
   * .process(fn)` pairs records of equal keys whose timestamps satisfy
   * `a.ts + lower <= b.ts <= a.ts + upper` (event time).
   *
   * @typeParam T2 - the other stream's type
   */
  intervalJoin<T2>(other: KeyedStream<T2, K>): IntervalJoin<T, T2, K> {
    return new IntervalJoin<T, T2, K>(this, other)
  }

  /** A rolling reduce: emits the key's combined value for every record. */
  reduce(fn: ReduceFunction<T>): SingleOutputStreamOperator<T> {
    return this.transform<T>('Keyed Reduce', () => new StreamGroupedReduceOperator<T>(fn))
  }

  /**
   * A rolling sum of a numeric field per key (or of the values, for a stream of numbers); the
   * other fields are those of the key's first record.
   */
  sum(field?: NumericField<T>): SingleOutputStreamOperator<T> {
    return this.reduce(fieldReducers.sum(field)).name(field === undefined ? 'Sum' : `Sum(${String(field)})`)
  }

  /**
   * The rolling minimum of a field per key (or of the values); the other fields are those of the
   * key's first record (use `minBy` for the record that has the minimum).
   */
  min(field?: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.extreme(field, -1, 'Min')
  }

  /** The rolling maximum of a field per key (or of the values); see `min`. */
  max(field?: ComparableField<T>): SingleOutputStreamOperator<T> {
    return this.extreme(field, 1, 'Max')
  }

  /**
   * The record with the smallest value of a field so far, per key; on ties the first such record
   * (`first = true`, default) or the latest.
   */
  minBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.reduce(fieldReducers.extremeBy(field, -1, first)).name(`MinBy(${String(field)})`)
  }

  /** The record with the largest value of a field so far, per key; see `minBy`. */
  maxBy(field: ComparableField<T>, first = true): SingleOutputStreamOperator<T> {
    return this.reduce(fieldReducers.extremeBy(field, 1, first)).name(`MaxBy(${String(field)})`)
  }

  private extreme(field: ComparableField<T> | undefined, sign: 1 | -1, label: string): SingleOutputStreamOperator<T> {
    return this.reduce(fieldReducers.extreme(field, sign)).name(field === undefined ? label : `${label}(${String(field)})`)
  }
}

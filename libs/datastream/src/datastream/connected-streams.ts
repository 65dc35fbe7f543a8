import {
  BroadcastProcessFunction,
  broadcastProcessOperator,
  coProcessOperator,
  KeyedBroadcastProcessFunction,
  keyedBroadcastProcessOperator,
  KeyedCoProcessFunction,
  keyedCoProcessOperator,
  type CoProcessFunction,
} from '@strom/process'
import {
  ConfigError,
  Partitioners,
  type Collector,
  type Key,
  type KeySelector,
  type MapStateDescriptor,
  type OperatorFactory,
  type TwoInputStreamOperator,
} from '@strom/runtime'
import { CoFlatMapOperator, CoMapOperator } from '../internal/exec/co-map-operators.js'
import { DataStream, SingleOutputStreamOperator } from './data-stream.js'

/**
 * Two streams connected for one operator that sees both (`connect`): co-map, co-flatMap, a
 * (Keyed)CoProcessFunction, or an operator of your own. When both inputs are keyed, the operator is
 * keyed and both inputs share its keyed state.
 *
 * @typeParam T1 - the first input's type
 * @typeParam T2 - the second input's type
 * @category DataStream
 * @since 0.1.0
 */
export class ConnectedStreams<T1, T2> {
  constructor(
    /** The first input. */
    readonly first: DataStream<T1>,
    /** The second input. */
    readonly second: DataStream<T2>,
  ) {
    if (first.env !== second.env) throw new ConfigError('connect() needs streams of the same environment.')
  }

  /**
   * Keys both inputs (records with equal keys meet in the same subtask and share keyed state).
   *
   * @typeParam K - the common key type
   */
  keyBy<K extends Key>(key1: KeySelector<T1, K>, key2: KeySelector<T2, K>): ConnectedStreams<T1, T2> {
    return new ConnectedStreams<T1, T2>(this.first.keyBy(key1), this.second.keyBy(key2))
  }

  /** One function per input, one output per record. */
  map<O>(fn1: (value: T1) => O, fn2: (value: T2) => O): SingleOutputStreamOperator<O> {
    return this.transform<O>('Co-Map', () => new CoMapOperator<T1, T2, O>(fn1, fn2))
  }

  /** One function per input, zero or more outputs per record. */
  flatMap<O>(
    fn1: (value: T1, out: Collector<O>) => void,
    fn2: (value: T2, out: Collector<O>) => void,
  ): SingleOutputStreamOperator<O> {
    return this.transform<O>('Co-Flat Map', () => new CoFlatMapOperator<T1, T2, O>(fn1, fn2))
  }

  /**
   * Runs a CoProcessFunction, or a KeyedCoProcessFunction when both inputs are keyed.
   *
   * @typeParam O - the output type
   */
  process<K extends Key, O>(fn: CoProcessFunction<T1, T2, O> | KeyedCoProcessFunction<K, T1, T2, O>): SingleOutputStreamOperator<O> {
    if (fn instanceof KeyedCoProcessFunction) {
      if (this.first.keySelectorOrUndefined() === undefined || this.second.keySelectorOrUndefined() === undefined)
        throw new ConfigError(
          `A KeyedCoProcessFunction needs both connected inputs keyed: use connect(...).keyBy(key1, key2) or connect two KeyedStreams.`,
        )
      return this.transform<O>('Keyed Co-Process', keyedCoProcessOperator(fn))
    }
    return this.transform<O>('Co-Process', coProcessOperator(fn))
  }

  /**
   * Adds a two-input operator of your own (or of a higher layer).
   *
   * @typeParam O - the output type
   */
  transform<O>(name: string, factory: OperatorFactory<TwoInputStreamOperator<T1, T2, O>>): SingleOutputStreamOperator<O> {
    const env = this.first.env
    const t = env.addTransformation({
      kind: 'two-input',
      name,
      factory,
      inputs: [this.first.refs, this.second.refs],
      keySelectors: [this.first.keySelectorOrUndefined(), this.second.keySelectorOrUndefined()],
    })
    return new SingleOutputStreamOperator<O>(env, t)
  }
}

/**
 * A stream to broadcast to every subtask of the operator it is connected to, with the broadcast
 * state descriptors that operator uses (`stream.broadcast(descriptor)`).
 *
 * @typeParam T - the record type
 * @category DataStream
 * @since 0.1.0
 */
export class BroadcastStream<T> {
  constructor(
    /** The broadcast-partitioned stream. */
    readonly stream: DataStream<T>,
    /** The broadcast state the receiving function may write when it sees these records. */
    readonly descriptors: readonly MapStateDescriptor<any, any>[],
  ) {}
}

/**
 * A (keyed or not) stream connected to a {@link BroadcastStream}, for a BroadcastProcessFunction
 * or, when the first stream is keyed, a KeyedBroadcastProcessFunction.
 *
 * @typeParam T - the non-broadcast input's type
 * @typeParam B - the broadcast input's type
 * @category DataStream
 * @since 0.1.0
 */
export class BroadcastConnectedStream<T, B> {
  constructor(
    /** The non-broadcast input. */
    readonly first: DataStream<T>,
    /** The broadcast input. */
    readonly broadcast: BroadcastStream<B>,
  ) {}

  /**
   * Runs the function: `processElement` for records of the first input (read-only broadcast state),
   * `processBroadcastElement` for broadcast records (read-write broadcast state).
   *
   * @typeParam O - the output type
   */
  process<K extends Key, O>(fn: BroadcastProcessFunction<T, B, O> | KeyedBroadcastProcessFunction<K, T, B, O>): SingleOutputStreamOperator<O> {
    const keyed = this.first.keySelectorOrUndefined() !== undefined
    if (fn instanceof KeyedBroadcastProcessFunction) {
      if (!keyed)
        throw new ConfigError('A KeyedBroadcastProcessFunction needs a keyed first input: keyBy() before connect().')
      return this.transform<O>('Keyed Broadcast Process', keyedBroadcastProcessOperator(fn), true)
    }
    if (!(fn instanceof BroadcastProcessFunction))
      throw new ConfigError('process() on a broadcast-connected stream needs a (Keyed)BroadcastProcessFunction.')
    if (keyed) throw new ConfigError('A keyed stream connected to a broadcast stream needs a KeyedBroadcastProcessFunction.')
    return this.transform<O>('Broadcast Process', broadcastProcessOperator(fn), false)
  }

  private transform<O>(name: string, factory: OperatorFactory<TwoInputStreamOperator<T, B, O>>, keyed: boolean): SingleOutputStreamOperator<O> {
    const env = this.first.env
    const broadcastRefs = this.broadcast.stream.refs.map((r) => ({ ...r, partitioner: Partitioners.broadcast() }))
    const t = env.addTransformation({
      kind: 'two-input',
      name,
      factory,
      inputs: [this.first.refs, broadcastRefs],
      keySelectors: [keyed ? this.first.keySelectorOrUndefined() : undefined, undefined],
    })
    return new SingleOutputStreamOperator<O>(env, t)
  }
}

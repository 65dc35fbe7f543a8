import { ConfigError } from '@strom/runtime'
import type { Key, KeySelector } from '@strom/runtime'
import type { DataStream, SingleOutputStreamOperator } from '../datastream/data-stream.js'
import type { WindowAssigner } from '../windowing/window-assigner.js'
import type { Window } from '../windowing/windows.js'
import { flatJoinAsCoGroup, joinAsCoGroup } from './internal/exec/tagged-union.js'
import type { TaggedUnion } from './internal/exec/tagged-union.js'
import { buildWindowCoGroup } from './internal/window-co-group.js'
import type { WindowCoGroupSpec } from './internal/window-co-group.js'
import { EqualToStep, WhereStep, windowCoGroupSpec, WithWindowStep } from './internal/window-co-group-steps.js'
import type { FlatJoinFunction, JoinFunction } from './join-functions.js'

/**
 * A window join of two streams: `a.join(b).where(keyA).equalTo(keyB).window(assigner).apply(fn)`
 * calls `fn(x, y)` for every pair of records of the two streams with the same key in the same
 * window.
 *
 * @remarks
 * As Flink's `JoinedStreams`: a window coGroup ({@link CoGroupedStreams}) whose function loops
 * over the cartesian product of the two groups of each key and window. An inner join: keys that
 * only one input has in a window give nothing (use a coGroup for outer joins). Pairs come out
 * when the window fires, with the window's `maxTimestamp()`. See `docs/joins.md`.
 *
 * {@includeCode ./window-join.spec.ts#join}
 *
 * @typeParam T1 - the first input's type
 * @typeParam T2 - the second input's type
 * @category Joins
 * @since 0.1.0
 */
export class JoinedStreams<T1, T2> {
  constructor(
    /** The first input. */
    readonly input1: DataStream<T1>,
    /** The second input. */
    readonly input2: DataStream<T2>,
  ) {
    if (input1.env !== input2.env) throw new ConfigError('join() needs two streams of the same environment.')
  }

  /**
   * The key of the first input's records.
   *
   * @typeParam K - the key type, shared with {@link JoinedStreams.Where.equalTo}
   */
  where<K extends Key>(keySelector: KeySelector<T1, K>): JoinedStreams.Where<T1, T2, K> {
    return new JoinedStreams.Where<T1, T2, K>(this.input1, this.input2, keySelector)
  }
}

/**
 * The steps of a window join after {@link JoinedStreams.where}.
 *
 * @category Joins
 * @since 0.1.0
 */
export namespace JoinedStreams {
  /**
   * A join with the first input's key: set the second's with {@link JoinedStreams.Where.equalTo}.
   *
   * @typeParam T1 - the first input's type
   * @typeParam T2 - the second input's type
   * @typeParam K - the key type
   * @category Joins
   * @since 0.1.0
   */
  export class Where<T1, T2, K extends Key> extends WhereStep<T1, T2, K> {
    /** The key of the second input's records: records of both inputs with equal keys join. */
    equalTo(keySelector: KeySelector<T2, K>): EqualTo<T1, T2, K> {
      return new EqualTo<T1, T2, K>(this.input1, this.input2, this.keySelector1, keySelector)
    }
  }

  /**
   * A join with both keys: choose the windows with {@link JoinedStreams.EqualTo.window}.
   *
   * @typeParam T1 - the first input's type
   * @typeParam T2 - the second input's type
   * @typeParam K - the key type
   * @category Joins
   * @since 0.1.0
   */
  export class EqualTo<T1, T2, K extends Key> extends EqualToStep<T1, T2, K> {
    /**
     * The windows in which records of the two inputs join (any window assigner: tumbling,
     * sliding, session, global; event or processing time).
     *
     * @typeParam W - the window type
     */
    window<W extends Window>(assigner: WindowAssigner<TaggedUnion<T1, T2>, W>): WithWindow<T1, T2, K, W> {
      return new WithWindow<T1, T2, K, W>(windowCoGroupSpec(this, assigner))
    }
  }

  /**
   * A join with keys and windows: optionally set a trigger, an evictor, allowed lateness and a
   * late-data side output, then
   * give the join function to {@link JoinedStreams.WithWindow.apply} (one result per pair) or
   * {@link JoinedStreams.WithWindow.flatApply} (any number per pair).
   *
   * @typeParam T1 - the first input's type
   * @typeParam T2 - the second input's type
   * @typeParam K - the key type
   * @typeParam W - the window type
   * @category Joins
   * @since 0.1.0
   */
  export class WithWindow<T1, T2, K extends Key, W extends Window> extends WithWindowStep<T1, T2, K, W, WithWindow<T1, T2, K, W>> {
    /** @internal */
    protected with(spec: WindowCoGroupSpec<T1, T2, K, W>): WithWindow<T1, T2, K, W> {
      return new WithWindow<T1, T2, K, W>(spec)
    }

    /**
     * Calls `fn(x, y)` for every pair of records with the same key in the same window and emits
     * what it returns.
     *
     * @typeParam O - the output type
     */
    apply<O>(fn: JoinFunction<T1, T2, O>): SingleOutputStreamOperator<O> {
      return buildWindowCoGroup(this.spec, joinAsCoGroup(fn), 'Join')
    }

    /**
     * Calls `fn(x, y, out)` for every pair of records with the same key in the same window; it
     * emits any number of records through `out` (Flink's `apply(FlatJoinFunction)`).
     *
     * @typeParam O - the output type
     */
    flatApply<O>(fn: FlatJoinFunction<T1, T2, O>): SingleOutputStreamOperator<O> {
      return buildWindowCoGroup(this.spec, flatJoinAsCoGroup(fn), 'Join')
    }
  }
}

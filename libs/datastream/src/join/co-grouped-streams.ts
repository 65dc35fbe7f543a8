import { ConfigError } from '@strom/runtime'
import type { Key, KeySelector } from '@strom/runtime'
import type { DataStream, SingleOutputStreamOperator } from '../datastream/data-stream.js'
import type { WindowAssigner } from '../windowing/window-assigner.js'
import type { Window } from '../windowing/windows.js'
import type { TaggedUnion } from './internal/exec/tagged-union.js'
import { buildWindowCoGroup } from './internal/window-co-group.js'
import type { WindowCoGroupSpec } from './internal/window-co-group.js'
import { EqualToStep, WhereStep, windowCoGroupSpec, WithWindowStep } from './internal/window-co-group-steps.js'
import type { CoGroupFunction } from './join-functions.js'

/**
 * A window coGroup of two streams: `a.coGroup(b).where(keyA).equalTo(keyB).window(assigner)
 * .apply(fn)` calls `fn` once per key and window with the records of both streams that fell into
 * it.
 *
 * @remarks
 * As Flink's `CoGroupedStreams`: both inputs are tagged, unioned, keyed by their own key selector
 * and cut into windows by one window operator, so the window assigner, trigger, evictor and
 * allowed lateness behave as on any windowed stream, and a session window is made of the records
 * of both inputs. Results carry the window's `maxTimestamp()`. Late records go to the side output of
 * `sideOutputLateData(tag)`, else the window operator drops them and counts them in its
 * `numLateRecordsDropped` metric. See `docs/joins.md`.
 *
 * {@includeCode ./window-join.spec.ts#co-group}
 *
 * @typeParam T1 - the first input's type
 * @typeParam T2 - the second input's type
 * @category Joins
 * @since 0.1.0
 */
export class CoGroupedStreams<T1, T2> {
  constructor(
    /** The first input. */
    readonly input1: DataStream<T1>,
    /** The second input. */
    readonly input2: DataStream<T2>,
  ) {
    if (input1.env !== input2.env) throw new ConfigError('coGroup() needs two streams of the same environment.')
  }

  /**
   * The key of the first input's records.
   *
   * @typeParam K - the key type, shared with {@link CoGroupedStreams.Where.equalTo}
   */
  where<K extends Key>(keySelector: KeySelector<T1, K>): CoGroupedStreams.Where<T1, T2, K> {
    return new CoGroupedStreams.Where<T1, T2, K>(this.input1, this.input2, keySelector)
  }
}

/**
 * The steps of a window coGroup after {@link CoGroupedStreams.where}.
 *
 * @category Joins
 * @since 0.1.0
 */
export namespace CoGroupedStreams {
  /**
   * A coGroup with the first input's key: set the second's with {@link CoGroupedStreams.Where.equalTo}.
   *
   * @typeParam T1 - the first input's type
   * @typeParam T2 - the second input's type
   * @typeParam K - the key type
   * @category Joins
   * @since 0.1.0
   */
  export class Where<T1, T2, K extends Key> extends WhereStep<T1, T2, K> {
    /** The key of the second input's records: records of both inputs with equal keys are grouped. */
    equalTo(keySelector: KeySelector<T2, K>): EqualTo<T1, T2, K> {
      return new EqualTo<T1, T2, K>(this.input1, this.input2, this.keySelector1, keySelector)
    }
  }

  /**
   * A coGroup with both keys: choose the windows with {@link CoGroupedStreams.EqualTo.window}.
   *
   * @typeParam T1 - the first input's type
   * @typeParam T2 - the second input's type
   * @typeParam K - the key type
   * @category Joins
   * @since 0.1.0
   */
  export class EqualTo<T1, T2, K extends Key> extends EqualToStep<T1, T2, K> {
    /**
     * The windows the records of both inputs are grouped in (any window assigner: tumbling,
     * sliding, session, global; event or processing time).
     *
     * @typeParam W - the window type
     */
    window<W extends Window>(assigner: WindowAssigner<TaggedUnion<T1, T2>, W>): WithWindow<T1, T2, K, W> {
      return new WithWindow<T1, T2, K, W>(windowCoGroupSpec(this, assigner))
    }
  }

  /**
   * A coGroup with keys and windows: optionally set a trigger, an evictor, allowed lateness and a
   * late-data side output, then {@link CoGroupedStreams.WithWindow.apply} the coGroup function.
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
     * Calls `fn` once per key and window with the records of both inputs in it; the stream of
     * what it emits.
     *
     * @typeParam O - the output type
     */
    apply<O>(fn: CoGroupFunction<T1, T2, O>): SingleOutputStreamOperator<O> {
      return buildWindowCoGroup(this.spec, fn, 'CoGroup')
    }
  }
}

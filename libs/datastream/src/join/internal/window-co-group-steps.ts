import { ConfigError } from '@strom/runtime'
import type { Key, KeySelector, OutputTag } from '@strom/runtime'
import type { DataStream } from '../../datastream/data-stream.js'
import type { Evictor } from '../../windowing/evictor.js'
import type { Trigger } from '../../windowing/trigger.js'
import type { WindowAssigner } from '../../windowing/window-assigner.js'
import type { Window } from '../../windowing/windows.js'
import type { TaggedUnion } from './exec/tagged-union.js'
import type { WindowCoGroupSpec } from './window-co-group.js'

/**
 * The step of a window join or coGroup after `where`: both inputs and the first input's key.
 *
 * @internal
 */
export abstract class WhereStep<T1, T2, K extends Key> {
  constructor(
    /** The first input. */
    readonly input1: DataStream<T1>,
    /** The second input. */
    readonly input2: DataStream<T2>,
    /** The first input's key. */
    readonly keySelector1: KeySelector<T1, K>,
  ) {}
}

/**
 * The step of a window join or coGroup after `equalTo`: both inputs and both keys.
 *
 * @internal
 */
export abstract class EqualToStep<T1, T2, K extends Key> {
  constructor(
    /** The first input. */
    readonly input1: DataStream<T1>,
    /** The second input. */
    readonly input2: DataStream<T2>,
    /** The first input's key. */
    readonly keySelector1: KeySelector<T1, K>,
    /** The second input's key. */
    readonly keySelector2: KeySelector<T2, K>,
  ) {}
}

/**
 * The settings of a window join or coGroup given its keys and windows, before a trigger, evictor,
 * allowed lateness or late-data tag are set.
 *
 * @internal
 */
export const windowCoGroupSpec = <T1, T2, K extends Key, W extends Window>(
  keys: EqualToStep<T1, T2, K>,
  assigner: WindowAssigner<TaggedUnion<T1, T2>, W>,
): WindowCoGroupSpec<T1, T2, K, W> => ({
  input1: keys.input1,
  input2: keys.input2,
  key1: keys.keySelector1,
  key2: keys.keySelector2,
  assigner,
  trigger: undefined,
  evictor: undefined,
  allowedLateness: undefined,
  lateDataTag: undefined,
})

/**
 * The step of a window join or coGroup after `window`: the optional settings, each of which gives
 * a new step of the same kind (`Self`). Subclasses add the function (`apply`).
 *
 * @typeParam Self - the subclass
 * @internal
 */
export abstract class WithWindowStep<T1, T2, K extends Key, W extends Window, Self> {
  /** @internal */
  constructor(
    /** @internal The settings so far. */
    readonly spec: WindowCoGroupSpec<T1, T2, K, W>,
  ) {}

  /** @internal The step of the same kind with other settings. */
  protected abstract with(spec: WindowCoGroupSpec<T1, T2, K, W>): Self

  /** Replaces the window assigner's default trigger; it sees the tagged records. */
  trigger(trigger: Trigger<TaggedUnion<T1, T2>, W>): Self {
    return this.with({ ...this.spec, trigger })
  }

  /** Removes records from windows when they fire; it sees the tagged records. */
  evictor(evictor: Evictor<TaggedUnion<T1, T2>, W>): Self {
    return this.with({ ...this.spec, evictor })
  }

  /** How long (ms of event time) after its end a window is kept for late records (default 0). */
  allowedLateness(ms: number): Self {
    if (!(ms >= 0)) throw new ConfigError(`The allowed lateness must be >= 0 ms, got ${ms}.`)
    return this.with({ ...this.spec, allowedLateness: ms })
  }

  /**
   * Sends records that are late for all of their windows to a side output, tagged with their
   * input (`{ tag: 1 | 2, value }`), instead of dropping them; read it with `getSideOutput(tag)`
   * on the stream `apply` returns. (Flink's window joins have no such output.)
   */
  sideOutputLateData(tag: OutputTag<TaggedUnion<T1, T2>>): Self {
    return this.with({ ...this.spec, lateDataTag: tag })
  }
}

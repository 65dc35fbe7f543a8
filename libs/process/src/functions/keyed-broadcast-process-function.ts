import type {
  BroadcastState,
  Collector,
  Key,
  MapStateDescriptor,
  ReadOnlyBroadcastState,
  State,
  StateDescriptor,
  TimerService,
} from '@strom/runtime'
import { AbstractRichFunction } from './abstract-rich-function.js'
import type { BroadcastBaseContext } from './broadcast-process-function.js'
import type { TimeDomain } from './time-domain.js'

/**
 * Updates or reads the keyed state of one key; see
 * {@link KeyedBroadcastProcessFunction.Context.applyToKeyedState}.
 *
 * @typeParam K - the key type
 * @typeParam S - the state type
 * @category Functions
 * @since 0.1.0
 */
export type KeyedStateFunction<K, S extends State> = (key: K, state: S) => void

/**
 * Processes a keyed stream together with a broadcast stream: keyed state and timers on the keyed
 * side, broadcast state shared by every subtask.
 *
 * @remarks
 * Input 1 is the keyed stream: `processElement` runs with the record's key as the current key,
 * has keyed state and timers (as a {@link KeyedProcessFunction}), and reads broadcast state
 * read-only. Input 2 is the broadcast stream: `processBroadcastElement` reads and writes
 * broadcast state, has no current key, and may visit the keyed state of every key this subtask
 * holds with `ctx.applyToKeyedState`. Broadcast state must be updated the same way in every
 * subtask (see {@link BroadcastProcessFunction}).
 *
 * Timers fire into `onTimer` with their key as the current key; records emitted from an
 * event-time timer get its timestamp, from a processing-time timer none. The contexts and
 * collector are reused between calls.
 *
 * @typeParam K - the key type of the keyed input
 * @typeParam I - the type of the keyed input
 * @typeParam B - the type of the broadcast input
 * @typeParam O - the output type
 * @category Functions
 * @since 0.1.0
 */
export abstract class KeyedBroadcastProcessFunction<K extends Key, I, B, O> extends AbstractRichFunction {
  /** Processes a record of the keyed input, with its key as the current key. */
  abstract processElement(value: I, ctx: KeyedBroadcastProcessFunction.ReadOnlyContext<K>, out: Collector<O>): void
  /** Processes a record of the broadcast input, with read-write broadcast state. */
  abstract processBroadcastElement(value: B, ctx: KeyedBroadcastProcessFunction.Context<K>, out: Collector<O>): void
  /**
   * Called when a timer fires, with its key set as the current key. Does nothing unless
   * overridden.
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  onTimer(timestamp: number, ctx: KeyedBroadcastProcessFunction.OnTimerContext<K>, out: Collector<O>): void {}
}

/**
 * The types that go with {@link KeyedBroadcastProcessFunction}.
 *
 * @category Functions
 * @since 0.1.0
 */
export namespace KeyedBroadcastProcessFunction {
  /**
   * The broadcast side's context: read-write broadcast state, and a visit of every key's keyed
   * state.
   *
   * @typeParam K - the key type
   * @category Functions
   * @since 0.1.0
   */
  export interface Context<K> extends BroadcastBaseContext {
    /** The broadcast state named by the descriptor, readable and writable. */
    getBroadcastState<KB, VB>(descriptor: MapStateDescriptor<KB, VB>): BroadcastState<KB, VB>
    /**
     * Calls `fn` for every key of this subtask that has an entry in the keyed state named by the
     * descriptor, with that key as the current key; `fn` may read, update or clear the entry.
     *
     * @remarks
     * It visits only the keys of this subtask's key groups (each subtask visits its own).
     */
    applyToKeyedState<S extends State>(descriptor: StateDescriptor<S>, fn: KeyedStateFunction<K, S>): void
  }

  /**
   * The keyed side's context: the current key, timers, and read-only broadcast state.
   *
   * @typeParam K - the key type
   * @category Functions
   * @since 0.1.0
   */
  export interface ReadOnlyContext<K> extends BroadcastBaseContext {
    /** The broadcast state named by the descriptor, read-only. */
    getBroadcastState<KB, VB>(descriptor: MapStateDescriptor<KB, VB>): ReadOnlyBroadcastState<KB, VB>
    /** Time and timers, scoped to the current key. */
    timerService(): TimerService
    /** The key of the record (or timer) being processed. */
    getCurrentKey(): K
  }

  /**
   * What `onTimer` of a {@link KeyedBroadcastProcessFunction} can see.
   *
   * @typeParam K - the key type
   * @category Functions
   * @since 0.1.0
   */
  export interface OnTimerContext<K> extends ReadOnlyContext<K> {
    /** Whether the firing timer is an event-time or a processing-time timer. */
    timeDomain(): TimeDomain
  }
}

import { ConfigError } from '@strom/runtime'
import type { Key, OneInputStreamOperator, OperatorFactory, OutputTag, ReduceFunction } from '@strom/runtime'
import { cloneFunction } from '@strom/process'
import { EventTimeTrigger } from '../event-time-trigger.js'
import type { Evictor } from '../evictor.js'
import { ProcessingTimeTrigger } from '../processing-time-trigger.js'
import { SlidingEventTimeWindows, SlidingProcessingTimeWindows } from '../sliding-windows.js'
import type { Trigger } from '../trigger.js'
import { TumblingEventTimeWindows, TumblingProcessingTimeWindows } from '../tumbling-windows.js'
import { MergingWindowAssigner, type WindowAssigner } from '../window-assigner.js'
import { ProcessWindowFunction, type WindowAggregateFunction, type WindowFunction } from '../window-functions.js'
import type { Window } from '../windows.js'
import {
  AggregateIterableWindowFunction,
  PassThroughWindowFunction,
  ProcessWindowFunctionAdapter,
  ReduceIterableWindowFunction,
  WindowFunctionAdapter,
  type InternalWindowFunction,
} from './exec/internal-window-functions.js'
import { SlicedWindowOperator } from './exec/sliced-window-operator.js'
import { WindowOperator, type WindowContentsSpec } from './exec/window-operator.js'

/** A user window function of `reduce`/`aggregate`/`process`/`apply`, or none. @internal */
export type UserWindowFunction<IN, OUT, K, W extends Window> =
  | ProcessWindowFunction<IN, OUT, K, W>
  | WindowFunction<IN, OUT, K, W>
  | undefined

/** The settings of a windowed stream when a window function is chosen. @internal */
export interface WindowSettings<T, W extends Window> {
  readonly assigner: WindowAssigner<T, W>
  readonly trigger: Trigger<T, W> | undefined
  readonly evictor: Evictor<T, W> | undefined
  readonly allowedLateness: number
  readonly lateDataTag: OutputTag<T> | undefined
  readonly slicing: boolean
}

/** What a ProcessWindowFunction adapter for all-windows implements to be copied per subtask. @internal */
export interface CopyableWindowFunction {
  copy(): ProcessWindowFunction<any, any, any, any>
}

const copyFunction = <F extends object>(fn: F): F =>
  typeof (fn as Partial<CopyableWindowFunction>).copy === 'function' && fn instanceof ProcessWindowFunction
    ? ((fn as unknown as CopyableWindowFunction).copy() as unknown as F)
    : cloneFunction(fn)

/** The internal function for a user function (a fresh copy per subtask); `single`: it gets one pre-aggregated value. */
const adapt = <IN, OUT, K, W extends Window>(
  fn: UserWindowFunction<IN, OUT, K, W>,
  single: boolean,
): InternalWindowFunction<any, OUT, K, W> => {
  if (fn === undefined) return new PassThroughWindowFunction<any>() as InternalWindowFunction<any, OUT, K, W>
  if (fn instanceof ProcessWindowFunction) return new ProcessWindowFunctionAdapter(copyFunction(fn), single)
  return new WindowFunctionAdapter(fn, single)
}

/** Whether the windows can be sliced, and if so their shape. */
const sliceShape = (
  assigner: WindowAssigner<unknown, Window>,
): { size: number; slide: number; offset: number; eventTime: boolean } | undefined => {
  if (assigner instanceof TumblingEventTimeWindows)
    return { size: assigner.getSize(), slide: assigner.getSize(), offset: assigner.getOffset(), eventTime: true }
  if (assigner instanceof TumblingProcessingTimeWindows)
    return { size: assigner.getSize(), slide: assigner.getSize(), offset: assigner.getOffset(), eventTime: false }
  if (assigner instanceof SlidingEventTimeWindows)
    return { size: assigner.getSize(), slide: assigner.getSlide(), offset: assigner.getOffset(), eventTime: true }
  if (assigner instanceof SlidingProcessingTimeWindows)
    return { size: assigner.getSize(), slide: assigner.getSlide(), offset: assigner.getOffset(), eventTime: false }
  return undefined
}

/**
 * Whether a window of these settings and contents runs on the {@link SlicedWindowOperator}:
 * tumbling or sliding windows (slide <= size, whole ms), the default trigger, no evictor, and a
 * reduce or aggregate function (with `merge` where windows overlap).
 *
 * @internal
 */
export const usesSlicing = <T, W extends Window>(settings: WindowSettings<T, W>, contents: WindowContentsSpec<T>): boolean => {
  if (!settings.slicing || settings.evictor !== undefined || contents.kind === 'list') return false
  const shape = sliceShape(settings.assigner as WindowAssigner<unknown, Window>)
  if (shape === undefined || shape.slide > shape.size) return false
  if (!Number.isInteger(shape.size) || !Number.isInteger(shape.slide) || !Number.isInteger(shape.offset)) return false
  const t = settings.trigger
  if (t !== undefined && t.constructor !== (shape.eventTime ? EventTimeTrigger : ProcessingTimeTrigger)) return false
  if (!Number.isFinite(settings.allowedLateness)) return false
  if (contents.kind === 'aggregate' && shape.size !== shape.slide && typeof contents.aggregate.merge !== 'function') return false
  return true
}

/**
 * The operator factory of a window: a {@link SlicedWindowOperator} where {@link usesSlicing}
 * says so, else the general {@link WindowOperator}; each subtask gets its own copy of the user
 * function.
 *
 * @internal
 */
export const windowOperatorFactory = <T, K extends Key, W extends Window, OUT>(
  settings: WindowSettings<T, W>,
  contents: WindowContentsSpec<T>,
  userFunction: UserWindowFunction<any, OUT, K, W>,
): OperatorFactory<OneInputStreamOperator<T, OUT>> => {
  const assigner = settings.assigner
  if (contents.kind === 'aggregate' && assigner instanceof MergingWindowAssigner && typeof contents.aggregate.merge !== 'function')
    throw new ConfigError(`aggregate() on ${assigner.toString()} needs an aggregate function with merge(): merging windows merge their accumulators.`)
  if (usesSlicing(settings, contents)) {
    const shape = sliceShape(assigner as WindowAssigner<unknown, Window>)!
    const spec = {
      ...shape,
      allowedLateness: settings.allowedLateness,
      lateDataTag: settings.lateDataTag,
      contents: contents as Exclude<WindowContentsSpec<T>, { kind: 'list' }>,
    }
    return () => new SlicedWindowOperator<K, T, unknown, OUT>(spec, adapt(userFunction, true) as InternalWindowFunction<any, OUT, K, any>)
  }
  const spec = {
    assigner,
    trigger: settings.trigger ?? assigner.getDefaultTrigger(),
    evictor: settings.evictor,
    allowedLateness: settings.allowedLateness,
    lateDataTag: settings.lateDataTag,
    contents,
  }
  const makeFunction = (): InternalWindowFunction<any, OUT, K, W> => {
    if (contents.kind === 'list') return adapt(userFunction, false)
    if (settings.evictor === undefined) return adapt(userFunction, true)
    // an evictor keeps the elements: pre-aggregate them when the window fires
    if (contents.kind === 'reduce')
      return new ReduceIterableWindowFunction(contents.reduce as ReduceFunction<unknown>, adapt(userFunction, true))
    return new AggregateIterableWindowFunction(contents.aggregate as WindowAggregateFunction<unknown, unknown, unknown>, adapt(userFunction, true))
  }
  return () => new WindowOperator<K, T, OUT, W>(spec, makeFunction())
}

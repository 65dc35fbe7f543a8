import type { Key, OperatorFactory } from '@strom/runtime'
import type { BroadcastProcessFunction } from './functions/broadcast-process-function.js'
import { cloneFunction } from './functions/clone-function.js'
import type { CoProcessFunction } from './functions/co-process-function.js'
import type { KeyedBroadcastProcessFunction } from './functions/keyed-broadcast-process-function.js'
import type { KeyedCoProcessFunction } from './functions/keyed-co-process-function.js'
import type { KeyedProcessFunction } from './functions/keyed-process-function.js'
import type { ProcessFunction } from './functions/process-function.js'
import { BroadcastProcessOperator } from './internal/exec/broadcast-process-operator.js'
import { CoProcessOperator } from './internal/exec/co-process-operator.js'
import { KeyedBroadcastProcessOperator } from './internal/exec/keyed-broadcast-process-operator.js'
import { KeyedCoProcessOperator } from './internal/exec/keyed-co-process-operator.js'
import { KeyedProcessOperator } from './internal/exec/keyed-process-operator.js'
import { ProcessOperator } from './internal/exec/process-operator.js'

/**
 * The operator factory of a {@link ProcessFunction}: each subtask gets a {@link ProcessOperator}
 * with its own copy of `fn` (see {@link cloneFunction}).
 *
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export const processOperator =
  <I, O>(fn: ProcessFunction<I, O>): OperatorFactory<ProcessOperator<I, O>> =>
  () =>
    new ProcessOperator(cloneFunction(fn))

/**
 * The operator factory of a {@link KeyedProcessFunction}: each subtask gets a
 * {@link KeyedProcessOperator} with its own copy of `fn`. The operator must be set up keyed (key
 * selector of input 0).
 *
 * @typeParam K - the key type
 * @typeParam I - the input type
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export const keyedProcessOperator =
  <K extends Key, I, O>(fn: KeyedProcessFunction<K, I, O>): OperatorFactory<KeyedProcessOperator<K, I, O>> =>
  () =>
    new KeyedProcessOperator(cloneFunction(fn))

/**
 * The operator factory of a {@link CoProcessFunction}: each subtask gets a
 * {@link CoProcessOperator} with its own copy of `fn`.
 *
 * @typeParam I1 - the first input's type
 * @typeParam I2 - the second input's type
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export const coProcessOperator =
  <I1, I2, O>(fn: CoProcessFunction<I1, I2, O>): OperatorFactory<CoProcessOperator<I1, I2, O>> =>
  () =>
    new CoProcessOperator(cloneFunction(fn))

/**
 * The operator factory of a {@link KeyedCoProcessFunction}: each subtask gets a
 * {@link KeyedCoProcessOperator} with its own copy of `fn`. Both inputs must be keyed (key
 * selectors 0 and 1).
 *
 * @typeParam K - the key type
 * @typeParam I1 - the first input's type
 * @typeParam I2 - the second input's type
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export const keyedCoProcessOperator =
  <K extends Key, I1, I2, O>(
    fn: KeyedCoProcessFunction<K, I1, I2, O>,
  ): OperatorFactory<KeyedCoProcessOperator<K, I1, I2, O>> =>
  () =>
    new KeyedCoProcessOperator(cloneFunction(fn))

/**
 * The operator factory of a {@link BroadcastProcessFunction}: each subtask gets a
 * {@link BroadcastProcessOperator} with its own copy of `fn`. Input 1 is the non-broadcast stream
 * (forward or rebalanced), input 2 the broadcast stream (broadcast partitioning).
 *
 * @typeParam I - the type of the non-broadcast input
 * @typeParam B - the type of the broadcast input
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export const broadcastProcessOperator =
  <I, B, O>(fn: BroadcastProcessFunction<I, B, O>): OperatorFactory<BroadcastProcessOperator<I, B, O>> =>
  () =>
    new BroadcastProcessOperator(cloneFunction(fn))

/**
 * The operator factory of a {@link KeyedBroadcastProcessFunction}: each subtask gets a
 * {@link KeyedBroadcastProcessOperator} with its own copy of `fn`. Input 1 is the keyed stream
 * (key selector 0, hash partitioning), input 2 the broadcast stream (no key selector, broadcast
 * partitioning).
 *
 * @typeParam K - the key type of input 1
 * @typeParam I - the type of the keyed input
 * @typeParam B - the type of the broadcast input
 * @typeParam O - the output type
 * @category Operators
 * @since 0.1.0
 */
export const keyedBroadcastProcessOperator =
  <K extends Key, I, B, O>(
    fn: KeyedBroadcastProcessFunction<K, I, B, O>,
  ): OperatorFactory<KeyedBroadcastProcessOperator<K, I, B, O>> =>
  () =>
    new KeyedBroadcastProcessOperator(cloneFunction(fn))

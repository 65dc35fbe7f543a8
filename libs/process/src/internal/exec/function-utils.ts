import { StateError } from '@strom/runtime'
import type { Key, KeySelector, OperatorSetup } from '@strom/runtime'
import type { AbstractRichFunction } from '../../functions/abstract-rich-function.js'
import { StreamingRuntimeContext } from './streaming-runtime-context.js'

/**
 * Gives a user function its runtime context (keyed state where the operator is keyed) and opens
 * it; for operators of higher layers that run rich functions (windows, joins).
 *
 * @category Operators
 * @since 0.1.0
 */
export const openFunction = (fn: AbstractRichFunction, setup: OperatorSetup<unknown>): void => {
  const rc = new StreamingRuntimeContext(setup)
  fn.setRuntimeContext(rc)
  fn.open(rc)
}

/**
 * Closes a user function and forgets its runtime context.
 *
 * @category Operators
 * @since 0.1.0
 */
export const closeFunction = (fn: AbstractRichFunction): void => {
  try {
    fn.close()
  } finally {
    fn.setRuntimeContext(undefined)
  }
}

/** The key selector of input `index`, or a clear error. */
export const requireKeySelector = <I, K extends Key>(setup: OperatorSetup<unknown>, index: number): KeySelector<I, K> => {
  const ks = setup.keySelectors[index]
  if (ks === undefined)
    throw new StateError(
      `Operator ${setup.info.operatorName} runs a keyed function but input ${index + 1} has no key selector: ` +
        'use keyBy() before it.',
    )
  return ks as KeySelector<I, K>
}

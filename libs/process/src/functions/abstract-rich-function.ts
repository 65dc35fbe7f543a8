import { StateError } from '@strom/runtime'
import type { RuntimeContext } from './runtime-context.js'

/**
 * The base of every user function with a life cycle: `open` before the first record, `close`
 * after the last.
 *
 * @remarks
 * Each parallel subtask runs its own copy of the function (see {@link cloneFunction}): plain data
 * in its fields (arrays, plain objects, maps, sets) is copied deeply, so a buffer made in a field
 * initializer is per subtask; class instances (clients, pools) are shared by the copies, so
 * create those in `open`. Obtain keyed state in `open` and keep it in fields; the state objects
 * are scoped to the key being processed.
 *
 * Use TypeScript `private` fields, not JavaScript `#private` ones: a function is copied per
 * subtask by copying its own properties, which `#private` fields are not.
 *
 * @category Functions
 * @since 0.1.0
 */
export abstract class AbstractRichFunction {
  private runtimeContext: RuntimeContext | undefined

  /**
   * Called once per subtask before the first record; obtain state and resources here.
   *
   * @param ctx - the subtask's runtime context, also available later from
   *   {@link AbstractRichFunction.getRuntimeContext}
   */
  // eslint-disable-next-line @typescript-eslint/no-unused-vars
  open(ctx: RuntimeContext): void {}

  /** Called once per subtask after the last record (or after a failure); release resources here. */
  close(): void {}

  /** The runtime context; throws a `StateError` before the function is opened. */
  getRuntimeContext(): RuntimeContext {
    const c = this.runtimeContext
    if (c === undefined)
      throw new StateError(`The runtime context of ${this.constructor.name} is only available once the function is opened.`)
    return c
  }

  /**
   * Gives the function its runtime context; the operator calls it right before `open`.
   *
   * @internal
   */
  setRuntimeContext(ctx: RuntimeContext | undefined): void {
    this.runtimeContext = ctx
  }
}

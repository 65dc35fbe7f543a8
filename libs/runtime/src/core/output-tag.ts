/**
 * Names a side output of an operator and the type of the records on it.
 *
 * @remarks
 * Two tags are the same side output when their ids are equal. Emit to a side output with
 * `ctx.output(tag, value)` in a process function; read it downstream with `getSideOutput(tag)`.
 *
 * @example
 * ```ts
 * const late = new OutputTag<Click>('late-clicks')
 * ```
 *
 * @typeParam T - the type of the records on this side output
 * @category Functions
 * @since 0.1.0
 */
export class OutputTag<T> {
  /** @internal keeps T in the type, never set */
  declare readonly _type?: T

  constructor(
    /** The side output's id, unique within the job. */
    readonly id: string,
  ) {
    if (id.length === 0) throw new TypeError('An OutputTag needs a non-empty id.')
  }

  /** Renders as `OutputTag(id)`. */
  toString(): string {
    return `OutputTag(${this.id})`
  }
}

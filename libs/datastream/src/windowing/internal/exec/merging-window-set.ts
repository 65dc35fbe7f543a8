import { InternalError } from '@strom/runtime'
import type { Namespace, ValueState } from '@strom/runtime'
import type { MergingWindowAssigner } from '../../window-assigner.js'
import type { Window, WindowSerializer } from '../../windows.js'

/**
 * Called when windows merge: `mergeResult` replaces `mergedWindows`; the state of
 * `mergedStateWindows` is to be merged into `stateWindowResult`.
 *
 * @internal
 */
export interface MergeFunction<W extends Window> {
  merge(mergeResult: W, mergedWindows: readonly W[], stateWindowResult: W, mergedStateWindows: readonly W[]): void
}

interface Entry<W> {
  readonly window: W
  readonly stateWindow: W
}

/**
 * The windows in flight of one key of a merging (session) window operator, as Flink's
 * `MergingWindowSet`: each window maps to the "state window" whose namespace holds its state.
 *
 * @remarks
 * When windows merge, the state of all but one of them is merged into that one's namespace, so a
 * merge moves as little state as possible; the merged window keeps that state window. The mapping
 * lives in keyed value state (void namespace) as a flat array of namespaces
 * `[window, stateWindow, ...]`, so it is checkpointed with the rest of the keyed state.
 * {@link MergingWindowSet.persist} writes it back when it changed.
 *
 * @internal
 */
export class MergingWindowSet<W extends Window> {
  private readonly mapping = new Map<Namespace, Entry<W>>()
  private dirty = false

  constructor(
    private readonly assigner: MergingWindowAssigner<unknown, W>,
    private readonly serializer: WindowSerializer<W>,
    private readonly state: ValueState<Namespace[]>,
  ) {
    const flat = state.value()
    if (flat !== undefined)
      for (let i = 0; i + 1 < flat.length; i += 2) {
        const w = serializer.fromNamespace(flat[i]!)
        this.mapping.set(flat[i]!, { window: w, stateWindow: serializer.fromNamespace(flat[i + 1]!) })
      }
  }

  /** The state window of an in-flight window, or `undefined` if it is not in flight. */
  getStateWindow(window: W): W | undefined {
    return this.mapping.get(this.serializer.toNamespace(window))?.stateWindow
  }

  /** Removes a window (its cleanup time passed); it must be in flight. */
  retireWindow(window: W): void {
    if (!this.mapping.delete(this.serializer.toNamespace(window)))
      throw new InternalError(`Window ${String(window)} is not in the merging window set.`)
    this.dirty = true
  }

  /**
   * Adds a new window, merging it with those in flight where the assigner says so; returns the
   * window the new one ended up in (itself, or the result of a merge).
   */
  addWindow(newWindow: W, mergeFunction: MergeFunction<W>): W {
    const ser = this.serializer
    const newNs = ser.toNamespace(newWindow)
    const windows: W[] = []
    for (const e of this.mapping.values()) windows.push(e.window)
    windows.push(newWindow)
    const results: { result: W; merged: W[] }[] = []
    this.assigner.mergeWindows(windows, (toBeMerged, mergeResult) => {
      results.push({ result: mergeResult, merged: [...toBeMerged] })
    })

    let resultWindow = newWindow
    let mergedNewWindow = false
    for (const { result, merged } of results) {
      // if the new window is among the merged windows, the merge result is where it went
      const at = merged.findIndex((w) => ser.toNamespace(w) === newNs)
      if (at >= 0) {
        merged.splice(at, 1)
        mergedNewWindow = true
        resultWindow = result
      }
      // the state window of the first merged window becomes that of the merge result
      const stateWindowResult = this.mapping.get(ser.toNamespace(merged[0]!))!.stateWindow
      const mergedStateWindows: W[] = []
      for (const w of merged) {
        const ns = ser.toNamespace(w)
        const e = this.mapping.get(ns)
        if (e !== undefined) {
          this.mapping.delete(ns)
          if (ser.toNamespace(e.stateWindow) !== ser.toNamespace(stateWindowResult)) mergedStateWindows.push(e.stateWindow)
        }
      }
      const resultNs = ser.toNamespace(result)
      this.mapping.set(resultNs, { window: result, stateWindow: stateWindowResult })
      this.dirty = true
      // a new window that only falls inside an existing one merges nothing
      if (!(merged.length === 1 && ser.toNamespace(merged[0]!) === resultNs))
        mergeFunction.merge(result, merged, stateWindowResult, mergedStateWindows)
    }

    // the new window is a window of its own
    if (results.length === 0 || (ser.toNamespace(resultWindow) === newNs && !mergedNewWindow)) {
      this.mapping.set(ser.toNamespace(resultWindow), { window: resultWindow, stateWindow: resultWindow })
      this.dirty = true
    }
    return resultWindow
  }

  /** Writes the mapping back to keyed state if it changed. */
  persist(): void {
    if (!this.dirty) return
    this.dirty = false
    if (this.mapping.size === 0) {
      this.state.clear()
      return
    }
    const flat: Namespace[] = []
    for (const [ns, e] of this.mapping) flat.push(ns, this.serializer.toNamespace(e.stateWindow))
    this.state.update(flat)
  }
}

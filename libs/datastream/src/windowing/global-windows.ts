import { EndOfStreamTrigger, NeverTrigger } from './never-trigger.js'
import type { Trigger } from './trigger.js'
import { WindowAssigner } from './window-assigner.js'
import { GlobalWindow, WindowSerializers, type WindowSerializer } from './windows.js'

const ONLY: readonly GlobalWindow[] = Object.freeze([GlobalWindow.get()])

/**
 * Puts every element of a key into one {@link GlobalWindow}, which never ends: give it a trigger
 * (a {@link CountTrigger}, say; `countWindow(n)` does) or it never fires.
 *
 * @category Windows
 * @since 0.1.0
 */
export class GlobalWindows extends WindowAssigner<unknown, GlobalWindow> {
  private constructor(private readonly endOfStream: boolean) {
    super()
  }

  /** Global windows with the {@link NeverTrigger}. */
  static create(): GlobalWindows {
    return new GlobalWindows(false)
  }

  /** Global windows that fire once, at the end of a bounded input ({@link EndOfStreamTrigger}). */
  static createWithEndOfStreamTrigger(): GlobalWindows {
    return new GlobalWindows(true)
  }

  assignWindows(): readonly GlobalWindow[] {
    return ONLY
  }

  getDefaultTrigger(): Trigger<unknown, GlobalWindow> {
    return this.endOfStream ? EndOfStreamTrigger.create() : NeverTrigger.create()
  }

  getWindowSerializer(): WindowSerializer<GlobalWindow> {
    return WindowSerializers.globalWindow
  }

  isEventTime(): boolean {
    return false
  }

  override toString(): string {
    return 'GlobalWindows'
  }
}

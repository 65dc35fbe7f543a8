import type { Clock } from '../../time/clock.js'
import type { ProcessingTimeService } from '../../time/timer-service.js'
import type { InputFlowControl, MailboxExecutor } from '../../operators/stream-operator.js'
import { wrapOperatorError, type OperatorIdentity } from './chain.js'

/**
 * A task's mailbox: actions (timer callbacks, split assignments, control) that the task runs between
 * batches, in order, on its own thread, so they never interleave with record processing.
 */
export class Mailbox {
  private readonly mails: (() => void)[] = []
  private head = 0
  private wake: (() => void) | undefined
  private closed = false

  setWake(wake: () => void): void {
    this.wake = wake
  }

  /** Adds a mail and wakes the task; ignored once the mailbox is closed (the task has ended). */
  put(mail: () => void): void {
    if (this.closed) return
    this.mails.push(mail)
    this.wake?.()
  }

  /** Drops the mail waiting and ignores mail put later. */
  close(): void {
    this.closed = true
    this.mails.length = 0
    this.head = 0
  }

  hasMail(): boolean {
    return this.head < this.mails.length
  }

  /** Runs every mail that is waiting, including mail put while running. */
  drain(): void {
    while (this.head < this.mails.length) {
      const m = this.mails[this.head]!
      this.mails[this.head++] = undefined as unknown as () => void
      m()
    }
    this.mails.length = 0
    this.head = 0
  }
}

/**
 * Processing-time timers of a task on the real clock: a due timer puts its callback into the
 * mailbox, so the callback runs on the task's thread between batches.
 */
export class MailboxProcessingTimeService implements ProcessingTimeService {
  private readonly pending = new Set<NodeJS.Timeout>()
  private closed = false

  constructor(
    private readonly clock: Clock,
    private readonly mailbox: Mailbox,
  ) {}

  getCurrentProcessingTime(): number {
    return this.clock.now()
  }

  registerTimer(time: number, callback: (time: number) => void): { cancel(): void } {
    if (this.closed) return { cancel: () => {} }
    let cancelled = false
    const handle = setTimeout(
      () => {
        this.pending.delete(handle)
        if (!cancelled && !this.closed) this.mailbox.put(() => !cancelled && callback(time))
      },
      Math.max(0, time - this.clock.now()),
    )
    this.pending.add(handle)
    return {
      cancel: () => {
        cancelled = true
        clearTimeout(handle)
        this.pending.delete(handle)
      },
    }
  }

  /** Cancels every pending timer; later registrations are ignored. */
  close(): void {
    this.closed = true
    for (const h of this.pending) clearTimeout(h)
    this.pending.clear()
  }
}

/** An operator's view of the task's processing-time service: failures in its timers name it. */
export class OperatorProcessingTimeService implements ProcessingTimeService {
  constructor(
    private readonly base: MailboxProcessingTimeService,
    private readonly identity: OperatorIdentity,
  ) {}

  getCurrentProcessingTime(): number {
    return this.base.getCurrentProcessingTime()
  }

  registerTimer(time: number, callback: (time: number) => void): { cancel(): void } {
    return this.base.registerTimer(time, (t) => {
      try {
        callback(t)
      } catch (e) {
        throw wrapOperatorError(e, this.identity, `a processing-time timer at ${t}`)
      }
    })
  }
}

/** An operator's view of the task's mailbox: failures in its actions name it. */
export class OperatorMailboxExecutor implements MailboxExecutor {
  constructor(
    private readonly mailbox: Mailbox,
    private readonly identity: OperatorIdentity,
  ) {}

  execute(action: () => void, description: string): void {
    this.mailbox.put(() => {
      try {
        action()
      } catch (e) {
        throw wrapOperatorError(e, this.identity, description)
      }
    })
  }
}

/**
 * Which operators of a task's chain hold its input back: the task takes no new input while
 * {@link InputSuspension.suspended} is above 0.
 */
export class InputSuspension {
  /** How many operators suspend the input now. */
  suspended = 0

  constructor(private readonly wake: () => void) {}

  /** The control one operator gets; its suspension counts once however often it suspends. */
  controlFor(): InputFlowControl {
    let on = false
    return {
      suspendInput: () => {
        if (on) return
        on = true
        this.suspended++
      },
      resumeInput: () => {
        if (!on) return
        on = false
        this.suspended--
        this.wake()
      },
    }
  }
}

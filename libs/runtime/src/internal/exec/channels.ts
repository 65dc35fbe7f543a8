import type { MessagePort } from 'node:worker_threads'
import { InternalError } from '../../core/errors.js'
import type { Batch } from './batch.js'
import { fromWire, toWire, type WireBatch } from './wire-batch.js'

/**
 * The producer's end of a channel (one producer subtask to one consumer subtask).
 *
 * @remarks
 * Credit-based flow control: the consumer grants `credits` batches; each send uses one; the consumer
 * returns one per batch it has processed. `send` never blocks (the per-record path is synchronous),
 * so a producer checks `writable()` between its own batches and awaits `whenWritable()` when it is
 * out of credit: a slow consumer slows its producers and queues stay bounded, by the credits plus
 * what one step of the producer (one source poll, one input batch) emits.
 */
export interface ChannelSender {
  send(batch: Batch): void
  writable(): boolean
  /** Calls `wake` once credit is back (or at once if there is credit). */
  onWritable(wake: () => void): void
  close(): void
}

/** Something the gate can give a processed batch's credit back to. */
export interface CreditReturn {
  ack(): void
}

/**
 * The consumer side of all channels into one task: batches arrive in one FIFO, tagged with their
 * channel, so order per channel is kept and channels are served fairly.
 */
export class InputGate {
  private readonly channels: number[] = []
  private readonly batches: Batch[] = []
  private readonly returns: CreditReturn[] = []
  private head = 0
  private ended = 0
  private wake: (() => void) | undefined
  private taken: Batch | undefined
  /** Whether the batch last taken is still being processed (not acked or held yet). */
  private inHand = false
  private held: { channel: number; batch: Batch; credit: CreditReturn }[] | undefined
  /** The most batches that were waiting at once, a measure of how well flow control bounds queues. */
  maxBacklog = 0

  constructor(
    /** The number of channels. */
    readonly numChannels: number,
    /** The input (0 or 1) each channel belongs to. */
    readonly inputOfChannel: readonly number[],
  ) {}

  /** Sets the function that wakes the owning task when a batch arrives. */
  setWake(wake: () => void): void {
    this.wake = wake
  }

  deliver(channel: number, batch: Batch, credit: CreditReturn): void {
    this.channels.push(channel)
    this.batches.push(batch)
    this.returns.push(credit)
    const backlog = this.batches.length - this.head
    if (backlog > this.maxBacklog) this.maxBacklog = backlog
    this.wake?.()
  }

  /** Whether a batch is waiting. */
  hasBatch(): boolean {
    return this.head < this.batches.length
  }

  /** The channel of the next batch; only valid when `hasBatch()`. */
  nextChannel(): number {
    return this.channels[this.head]!
  }

  /** Takes the next batch; its credit is returned with `ackTaken()` once processed. */
  take(): Batch {
    const b = this.batches[this.head]!
    this.batches[this.head] = undefined as unknown as Batch
    this.taken = b
    this.inHand = true
    return b
  }

  /** Returns the credit of the batch last taken, and moves on. */
  ackTaken(): void {
    const r = this.returns[this.head]!
    this.returns[this.head] = undefined as unknown as CreditReturn
    this.head++
    this.inHand = false
    if (this.head > 1024 && this.head * 2 > this.batches.length) {
      this.channels.splice(0, this.head)
      this.batches.splice(0, this.head)
      this.returns.splice(0, this.head)
      this.head = 0
    }
    r.ack()
  }

  /**
   * Sets the batch last taken aside without returning its credit (its channel is blocked while a
   * checkpoint's barriers are aligned), and moves on. {@link InputGate.releaseHeld} puts it back.
   */
  holdTaken(): void {
    const ch = this.channels[this.head]!
    let h = this.held
    if (h === undefined) this.held = h = []
    h.push({ channel: ch, batch: this.taken!, credit: this.returns[this.head]! })
    this.returns[this.head] = undefined as unknown as CreditReturn
    this.head++
    this.inHand = false
  }

  /** Puts every held batch back in front of the queue, in the order they arrived. */
  releaseHeld(): void {
    const h = this.held
    if (h === undefined || h.length === 0) return
    this.held = undefined
    // behind the batch being processed, if any: it is acked (and skipped) when its processing ends
    const at = this.inHand ? this.head + 1 : this.head
    this.channels.splice(at, 0, ...h.map((e) => e.channel))
    this.batches.splice(at, 0, ...h.map((e) => e.batch))
    this.returns.splice(at, 0, ...h.map((e) => e.credit))
  }

  /** Marks a channel ended (its END control arrived). */
  channelEnded(): void {
    this.ended++
    if (this.ended > this.numChannels) throw new InternalError('An input gate saw more channel ends than channels.')
  }

  /** Whether every channel has ended. */
  allEnded(): boolean {
    return this.ended === this.numChannels
  }
}

/** A channel between two subtasks of the same thread: the batch object is handed over. */
export class LocalChannel implements ChannelSender, CreditReturn {
  private credits: number
  private waiter: (() => void) | undefined

  constructor(
    private readonly gate: InputGate,
    private readonly channelIndex: number,
    credits: number,
  ) {
    this.credits = credits
  }

  send(batch: Batch): void {
    this.credits--
    this.gate.deliver(this.channelIndex, batch, this)
  }

  writable(): boolean {
    return this.credits > 0
  }

  onWritable(wake: () => void): void {
    if (this.credits > 0) wake()
    else this.waiter = wake
  }

  ack(): void {
    this.credits++
    const w = this.waiter
    if (w !== undefined) {
      this.waiter = undefined
      w()
    }
  }

  close(): void {}
}

/** Message sent back on a remote channel's port: this many credits. */
type CreditMessage = number

/** The producer's end of a channel to a subtask in another thread, over a MessagePort. */
export class RemoteChannelSender implements ChannelSender {
  private credits: number
  private waiter: (() => void) | undefined

  constructor(
    private readonly port: MessagePort,
    credits: number,
  ) {
    this.credits = credits
    port.on('message', (m: CreditMessage) => {
      this.credits += m
      const w = this.waiter
      if (w !== undefined && this.credits > 0) {
        this.waiter = undefined
        w()
      }
    })
  }

  send(batch: Batch): void {
    this.credits--
    this.port.postMessage(toWire(batch))
  }

  writable(): boolean {
    return this.credits > 0
  }

  onWritable(wake: () => void): void {
    if (this.credits > 0) wake()
    else this.waiter = wake
  }

  close(): void {
    this.port.close()
  }
}

/** The consumer's end of a channel from another thread: delivers into the gate, returns credit. */
export class RemoteChannelReceiver implements CreditReturn {
  constructor(
    private readonly port: MessagePort,
    gate: InputGate,
    channelIndex: number,
  ) {
    port.on('message', (batch: WireBatch) => gate.deliver(channelIndex, fromWire(batch), this))
  }

  ack(): void {
    this.port.postMessage(1 satisfies CreditMessage)
  }

  close(): void {
    this.port.close()
  }
}

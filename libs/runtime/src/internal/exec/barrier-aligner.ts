import type { CheckpointingMode } from '../../checkpoint/checkpointing-options.js'

/** What the aligner asks of its task's input gate. */
export interface BarrierGate {
  readonly numChannels: number
  /** Stop taking the batches of this channel (exactly-once alignment). */
  block(channel: number): void
  /** Take batches of every channel again, held ones first. */
  unblockAll(): void
}

/**
 * Tracks the checkpoint barriers arriving on a task's input channels and says when the task
 * snapshots.
 *
 * @remarks
 * `EXACTLY_ONCE`: after the barrier of checkpoint n arrived on a channel, the channel is blocked
 * until n's barrier arrived on every channel that has not ended; then the task snapshots and every
 * channel is unblocked. `AT_LEAST_ONCE`: nothing is blocked, the task snapshots when the last
 * barrier arrives. A barrier of a newer checkpoint while one is being aligned abandons the older
 * one (it was aborted upstream, or will time out); barriers of checkpoints older than the one
 * being aligned or last snapshotted are ignored.
 */
export class BarrierAligner {
  private current = -1
  private lastDone = -1
  private readonly seen: boolean[]
  private readonly ended: boolean[]
  private seenCount = 0
  private endedCount = 0

  constructor(
    private readonly gate: BarrierGate,
    private readonly mode: CheckpointingMode,
    private readonly snapshot: (checkpointId: number) => void,
  ) {
    this.seen = new Array<boolean>(gate.numChannels).fill(false)
    this.ended = new Array<boolean>(gate.numChannels).fill(false)
  }

  /** The checkpoint being aligned, or -1. */
  get aligning(): number {
    return this.current
  }

  onBarrier(channel: number, checkpointId: number): void {
    if (checkpointId <= this.lastDone || checkpointId < this.current) return
    if (checkpointId > this.current) {
      if (this.current >= 0) this.reset()
      this.current = checkpointId
    }
    if (this.seen[channel]) return
    this.seen[channel] = true
    this.seenCount++
    if (this.mode === 'EXACTLY_ONCE') this.gate.block(channel)
    this.check()
  }

  /** A channel ended: it no longer holds back an alignment. */
  onChannelEnded(channel: number): void {
    if (this.ended[channel]) return
    this.ended[channel] = true
    this.endedCount++
    if (this.current >= 0 && !this.seen[channel]) this.check()
  }

  private check(): void {
    let missing = 0
    for (let c = 0; c < this.seen.length; c++) if (!this.seen[c] && !this.ended[c]) missing++
    if (missing > 0) return
    const id = this.current
    this.lastDone = id
    this.reset()
    this.snapshot(id)
  }

  private reset(): void {
    this.current = -1
    this.seen.fill(false)
    this.seenCount = 0
    this.gate.unblockAll()
  }
}

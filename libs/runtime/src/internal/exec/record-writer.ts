import type { Key, KeySelector } from '../../core/key.js'
import { keyGroupOf, subtaskForKeyGroup } from '../../core/key-groups.js'
import { ConfigError } from '../../core/errors.js'
import type { Partitioner } from '../../graph/partitioner.js'
import { CTRL_ACTIVE, CTRL_BARRIER, CTRL_END, CTRL_IDLE, CTRL_NONE, CTRL_WATERMARK, newBatch, type OpenBatch } from './batch.js'
import type { ChannelSender } from './channels.js'
import type { RecordConsumer } from './chain.js'

/**
 * Sends one node's records over one network edge: picks the channel by the partitioner, buffers a
 * batch per channel, and hands full batches (or all, on flush) to the channel senders.
 */
export class RecordWriter implements RecordConsumer {
  private readonly buffers: OpenBatch[]
  private readonly n: number
  private readonly kind: Partitioner['kind']
  private readonly keySelector: KeySelector<unknown, Key> | undefined
  private readonly custom: ((key: any, n: number) => number) | undefined
  private next: number
  private readonly rescaleTargets: readonly number[]
  /** Records written, for metrics. */
  recordsOut = 0

  constructor(
    private readonly senders: readonly ChannelSender[],
    partitioner: Partitioner,
    private readonly maxParallelism: number,
    private readonly batchSize: number,
    producerIndex: number,
    producerParallelism: number,
  ) {
    this.n = senders.length
    this.kind = partitioner.kind
    this.keySelector = partitioner.kind === 'hash' || partitioner.kind === 'custom' ? partitioner.keySelector : undefined
    this.custom = partitioner.kind === 'custom' ? partitioner.partition : undefined
    this.buffers = senders.map(() => newBatch())
    // rescale: producer i sends round-robin to the downstream subtasks "near" it, like Flink.
    const targets: number[] = []
    if (this.n >= producerParallelism) {
      for (let j = 0; j < this.n; j++) if (Math.floor((j * producerParallelism) / this.n) === producerIndex) targets.push(j)
    } else targets.push(Math.floor((producerIndex * this.n) / producerParallelism))
    this.rescaleTargets = targets.length > 0 ? targets : [producerIndex % this.n]
    this.next = producerIndex % this.n
  }

  push(value: unknown, timestamp: number): void {
    this.recordsOut++
    switch (this.kind) {
      case 'forward': // one channel, to the subtask with the same index
      case 'global': // a channel to every subtask, records to subtask 0
        this.add(0, value, timestamp)
        return
      case 'hash': {
        const kg = keyGroupOf(this.keySelector!(value), this.maxParallelism)
        this.add(subtaskForKeyGroup(this.maxParallelism, this.n, kg), value, timestamp)
        return
      }
      case 'rebalance':
        this.next = this.next + 1 === this.n ? 0 : this.next + 1
        this.add(this.next, value, timestamp)
        return
      case 'rescale': {
        const t = this.rescaleTargets
        this.next = this.next + 1 >= t.length ? 0 : this.next + 1
        this.add(t[this.next]!, value, timestamp)
        return
      }
      case 'shuffle':
        this.add(Math.floor(Math.random() * this.n), value, timestamp)
        return
      case 'broadcast':
        for (let c = 0; c < this.n; c++) this.add(c, value, timestamp)
        return
      case 'custom': {
        const c = this.custom!(this.keySelector!(value), this.n)
        if (!(c >= 0 && c < this.n && Number.isInteger(c)))
          throw new ConfigError(`A custom partitioner returned partition ${c}; it must be an integer in [0, ${this.n}).`)
        this.add(c, value, timestamp)
        return
      }
    }
  }

  private add(channel: number, value: unknown, timestamp: number): void {
    const b = this.buffers[channel]!
    b.values.push(value)
    b.timestamps.push(timestamp)
    if (b.values.length >= this.batchSize) this.sendBuffer(channel, CTRL_NONE, 0)
  }

  private sendBuffer(channel: number, control: number, controlValue: number): void {
    const b = this.buffers[channel]!
    b.control = control
    b.controlValue = controlValue
    this.buffers[channel] = newBatch()
    this.senders[channel]!.send(b)
  }

  private sendControlToAll(control: number, value: number): void {
    for (let c = 0; c < this.n; c++) this.sendBuffer(c, control, value)
  }

  watermark(watermark: number): void {
    this.sendControlToAll(CTRL_WATERMARK, watermark)
  }

  status(idle: boolean): void {
    this.sendControlToAll(idle ? CTRL_IDLE : CTRL_ACTIVE, 0)
  }

  /** Sends what is buffered and the barrier of checkpoint `checkpointId` on every channel. */
  barrier(checkpointId: number): void {
    this.sendControlToAll(CTRL_BARRIER, checkpointId)
  }

  /** Sends every partly filled batch. */
  flush(): void {
    for (let c = 0; c < this.n; c++) if (this.buffers[c]!.values.length > 0) this.sendBuffer(c, CTRL_NONE, 0)
  }

  /** Sends what is buffered and the end of this producer on every channel. */
  end(): void {
    this.sendControlToAll(CTRL_END, 0)
  }

  /** Whether every channel has credit. */
  writable(): boolean {
    for (let c = 0; c < this.n; c++) if (!this.senders[c]!.writable()) return false
    return true
  }

  /** Calls `wake` when the first blocked channel has credit again. */
  onWritable(wake: () => void): void {
    for (let c = 0; c < this.n; c++)
      if (!this.senders[c]!.writable()) {
        this.senders[c]!.onWritable(wake)
        return
      }
    wake()
  }

  close(): void {
    for (const s of this.senders) s.close()
  }
}

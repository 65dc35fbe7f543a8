import { describe, expect, it } from 'vitest'
import {
  DataGenSource,
  ExactlyOnceCollectSink,
  ListStateDescriptor,
  ProcessFunction,
  RestartStrategies,
  WatermarkStrategy,
  type CheckpointedFunction,
  type CheckpointListener,
  type Collector,
  type FunctionInitializationContext,
  type ListState,
} from '../index.js'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'

// The example of docs/checkpoints.md: a function that buffers records in a field and keeps the
// buffer in operator list state. After a failure, what it buffered at the checkpoint comes back.
class BufferingFn extends ProcessFunction<number, number[]> implements CheckpointedFunction, CheckpointListener {
  static restoredWith: number[] = []
  static failed = false
  static armed = false
  private buffer: number[] = []
  private state!: ListState<number>
  initializeState(ctx: FunctionInitializationContext): void {
    this.state = ctx.getListState(new ListStateDescriptor<number>('buffer'))
    if (ctx.isRestored()) {
      this.buffer = [...this.state.get()]
      BufferingFn.restoredWith.push(this.buffer.length)
    }
  }
  snapshotState(): void {
    this.state.update(this.buffer)
  }
  notifyCheckpointComplete(): void {
    BufferingFn.armed = true
  }
  processElement(e: number, _ctx: ProcessFunction.Context, out: Collector<number[]>): void {
    if (BufferingFn.armed && !BufferingFn.failed && e % 100 === 37) {
      BufferingFn.failed = true
      throw new Error('injected failure with a partly filled buffer')
    }
    this.buffer.push(e)
    if (this.buffer.length >= 100) out.collect(this.buffer.splice(0))
  }
}

describe('CheckpointedFunction', () => {
  it('gets its operator state back after a failure: every record ends up in exactly one batch', async () => {
    const n = 5000
    const env = StreamExecutionEnvironment.create({ parallelism: 2 })
    env.enableCheckpointing(10)
    env.setRestartStrategy(RestartStrategies.fixedDelay(2, 0))
    const sink = new ExactlyOnceCollectSink<number[]>()
    env
      .fromSource(DataGenSource.of((i) => i, { count: n, rowsPerSecond: n * 2 }), WatermarkStrategy.noWatermarks(), 'numbers')
      .process(new BufferingFn())
      .uid('buffering')
      .sinkTo(sink)
    const result = await env.execute('checkpointed-function', { log: () => {} })
    expect(result.restarts).toBe(1)
    expect(BufferingFn.restoredWith.length).toBe(2) // both subtasks restored
    expect(BufferingFn.restoredWith.some((len) => len > 0)).toBe(true) // a partly filled buffer came back
    const emitted = sink.values.flat().sort((a, b) => a - b)
    // each subtask reads 2500 numbers: 25 full batches, nothing left in a buffer at the end
    expect(emitted).toEqual(Array.from({ length: n }, (_, i) => i))
  }, 30_000)
})

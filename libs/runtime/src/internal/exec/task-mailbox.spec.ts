import { describe, expect, it } from 'vitest'
import { UserFunctionError } from '../../core/errors.js'
import { StreamGraph } from '../../graph/stream-graph.js'
import { Partitioners } from '../../graph/partitioner.js'
import { AbstractStreamOperator } from '../../operators/abstract-stream-operator.js'
import type { OneInputStreamOperator } from '../../operators/stream-operator.js'
import { CollectionSource } from '../../source/collection-source.js'
import { CollectSink } from '../../sink/collect-sink.js'
import { executeGraph } from '../../execution/execute.js'
import { OneInputStreamOperatorTestHarness } from '../../testing/one-input-stream-operator-test-harness.js'

/**
 * Emits each record later, from a timer callback through the mailbox: at most `capacity` held at
 * once, the input suspended while full (what async I/O does, without its queue semantics).
 */
class DelayOperator extends AbstractStreamOperator<number> implements OneInputStreamOperator<number, number> {
  held = 0
  maxHeld = 0
  private full = false

  constructor(
    private readonly capacity: number,
    private readonly failOn?: number,
  ) {
    super()
  }

  processElement(value: number, timestamp: number): void {
    this.held++
    this.maxHeld = Math.max(this.maxHeld, this.held)
    setTimeout(() => {
      this.ctx.mailboxExecutor.execute(() => {
        if (value === this.failOn) throw new Error(`cannot emit ${value}`)
        this.held--
        this.output.collect(value, timestamp)
        this.update()
      }, `delayed record ${value}`)
    }, value % 3)
    this.update()
  }

  hasPendingWork(): boolean {
    return this.held > 0
  }

  private update(): void {
    const full = this.held >= this.capacity
    if (full === this.full) return
    this.full = full
    if (full) this.ctx.inputFlowControl.suspendInput()
    else this.ctx.inputFlowControl.resumeInput()
  }
}

/** Emits a marker when it finishes, so a test sees that it finished after every record. */
class FinishMarker extends AbstractStreamOperator<number> implements OneInputStreamOperator<number, number> {
  processElement(value: number, timestamp: number): void {
    this.output.collect(value, timestamp)
  }

  override finish(): void {
    this.output.collect(-1, 0)
  }
}

const graph = (n: number, sink: CollectSink<number>, ops: DelayOperator[], options: { network: boolean; failOn?: number; parallelism?: number }) => {
  const g = new StreamGraph({ jobName: 'delay', parallelism: options.parallelism ?? 1, batchSize: 8, channelCredits: 2 })
  const src = g.addSource(CollectionSource.of(Array.from({ length: n }, (_, i) => i)), undefined, { name: 'numbers' })
  const delayed = g.addOperator(
    () => {
      const op = new DelayOperator(3, options.failOn)
      ops.push(op)
      return op
    },
    [{ from: src, partitioner: options.network ? Partitioners.rebalance() : Partitioners.forward() }],
    { name: 'delay', chaining: options.network ? 'never' : 'always' },
  )
  const marked = g.addOperator(() => new FinishMarker(), [{ from: delayed, partitioner: Partitioners.forward() }], { name: 'marker', chaining: options.network ? 'never' : 'always' })
  g.addSink(sink, [{ from: marked, partitioner: Partitioners.forward() }], { name: 'collect' })
  return g
}

describe('a task running operators with mail and input suspension', () => {
  for (const network of [false, true])
    for (const parallelism of [1, 2])
      it(`waits for pending work before finishing the chain, with suspended input (${network ? 'network edge' : 'chained'}, parallelism ${parallelism})`, async () => {
        const sink = new CollectSink<number>()
        const ops: DelayOperator[] = []
        const result = await executeGraph(graph(300, sink, ops, { network, parallelism })).result
        expect(result.status).toBe('FINISHED')
        const values = sink.values
        expect(values.filter((v) => v >= 0).sort((a, b) => a - b)).toEqual(Array.from({ length: 300 }, (_, i) => i))
        // every subtask's marker came after all of its records: the last value of each marker run
        expect(values.filter((v) => v === -1)).toHaveLength(parallelism)
        if (parallelism === 1) expect(values.at(-1)).toBe(-1)
        for (const op of ops) {
          // what is under way still arrives: the rest of a batch (8 records) behind a network edge,
          // the source's poll (up to 1024 records) when chained
          expect(op.maxHeld).toBeLessThanOrEqual(network ? 3 + 8 : 3 + 1024)
          expect(op.held).toBe(0)
        }
      })

  it('fails the task with an error naming the operator and the mail that threw', async () => {
    const err = await executeGraph(graph(50, new CollectSink<number>(), [], { network: false, failOn: 7 })).result.catch((e: unknown) => e)
    expect(err).toBeInstanceOf(UserFunctionError)
    expect((err as Error).message).toBe("Operator 'delay' (subtask 1/1) failed while processing delayed record 7: Error: cannot emit 7")
  })
})

describe('the operator harness mailbox', () => {
  it('runs mail after calls, on demand, after promises settle, and until no work is pending', async () => {
    const op = new DelayOperator(2)
    const h = new OneInputStreamOperatorTestHarness<number, number>(op).open()
    h.processElement(1, 10)
    expect(h.isInputSuspended()).toBe(false)
    h.processElement(2, 20)
    expect(h.isInputSuspended()).toBe(true)
    expect(h.hasPendingWork()).toBe(true)
    await h.drain()
    // the two timers (1 ms and 2 ms) may run in either order on a loaded machine
    expect([...h.extractOutputRecords()].sort((a, b) => a.value - b.value)).toEqual([
      { value: 1, timestamp: 10 },
      { value: 2, timestamp: 20 },
    ])
    expect(h.isInputSuspended()).toBe(false)
    h.mailboxExecutor.execute(() => h.output.collect(99, 0), 'by hand')
    expect(h.numPendingMail()).toBe(1)
    expect(h.runMail()).toBe(1)
    void Promise.resolve().then(() => h.mailboxExecutor.execute(() => h.output.collect(100, 0), 'from a promise'))
    expect(await h.settle()).toBe(1)
    expect(h.extractOutputValues().slice(2)).toEqual([99, 100])
    h.close()
    h.mailboxExecutor.execute(() => {}, 'after close')
    expect(h.numPendingMail()).toBe(0)
  })
})

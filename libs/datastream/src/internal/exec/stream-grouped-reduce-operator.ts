import { AbstractStreamOperator, ValueStateDescriptor } from '@strom/runtime'
import type { Key, KeyedStateBackend, KeySelector, OneInputStreamOperator, OperatorSetup, ValueState } from '@strom/runtime'
import { RUNTIME_MODE_KEY } from '../../environment/runtime-execution-mode.js'

/**
 * A keyed rolling reduce (`reduce`, `sum`, `min`, `max`, `minBy`, `maxBy` on a `KeyedStream`).
 *
 * @remarks
 * STREAMING: each record is combined with the key's value so far and the new value is emitted
 * with the record's timestamp. BATCH: nothing is emitted per record; at the end of input every
 * key's final value is emitted once, with the largest timestamp of its records (Flink's batch
 * reduce emits only final values too).
 */
export class StreamGroupedReduceOperator<T> extends AbstractStreamOperator<T> implements OneInputStreamOperator<T, T> {
  private values!: ValueState<T>
  private timestamps: ValueState<number> | undefined
  private batch = false
  private backend!: KeyedStateBackend<Key>
  private key!: KeySelector<T, Key>

  constructor(private readonly reducer: (a: T, b: T) => T) {
    super()
  }

  override setup(setup: OperatorSetup<T>): void {
    super.setup(setup)
    this.batch = setup.config.get(RUNTIME_MODE_KEY) === 'BATCH'
  }

  override open(): void {
    const backend = this.keyedBackend()
    this.backend = backend
    this.key = this.ctx.keySelectors[0] as KeySelector<T, Key>
    this.values = backend.getOrCreateKeyedState(new ValueStateDescriptor<T>('reduce-value')).state
    if (this.batch)
      this.timestamps = backend.getOrCreateKeyedState(new ValueStateDescriptor<number>('reduce-timestamp')).state
  }

  processElement(value: T, timestamp: number): void {
    this.backend.setCurrentKey(this.key(value))
    const current = this.values.value()
    const next = current === undefined ? value : this.reducer(current, value)
    this.values.update(next)
    if (this.timestamps === undefined) {
      this.output.collect(next, timestamp)
      return
    }
    const ts = this.timestamps.value()
    if (ts === undefined || !(ts >= timestamp)) this.timestamps.update(timestamp)
  }

  override finish(): void {
    const timestamps = this.timestamps
    if (timestamps === undefined) return
    const backend = this.keyedBackend()
    const descriptor = new ValueStateDescriptor<T>('reduce-value')
    backend.applyToAllKeys('', descriptor, (key, state) => {
      backend.setCurrentKey(key)
      const value = state.value()
      if (value !== undefined) this.output.collect(value, timestamps.value() ?? Number.NaN)
    })
  }
}

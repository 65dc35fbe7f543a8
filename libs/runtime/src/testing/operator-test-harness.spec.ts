import { describe, expect, it } from 'vitest'
import { MAX_WATERMARK } from '../core/element.js'
import { StateError } from '../core/errors.js'
import type { Key, KeySelector } from '../core/key.js'
import { keyGroupOf, subtaskForKeyGroup } from '../core/key-groups.js'
import { OutputTag } from '../core/output-tag.js'
import { AbstractStreamOperator } from '../operators/abstract-stream-operator.js'
import { MapOperator } from '../operators/simple-operators.js'
import type { OneInputStreamOperator, TwoInputStreamOperator } from '../operators/stream-operator.js'
import { VOID_NAMESPACE } from '../state/keyed-state-backend.js'
import type { Namespace } from '../state/keyed-state-backend.js'
import { ListStateDescriptor, MapStateDescriptor, ValueStateDescriptor } from '../state/state-descriptor.js'
import type { ListState, ValueState } from '../state/state.js'
import type { InternalTimer, InternalTimerService, Triggerable } from '../time/timer-service.js'
import {
  KeyedOneInputStreamOperatorTestHarness,
  KeyedTwoInputStreamOperatorTestHarness,
  OneInputStreamOperatorTestHarness,
  TwoInputStreamOperatorTestHarness,
} from './index.js'
import type { OperatorSnapshot } from './index.js'

/** Counts records per key; an event-time timer 10 after each record, and a processing-time one at +100, report the count. */
class CountOperator extends AbstractStreamOperator<string> implements OneInputStreamOperator<string, string>, Triggerable<Key> {
  private count!: ValueState<number>
  private timers!: InternalTimerService<Namespace>
  private key!: KeySelector<unknown, Key>

  override open(): void {
    this.key = this.ctx.keySelectors[0]!
    this.count = this.keyedBackend().getOrCreateKeyedState(new ValueStateDescriptor<number>('count')).state
    this.timers = this.timeServiceManager().getInternalTimerService('counts', this)
  }

  processElement(value: string, timestamp: number): void {
    this.keyedBackend().setCurrentKey(this.key(value))
    this.count.update((this.count.value() ?? 0) + 1)
    if (timestamp === timestamp) this.timers.registerEventTimeTimer(VOID_NAMESPACE, timestamp + 10)
    else this.timers.registerProcessingTimeTimer(VOID_NAMESPACE, this.timers.currentProcessingTime() + 100)
  }

  onEventTime(timer: InternalTimer<Key>): void {
    this.output.collect(`${String(timer.key)}=${this.count.value()} @e${timer.timestamp}`, timer.timestamp)
  }

  onProcessingTime(timer: InternalTimer<Key>): void {
    this.output.collect(`${String(timer.key)}=${this.count.value()} @p${timer.timestamp}`, NaN)
  }
}

const identity = (s: string): string => s

describe('OneInputStreamOperatorTestHarness', () => {
  it('records records with timestamps and watermarks in order', () => {
    // #region one-input
    const h = new OneInputStreamOperatorTestHarness(new MapOperator((x: number) => x * 2)).open()
    h.processElement(1, 10)
    h.processWatermark(10)
    h.processElement(2) // no timestamp: NaN
    h.endInput() // a +Infinity watermark, then finish()
    expect(h.getOutput()).toEqual([
      { kind: 'record', value: 2, timestamp: 10 },
      { kind: 'watermark', watermark: 10 },
      { kind: 'record', value: 4, timestamp: NaN },
      { kind: 'watermark', watermark: MAX_WATERMARK },
    ])
    // #endregion one-input
    expect(h.extractOutputValues()).toEqual([2, 4])
    expect(h.getWatermarks()).toEqual([10, MAX_WATERMARK])
    h.clearOutput()
    expect(h.getOutput()).toEqual([])
  })

  it('must be opened before use', () => {
    const h = new OneInputStreamOperatorTestHarness(new MapOperator((x: number) => x))
    expect(() => h.processElement(1)).toThrow(/open\(\)/)
    h.open()
    h.close()
    expect(() => h.processElement(1)).toThrow(/closed/)
  })

  it('records side outputs by tag', () => {
    const evens = new OutputTag<number>('evens')
    class Side extends AbstractStreamOperator<number> implements OneInputStreamOperator<number, number> {
      processElement(v: number, ts: number): void {
        if (v % 2 === 0) this.output.collectSide(evens, v, ts)
        else this.output.collect(v, ts)
      }
    }
    const h = new OneInputStreamOperatorTestHarness(new Side()).open()
    for (let i = 0; i < 5; i++) h.processElement(i, i * 10)
    expect(h.extractOutputValues()).toEqual([1, 3])
    expect(h.getSideOutput(evens)).toEqual([
      { value: 0, timestamp: 0 },
      { value: 2, timestamp: 20 },
      { value: 4, timestamp: 40 },
    ])
  })
})

describe('KeyedOneInputStreamOperatorTestHarness', () => {
  it('gives the operator keyed state and event-time timers', () => {
    const h = new KeyedOneInputStreamOperatorTestHarness(new CountOperator(), identity).open()
    h.processElement('a', 1)
    h.processElement('b', 2)
    h.processElement('a', 3)
    expect(h.numEventTimeTimers()).toBe(3)
    expect(h.numKeyedStateEntries()).toBe(2)
    expect(h.timers('event').map((t) => [t.service, t.key, t.timestamp])).toEqual([
      ['counts', 'a', 11],
      ['counts', 'b', 12],
      ['counts', 'a', 13],
    ])
    h.processWatermark(12)
    expect(h.extractOutputRecords()).toEqual([
      { value: 'a=2 @e11', timestamp: 11 },
      { value: 'b=1 @e12', timestamp: 12 },
    ])
    h.endInput()
    expect(h.extractOutputValues()).toEqual(['a=2 @e11', 'b=1 @e12', 'a=2 @e13'])
    expect(h.numEventTimeTimers()).toBe(0)
  })

  it('fires processing-time timers on the manual clock, also those already due (as the mailbox would)', () => {
    const h = new KeyedOneInputStreamOperatorTestHarness(new CountOperator(), identity, { processingTime: 1_000 }).open()
    h.processElement('a')
    expect(h.numProcessingTimeTimers()).toBe(1)
    h.setProcessingTime(1_099)
    expect(h.extractOutputValues()).toEqual([])
    h.setProcessingTime(1_100)
    expect(h.extractOutputValues()).toEqual(['a=1 @p1100'])
    expect(h.getProcessingTime()).toBe(1_100)
    expect(() => h.setProcessingTime(1_000)).toThrow(RangeError)
  })

  it('restores keyed state and timers from a snapshot and goes on', () => {
    const first = new KeyedOneInputStreamOperatorTestHarness(new CountOperator(), identity).open()
    first.processElement('a', 1)
    first.processElement('b', 2)
    first.processElement('c')
    first.setProcessingTime(50)
    const snapshot = first.snapshot()
    first.processElement('a', 3) // lost with the snapshot

    const second = new KeyedOneInputStreamOperatorTestHarness(new CountOperator(), identity, { restoreFrom: snapshot }).open()
    expect(second.getProcessingTime()).toBe(50)
    expect(second.numEventTimeTimers()).toBe(2)
    expect(second.numProcessingTimeTimers()).toBe(1)
    second.processElement('a', 4)
    second.endInput()
    expect(second.extractOutputValues()).toEqual(['a=2 @e11', 'b=1 @e12', 'a=2 @e14'])
    second.setProcessingTime(100)
    expect(second.extractOutputValues()).toEqual(['a=2 @e11', 'b=1 @e12', 'a=2 @e14', 'c=1 @p100'])
  })

  it('rescales: each subtask of a new parallelism keeps the key groups of its range', () => {
    const keys = Array.from({ length: 40 }, (_, i) => `k${i}`)
    const run = (p: number, restoreFrom?: readonly OperatorSnapshot[]) =>
      Array.from({ length: p }, (_, i) =>
        new KeyedOneInputStreamOperatorTestHarness(new CountOperator(), identity, {
          parallelism: p,
          subtaskIndex: i,
          ...(restoreFrom === undefined ? {} : { restoreFrom }),
        }).open(),
      )
    const route = (p: number, key: string): number => subtaskForKeyGroup(128, p, keyGroupOf(key, 128))
    const two = run(2)
    for (const k of keys) two[route(2, k)]!.processElement(k, 5)
    expect(two[0]!.numKeyedStateEntries() + two[1]!.numKeyedStateEntries()).toBe(40)
    expect(() => two[0]!.processElement(keys.find((k) => route(2, k) === 1)!, 5)).toThrow(StateError)

    const snapshots = two.map((h) => h.snapshot())
    const three = run(3, snapshots)
    expect(three.map((h) => h.numKeyedStateEntries()).reduce((a, b) => a + b)).toBe(40)
    expect(three.map((h) => h.numEventTimeTimers()).reduce((a, b) => a + b)).toBe(40)
    for (const k of keys) three[route(3, k)]!.processElement(k, 20)
    const out: string[] = []
    for (const h of three) {
      h.endInput()
      out.push(...h.extractOutputValues())
    }
    expect(out.sort()).toEqual(keys.flatMap((k) => [`${k}=2 @e15`, `${k}=2 @e30`]).sort())
  })

  it('restores operator list state split over the new subtasks, and broadcast state in each', () => {
    const list = new ListStateDescriptor<number>('offsets')
    const rules = new MapStateDescriptor<string, number>('rules')
    class Stateful extends AbstractStreamOperator<string> implements OneInputStreamOperator<number, string> {
      private offsets!: ListState<number>
      override open(): void {
        this.offsets = this.ctx.operatorStateStore.getListState(list)
      }
      processElement(v: number): void {
        this.offsets.add(v)
        this.ctx.operatorStateStore.getBroadcastState(rules).put(`r${v}`, v)
      }
    }
    const a = new OneInputStreamOperatorTestHarness(new Stateful(), { parallelism: 2, subtaskIndex: 0 }).open()
    const b = new OneInputStreamOperatorTestHarness(new Stateful(), { parallelism: 2, subtaskIndex: 1 }).open()
    a.processElements([1, 2, 3])
    b.processElements([1, 2, 3])
    const snaps = [a.snapshot(), b.snapshot()]
    const restored = [0, 1, 2].map((i) => new OneInputStreamOperatorTestHarness(new Stateful(), { parallelism: 3, subtaskIndex: i, restoreFrom: snaps }))
    const lists = restored.map((h) => [...h.operatorStateStore.getListState(list).get()])
    expect(lists.flat().sort()).toEqual([1, 1, 2, 2, 3, 3])
    for (const l of lists) expect(l.length).toBe(2)
    for (const h of restored) expect([...h.operatorStateStore.getBroadcastState(rules).entries()].length).toBe(3)
  })

  it('refuses keyed state in a non-keyed harness', () => {
    const keyed = new KeyedOneInputStreamOperatorTestHarness(new CountOperator(), identity).open()
    keyed.processElement('a', 1)
    expect(() => new OneInputStreamOperatorTestHarness(new MapOperator((s: string) => s), { restoreFrom: keyed.snapshot() })).toThrow(
      /non-keyed harness/,
    )
  })
})

describe('TwoInputStreamOperatorTestHarness', () => {
  class Union extends AbstractStreamOperator<string> implements TwoInputStreamOperator<string, number, string> {
    processElement1(v: string, ts: number): void {
      this.output.collect(v, ts)
    }
    processElement2(v: number, ts: number): void {
      this.output.collect(String(v), ts)
    }
  }

  it('gives the operator the minimum of the two inputs watermarks, when it advances', () => {
    const h = new TwoInputStreamOperatorTestHarness(new Union()).open()
    h.processElement1('a', 1)
    h.processWatermark1(10)
    h.processElement2(2, 2)
    h.processWatermark2(5)
    h.processWatermark2(4)
    h.processWatermark2(15)
    h.processWatermark1(12)
    h.endInput()
    expect(h.getOutput().map((e) => (e.kind === 'record' ? e.value : e.kind === 'watermark' ? e.watermark : e.idle))).toEqual([
      'a',
      '2',
      5,
      10,
      12,
      MAX_WATERMARK,
    ])
  })

  it('keys each input with its selector when keyed', () => {
    class KeyedUnion extends AbstractStreamOperator<string> implements TwoInputStreamOperator<string, number, string> {
      processElement1(v: string): void {
        this.keyedBackend().setCurrentKey(this.ctx.keySelectors[0]!(v))
        this.output.collect(`${String(this.keyedBackend().getCurrentKey())}`, NaN)
      }
      processElement2(v: number): void {
        this.keyedBackend().setCurrentKey(this.ctx.keySelectors[1]!(v))
        this.output.collect(`${String(this.keyedBackend().getCurrentKey())}`, NaN)
      }
    }
    const h = new KeyedTwoInputStreamOperatorTestHarness(
      new KeyedUnion(),
      (s: string) => s.length,
      (n: number) => n,
    ).open()
    h.processElement1('abc')
    h.processElement2(7)
    expect(h.extractOutputValues()).toEqual(['3', '7'])
  })
})

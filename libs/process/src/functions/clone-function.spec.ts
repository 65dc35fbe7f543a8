import { describe, expect, it } from 'vitest'
import {
  broadcastProcessOperator,
  BroadcastProcessOperator,
  cloneFunction,
  coProcessOperator,
  CoProcessOperator,
  KeyedBroadcastProcessOperator,
  keyedBroadcastProcessOperator,
  KeyedCoProcessOperator,
  keyedCoProcessOperator,
  KeyedProcessFunction,
  KeyedProcessOperator,
  keyedProcessOperator,
  ProcessFunction,
  processOperator,
  ProcessOperator,
  BroadcastProcessFunction,
  CoProcessFunction,
  KeyedBroadcastProcessFunction,
  KeyedCoProcessFunction,
} from '../index.js'

class Counter extends ProcessFunction<string, number> {
  count = 0
  constructor(readonly config: { step: number }) {
    super()
  }
  override processElement(): void {
    this.count += this.config.step
  }
}

describe('cloneFunction', () => {
  it('copies own properties shallowly and keeps the prototype', () => {
    const config = { step: 2 }
    const fn = new Counter(config)
    fn.count = 5
    const copy = cloneFunction(fn)
    expect(copy).not.toBe(fn)
    expect(copy).toBeInstanceOf(Counter)
    expect(copy.count).toBe(5)
    expect(copy.config).toBe(config)
    copy.processElement()
    expect(copy.count).toBe(7)
    expect(fn.count).toBe(5)
  })
})

describe('operator factories', () => {
  it('make a new operator with its own copy of the function on every call', () => {
    const fn = new Counter({ step: 1 })
    const factory = processOperator(fn)
    const a = factory()
    const b = factory()
    expect(a).toBeInstanceOf(ProcessOperator)
    expect(a).not.toBe(b)
    expect(a.userFunction).not.toBe(b.userFunction)
    expect(a.userFunction).not.toBe(fn)
    expect(a.userFunction).toBeInstanceOf(Counter)
  })

  it('exist for every function kind', () => {
    class K extends KeyedProcessFunction<string, string, string> {
      override processElement(): void {}
    }
    class C extends CoProcessFunction<string, number, string> {
      override processElement1(): void {}
      override processElement2(): void {}
    }
    class KC extends KeyedCoProcessFunction<string, string, number, string> {
      override processElement1(): void {}
      override processElement2(): void {}
    }
    class B extends BroadcastProcessFunction<string, number, string> {
      override processElement(): void {}
      override processBroadcastElement(): void {}
    }
    class KB extends KeyedBroadcastProcessFunction<string, string, number, string> {
      override processElement(): void {}
      override processBroadcastElement(): void {}
    }
    expect(keyedProcessOperator(new K())()).toBeInstanceOf(KeyedProcessOperator)
    expect(coProcessOperator(new C())()).toBeInstanceOf(CoProcessOperator)
    expect(keyedCoProcessOperator(new KC())()).toBeInstanceOf(KeyedCoProcessOperator)
    expect(broadcastProcessOperator(new B())()).toBeInstanceOf(BroadcastProcessOperator)
    expect(keyedBroadcastProcessOperator(new KB())()).toBeInstanceOf(KeyedBroadcastProcessOperator)
  })
})

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
  it('keeps the prototype and copies own properties; plain data deeply, so each subtask has its own', () => {
    const config = { step: 2 }
    const fn = new Counter(config)
    fn.count = 5
    const copy = cloneFunction(fn)
    expect(copy).not.toBe(fn)
    expect(copy).toBeInstanceOf(Counter)
    expect(copy.count).toBe(5)
    expect(copy.config).toEqual(config)
    expect(copy.config).not.toBe(config)
    copy.processElement()
    expect(copy.count).toBe(7)
    expect(fn.count).toBe(5)
  })

  it('gives every copy its own buffers, maps and sets (field initializers), keeping shared references and cycles', () => {
    class Buffering extends ProcessFunction<number, number[]> {
      buffer: number[] = []
      byKey = new Map<string, { n: number }>([['a', { n: 1 }]])
      seen = new Set([1])
      node: { self?: unknown; list: number[] } = { list: [] }
      alias = this.buffer
      override processElement(v: number): void {
        this.buffer.push(v)
      }
    }
    const fn = new Buffering()
    fn.node.self = fn.node
    const a = cloneFunction(fn)
    const b = cloneFunction(fn)
    a.processElement(1)
    a.byKey.get('a')!.n++
    a.seen.add(2)
    expect(b.buffer).toEqual([])
    expect(fn.buffer).toEqual([])
    expect(b.byKey.get('a')!.n).toBe(1)
    expect([...b.seen]).toEqual([1])
    expect(a.alias).toBe(a.buffer) // a shared reference stays shared within the copy
    expect(a.node.self).toBe(a.node) // cycles are kept
  })

  it('shares class instances and functions by reference (resources are made per subtask in open)', () => {
    class Client {
      calls = 0
      call(): void {
        this.calls++
      }
    }
    class UsesClient extends ProcessFunction<number, number> {
      constructor(
        readonly client: Client,
        readonly format: (n: number) => string,
      ) {
        super()
      }
      override processElement(): void {}
    }
    const client = new Client()
    const format = (n: number): string => `${n}`
    const copy = cloneFunction(new UsesClient(client, format))
    expect(copy.client).toBe(client)
    expect(copy.format).toBe(format)
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

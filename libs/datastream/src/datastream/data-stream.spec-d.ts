import { describe, expectTypeOf, it } from 'vitest'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import type { DataStream, KeyedStream, SingleOutputStreamOperator } from './data-stream.js'

interface Click {
  readonly user: string
  readonly n: number
  readonly url: string
}

describe('types flow through the API', () => {
  const env = StreamExecutionEnvironment.create()
  const clicks = env.fromElements<Click>({ user: 'a', n: 1, url: '/' })

  it('map, flatMap and filter carry the element type', () => {
    expectTypeOf(clicks.map((c) => c.n)).toEqualTypeOf<SingleOutputStreamOperator<number>>()
    expectTypeOf(clicks.flatMap((c) => [c.url, c.user])).toEqualTypeOf<SingleOutputStreamOperator<string>>()
    expectTypeOf(clicks.filter((c) => c.n > 0)).toEqualTypeOf<SingleOutputStreamOperator<Click>>()
  })

  it('keyBy types the key, and aggregations only accept fields of the right type', () => {
    expectTypeOf(clicks.keyBy((c) => c.user)).toEqualTypeOf<KeyedStream<Click, string>>()
    expectTypeOf(clicks.keyBy((c) => c.n)).toEqualTypeOf<KeyedStream<Click, number>>()
    const keyed = clicks.keyBy((c) => c.user)
    keyed.sum('n')
    // @ts-expect-error url is a string, it cannot be summed
    keyed.sum('url')
    keyed.min('url')
    keyed.maxBy('n')
    // @ts-expect-error objects are not keys
    clicks.keyBy((c) => ({ u: c.user }))
  })

  it('union needs the same type; connect takes another', () => {
    const numbers = env.fromElements(1, 2)
    // @ts-expect-error a stream of numbers is not a stream of clicks
    clicks.union(numbers)
    expectTypeOf(clicks.connect(numbers).map((c) => c.user, (n) => `${n}`)).toEqualTypeOf<SingleOutputStreamOperator<string>>()
    expectTypeOf(clicks.union(clicks)).toEqualTypeOf<DataStream<Click>>()
  })

  it('executeAndCollect resolves with the element type', () => {
    expectTypeOf(clicks.map((c) => c.n).executeAndCollect()).resolves.toEqualTypeOf<number[]>()
  })
})

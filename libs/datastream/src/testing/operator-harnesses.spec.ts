import { describe, expect, it } from 'vitest'
import { OutputTag } from '@strom/runtime'
import { TumblingEventTimeWindows } from '../windowing/tumbling-windows.js'
import type { DataStream, KeyedStream } from '../datastream/data-stream.js'
import { keyedOperatorHarness, operatorHarness } from './operator-harnesses.js'

interface Click {
  readonly user: string
  readonly n: number
}

describe('operator harnesses built through the DataStream API', () => {
  it('runs a window: elements, watermarks, late data, snapshot and restore', () => {
    // #region window
    const late = new OutputTag<Click>('late')
    const build = (clicks: KeyedStream<Click, string>) =>
      clicks.window(TumblingEventTimeWindows.of(1_000)).sideOutputLateData(late).sum('n')
    const h = keyedOperatorHarness((c: Click) => c.user, build)
    h.processElement({ user: 'ann', n: 1 }, 100)
    h.processElement({ user: 'ann', n: 2 }, 900)
    h.processElement({ user: 'bob', n: 5 }, 1_500)
    h.processWatermark(999) // closes [0, 1000)
    expect(h.extractOutputValues()).toEqual([{ user: 'ann', n: 3 }])
    h.processElement({ user: 'ann', n: 7 }, 10) // too late
    expect(h.getSideOutput(late)).toEqual([{ value: { user: 'ann', n: 7 }, timestamp: 10 }])

    const restored = keyedOperatorHarness((c: Click) => c.user, build, { restoreFrom: h.snapshot() })
    restored.processWatermark(1_999)
    expect(restored.extractOutputValues()).toEqual([{ user: 'bob', n: 5 }])
    // #endregion window
  })

  it('runs a non-keyed operator, and refuses a chain of several', () => {
    const h = operatorHarness((s: DataStream<number>) => s.map((x) => x * 2))
    h.processElement(21, 5)
    expect(h.extractOutputRecords()).toEqual([{ value: 42, timestamp: 5 }])
    expect(() => operatorHarness((s: DataStream<number>) => s.map((x) => x).filter(() => true))).toThrow(
      /exactly one one-input operator/,
    )
  })
})

// Test helpers for the window specs: a harness for a window built through the public API, and
// brute-force models of Flink's window semantics to check the operators against.
import { KeyedOneInputStreamOperatorTestHarness, type OperatorHarnessOptions } from '@strom/runtime/testing'
import type { Key, KeySelector, OneInputStreamOperator, OperatorFactory } from '@strom/runtime'
import { StreamExecutionEnvironment } from '../environment/stream-execution-environment.js'
import type { SingleOutputStreamOperator } from '../datastream/data-stream.js'
import { WindowedStream } from './windowed-stream.js'
import type { WindowAssigner } from './window-assigner.js'
import type { Window } from './windows.js'

/** An input element of the specs. */
export interface Ev {
  readonly key: string
  readonly v: number
}

/** The operator factory of a window built through the public API. */
export const windowFactory = <T, K extends Key, W extends Window, O>(
  keySelector: KeySelector<T, K>,
  assigner: WindowAssigner<T, W>,
  build: (ws: WindowedStream<T, K, W>) => SingleOutputStreamOperator<O>,
): OperatorFactory<OneInputStreamOperator<T, O>> => {
  const env = StreamExecutionEnvironment.create()
  const keyed = env.fromCollection<T>([]).keyBy(keySelector)
  const out = build(new WindowedStream<T, K, W>(keyed, assigner))
  return out.transformation.factory as OperatorFactory<OneInputStreamOperator<T, O>>
}

/** An open harness running a window built through the public API. */
export const windowHarness = <T, K extends Key, W extends Window, O>(
  keySelector: KeySelector<T, K>,
  assigner: WindowAssigner<T, W>,
  build: (ws: WindowedStream<T, K, W>) => SingleOutputStreamOperator<O>,
  options?: OperatorHarnessOptions,
): KeyedOneInputStreamOperatorTestHarness<T, K, O> =>
  new KeyedOneInputStreamOperatorTestHarness<T, K, O>(windowFactory(keySelector, assigner, build)(), keySelector, options).open()

// ---- inputs ----

/** A step of an input timeline: an element (with its event time), a watermark, or a clock move. */
export type Step =
  | { readonly kind: 'el'; readonly key: string; readonly ts: number; readonly v: number }
  | { readonly kind: 'wm'; readonly t: number }
  | { readonly kind: 'clock'; readonly t: number }

/** Makes watermarks (and clock moves) non-decreasing, as a real input's are. */
export const monotone = (steps: readonly Step[]): Step[] => {
  let wm = -Infinity
  let clock = 0
  return steps.map((s) => {
    if (s.kind === 'wm') return { kind: 'wm', t: (wm = Math.max(wm, s.t)) }
    if (s.kind === 'clock') return { kind: 'clock', t: (clock = Math.max(clock, s.t)) }
    return s
  })
}

/** Runs the steps through a harness; returns what was emitted per step (sorted) and the late side output. */
export const runSteps = <O>(
  h: KeyedOneInputStreamOperatorTestHarness<Ev, string, O>,
  steps: readonly Step[],
  render: (value: O, timestamp: number) => string,
  lateTag?: import('@strom/runtime').OutputTag<Ev>,
): { outputs: string[][]; late: string[] } => {
  const outputs: string[][] = []
  const late: string[] = []
  for (const s of steps) {
    if (s.kind === 'el') h.processElement({ key: s.key, v: s.v }, s.ts)
    else if (s.kind === 'wm') h.processWatermark(s.t)
    else h.setProcessingTime(s.t)
    outputs.push(h.extractOutputRecords().map((r) => render(r.value, r.timestamp)).sort())
    if (lateTag !== undefined) for (const r of h.getSideOutput(lateTag)) late.push(`${r.value.key}:${r.value.v}@${r.timestamp}`)
    h.clearOutput()
  }
  return { outputs, late }
}

// ---- brute-force models (written from Flink's documented semantics, one window at a time) ----

/** A window firing in a model: the key, the window, and its elements (sorted). */
export interface Firing {
  readonly key: string
  readonly start: number
  readonly end: number
  readonly values: readonly number[]
}

/** Renders a firing the way the specs render operator output of a `process` window. */
export const renderFiring = (f: Firing): string => `${f.key}|${f.start}|${f.end}|${[...f.values].sort((a, b) => a - b).join(',')}`

/** Renders a firing the way the specs render operator output of a sum (`reduce`/`aggregate`). */
export const renderSum = (f: Firing): string => `${f.key}|${f.end - 1}|${f.values.reduce((a, b) => a + b, 0)}`

interface ModelWindow {
  start: number
  end: number
  values: number[]
  /** continuous trigger: the next early firing */
  fireTime?: number | undefined
}

const startWithOffset = (t: number, offset: number, size: number): number => {
  const rem = (t - offset) % size
  return rem < 0 ? t - (rem + size) : t - rem
}

/** The windows of `size`, sliding by `slide`, that contain `t` (tumbling: slide = size). */
export const fixedWindowsOf = (t: number, size: number, slide: number, offset = 0): [number, number][] => {
  const out: [number, number][] = []
  for (let s = startWithOffset(t, offset, slide); s > t - size; s -= slide) out.push([s, s + size])
  return out
}

/** How a time-window model assigns and fires. */
export interface TimeModelConfig {
  /** event or processing time */
  readonly time: 'event' | 'processing'
  /** fixed windows containing a time, or session windows with this gap */
  readonly windows: { readonly size: number; readonly slide: number } | { readonly gap: number }
  readonly lateness: number
  /** an early-firing interval (ContinuousEventTimeTrigger), event time and fixed windows only */
  readonly continuous?: number
  /** whether each firing drops the window's contents (a PurgingTrigger around the trigger) */
  readonly purge?: boolean
}

/**
 * Flink's window semantics, brute force: every window of every key as a list of elements; a
 * window fires when time passes its end (or an element arrives in a window time already passed
 * but within the lateness), and is removed `lateness` after its end. Returns the firings per step
 * and the late elements.
 */
export const timeModel = (steps: readonly Step[], cfg: TimeModelConfig): { outputs: Firing[][]; late: string[] } => {
  const byKey = new Map<string, ModelWindow[]>()
  const outputs: Firing[][] = []
  const late: string[] = []
  const L = cfg.time === 'event' ? cfg.lateness : 0
  let now = -Infinity // the watermark, or the clock
  let clock = 0
  const fire = (out: Firing[], key: string, w: ModelWindow): void => {
    if (w.values.length === 0) return // nothing to emit (purged)
    out.push({ key, start: w.start, end: w.end, values: [...w.values] })
    if (cfg.purge === true) w.values = []
  }
  /** time moved to t: fire what it passed, remove what is cleaned up */
  const advance = (t: number, out: Firing[]): void => {
    const prev = now
    now = Math.max(now, t)
    for (const [key, ws] of byKey) {
      for (const w of [...ws]) {
        const max = w.end - 1
        if (cfg.continuous !== undefined) {
          // early firings at fireTime (and each interval after), then the end
          while (w.fireTime !== undefined && w.fireTime < max && w.fireTime <= now) {
            fire(out, key, w)
            w.fireTime = Math.min(w.fireTime + cfg.continuous, max)
          }
        }
        // event time: the window's timer fires when the watermark passes its end; a processing-time
        // timer in the past (a window made again after it fired) fires at once
        if (cfg.time === 'processing' ? max <= now : max > prev && max <= now) fire(out, key, w)
        if (max + L <= now) ws.splice(ws.indexOf(w), 1)
      }
      if (ws.length === 0) byKey.delete(key)
    }
  }
  for (const s of steps) {
    const out: Firing[] = []
    if (s.kind === 'wm') {
      if (cfg.time === 'event') advance(s.t, out)
    } else if (s.kind === 'clock') {
      clock = Math.max(clock, s.t)
      if (cfg.time === 'processing') advance(clock, out)
    } else {
      const t = cfg.time === 'event' ? s.ts : clock
      const ws = byKey.get(s.key) ?? []
      byKey.set(s.key, ws)
      let accepted = false
      if ('gap' in cfg.windows) {
        // sessions: the new window merges with every window it overlaps or touches
        let start = t
        let end = t + cfg.windows.gap
        const merged: ModelWindow[] = []
        let changed = true
        while (changed) {
          changed = false
          for (const w of ws)
            if (!merged.includes(w) && w.start <= end && w.end >= start) {
              merged.push(w)
              start = Math.min(start, w.start)
              end = Math.max(end, w.end)
              changed = true
            }
        }
        if (cfg.time === 'processing' || !(end - 1 + L <= now)) {
          accepted = true
          const w: ModelWindow = { start, end, values: merged.flatMap((m) => m.values) }
          for (const m of merged) ws.splice(ws.indexOf(m), 1)
          w.values.push(s.v)
          ws.push(w)
          if (cfg.time === 'event' && end - 1 <= now) fire(out, s.key, w)
        }
      } else {
        for (const [start, end] of fixedWindowsOf(t, cfg.windows.size, cfg.windows.slide)) {
          if (cfg.time === 'event' && end - 1 + L <= now) continue
          accepted = true
          let w = ws.find((x) => x.start === start)
          if (w === undefined) ws.push((w = { start, end, values: [] }))
          w.values.push(s.v)
          if (cfg.continuous !== undefined && w.fireTime === undefined && end - 1 > now)
            w.fireTime = Math.min(t - (t % cfg.continuous) + cfg.continuous, end - 1)
          if (cfg.time === 'event' && end - 1 <= now) fire(out, s.key, w)
        }
      }
      if (ws.length === 0) byKey.delete(s.key)
      if (!accepted && cfg.time === 'event' && s.ts + L <= now) late.push(`${s.key}:${s.v}@${s.ts}`)
      // processing time: a window whose end the clock has reached fires right after the element
      if (cfg.time === 'processing') advance(clock, out)
    }
    outputs.push(out)
  }
  return { outputs, late }
}

/**
 * Count windows, brute force: tumbling (`slide` undefined: every `size` elements of a key fire
 * and are dropped) or sliding (every `slide` elements fire the last `size`).
 */
export const countModel = (steps: readonly Step[], size: number, slide?: number): Firing[][] => {
  const buf = new Map<string, number[]>()
  const seen = new Map<string, number>()
  return steps.map((s) => {
    if (s.kind !== 'el') return []
    const b = buf.get(s.key) ?? []
    buf.set(s.key, b)
    b.push(s.v)
    const n = (seen.get(s.key) ?? 0) + 1
    seen.set(s.key, n)
    if (slide === undefined) {
      if (b.length < size) return []
      buf.set(s.key, [])
      return [{ key: s.key, start: 0, end: 0, values: b }]
    }
    if (n % slide !== 0) return []
    const kept = b.slice(Math.max(0, b.length - size))
    buf.set(s.key, kept)
    return [{ key: s.key, start: 0, end: 0, values: [...kept] }]
  })
}

import {
  Duration,
  ProcessAllWindowFunction,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  DataGenSource,
  type Collector,
  type DataStream,
  type TimeWindow,
} from '@strom/datastream'

/** A word and how often it occurred. */
export interface WordCount {
  readonly word: string
  readonly count: number
}

/** Splits a line into lower-case words. */
export const words = (line: string): string[] => line.toLowerCase().split(/[^\p{L}\p{N}']+/u).filter((w) => w !== '')

/**
 * The classic: the lines of text files -> words -> keyBy(word) -> sum. In BATCH mode (the
 * default here: files are bounded) each word's final count is emitted once, at the end; in
 * STREAMING mode every running count is emitted, the last of each word being the same.
 */
export const countFileWords = (env: StreamExecutionEnvironment, ...paths: string[]): DataStream<WordCount> =>
  env
    .readTextFile(...paths)
    .flatMap((line) => words(line).map((word) => ({ word, count: 1 })))
    .name('split')
    .keyBy((w) => w.word)
    .sum('count')
    .name('count')

// ---- unbounded: generated sentences, counted per 5 s window ----

const VOCABULARY = (
  'the a stream of events flows through keyed state and timers while windows close on ' +
  'watermarks late data goes to a side output checkpoints keep exactly once'
).split(' ')

/** Milliseconds of event time between two generated sentences. */
export const SENTENCE_INTERVAL_MS = 10

/** A generated sentence with its event time. */
export interface Sentence {
  readonly text: string
  readonly ts: number
}

/** Sentence `i`: 3 to 8 words of a small vocabulary, a pure function of (seed, i). */
export const sentence =
  (seed: number) =>
  (i: number): Sentence => {
    let h = (Math.imul(seed ^ 0x2545f491, 0x9e3779b1) ^ Math.imul(i + 1, 0x85ebca6b)) >>> 0
    const next = (): number => {
      h ^= h << 13
      h ^= h >>> 17
      h ^= h << 5
      return (h >>> 0) / 4_294_967_296
    }
    const n = 3 + Math.floor(next() * 6)
    const ws: string[] = []
    for (let k = 0; k < n; k++) ws.push(VOCABULARY[Math.floor(next() * next() * VOCABULARY.length)]!)
    return { text: ws.join(' '), ts: i * SENTENCE_INTERVAL_MS }
  }

/** The counts of one window, biggest first. */
export interface TopWords {
  readonly windowEnd: number
  readonly top: readonly WordCount[]
}

/** Picks the `n` most frequent words of a window (ties by word). */
class TopN extends ProcessAllWindowFunction<WordCount, TopWords, TimeWindow> {
  constructor(private readonly n: number) {
    super()
  }

  process(ctx: ProcessAllWindowFunction.Context<TimeWindow>, counts: Iterable<WordCount>, out: Collector<TopWords>): void {
    const sorted = [...counts].sort((a, b) => b.count - a.count || a.word.localeCompare(b.word))
    out.collect({ windowEnd: ctx.window.end, top: sorted.slice(0, this.n) })
  }
}

/** The window of the unbounded word count. */
export const WINDOW_MS = Duration.ofSeconds(5)

/**
 * Generated sentences (unbounded unless `count`) -> words -> count per word per 5 s tumbling
 * event-time window -> the top `n` words of each window (windowAll over the per-word counts,
 * which carry their window's last timestamp, so they fall into the same window).
 */
export const topWordsPerWindow = (
  env: StreamExecutionEnvironment,
  p: { readonly seed: number; readonly n: number; readonly count?: number; readonly rowsPerSecond?: number },
): DataStream<TopWords> =>
  env
    .fromSource(
      DataGenSource.of(sentence(p.seed), {
        ...(p.count !== undefined ? { count: p.count } : {}),
        ...(p.rowsPerSecond !== undefined ? { rowsPerSecond: p.rowsPerSecond } : {}),
      }),
      WatermarkStrategy.forMonotonousTimestamps<Sentence>().withTimestampAssigner((s) => s.ts),
      'sentences',
    )
    .flatMap((s) => words(s.text).map((word) => ({ word, count: 1 })))
    .name('split')
    .keyBy((w) => w.word)
    .window(TumblingEventTimeWindows.of(WINDOW_MS))
    .sum('count')
    .name('count-per-window')
    .windowAll(TumblingEventTimeWindows.of(WINDOW_MS))
    .process(new TopN(p.n))
    .name('top-words')

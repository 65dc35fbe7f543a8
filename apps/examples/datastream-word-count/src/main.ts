// `npm start` of the word-count example.
//   --file PATH [--file PATH2 ...]   count the words of text files (bounded, BATCH mode) and print them
//   (no --file)                      count generated sentences per 5 s window, print each window's top
//                                    words; --rate N sentences/s (default 500), --seconds N (default 10),
//                                    --seed N, --parallelism N
import { StreamExecutionEnvironment } from '@strom/datastream'
import { countFileWords, topWordsPerWindow } from './word-count.js'

const args = process.argv.slice(2)
const files = args.flatMap((a, i) => (a === '--file' && args[i + 1] !== undefined ? [args[i + 1]!] : []))
const num = (name: string, fallback: number): number => {
  const i = args.indexOf(`--${name}`)
  if (i < 0) return fallback
  const v = Number(args[i + 1])
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number, got '${args[i + 1] ?? ''}'.`)
  return v
}
const parallelism = num('parallelism', 1)

if (files.length > 0) {
  const env = StreamExecutionEnvironment.create({ parallelism, runtimeMode: 'BATCH' })
  const counts = await countFileWords(env, ...files).executeAndCollect('word-count')
  counts.sort((a, b) => b.count - a.count || a.word.localeCompare(b.word))
  for (const { word, count } of counts) console.log(`${count}\t${word}`)
} else {
  const env = StreamExecutionEnvironment.create({ parallelism })
  topWordsPerWindow(env, { seed: num('seed', 1), n: 5, rowsPerSecond: num('rate', 500) }).print({
    format: (w) => `window ending ${w.windowEnd} ms: ${w.top.map((t) => `${t.word} ${t.count}`).join(', ')}`,
  })
  const client = env.executeAsync('word-count-windows')
  const stop = (): void => client.cancel()
  process.once('SIGINT', stop)
  const timer = setTimeout(stop, num('seconds', 10) * 1_000)
  const result = await client.result
  clearTimeout(timer)
  process.off('SIGINT', stop)
  console.error(`${result.status} after ${(result.durationMs / 1000).toFixed(1)} s`)
}

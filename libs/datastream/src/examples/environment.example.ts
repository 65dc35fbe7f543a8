import { StreamExecutionEnvironment } from '../index.js'

/** Counts the words of some lines; the README and the API docs show this code. */
export const wordCount = async (lines: readonly string[], parallelism = 1): Promise<{ word: string; count: number }[]> => {
  // #region word-count
  const env = StreamExecutionEnvironment.create({ parallelism, runtimeMode: 'BATCH' })
  const counts = env
    .fromCollection(lines)
    .flatMap((line) => line.toLowerCase().split(/\W+/).filter((w) => w !== '').map((word) => ({ word, count: 1 })))
    .keyBy((w) => w.word)
    .sum('count')
  const result = await counts.executeAndCollect()
  // #endregion word-count
  return result
}

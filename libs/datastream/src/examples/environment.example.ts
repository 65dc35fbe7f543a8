import { StreamExecutionEnvironment } from '../index.js'

/** Counts the words of some lines; the README and the API docs show this code. */
export const wordCount = async (lines: readonly string[], parallelism = 1): Promise<{ word: string; count: number }[]> => {
  // #region word-count
  const env = StreamExecutionEnvironment.create({ parallelism, runtimeMode: 'BATCH' })
  const counts = env
    .fromCollection(lines)
    .flatMap((line: string, out) => {
      for (const word of line.toLowerCase().split(/\W+/)) if (word !== '') out.collect({ word, count: 1 })
    })
    .keyBy((w) => w.word)
    .sum('count')
  const result = await counts.executeAndCollect()
  // #endregion word-count
  return result
}

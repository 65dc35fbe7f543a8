// #region split-words
import { OutputTag, ProcessFunction } from '../index.js'
import type { Collector } from '../index.js'

/** Empty lines go to this side output. */
export const emptyLines = new OutputTag<string>('empty-lines')

/** Splits lines into words; each word keeps the line's timestamp. */
export class SplitWords extends ProcessFunction<string, string> {
  override processElement(line: string, ctx: ProcessFunction.Context, out: Collector<string>): void {
    const words = line.split(/\s+/).filter((w) => w.length > 0)
    if (words.length === 0) ctx.output(emptyLines, line)
    for (const w of words) out.collect(w)
  }
}
// #endregion split-words

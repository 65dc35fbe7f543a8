import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import fc from 'fast-check'
import { StreamExecutionEnvironment } from '@strom/datastream'
import { WINDOW_MS, countFileWords, sentence, topWordsPerWindow, words, type WordCount } from './word-count.js'

const sorted = (xs: readonly WordCount[]): WordCount[] => [...xs].sort((a, b) => a.word.localeCompare(b.word))

const bruteCount = (lines: readonly string[]): WordCount[] => {
  const m = new Map<string, number>()
  for (const l of lines) for (const w of words(l)) m.set(w, (m.get(w) ?? 0) + 1)
  return sorted([...m].map(([word, count]) => ({ word, count })))
}

describe('word count over text files (bounded)', () => {
  const dir = mkdtempSync(join(tmpdir(), 'strom-wc-'))
  const line = fc.array(fc.constantFrom('to', 'be', 'or', 'not', 'To', 'BE!', "it's", 'über', ',', ' '), { maxLength: 12 }).map((ws) => ws.join(' '))

  it('BATCH emits each word once with its count; STREAMING ends with the same counts', async () => {
    let run = 0
    await fc.assert(
      fc.asyncProperty(fc.array(line, { maxLength: 40 }), fc.array(line, { maxLength: 40 }), fc.constantFrom(1, 2, 4), async (a, b, p) => {
        const fileA = join(dir, `a-${run}.txt`)
        const fileB = join(dir, `b-${run++}.txt`)
        writeFileSync(fileA, a.join('\n'))
        writeFileSync(fileB, b.join('\n'))
        const want = bruteCount([...a, ...b])
        const batch = await countFileWords(StreamExecutionEnvironment.create({ parallelism: p, runtimeMode: 'BATCH' }), fileA, fileB).executeAndCollect()
        expect(sorted(batch)).toEqual(want)
        const streaming = await countFileWords(StreamExecutionEnvironment.create({ parallelism: p }), fileA, fileB).executeAndCollect()
        const last = new Map<string, number>()
        for (const w of streaming) last.set(w.word, Math.max(last.get(w.word) ?? 0, w.count))
        expect(sorted([...last].map(([word, count]) => ({ word, count })))).toEqual(want)
        expect(streaming.length).toBe(want.reduce((n, w) => n + w.count, 0)) // one running count per word occurrence
      }),
      { numRuns: 15 },
    )
  })
})

describe('top words per 5 s window (generated sentences)', () => {
  it('equals a brute-force count per window, at parallelism 1 and 2', async () => {
    const count = 3_000 // 30 s of event time: 6 windows
    for (const parallelism of [1, 2]) {
      const got = await topWordsPerWindow(StreamExecutionEnvironment.create({ parallelism }), { seed: 7, n: 3, count }).executeAndCollect()
      const perWindow = new Map<number, Map<string, number>>()
      for (let i = 0; i < count; i++) {
        const s = sentence(7)(i)
        const end = s.ts - (s.ts % WINDOW_MS) + WINDOW_MS
        const m = perWindow.get(end) ?? new Map<string, number>()
        for (const w of words(s.text)) m.set(w, (m.get(w) ?? 0) + 1)
        perWindow.set(end, m)
      }
      const want = [...perWindow]
        .map(([windowEnd, m]) => ({
          windowEnd,
          top: [...m].map(([word, c]) => ({ word, count: c })).sort((a, b) => b.count - a.count || a.word.localeCompare(b.word)).slice(0, 3),
        }))
        .sort((a, b) => a.windowEnd - b.windowEnd)
      expect(want).toHaveLength(6)
      expect([...got].sort((a, b) => a.windowEnd - b.windowEnd)).toEqual(want)
    }
  })
})

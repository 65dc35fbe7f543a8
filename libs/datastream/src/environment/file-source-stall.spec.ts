import { mkdtempSync, writeFileSync } from 'node:fs'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { describe, expect, it } from 'vitest'
import { StreamExecutionEnvironment } from './stream-execution-environment.js'

describe('sources that ask for splits in the job thread', () => {
  it('read many small files without waiting for a periodic wake-up (no periodic watermarks at all)', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'strom-files-'))
    const paths = Array.from({ length: 20 }, (_, i) => {
      const p = join(dir, `f${i}.txt`)
      writeFileSync(p, `line ${i}\nmore ${i}\n`)
      return p
    })
    const env = StreamExecutionEnvironment.create({ parallelism: 2, autoWatermarkInterval: 0 })
    // with no periodic wake-up, a split reply that nobody noticed used to hang the job forever
    const lines = await env.readTextFile(...paths).executeAndCollect()
    expect(lines.sort()).toEqual(paths.flatMap((_, i) => [`line ${i}`, `more ${i}`]).sort())
  }, 20_000)
})

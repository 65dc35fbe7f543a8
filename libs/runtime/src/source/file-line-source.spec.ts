import fc from 'fast-check'
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, ConnectorError } from '../core/errors.js'
import { FileLineSource, type FileSplit } from './file-line-source.js'
import { FakeEnumeratorContext, RecordingOutput, drain, fakeReaderContext, runBounded, wire } from './test-kit.js'

let dir: string
let counter = 0

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'strom-file-line-source-'))
})

afterAll(async () => {
  await rm(dir, { recursive: true, force: true })
})

/** Writes a new file in the temporary directory; returns its path. */
const file = async (content: string | Buffer, name = `f${counter++}.txt`): Promise<string> => {
  const path = join(dir, name)
  await writeFile(path, content)
  return path
}

/** Reads one file's lines through a single reader. */
const readLines = async (path: string, chunkSize: number): Promise<string[]> => {
  const [out] = await runBounded(FileLineSource.forPaths(path).withChunkSize(chunkSize), 1)
  return out!.values
}

const lineText = fc.string({ unit: 'binary', maxLength: 12 }).filter((s) => !/[\r\n]/.test(s) && Buffer.from(s, 'utf8').toString('utf8') === s)

describe('FileLineSource', () => {
  it('example: reads a directory and a file', async () => {
    const logDir = join(dir, 'logs')
    await mkdir(logDir)
    await writeFile(join(logDir, 'app-2.log'), 'b1\nb2\n')
    await writeFile(join(logDir, 'app-1.log'), 'a1\r\na2')
    const extraFile = await file('extra\n')
    // #region example
    // the files in logDir (sorted by name), then extraFile
    const logs = FileLineSource.forPaths(logDir, extraFile)
    // #endregion example
    const [out] = await runBounded(logs, 1)
    expect(out!.values).toEqual(['a1', 'a2', 'b1', 'b2', 'extra'])
  })

  it('reads lines across chunk boundaries, with multi-byte characters, \\n and \\r\\n, and a last line without newline', async () => {
    const lines = ['grüße', '日本語のテキスト', '', 'emoji 😀🎉 and more', 'x', 'ℝ∀∃ «quoted»', 'last line, no newline']
    const content = lines.map((l, i) => l + (i === lines.length - 1 ? '' : i % 2 === 0 ? '\r\n' : '\n')).join('')
    const path = await file(content)
    for (const chunkSize of [1, 2, 3, 4, 5, 7, 16, 64 * 1024]) {
      expect(await readLines(path, chunkSize)).toEqual(lines)
    }
  })

  it('reads any text into the lines it holds, whatever the chunk size', async () => {
    await fc.assert(
      fc.asyncProperty(
        fc.array(fc.tuple(lineText, fc.constantFrom('\n', '\r\n')), { maxLength: 30 }),
        fc.boolean(),
        fc.integer({ min: 1, max: 40 }),
        async (lines, lastTerminated, chunkSize) => {
          const content = lines.map(([text, end], i) => text + (i < lines.length - 1 || lastTerminated ? end : '')).join('')
          const expected = lines.map(([text]) => text)
          // a last line that is empty and unterminated is no line at all
          if (!lastTerminated && expected.length > 0 && expected[expected.length - 1] === '') expected.pop()
          expect(await readLines(await file(content), chunkSize)).toEqual(expected)
        },
      ),
      { numRuns: 60 },
    )
  })

  it('reads empty files, files of empty lines, and skips a byte order mark', async () => {
    expect(await readLines(await file(''), 4)).toEqual([])
    expect(await readLines(await file('\n\n\r\n'), 2)).toEqual(['', '', ''])
    expect(await readLines(await file('\uFEFFfirst\nsecond'), 2)).toEqual(['first', 'second'])
  })

  it('reads lines longer than a chunk', async () => {
    const long = 'ä'.repeat(100_000)
    expect(await readLines(await file(`${long}\nshort\n${long}`), 1000)).toEqual([long, 'short', long])
  })

  it('reads every line of many files exactly once over several readers, each file in order', async () => {
    const sub = join(dir, 'many')
    await mkdir(sub)
    const expected = new Map<string, string[]>()
    for (let f = 0; f < 12; f++) {
      const lines = Array.from({ length: 50 + f * 300 }, (_, i) => `file ${f} line ${i} ✓`)
      const path = join(sub, `part-${String(f).padStart(2, '0')}`)
      await writeFile(path, lines.join('\n') + '\n')
      expected.set(path, lines)
    }
    await writeFile(join(sub, '.hidden'), 'never read\n')
    await writeFile(join(sub, '_SUCCESS'), 'never read\n')
    await mkdir(join(sub, 'nested'))
    const outputs = await runBounded(FileLineSource.forPaths(sub).withChunkSize(1000), 3)
    const got = new Map<string, string[]>()
    for (const out of outputs) for (const r of out.records) got.set(r.splitId, [...(got.get(r.splitId) ?? []), r.value])
    expect(new Set(got.keys())).toEqual(new Set(expected.keys()))
    for (const [path, lines] of expected) expect(got.get(path)).toEqual(lines)
    // the work is spread: every reader got files
    for (const out of outputs) expect(out.released.length).toBeGreaterThan(0)
  })

  it('lists a directory sorted by name, and hands out files in order on request', async () => {
      const sub = join(dir, 'sorted')
      await mkdir(sub)
      for (const name of ['b.txt', 'a.txt', 'c.txt']) await writeFile(join(sub, name), `${name}\n`)
      const context = new FakeEnumeratorContext<FileSplit>(2)
      const enumerator = FileLineSource.forPaths(sub).createEnumerator(context)
      enumerator.handleSplitRequest(1) // before start: answered by start
      enumerator.start()
      enumerator.handleSplitRequest(0)
      enumerator.handleSplitRequest(0)
      enumerator.handleSplitRequest(1)
      expect(context.assigned.get(1)!.map((s) => s.path)).toEqual([join(sub, 'a.txt')])
      expect(context.assigned.get(0)!.map((s) => s.path)).toEqual([join(sub, 'b.txt'), join(sub, 'c.txt')])
      expect(context.noMoreSplits).toEqual(new Set([1]))
      expect(enumerator.snapshotState(1)).toEqual([])
  })

  it('restores a split at an offset and continues exactly at that line', async () => {
    const lines = Array.from({ length: 3000 }, (_, i) => `zeile ${i}: ${'ö'.repeat(i % 7)}`)
    const path = await file(lines.join('\r\n'))
    const source = FileLineSource.forPaths(path).withChunkSize(4096)
    const wired = wire(source, 1)
    const [reader, out] = [wired.readers[0]!, wired.outputs[0]!]
    // poll until some lines came, then checkpoint
    while (out.records.length === 0) {
      if (reader.pollNext(out) === 'NOTHING_AVAILABLE') await reader.isAvailable()
    }
    const state = reader.snapshotState(1)
    const emitted = out.values
    expect(emitted).toEqual(lines.slice(0, emitted.length))
    const offset = Buffer.byteLength(lines.slice(0, emitted.length).map((l) => l + '\r\n').join(''))
    expect(state).toEqual([{ splitId: path, path, offset }])
    await reader.close()

    const [rest] = await runBounded(source, 1, { restore: { enumerator: wired.enumerator.snapshotState(1), readers: [state] } })
    expect([...emitted, ...rest!.values]).toEqual(lines)

    // any line start is a valid position
    const reader2 = source.createReader(fakeReaderContext(0, 1))
    const out2 = new RecordingOutput<string>()
    const at = Buffer.byteLength(lines.slice(0, 2500).join('\r\n') + '\r\n')
    reader2.addSplits([{ splitId: path, path, offset: at }])
    reader2.notifyNoMoreSplits()
    await drain(reader2, out2)
    expect(out2.values).toEqual(lines.slice(2500))
    await reader2.close()
  })

  it('fails with a ConnectorError naming a missing path, when listing and when reading', async () => {
    const missing = join(dir, 'no-such-file.txt')
    const enumerator = FileLineSource.forPaths(missing).createEnumerator(new FakeEnumeratorContext<FileSplit>(1))
    expect(() => enumerator.start()).toThrow(ConnectorError)
    expect(() => enumerator.start()).toThrow(missing)

    const reader = FileLineSource.forPaths(missing).createReader(fakeReaderContext(0, 1))
    reader.addSplits([{ splitId: missing, path: missing, offset: 0 }])
    const out = new RecordingOutput<string>()
    expect(reader.pollNext(out)).toBe('NOTHING_AVAILABLE')
    await reader.isAvailable()
    let error: unknown
    try {
      reader.pollNext(out)
    } catch (e) {
      error = e
    }
    expect(error).toBeInstanceOf(ConnectorError)
    expect((error as ConnectorError).message).toContain(missing)
    expect((error as ConnectorError).retriable).toBe(false)
    await reader.close()
  })

  it('asks for a split at start and after each file, and ends when told no more come', async () => {
    let requests = 0
    const path = await file('a\nb\n')
    const reader = FileLineSource.forPaths(path).createReader(fakeReaderContext(0, 1, undefined, () => requests++))
    const out = new RecordingOutput<string>()
    reader.start()
    expect(requests).toBe(1)
    expect(reader.pollNext(out)).toBe('NOTHING_AVAILABLE')
    expect(requests).toBe(1)
    reader.addSplits([{ splitId: path, path, offset: 0 }])
    for (;;) {
      expect(reader.pollNext(out)).toBe('NOTHING_AVAILABLE')
      if (out.released.length > 0) break
      await reader.isAvailable()
    }
    expect(out.values).toEqual(['a', 'b'])
    expect(requests).toBe(2)
    reader.notifyNoMoreSplits()
    expect(reader.pollNext(out)).toBe('END_OF_INPUT')
    await reader.close()
  })

  it('rejects a source without paths', () => {
    expect(() => FileLineSource.forPaths()).toThrow(ConfigError)
    expect(() => FileLineSource.forPaths('x').withChunkSize(0)).toThrow(ConfigError)
  })
})

import { mkdtemp, readFile, readdir, rm, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError, ConnectorError } from '../core/errors.js'
import { FileLineSource } from '../source/file-line-source.js'
import { runBounded } from '../source/test-kit.js'
import { ManualClock } from '../time/clock.js'
import { JsonLinesEncoder, SimpleStringEncoder } from './encoder.js'
import { FileSink } from './file-sink.js'
import { writers } from './test-kit.js'

let root: string
let counter = 0

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'strom-file-sink-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const freshDir = (): string => join(root, `out-${counter++}`)
const list = async (dir: string): Promise<string[]> => (await readdir(dir)).sort()
const text = (dir: string, name: string): Promise<string> => readFile(join(dir, name), 'utf8')

interface Order {
  readonly id: number
  readonly amount: number
}

describe('FileSink', () => {
  it('example: writes orders as JSON lines, and strings as they are', async () => {
    const dir = freshDir()
    // #region example
    const orders = FileSink.forRowFormat(dir, new JsonLinesEncoder<Order>(), {
      maxPartSize: 16 * 1024 * 1024,
      partSuffix: '.jsonl',
    })
    // subtask 0 writes dir/part-0-0.jsonl, dir/part-0-1.jsonl, ...
    // #endregion example
    const [w] = writers(orders, 1)
    w!.write({ id: 1, amount: 25 }, 0)
    w!.flush(true)
    expect(await text(dir, 'part-0-0.jsonl')).toBe('{"id":1,"amount":25}\n')

    const textDir = freshDir()
    // #region simple
    const lines = FileSink.forRowFormat(textDir, new SimpleStringEncoder<string | number>())
    // #endregion simple
    const [t] = writers(lines, 1)
    t!.write('one', 0)
    t!.write(2, 0)
    t!.flush(true)
    expect(await text(textDir, 'part-0-0')).toBe('one\n2\n')
  })

  it('writes each subtask into its own part, in progress until the end of input', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new JsonLinesEncoder<{ id: number; name: string }>())
    const [w0, w1] = writers(sink, 2)
    w0!.write({ id: 1, name: 'ä' }, 0)
    w1!.write({ id: 2, name: 'b\nc' }, 0)
    w0!.write({ id: 3, name: '😀' }, 0)
    w0!.flush(false)
    w1!.flush(false)
    expect(await list(dir)).toEqual(['.part-0-0.inprogress', '.part-1-0.inprogress'])
    expect(await text(dir, '.part-0-0.inprogress')).toBe('{"id":1,"name":"ä"}\n{"id":3,"name":"😀"}\n')
    w0!.flush(true)
    w1!.flush(true)
    w0!.close()
    w1!.close()
    expect(await list(dir)).toEqual(['part-0-0', 'part-1-0'])
    expect(await text(dir, 'part-0-0')).toBe('{"id":1,"name":"ä"}\n{"id":3,"name":"😀"}\n')
    expect(await text(dir, 'part-1-0')).toBe('{"id":2,"name":"b\\nc"}\n')
  })

  it('buffers writes until 64 KiB have gathered or a flush comes', async () => {
    const dir = freshDir()
    const [w] = writers(FileSink.forRowFormat(dir, new SimpleStringEncoder<string>()), 1)
    const line = 'y'.repeat(1023)
    for (let i = 0; i < 64; i++) w!.write(line, 0)
    expect(await text(dir, '.part-0-0.inprogress')).toBe('')
    w!.write(line, 0)
    expect(await text(dir, '.part-0-0.inprogress')).toBe(`${line}\n`.repeat(64))
    // a record larger than the buffer goes straight through
    const huge = 'z'.repeat(200_000)
    w!.write(huge, 0)
    w!.flush(true)
    expect(await text(dir, 'part-0-0')).toBe(`${line}\n`.repeat(65) + `${huge}\n`)
  })

  it('rolls to a new part before a record would make a part bigger than maxPartSize', async () => {
    const dir = freshDir()
    const [w] = writers(FileSink.forRowFormat(dir, new SimpleStringEncoder<number>(), { maxPartSize: 10, partSuffix: '.txt' }), 1)
    for (const n of [1, 22, 333, 4444, 55555, 666666, 7777777, 1234567890123]) w!.write(n, 0)
    w!.flush(true)
    const names = await list(dir)
    expect(names).toEqual(['part-0-0.txt', 'part-0-1.txt', 'part-0-2.txt', 'part-0-3.txt', 'part-0-4.txt', 'part-0-5.txt'])
    const contents = await Promise.all(names.map((n) => text(dir, n)))
    expect(contents).toEqual(['1\n22\n333\n', '4444\n', '55555\n', '666666\n', '7777777\n', '1234567890123\n'])
    for (const c of contents.slice(0, -1)) expect(Buffer.byteLength(c)).toBeLessThanOrEqual(10)
  })

  it('rolls a part older than rolloverInterval by the writer clock', async () => {
    const dir = freshDir()
    const clock = new ManualClock()
    const [w] = writers(FileSink.forRowFormat(dir, new SimpleStringEncoder<string>(), { rolloverInterval: 1000 }), 1, clock)
    w!.write('a', 0)
    clock.advance(999)
    w!.flush(false)
    expect(await list(dir)).toEqual(['.part-0-0.inprogress'])
    clock.advance(1)
    w!.flush(false)
    expect(await list(dir)).toEqual(['part-0-0'])
    w!.write('b', 0)
    clock.advance(1000)
    w!.write('c', 0)
    w!.close()
    expect(await list(dir)).toEqual(['.part-0-2.inprogress', 'part-0-0', 'part-0-1'])
    expect(await text(dir, 'part-0-1')).toBe('b\n')
    expect(await text(dir, '.part-0-2.inprogress')).toBe('c\n')
  })

  it('numbers new parts after the ones already in the directory', async () => {
    const dir = freshDir()
    const sink = FileSink.forRowFormat(dir, new SimpleStringEncoder<string>())
    const [first] = writers(sink, 1)
    first!.write('run 1', 0)
    first!.close() // a failed run: its part stays in progress
    await writeFile(join(dir, 'part-0-4'), 'older\n')
    const [second] = writers(sink, 1)
    second!.write('run 2', 0)
    second!.flush(true)
    expect(await list(dir)).toEqual(['.part-0-0.inprogress', 'part-0-4', 'part-0-5'])
    expect(await text(dir, 'part-0-5')).toBe('run 2\n')
  })

  it('writes nothing for a writer without records', async () => {
    const dir = freshDir()
    const [w] = writers(FileSink.forRowFormat(dir, new SimpleStringEncoder<string>()), 1)
    w!.flush(true)
    w!.close()
    await expect(readdir(dir)).rejects.toThrow(/ENOENT/)
  })

  it('writes what FileLineSource reads back', async () => {
    const dir = freshDir()
    const values = Array.from({ length: 20_000 }, (_, i) => ({ i, s: `wert ${i} ✓` }))
    const [w0, w1, w2] = writers(FileSink.forRowFormat(dir, new JsonLinesEncoder<(typeof values)[number]>(), { maxPartSize: 100_000 }), 3)
    values.forEach((v, k) => [w0, w1, w2][k % 3]!.write(v, 0))
    for (const w of [w0, w1, w2]) w!.flush(true)
    expect((await list(dir)).length).toBeGreaterThan(3)
    const outputs = await runBounded(FileLineSource.forPaths(dir), 2)
    const read = outputs.flatMap((o) => o.values).map((l) => JSON.parse(l) as (typeof values)[number])
    expect(read.sort((a, b) => a.i - b.i)).toEqual(values)
  })

  it('fails with a ConnectorError naming the directory it cannot create', async () => {
    const blocker = join(root, `blocker-${counter++}`)
    await writeFile(blocker, 'a file, not a directory')
    const [w] = writers(FileSink.forRowFormat(join(blocker, 'sub'), new SimpleStringEncoder<string>()), 1)
    expect(() => w!.write('x', 0)).toThrow(ConnectorError)
    expect(() => w!.write('x', 0)).toThrow(join(blocker, 'sub'))
  })

  it('rejects options that cannot work', () => {
    expect(() => FileSink.forRowFormat('x', new SimpleStringEncoder(), { maxPartSize: 0 })).toThrow(ConfigError)
    expect(() => FileSink.forRowFormat('x', new SimpleStringEncoder(), { rolloverInterval: -1 })).toThrow(ConfigError)
    expect(() => FileSink.forRowFormat('x', new SimpleStringEncoder(), { partPrefix: 'a/b' })).toThrow(ConfigError)
  })
})

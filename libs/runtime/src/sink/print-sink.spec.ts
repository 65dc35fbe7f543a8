import { describe, expect, it } from 'vitest'
import { PrintSink } from './print-sink.js'
import { writers } from './test-kit.js'

const printed = (): { output: (text: string) => void; calls: string[] } => {
  const calls: string[] = []
  return { output: (text) => void calls.push(text), calls }
}

describe('PrintSink', () => {
  it('example: prints word counts with a prefix', () => {
    const printed: string[] = []
    // #region example
    const sink = new PrintSink<{ word: string; count: number }>({
      prefix: 'counts',
      format: (c) => `${c.word}=${c.count}`,
      output: (text) => void printed.push(text), // default: process.stdout
    })
    // with parallelism 2, subtask 1 prints "counts:2> flink=3"
    // #endregion example
    const [, w1] = writers(sink, 2)
    w1!.write({ word: 'flink', count: 3 }, 0)
    w1!.flush(true)
    expect(printed).toEqual(['counts:2> flink=3\n'])
  })

  it('prints bare lines with parallelism 1, and only when flushed', () => {
    const { output, calls } = printed()
    const [w] = writers(new PrintSink<unknown>({ output }), 1)
    w!.write('hello', 0)
    w!.write({ word: 'a', count: 2 }, 0)
    w!.write(42, 0)
    w!.write(10n, 0)
    expect(calls).toEqual([])
    w!.flush(false)
    expect(calls).toEqual(['hello\n{"word":"a","count":2}\n42\n10n\n'])
    w!.flush(true)
    expect(calls).toHaveLength(1)
  })

  it('puts the subtask number (index + 1) and the prefix before each line like Flink', () => {
    const { output, calls } = printed()
    const [w0, w1] = writers(new PrintSink<number>({ output, prefix: 'out', format: (n) => `n=${n}` }), 2)
    w1!.write(1, 0)
    w0!.write(2, 0)
    w1!.flush(false)
    w0!.flush(false)
    expect(calls).toEqual(['out:2> n=1\n', 'out:1> n=2\n'])

    const plain = printed()
    const [p0, p1] = writers(new PrintSink<string>({ output: plain.output }), 2)
    p0!.write('x', 0)
    p1!.write('y', 0)
    p0!.close()
    p1!.close()
    expect(plain.calls).toEqual(['1> x\n', '2> y\n'])

    const single = printed()
    const [s] = writers(new PrintSink<string>({ output: single.output, prefix: 'dbg' }), 1)
    s!.write('z', 0)
    s!.flush(true)
    expect(single.calls).toEqual(['dbg> z\n'])
  })

  it('writes out once 64 KiB of text have gathered', () => {
    const { output, calls } = printed()
    const [w] = writers(new PrintSink<string>({ output }), 1)
    const line = 'x'.repeat(1023)
    for (let i = 0; i < 100; i++) w!.write(line, 0)
    expect(calls).toHaveLength(1)
    expect(calls[0]).toBe(`${line}\n`.repeat(64))
    w!.flush(true)
    expect(calls.join('')).toBe(`${line}\n`.repeat(100))
  })
})

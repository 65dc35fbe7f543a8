import { inspect } from 'node:util'
import type { Sink, SinkWriter, SinkWriterContext } from './sink.js'

/** Characters a writer buffers before it writes them out. */
const BUFFER_CHARS = 64 * 1024

/**
 * How a {@link PrintSink} prints.
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.1.0
 */
export interface PrintSinkOptions<T> {
  /** Where to print (default `'stdout'`); ignored when `output` is given. */
  readonly stream?: 'stdout' | 'stderr'
  /** An identifier printed before each line, to tell several print sinks apart. */
  readonly prefix?: string
  /**
   * Turns a record into text (default: strings as they are, other values as JSON, or as
   * `util.inspect` shows them when JSON cannot).
   */
  readonly format?: (value: T) => string
  /** Receives the printed text, many lines at a time, each ending in `\n` (default: the stream's `write`). */
  readonly output?: (text: string) => void
}

/**
 * A sink that prints each record on a line, like Flink's `print()`.
 *
 * @remarks
 * With parallelism above 1 each line starts with the writing subtask's number (its index + 1):
 * `"2> value"`, or `"prefix:2> value"` with a prefix; with parallelism 1 it is `"value"` or
 * `"prefix> value"`. Writers buffer the text and print it in `flush` (and whenever 64 KiB have
 * gathered), so lines of one subtask keep their order and lines of different subtasks interleave
 * by batch.
 *
 * Example, from the tests:
 *
 * {@includeCode ./print-sink.spec.ts#example}
 *
 * @typeParam T - the record type
 * @category Sinks
 * @since 0.1.0
 */
export class PrintSink<T> implements Sink<T> {
  /** @param options - the stream, prefix, format and output function; all optional */
  constructor(private readonly options: PrintSinkOptions<T> = {}) {}

  /** A writer that buffers lines and prints them in `flush`. */
  createWriter(context: SinkWriterContext): SinkWriter<T> {
    const { prefix, stream = 'stdout' } = this.options
    const subtask = context.subtaskIndex + 1
    const linePrefix =
      context.parallelism > 1 ? (prefix === undefined ? `${subtask}> ` : `${prefix}:${subtask}> `) : prefix === undefined ? '' : `${prefix}> `
    const output = this.options.output ?? ((text: string) => void process[stream].write(text))
    return new PrintWriter<T>(linePrefix, this.options.format ?? formatValue, output)
  }
}

/** The default text of a value: strings as they are, others as JSON, or inspected. */
const formatValue = (value: unknown): string => {
  if (typeof value === 'string') return value
  try {
    const json = JSON.stringify(value)
    if (json !== undefined) return json
  } catch {
    // bigint, cycles: fall through
  }
  return inspect(value, { breakLength: Infinity, depth: 8 })
}

class PrintWriter<T> implements SinkWriter<T> {
  private text = ''

  constructor(
    private readonly linePrefix: string,
    private readonly format: (value: T) => string,
    private readonly output: (text: string) => void,
  ) {}

  write(value: T, _timestamp: number): void {
    this.text += this.linePrefix + this.format(value) + '\n'
    if (this.text.length >= BUFFER_CHARS) this.flush(false)
  }

  flush(_endOfInput: boolean): void {
    if (this.text.length === 0) return
    const text = this.text
    this.text = ''
    this.output(text)
  }

  close(): void {
    this.flush(false)
  }
}

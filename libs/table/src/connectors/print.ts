/**
 * The `print` connector: a sink that prints every row, as Flink's print connector.
 *
 * @remarks
 * Each row is one line, `+I[1, a, 2020-04-15 08:05:00.000]`: its kind and its physical fields,
 * formatted as Flink's `Row.toString` (`formatRow`: `null`, `true`, SQL formats for time values).
 * With parallelism above 1 the line starts with the subtask's number (`2> +I[...]`); with
 * `print-identifier` it starts with the identifier (`orders> +I[...]`, or `orders:2> +I[...]`).
 * Options: `print-identifier` (none), `standard-error` (`false`: print to standard output),
 * `sink.parallelism`. Accepts every row kind (the changelog is printed as it comes). Lines are
 * buffered per subtask and printed at the sink's flushes (the runtime's `PrintSink`).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import { PrintSink, type Sink } from '@strom/runtime'
import type { ChangelogMode, Row } from '../data/row.js'
import { formatRow } from '../expr/format-value.js'
import { OptionReader, validateOptions } from './options.js'
import type { ConnectorContext, OptionProblem, TableConnectorFactory, TableSink } from './table-connector.js'

const IDENTIFIER = 'print'
const OPTIONS = ['print-identifier', 'standard-error', 'sink.parallelism'] as const

/**
 * Where a print sink's text goes, instead of the process's standard output or error (for tests
 * and embedding). Receives many lines at a time, each ending in `\n`.
 *
 * @category Connectors
 * @since 0.1.0
 */
export type PrintOutput = (text: string, stream: 'stdout' | 'stderr') => void

/**
 * The sink of a print table.
 *
 * @category Connectors
 * @since 0.1.0
 */
export class PrintTableSink implements TableSink {
  /** @internal built by the print connector */
  constructor(
    private readonly types: readonly ConnectorContext['columns'][number]['type'][],
    /** The `print-identifier`, if set. */
    readonly identifier: string | undefined,
    /** Where the lines go. */
    readonly stream: 'stdout' | 'stderr',
    private readonly output: PrintOutput | undefined,
    /** The sink's parallelism (`sink.parallelism`), if set. */
    readonly parallelism?: number,
  ) {}

  /** Every kind requested. */
  acceptedChangelogMode(requested: ChangelogMode): ChangelogMode {
    return requested
  }

  /** A runtime `PrintSink` of the rows' text. */
  createSink(): Sink<Row> {
    const types = this.types
    const output = this.output
    const stream = this.stream
    return new PrintSink<Row>({
      stream,
      ...(this.identifier === undefined ? {} : { prefix: this.identifier }),
      format: (row) => formatRow(row, types),
      ...(output === undefined ? {} : { output: (text: string) => output(text, stream) }),
    })
  }
}

/**
 * A `print` connector factory; `output` replaces the process's streams (for tests).
 *
 * @category Connectors
 * @since 0.1.0
 */
export const createPrintConnector = (output?: PrintOutput): TableConnectorFactory => ({
  identifier: IDENTIFIER,
  requiredOptions: [],
  optionalOptions: OPTIONS,
  createSink(ctx: ConnectorContext): E.Either<readonly OptionProblem[], TableSink> {
    const r = new OptionReader(IDENTIFIER, ctx.options)
    for (const p of validateOptions(IDENTIFIER, ctx.options, [], OPTIONS)) r.problem(p.option, p.message)
    const identifier = r.string('print-identifier')
    const stderr = r.boolean('standard-error', false) ?? false
    const parallelism = r.int('sink.parallelism', undefined, 1)
    return r.result(() => new PrintTableSink(ctx.columns.map((c) => c.type), identifier, stderr ? 'stderr' : 'stdout', output, parallelism))
  },
})

/**
 * The `print` connector factory, printing to the process's standard output or error.
 *
 * @category Connectors
 * @since 0.1.0
 */
export const printConnector: TableConnectorFactory = createPrintConnector()

/**
 * The `blackhole` connector: a sink that swallows every row, as Flink's blackhole connector (for
 * benchmarks and for running a query only for its side effects).
 *
 * @remarks
 * No options besides `connector`. Accepts every row kind but UPDATE_BEFORE, as Flink's blackhole
 * sink (an updating query feeding it sends no `-U` rows: it would drop them anyway).
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import type { Sink, SinkWriter } from '@strom/runtime'
import { RowKind, type ChangelogMode, type Row } from '../data/row.js'
import { validateOptions } from './options.js'
import type { ConnectorContext, OptionProblem, TableConnectorFactory, TableSink } from './table-connector.js'

const IDENTIFIER = 'blackhole'

const DISCARD: SinkWriter<Row> = { write() {}, flush() {}, close() {} }

/** A sink whose writers drop everything. */
const BLACKHOLE_SINK: Sink<Row> = { createWriter: () => DISCARD }

/**
 * The sink of a blackhole table.
 *
 * @category Connectors
 * @since 0.1.0
 */
export const blackholeTableSink: TableSink = {
  acceptedChangelogMode: (requested: ChangelogMode): ChangelogMode => ({ kinds: new Set([...requested.kinds].filter((k) => k !== RowKind.UPDATE_BEFORE)) }),
  createSink: () => BLACKHOLE_SINK,
}

/**
 * The `blackhole` connector factory.
 *
 * @category Connectors
 * @since 0.1.0
 */
export const blackholeConnector: TableConnectorFactory = {
  identifier: IDENTIFIER,
  requiredOptions: [],
  optionalOptions: [],
  createSink(ctx: ConnectorContext): E.Either<readonly OptionProblem[], TableSink> {
    const problems = validateOptions(IDENTIFIER, ctx.options, [], [])
    return problems.length > 0 ? E.left(problems) : E.right(blackholeTableSink)
  },
}

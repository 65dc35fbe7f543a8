import { CollectionSource, Partitioners, StreamGraph, WatermarkStrategy, executeGraph, type Sink } from '@strom/runtime'
import { describe, expect, it } from 'vitest'
import { ChangelogModes, RowKind, type Row } from '../data/row.js'
import { DataTypes } from '../types/data-type.js'
import { col } from '../formats/values.fixture.js'
import { problems, right, tableContext } from './connector.fixture.js'
import { createPrintConnector } from './print.js'
import { fakeWriterContext } from './test-kit.js'

const COLUMNS = [col('id', DataTypes.INT()), col('name', DataTypes.STRING()), col('at', DataTypes.TIMESTAMP(3))]
const AT = Date.UTC(2020, 3, 15, 8, 5)

/** A print sink writing into `printed`, and its writers' output at `parallelism`. */
const printed = (options: Record<string, string>, rows: readonly Row[], parallelism = 1): { stream: string; text: string }[] => {
  const out: { stream: string; text: string }[] = []
  const factory = createPrintConnector((text, stream) => out.push({ stream, text }))
  const sink = right(factory.createSink!(tableContext({ connector: 'print', ...options }, COLUMNS))).createSink()
  for (let s = 0; s < parallelism; s++) {
    const w = sink.createWriter(fakeWriterContext(sink as Sink<unknown>, s, parallelism))
    for (const r of rows) w.write(r, Number.NaN)
    w.flush(true)
    w.close()
  }
  return out
}

const ROWS: Row[] = [
  { kind: RowKind.INSERT, fields: [1, 'a', AT] },
  { kind: RowKind.UPDATE_BEFORE, fields: [1, 'a', AT] },
  { kind: RowKind.UPDATE_AFTER, fields: [1, null, AT + 5] },
  { kind: RowKind.DELETE, fields: [1, null, null] },
]

describe('print connector', () => {
  it('prints each row with its kind, as Flink does', () => {
    expect(printed({}, ROWS)).toEqual([
      {
        stream: 'stdout',
        text: '+I[1, a, 2020-04-15 08:05:00.000]\n-U[1, a, 2020-04-15 08:05:00.000]\n+U[1, null, 2020-04-15 08:05:00.005]\n-D[1, null, null]\n',
      },
    ])
  })

  it('prefixes the subtask number at parallelism > 1, and the print identifier', () => {
    expect(printed({}, ROWS.slice(0, 1), 2).map((o) => o.text)).toEqual(['1> +I[1, a, 2020-04-15 08:05:00.000]\n', '2> +I[1, a, 2020-04-15 08:05:00.000]\n'])
    expect(printed({ 'print-identifier': 'orders' }, ROWS.slice(0, 1)).map((o) => o.text)).toEqual(['orders> +I[1, a, 2020-04-15 08:05:00.000]\n'])
    expect(printed({ 'print-identifier': 'orders' }, ROWS.slice(0, 1), 2).map((o) => o.text)).toEqual([
      'orders:1> +I[1, a, 2020-04-15 08:05:00.000]\n',
      'orders:2> +I[1, a, 2020-04-15 08:05:00.000]\n',
    ])
  })

  it('prints to standard error with standard-error', () => {
    expect(printed({ 'standard-error': 'true' }, ROWS.slice(0, 1))).toEqual([{ stream: 'stderr', text: '+I[1, a, 2020-04-15 08:05:00.000]\n' }])
  })

  it('accepts every row kind, and takes a sink parallelism', () => {
    const sink = right(createPrintConnector().createSink!(tableContext({ connector: 'print', 'sink.parallelism': '2' }, COLUMNS)))
    expect(sink.acceptedChangelogMode(ChangelogModes.ALL)).toBe(ChangelogModes.ALL)
    expect(sink.acceptedChangelogMode(ChangelogModes.UPSERT)).toBe(ChangelogModes.UPSERT)
    expect(sink.parallelism).toBe(2)
  })

  it('prints the rows of a job', async () => {
    const out: string[] = []
    const sink = right(createPrintConnector((text) => out.push(text)).createSink!(tableContext({ connector: 'print' }, COLUMNS)))
    const g = new StreamGraph({ jobName: 'print' })
    const src = g.addSource(CollectionSource.of(ROWS), WatermarkStrategy.noWatermarks(), { name: 'rows' })
    g.addSink(sink.createSink(), [{ from: src, partitioner: Partitioners.forward() }], { name: 'print' })
    expect((await executeGraph(g, { log: () => {} }).result).status).toBe('FINISHED')
    expect(out.join('').split('\n')).toEqual(['+I[1, a, 2020-04-15 08:05:00.000]', '-U[1, a, 2020-04-15 08:05:00.000]', '+U[1, null, 2020-04-15 08:05:00.005]', '-D[1, null, null]', ''])
  })

  it('rejects unknown options and bad values', () => {
    expect(problems(createPrintConnector().createSink!(tableContext({ connector: 'print', 'print-id': 'x', 'standard-error': 'yes' }, COLUMNS)))).toEqual([
      "print-id: Unsupported option 'print-id' for connector 'print'; supported: connector, print-identifier, sink.parallelism, standard-error.",
      "standard-error: Could not parse value 'yes' for option 'standard-error': expected 'true' or 'false'.",
    ])
  })
})

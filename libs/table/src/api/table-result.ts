/**
 * What `executeSql` returns: a status (`OK`) for DDL, rows for `SHOW`/`DESCRIBE`/`EXPLAIN`, and
 * for queries a live changelog the caller iterates while the job runs.
 *
 * @packageDocumentation
 */
import { CollectSink, type JobClient, type JobResult } from '@strom/runtime'
import { ROW_KIND_SHORT, type Row, type RowKindShort } from '../data/row.js'
import { formatValue, toExternal } from '../expr/format-value.js'
import type { DataType } from '../types/data-type.js'

/** A column of a result. */
export interface ResultColumn {
  readonly name: string
  readonly type: DataType
}

/**
 * A row of a result: its changelog kind and its fields as JavaScript values (`TIMESTAMP` as
 * `Date`, `ROW` as an object, see `toExternal`), and `raw`, the fields as Strom keeps them.
 *
 * @category Table API
 * @since 0.1.0
 */
export interface ResultRow {
  readonly kind: RowKindShort
  readonly fields: readonly unknown[]
  readonly raw: readonly unknown[]
}

/**
 * The result of one statement.
 *
 * @remarks
 * For a query, the job starts when `executeSql` returns; `collect()` yields its changelog rows
 * as they arrive and ends when the job ends (a bounded query) or when the iteration is stopped
 * (`break` cancels the job). `print()` writes them as `+I[...]` lines.
 *
 * @category Table API
 * @since 0.1.0
 */
export interface TableResult {
  /** `SUCCESS` for statements without rows (DDL, SET), `SUCCESS_WITH_CONTENT` otherwise. */
  readonly resultKind: 'SUCCESS' | 'SUCCESS_WITH_CONTENT'
  readonly columns: readonly ResultColumn[]
  /** The running job, for queries and inserts. */
  readonly jobClient: JobClient | undefined
  /** The rows (live for queries). */
  collect(): AsyncIterableIterator<ResultRow>
  /** Waits until the job (if any) ends. */
  await(): Promise<JobResult | undefined>
  /** The rows formatted as changelog lines: `+I[1, a, 2020-04-15 08:05:00.000]`. */
  print(write?: (line: string) => void): Promise<void>
}

const toResultRow = (row: Row, columns: readonly ResultColumn[]): ResultRow => ({
  kind: ROW_KIND_SHORT[row.kind],
  raw: row.fields,
  fields: row.fields.map((v, i) => toExternal(v, columns[i]!.type)),
})

/** A changelog line as Flink prints a row: `+I[1, a, null, true]`. */
export const formatResultRow = (row: ResultRow, columns: readonly ResultColumn[]): string =>
  `${row.kind}[${row.raw.map((v, i) => formatValue(v, columns[i]!.type, 'row')).join(', ')}]`

/** A result of rows known up front (SHOW, DESCRIBE, EXPLAIN) or none (DDL). @internal */
export const staticResult = (columns: readonly ResultColumn[], rows: readonly (readonly unknown[])[]): TableResult => {
  const out: ResultRow[] = rows.map((fields) => ({ kind: '+I', fields, raw: fields }))
  return {
    resultKind: columns.length === 1 && columns[0]!.name === 'result' && rows.length === 1 && rows[0]![0] === 'OK' ? 'SUCCESS' : 'SUCCESS_WITH_CONTENT',
    columns,
    jobClient: undefined,
    collect: () => (async function* () {
      yield* out
    })(),
    await: async () => undefined,
    print: async (write = (l) => console.log(l)) => {
      for (const r of out) write(formatResultRow(r, columns))
    },
  }
}

/** A result of a running query whose rows a `CollectSink` gathers. @internal */
export const collectResult = (columns: readonly ResultColumn[], sink: CollectSink<Row>, client: JobClient): TableResult => {
  let ended = false
  const done = client.result.then(
    (r) => {
      ended = true
      return r
    },
    (e: unknown) => {
      ended = true
      throw e
    },
  )
  // keep an unhandled rejection from escaping when nobody awaits the job; the iterator re-throws it
  done.catch(() => {})
  const collect = (): AsyncIterableIterator<ResultRow> => {
    let next = 0
    let stopped = false
    const it: AsyncIterableIterator<ResultRow> = {
      [Symbol.asyncIterator]: () => it,
      next: async (): Promise<IteratorResult<ResultRow>> => {
        for (;;) {
          if (stopped) return { done: true, value: undefined }
          const values = sink.values
          if (next < values.length) return { done: false, value: toResultRow(values[next++]!, columns) }
          if (ended) {
            await done // throws the job's error
            if (next < sink.values.length) continue
            return { done: true, value: undefined }
          }
          await Promise.race([done.catch(() => undefined), new Promise((r) => setTimeout(r, 5))])
        }
      },
      return: async (): Promise<IteratorResult<ResultRow>> => {
        stopped = true
        if (!ended) client.cancel()
        await done.catch(() => undefined)
        return { done: true, value: undefined }
      },
    }
    return it
  }
  return {
    resultKind: 'SUCCESS_WITH_CONTENT',
    columns,
    jobClient: client,
    collect,
    await: () => done,
    print: async (write = (l) => console.log(l)) => {
      for await (const r of collect()) write(formatResultRow(r, columns))
    },
  }
}

/** A result of an INSERT job: one row with the job's name, as Flink's. @internal */
export const insertResult = (client: JobClient): TableResult => {
  const done = client.result
  done.catch(() => {})
  const columns = [{ name: 'job id', type: { kind: 'VARCHAR', length: 2147483647, nullable: false } as DataType }]
  return {
    resultKind: 'SUCCESS_WITH_CONTENT',
    columns,
    jobClient: client,
    collect: () => (async function* (): AsyncGenerator<ResultRow> {
      yield { kind: '+I', fields: [client.jobName], raw: [client.jobName] }
    })(),
    await: () => done,
    print: async (write = (l) => console.log(l)) => write(`+I[${client.jobName}]`),
  }
}

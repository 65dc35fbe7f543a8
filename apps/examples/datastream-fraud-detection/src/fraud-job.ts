// The fraud-detection job. Worker threads import this module to rebuild the job (`executeJob`), so
// it defines things at top level and starts nothing.
import { CollectSink, DataGenSource, WatermarkStrategy, defineStreamJob, type DataStream, type StreamExecutionEnvironment } from '@strom/datastream'
import { FraudDetector, type Alert } from './fraud-detector.js'
import { DEFAULT_TRANSACTION_OPTIONS, transaction, type Transaction, type TransactionOptions } from './transactions.js'

export interface FraudJobParams extends Partial<TransactionOptions> {
  /** How many transactions; without it the job runs until cancelled. */
  readonly count?: number
  /** Transactions per second over all source subtasks; without it as fast as possible. */
  readonly rowsPerSecond?: number
}

/** Builds the job on an environment and returns the alerts stream (for a sink of the caller's). */
export const buildFraudJob = (env: StreamExecutionEnvironment, p: FraudJobParams): DataStream<Alert> => {
  const options = { ...DEFAULT_TRANSACTION_OPTIONS, ...p }
  const txns = env.fromSource(
    DataGenSource.of(transaction(options), {
      ...(p.count !== undefined ? { count: p.count } : {}),
      ...(p.rowsPerSecond !== undefined ? { rowsPerSecond: p.rowsPerSecond } : {}),
    }),
    WatermarkStrategy.forMonotonousTimestamps<Transaction>().withTimestampAssigner((t) => t.ts),
    'transactions',
  )
  return txns
    .keyBy((t) => t.accountId)
    .process(new FraudDetector())
    .name('fraud-detector')
    .uid('fraud-detector')
}

/** Where the alerts of `fraudJob` arrive on the main thread. */
export const alerts = new CollectSink<Alert>()

/** The job for worker threads: `executeJob(fraudJob, { count, parallelism })`. */
export const fraudJob = defineStreamJob(import.meta.url, 'fraud-detection', (env, p: FraudJobParams & { parallelism: number }) => {
  env.setParallelism(p.parallelism)
  buildFraudJob(env, p).sinkTo(alerts, 'alerts')
})

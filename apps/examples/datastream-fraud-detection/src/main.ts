// `npm start` of the fraud-detection example: generated transactions -> keyBy(account) ->
// FraudDetector -> alerts printed to stdout. Options: --count N (bounded), --rate N (transactions/s),
// --seconds N (stop after), --parallelism N, --seed N.
import { StreamExecutionEnvironment, sumMetric } from '@strom/datastream'
import { buildFraudJob } from './fraud-job.js'

const flag = (name: string): number | undefined => {
  const i = process.argv.indexOf(`--${name}`)
  if (i < 0) return undefined
  const v = Number(process.argv[i + 1])
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number, got '${process.argv[i + 1] ?? ''}'.`)
  return v
}

const count = flag('count')
const seconds = flag('seconds') ?? (count === undefined ? 10 : undefined)
const env = StreamExecutionEnvironment.create({ parallelism: flag('parallelism') ?? 1 })
buildFraudJob(env, {
  ...(count !== undefined ? { count } : { rowsPerSecond: flag('rate') ?? 20_000 }),
  ...(flag('seed') !== undefined ? { seed: flag('seed')! } : {}),
}).print({
  format: (a) =>
    `ALERT ${a.accountId}: $${a.small.amount.toFixed(2)} at ${a.small.ts} ms, then $${a.large.amount.toFixed(2)} at ${a.large.ts} ms`,
})
const client = env.executeAsync('fraud-detection')
const stop = (): void => client.cancel()
process.once('SIGINT', stop)
const timer = seconds === undefined ? undefined : setTimeout(stop, seconds * 1_000)
const result = await client.result
if (timer !== undefined) clearTimeout(timer)
process.off('SIGINT', stop)
const txns = sumMetric(result.metrics, 'numRecordsOut', 'transactions')
const alertCount = sumMetric(result.metrics, 'numRecordsOut', 'fraud-detector')
console.error(`${result.status}: ${txns} transactions, ${alertCount} alerts in ${(result.durationMs / 1000).toFixed(1)} s`)

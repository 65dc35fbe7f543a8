import { CollectSink, WatermarkStrategy, DataGenSource } from '@strom/runtime'
import { defineStreamJob } from '../environment/define-stream-job.js'

/** Where the parallel example job's results arrive on the main thread. */
export const totals = new CollectSink<{ key: number; total: number }>()

// #region define
/** Sums `count` generated numbers per key (i % 10) at parallelism 2, on two worker threads. */
export const sumPerKey = defineStreamJob(
  import.meta.url,
  'sum-per-key',
  (env, p: { count: number }) => {
    env
      .fromSource(DataGenSource.of((i) => ({ key: i % 10, total: i }), { count: p.count }), WatermarkStrategy.noWatermarks(), 'numbers')
      .keyBy((r) => r.key)
      .sum('total')
      .sinkTo(totals)
  },
  { parallelism: 2, runtimeMode: 'BATCH' },
)
// run it with: await executeJob(sumPerKey, { count: 1000 }).result
// #endregion define

import {
  CollectSink,
  Duration,
  OutputTag,
  ProcessWindowFunction,
  StreamExecutionEnvironment,
  TumblingEventTimeWindows,
  WatermarkStrategy,
  type Collector,
  type TimeWindow,
} from '../index.js'

/** A click of a user at an event time (ms). */
export interface Click {
  readonly user: string
  readonly ts: number
}

/** How many clicks a user made in one minute of event time. */
export interface UserMinute {
  readonly user: string
  readonly minute: number
  readonly clicks: number
}

/** Clicks that came after their minute was closed (and the 10 s of allowed lateness had passed). */
export const lateClicks = new OutputTag<Click>('late-clicks')

/** Turns a window's count into a row with the user and the minute. */
class ToRow extends ProcessWindowFunction<number, UserMinute, string, TimeWindow> {
  process(user: string, ctx: ProcessWindowFunction.Context<TimeWindow>, counts: Iterable<number>, out: Collector<UserMinute>): void {
    for (const clicks of counts) out.collect({ user, minute: ctx.window.start / 60_000, clicks })
  }
}

/** Counts clicks per user and minute of event time; returns the counts and the late clicks. */
export const clicksPerMinute = async (
  clicks: readonly Click[],
  parallelism = 1,
): Promise<{ counts: UserMinute[]; late: Click[] }> => {
  const env = StreamExecutionEnvironment.create({ parallelism })
  const perMinute = env
    .fromCollection(clicks)
    .assignTimestampsAndWatermarks(
      WatermarkStrategy.forBoundedOutOfOrderness<Click>(Duration.ofSeconds(5)).withTimestampAssigner((c) => c.ts),
    )
    .keyBy((c) => c.user) //                                  KeyedStream<Click, string>
    .window(TumblingEventTimeWindows.of(Duration.ofMinutes(1)))
    .allowedLateness(Duration.ofSeconds(10))
    .sideOutputLateData(lateClicks)
    .aggregate({ createAccumulator: () => 0, add: (_c, n) => n + 1, getResult: (n) => n, merge: (a, b) => a + b }, new ToRow())
    .name('clicks-per-minute')
  const late = new CollectSink<Click>()
  perMinute.getSideOutput(lateClicks).sinkTo(late)
  const counts = await perMinute.executeAndCollect('clicks-per-minute') // resolves when the input is done
  return { counts, late: [...late.values] }
}

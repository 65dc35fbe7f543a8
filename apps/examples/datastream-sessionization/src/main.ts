// `npm start` of the sessionization example: prints each user session when it closes (and again,
// marked "updated", when a late click changes it), and late clicks as they are set aside.
// --rate N clicks/s (default 200; each click is a minute of event time), --seconds N (default 10),
// --count N (bounded), --seed N, --parallelism N.
import { StreamExecutionEnvironment } from '@strom/datastream'
import { lateClicks, sessionize, type Session } from './sessions.js'

const args = process.argv.slice(2)
const num = (name: string): number | undefined => {
  const i = args.indexOf(`--${name}`)
  if (i < 0) return undefined
  const v = Number(args[i + 1])
  if (!Number.isFinite(v) || v <= 0) throw new Error(`--${name} needs a positive number, got '${args[i + 1] ?? ''}'.`)
  return v
}
const count = num('count')
const env = StreamExecutionEnvironment.create({ parallelism: num('parallelism') ?? 2 })
const minutes = (ms: number): string => `${Math.floor(ms / 3_600_000)}h${String(Math.floor(ms / 60_000) % 60).padStart(2, '0')}`
const sessions = sessionize(env, {
  ...(count !== undefined ? { count } : { rowsPerSecond: num('rate') ?? 200 }),
  ...(num('seed') !== undefined ? { seed: num('seed')! } : {}),
})
// the last few sessions printed per user, to mark re-emissions (late firings, merges) as updates
const printed = new Map<string, [number, number][]>()
const updates = (s: Session): boolean => {
  const mine = printed.get(s.user) ?? []
  const update = mine.some(([start, end]) => s.start <= start && end <= s.end)
  printed.set(s.user, [...mine.slice(-3), [s.start, s.end]])
  return update
}
sessions.print({
  format: (s) =>
    `session ${s.user} ${minutes(s.start)}-${minutes(s.end)}: ${s.clicks} clicks, pages ${s.pages.join(' ')}${updates(s) ? '  (updated)' : ''}`,
})
sessions.getSideOutput(lateClicks).print({ format: (c) => `LATE click of ${c.user} at ${minutes(c.ts)} (${c.url})` })
const client = env.executeAsync('sessionization')
const stop = (): void => client.cancel()
process.once('SIGINT', stop)
const timer = count === undefined ? setTimeout(stop, (num('seconds') ?? 10) * 1_000) : undefined
const result = await client.result
if (timer !== undefined) clearTimeout(timer)
process.off('SIGINT', stop)
console.error(`${result.status} after ${(result.durationMs / 1000).toFixed(1)} s`)

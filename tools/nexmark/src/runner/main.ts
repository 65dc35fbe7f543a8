/**
 * `npm run nexmark`: runs the Nexmark queries, one process each, and prints events/s, CPU
 * seconds per million events, peak memory and, in latency mode, p50/p99/max latency.
 *
 * @packageDocumentation
 */
import { spawn } from 'node:child_process'
import os from 'node:os'
import { fileURLToPath } from 'node:url'
import * as E from 'fp-ts/lib/Either.js'
import { DATASTREAM_QUERIES, USAGE, parseArgs, type NexmarkRunArgs } from './args.js'
import type { ChildResult, ChildTask } from './child.js'
import { LOOP_QUERIES } from './loops.js'

const CHILD = fileURLToPath(new URL('./child-main.ts', import.meta.url))

/** Runs one task in a child process. */
const runChild = (task: ChildTask): Promise<ChildResult> =>
  new Promise((resolve) => {
    const child = spawn(process.execPath, [...process.execArgv, '--max-old-space-size=12288', CHILD, JSON.stringify(task)], { stdio: ['ignore', 'pipe', 'pipe'] })
    let out = ''
    let err = ''
    child.stdout.on('data', (d: Buffer) => (out += d.toString()))
    child.stderr.on('data', (d: Buffer) => (err += d.toString()))
    child.on('close', (code) => {
      const line = out.split('\n').find((l) => l.startsWith('NEXMARK-RESULT '))
      if (line !== undefined) resolve(JSON.parse(line.slice('NEXMARK-RESULT '.length)) as ChildResult)
      else resolve({ query: task.query, api: task.api, status: 'failed', error: `exit ${code}: ${err.trim().split('\n').slice(-3).join(' ')}`, events: task.events, seconds: 0, eventsPerSecond: 0, cpuSecondsPerMillion: 0, peakRssMiB: 0, checkpoints: 0 })
    })
  })

const fmt = (n: number, digits = 2): string => (Number.isFinite(n) ? n.toFixed(digits) : '-')
const millions = (n: number): string => (n >= 1e6 ? `${(n / 1e6).toFixed(2)} M` : `${(n / 1e3).toFixed(0)} k`)

const describeMachine = (): string => {
  const cpus = os.cpus()
  return `${cpus[0]?.model.trim() ?? 'unknown CPU'}, ${os.availableParallelism()} cores, ${(os.totalmem() / 2 ** 30).toFixed(1)} GiB, Node ${process.version}, ${process.platform} ${process.arch}`
}

const row = (r: ChildResult, args: NexmarkRunArgs): string => {
  if (r.status !== 'ok') return `| ${r.query} | ${r.api} | ${r.status === 'unsupported' ? 'needs' : 'FAILED'}: ${(r.error ?? '').split('\n')[0]!.slice(0, 160)} |`
  const perCore = r.events / (r.cpuSecondsPerMillion * (r.events / 1e6))
  const latency = r.latency === undefined ? '' : ` ${fmt(r.latency.p50, 1)} | ${fmt(r.latency.p99, 1)} | ${fmt(r.latency.max, 1)} | ${r.latency.count} |`
  return `| ${r.query} | ${r.api} | ${millions(r.events)} | ${millions(r.eventsPerSecond)} | ${millions(perCore)} | ${fmt(r.cpuSecondsPerMillion, 3)} | ${fmt(r.peakRssMiB, 0)} | ${args.checkpointMs === undefined ? '-' : r.checkpoints} |${latency}`
}

const main = async (): Promise<number> => {
  const parsed = parseArgs(process.argv.slice(2))
  if (E.isLeft(parsed)) {
    for (const p of parsed.left) process.stderr.write(`nexmark: ${p}\n`)
    process.stderr.write(`\n${USAGE}`)
    return 2
  }
  const args = parsed.right
  const latency = args.latencyRate !== undefined
  process.stdout.write(`Nexmark on ${describeMachine()}\n`)
  process.stdout.write(
    latency
      ? `latency mode: ${args.latencyRate} events/s for ${args.latencySeconds} s, parallelism ${args.parallelism}${args.checkpointMs === undefined ? '' : `, exactly-once checkpoints every ${args.checkpointMs / 1000} s`}; latency in ms (the first 5% of rows, the warm-up, left out)\n\n`
      : `${args.events} events per query, parallelism ${args.parallelism}${args.checkpointMs === undefined ? ', no checkpoints' : `, exactly-once checkpoints every ${args.checkpointMs / 1000} s`}; events/s from the first generated event to the end of the job; per core = events per CPU second (all threads)\n\n`,
  )
  if (!args.json) {
    process.stdout.write(latency ? '| query | api | events | events/s | per core | CPU s / M events | peak RSS MiB | checkpoints | p50 ms | p99 ms | max ms | rows |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |\n' : '| query | api | events | events/s | per core | CPU s / M events | peak RSS MiB | checkpoints |\n| --- | --- | ---: | ---: | ---: | ---: | ---: | ---: |\n')
  }
  let failed = false
  for (const query of args.queries) {
    const apis = [...args.apis.filter((a) => a === 'sql' || DATASTREAM_QUERIES.includes(query)), ...(!latency && LOOP_QUERIES.includes(query) && args.apis.includes('sql') ? (['loop'] as const) : [])]
    for (const api of apis) {
      const events = latency ? args.latencyRate! * args.latencySeconds : args.events
      const r = await runChild({ query, api, events, parallelism: args.parallelism, checkpointMs: args.checkpointMs, latencyRate: args.latencyRate })
      if (r.status === 'failed') failed = true
      process.stdout.write(args.json ? `${JSON.stringify(r)}\n` : `${row(r, args)}\n`)
    }
  }
  return failed ? 1 : 0
}

process.exitCode = await main()

/**
 * The entry point of a runner child process: `child-main.ts '<task as JSON>'`; prints
 * `NEXMARK-RESULT <result as JSON>`.
 *
 * @packageDocumentation
 */
import { runTask, type ChildResult, type ChildTask } from './child.js'
import { runDataStreamTask } from './datastream.js'
import { runLoop } from './loops.js'
import { generationClock } from '../generator/nexmark-generator.js'

const task = JSON.parse(process.argv[2] ?? '{}') as ChildTask

const runLoopTask = (): ChildResult => {
  const { rows } = runLoop(task.query, task.events)
  const end = performance.now()
  const cpu = process.cpuUsage(generationClock.firstEventCpu)
  const seconds = (end - generationClock.firstEventAt) / 1000
  return {
    query: task.query,
    api: task.api,
    status: rows > 0 ? 'ok' : 'failed',
    events: task.events,
    seconds,
    eventsPerSecond: task.events / seconds,
    cpuSecondsPerMillion: (cpu.user + cpu.system) / 1e6 / (task.events / 1e6),
    peakRssMiB: process.resourceUsage().maxRSS / 1024,
    checkpoints: 0,
  }
}

const result = task.api === 'loop' ? runLoopTask() : await runTask(task, runDataStreamTask)
process.stdout.write(`NEXMARK-RESULT ${JSON.stringify(result)}\n`)
process.exit(0)

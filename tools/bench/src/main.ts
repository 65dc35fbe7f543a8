// `npm run bench`: runs the scenarios and prints events/s for the engine next to a hand-written loop
// (and RxJS) doing the same work, in the same process and run.
import { DEFAULT_EVENTS, UsageError, parseArgs, usage } from './args.js'
import { describeMachine, machineInfo } from './machine.js'
import { renderJson, renderText } from './report.js'
import type { ScenarioReport } from './scenario.js'
import { SCENARIOS } from './scenarios.js'

const main = async (): Promise<void> => {
  const args = parseArgs(process.argv.slice(2))
  if (args.help) {
    console.log(usage([...SCENARIOS.keys()]))
    return
  }
  const names = args.scenarios.length > 0 ? args.scenarios : [...SCENARIOS.keys()]
  const unknown = names.filter((n) => !SCENARIOS.has(n))
  if (unknown.length > 0)
    throw new UsageError(`Unknown scenario ${unknown.map((n) => `'${n}'`).join(', ')}; known: ${[...SCENARIOS.keys()].join(', ')}.`)
  const machine = machineInfo()
  // progress goes to stderr, so that --json leaves stdout to the JSON
  const log = (line: string): void => void process.stderr.write(`${line}\n`)
  log(`machine: ${describeMachine(machine)}`)
  const reports: ScenarioReport[] = []
  for (const name of names) {
    const scenario = SCENARIOS.get(name)!
    const events = args.events ?? scenario.defaultEvents ?? DEFAULT_EVENTS
    log(`scenario ${name}: ${events.toLocaleString('en-US')} events, ${args.warmup} warm-up + ${args.rounds} rounds`)
    reports.push(
      await scenario.run(
        { events, keys: args.keys, rounds: args.rounds, warmup: args.warmup, parallel: args.parallel, only: args.only },
        log,
      ),
    )
  }
  if (args.json) console.log(renderJson(machine, reports))
  else console.log(`\n${renderText(machine, reports)}`)
}

main().catch((e: unknown) => {
  const text = e instanceof UsageError ? e.message : e instanceof Error ? (e.stack ?? e.message) : String(e)
  process.stderr.write(`bench failed: ${text}\n`)
  process.exitCode = 1
})

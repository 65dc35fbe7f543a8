// `npm run crash-test -- [--runs 100] [--seed 1] [--events 6000] [--parallelism 2] [--max-kills 3]`:
// runs the crash job in child processes, kills them with SIGKILL at random moments, and checks
// after each run that the committed output equals the golden output. Exits 1 on any difference.
import { parseArgs } from 'node:util'
import { goldenOutput } from './crash-job.js'
import { canonical, crashRun, seededRandom } from './crash-harness.js'

const { values } = parseArgs({
  options: {
    runs: { type: 'string', default: '50' },
    seed: { type: 'string', default: '1' },
    events: { type: 'string', default: '6000' },
    parallelism: { type: 'string', default: '2' },
    'max-kills': { type: 'string', default: '3' },
  },
})
const runs = Number(values.runs)
const seed = Number(values.seed)
const count = Number(values.events)
const parallelism = Number(values.parallelism)
const maxKills = Number(values['max-kills'])
for (const [name, v] of Object.entries({ runs, seed, events: count, parallelism, 'max-kills': maxKills }))
  if (!Number.isInteger(v) || v < 1) {
    console.error(`--${name} must be a positive integer.`)
    process.exit(2)
  }

const golden = canonical(goldenOutput(count))
let failed = 0
let kills = 0
let midJob = 0
const started = Date.now()
for (let run = 0; run < runs; run++) {
  const random = seededRandom(seed * 100_003 + run)
  const k = 1 + Math.floor(random() * maxKills)
  const r = await crashRun({ count, rowsPerSecond: count, parallelism, intervalMs: 40 }, k, random, 0, 1300)
  kills += r.kills
  midJob += r.resumedFrom.filter((x) => x.id !== undefined && !x.finished).length
  const got = canonical(r.output)
  const ok = got.length === golden.length && got.every((line, i) => line === golden[i])
  if (!ok) failed++
  const resumed = r.resumedFrom.map((x) => (x.id === undefined ? 'start' : x.finished ? `final ${x.id}` : `chk ${x.id}`)).join(', ')
  console.log(`run ${run + 1}/${runs}: ${r.kills} kill(s) at ${r.killTimesMs.join(', ')} ms, resumed from ${resumed}: ${ok ? 'ok' : `WRONG (${got.length} committed records, ${golden.length} expected)`}`)
}
console.log(`${runs} runs, ${kills} kills (${midJob} resumed mid-job from a checkpoint), ${failed} wrong, ${((Date.now() - started) / 1000).toFixed(1)} s`)
process.exit(failed === 0 ? 0 : 1)

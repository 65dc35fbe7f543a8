import { checkpointsScenario } from './checkpoints.js'
import { keyedSumScenario } from './keyed-sum.js'
import type { Scenario } from './scenario.js'
import { sqlScenario } from './sql.js'
import { windowsScenario } from './windows.js'

/** Every scenario, by name. */
export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map([
  [keyedSumScenario.name, keyedSumScenario],
  [windowsScenario.name, windowsScenario],
  [checkpointsScenario.name, checkpointsScenario],
  [sqlScenario.name, sqlScenario],
])

import { checkpointsScenario } from './checkpoints.js'
import { keyedSumScenario } from './keyed-sum.js'
import type { Scenario } from './scenario.js'
import { windowsScenario } from './windows.js'

/** Every scenario, by name. SQL comes later. */
export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map([
  [keyedSumScenario.name, keyedSumScenario],
  [windowsScenario.name, windowsScenario],
  [checkpointsScenario.name, checkpointsScenario],
])

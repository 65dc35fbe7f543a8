import { keyedSumScenario } from './keyed-sum.js'
import type { Scenario } from './scenario.js'

/** Every scenario, by name. Windows, SQL and checkpoints come later. */
export const SCENARIOS: ReadonlyMap<string, Scenario> = new Map([[keyedSumScenario.name, keyedSumScenario]])

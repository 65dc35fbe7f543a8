// The commands of `strom`, in the order `strom --help` lists them. A new command is a module in
// this folder that exports a `Command`, added here.
import type { Command } from '../command.js'
import { checkpointsCommand } from './checkpoints-command.js'
import { runCommand } from './run-command.js'
import { savepointCommand } from './savepoint-command.js'
import { sqlCommand } from './sql-command.js'

/**
 * Every `strom` command.
 *
 * @category CLI
 * @since 0.2.0
 */
export const COMMANDS: readonly Command[] = [runCommand, sqlCommand, savepointCommand, checkpointsCommand]

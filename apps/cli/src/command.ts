// What every `strom` command is: a name, its arguments and options (described once, for the
// parser and for `--help` alike) and what it does. The dispatcher (cli.ts) parses the command line
// with `node:util` parseArgs against this description; a command only sees checked arguments.
import { StreamError } from '@strom/runtime'

/**
 * The command line is wrong: an unknown command or option, a missing or extra argument, a value
 * that cannot be parsed. `strom` prints the message with a pointer to `--help` and exits with 2.
 *
 * @category CLI
 * @since 0.2.0
 */
export class UsageError extends StreamError {
  readonly _tag = 'UsageError'
  readonly domain = 'config'
}

/**
 * Where a command prints and what it may touch of the process: lines to standard output and
 * standard error, the directory relative paths are resolved against, and the signals that stop a
 * job. `processIo()` gives the real ones; tests give their own.
 *
 * @category CLI
 * @since 0.2.0
 */
export interface CliIo {
  /** Prints a line (or several) of results to standard output. */
  readonly out: (text: string) => void
  /** Prints a line (or several) about progress or a problem to standard error. */
  readonly err: (text: string) => void
  /** The directory relative paths on the command line are resolved against. */
  readonly cwd: string
  /** Calls `handler` on SIGINT and SIGTERM until the returned function is called. */
  readonly onSignal: (handler: (signal: NodeJS.Signals) => void) => () => void
  /** Ends the process at once (a second Ctrl-C while a job is being cancelled). */
  readonly exit: (code: number) => never
}

/**
 * The real {@link CliIo}: the console, `process.cwd()`, `process.on('SIGINT' | 'SIGTERM')`.
 *
 * @category CLI
 * @since 0.2.0
 */
export const processIo = (): CliIo => ({
  out: (text) => void process.stdout.write(`${text}\n`),
  err: (text) => void process.stderr.write(`${text}\n`),
  cwd: process.cwd(),
  onSignal: (handler) => {
    const signals: NodeJS.Signals[] = ['SIGINT', 'SIGTERM']
    for (const s of signals) process.on(s, handler)
    return () => {
      for (const s of signals) process.off(s, handler)
    }
  },
  exit: (code) => process.exit(code),
})

/**
 * A positional argument of a command.
 *
 * @category CLI
 * @since 0.2.0
 */
export interface ArgumentSpec {
  /** Its name in the usage line and in messages (`<module>`, `[jobName]`). */
  readonly name: string
  /** Whether it may be left out; optional arguments come after the required ones. */
  readonly optional?: boolean
  /** One line for `--help`. */
  readonly description: string
}

/**
 * An option of a command, as `node:util` parseArgs takes it, with what `--help` says about it.
 *
 * @category CLI
 * @since 0.2.0
 */
export interface OptionSpec {
  readonly type: 'string' | 'boolean'
  readonly short?: string
  /** The option may be given several times (its values are collected). */
  readonly multiple?: boolean
  /** The placeholder of its value in `--help` (`<json>`, `<path>`). */
  readonly valueName?: string
  /** What it does, for `--help`. */
  readonly description: string
}

/**
 * A parsed command line: the positional arguments (their number checked against the command's
 * {@link ArgumentSpec}s) and the values of the options given.
 *
 * @category CLI
 * @since 0.2.0
 */
export interface CommandArgs {
  readonly positionals: readonly string[]
  readonly options: Readonly<Record<string, string | boolean | readonly (string | boolean)[] | undefined>>
}

/**
 * A `strom` command (one module per command under `commands/`).
 *
 * @category CLI
 * @since 0.2.0
 */
export interface Command {
  /** The word after `strom`. */
  readonly name: string
  /** One line for the command list of `strom --help`. */
  readonly summary: string
  /** Paragraphs after the usage line of `strom <command> --help`. */
  readonly description: string
  readonly arguments: readonly ArgumentSpec[]
  readonly options: Readonly<Record<string, OptionSpec>>
  /** Example command lines, with a comment each, for `--help`. */
  readonly examples?: readonly string[]
  /**
   * Does the work and resolves with the exit code. Throws {@link UsageError} for a bad value on
   * the command line (exit code 2) and any other error for a failure (exit code 1); the
   * dispatcher prints the message.
   */
  readonly run: (args: CommandArgs, io: CliIo) => Promise<number>
}

/** The value of a string option, or `undefined` when it was not given. */
export const stringOption = (args: CommandArgs, name: string): string | undefined => {
  const v = args.options[name]
  return typeof v === 'string' ? v : undefined
}

/** The values of a string option that may be given several times. */
export const stringOptions = (args: CommandArgs, name: string): string[] => {
  const v = args.options[name]
  if (Array.isArray(v)) return v.filter((x): x is string => typeof x === 'string')
  return typeof v === 'string' ? [v] : []
}

/** Whether a boolean option was given. */
export const flagOption = (args: CommandArgs, name: string): boolean => args.options[name] === true

/**
 * Parses a positive integer option value (`--timeout 500`, `--timeout 2_000`).
 *
 * @throws UsageError naming the option and the value
 */
export const positiveIntegerOption = (args: CommandArgs, name: string, unit: string): number | undefined => {
  const text = stringOption(args, name)
  if (text === undefined) return undefined
  const n = /^[0-9][0-9_]*$/.test(text.trim()) ? Number(text.trim().replaceAll('_', '')) : Number.NaN
  if (!Number.isSafeInteger(n) || n <= 0) throw new UsageError(`Option --${name} needs a positive whole number of ${unit}, got '${text}'.`)
  return n
}

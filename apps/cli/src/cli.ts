// The `strom` dispatcher: `strom <command> [arguments] [options]`. Finds the command, parses its
// arguments with node:util parseArgs against the command's description, prints help and version,
// runs the command and turns what it throws into a message and an exit code.
import { readFileSync } from 'node:fs'
import { parseArgs } from 'node:util'
import { processIo, UsageError, type CliIo, type Command, type CommandArgs } from './command.js'
import { COMMANDS } from './commands/index.js'

/**
 * The version of `@strom/cli`, from its package.json.
 *
 * @category CLI
 * @since 0.2.0
 */
export const VERSION: string = (JSON.parse(readFileSync(new URL('../package.json', import.meta.url), 'utf8')) as { version: string }).version

const HELP_OPTION = { help: { type: 'boolean', short: 'h', description: 'show this help' } } as const

const optionColumn = (name: string, o: { type: string; short?: string; valueName?: string }): string =>
  `${o.short === undefined ? '    ' : `-${o.short}, `}--${name}${o.type === 'string' ? ` ${o.valueName ?? '<value>'}` : ''}`

const twoColumns = (rows: readonly (readonly [string, string])[]): string[] => {
  const width = Math.max(...rows.map(([a]) => a.length)) + 3
  return rows.map(([a, b]) => `  ${a.padEnd(width)}${b}`)
}

const argumentName = (a: { name: string; optional?: boolean }): string => (a.optional === true ? `[${a.name}]` : `<${a.name}>`)

/**
 * What `strom --help` prints.
 *
 * @category CLI
 * @since 0.2.0
 */
export const globalHelp = (): string =>
  [
    `strom ${VERSION}: run Strom jobs, take savepoints, inspect checkpoints`,
    '',
    'Usage: strom <command> [arguments] [options]',
    '',
    'Commands:',
    ...twoColumns(COMMANDS.map((c) => [c.name, c.summary])),
    '',
    'Options:',
    ...twoColumns([
      ['-h, --help', 'show this help, or with a command, the help of the command'],
      ['-V, --version', 'print the version'],
    ]),
    '',
    "Run 'strom <command> --help' (or 'strom help <command>') for a command's arguments and options.",
  ].join('\n')

/**
 * What `strom <command> --help` prints.
 *
 * @category CLI
 * @since 0.2.0
 */
export const commandHelp = (c: Command): string => {
  const options = { ...c.options, ...HELP_OPTION }
  const lines = [
    `Usage: strom ${c.name} ${c.arguments.map(argumentName).join(' ')} [options]`,
    '',
    c.summary + '.',
    '',
    c.description,
    '',
  ]
  if (c.arguments.length > 0) lines.push('Arguments:', ...twoColumns(c.arguments.map((a) => [argumentName(a), a.description])), '')
  lines.push('Options:', ...twoColumns(Object.entries(options).map(([name, o]) => [optionColumn(name, o), o.description])))
  if (c.examples !== undefined && c.examples.length > 0) lines.push('', 'Examples:', ...c.examples.map((e) => `  ${e}`))
  return lines.join('\n')
}

/** Rewords the errors of node:util parseArgs so that they name the option and the command. */
const usageErrorOf = (c: Command, e: unknown): UsageError => {
  const code = (e as NodeJS.ErrnoException).code
  const message = e instanceof Error ? e.message : String(e)
  const quoted = /'([^']*)'/.exec(message)?.[1]
  if (code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION' && quoted !== undefined) {
    const known = Object.keys({ ...c.options, ...HELP_OPTION }).map((o) => `--${o}`)
    return new UsageError(`Unknown option '${quoted}'. The options of 'strom ${c.name}' are ${known.join(', ')}.`)
  }
  if (code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const name = /--([\w-]+)/.exec(message)?.[1]
    if (name !== undefined && c.options[name]?.type === 'boolean') return new UsageError(`Option --${name} is a flag and takes no value.`)
    if (name !== undefined && message.includes('ambiguous'))
      return new UsageError(`Option --${name} needs a value, and the next argument starts with '-': write a value that starts with '-' as --${name}=<value>.`)
    if (name !== undefined) return new UsageError(`Option --${name} needs a value: --${name} ${c.options[name]?.valueName ?? '<value>'}.`)
  }
  return new UsageError(message)
}

/**
 * Parses the arguments after `strom <command>` against the command's description.
 *
 * @returns the arguments, or `'help'` when `--help` was given
 * @throws UsageError for an unknown option, an option without its value, a missing or an extra
 *   argument
 * @category CLI
 * @since 0.2.0
 */
export const parseCommandArgs = (c: Command, argv: readonly string[]): CommandArgs | 'help' => {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {}
  for (const [name, o] of Object.entries({ ...c.options, ...HELP_OPTION }))
    options[name] = { type: o.type, ...('short' in o && o.short !== undefined ? { short: o.short } : {}), ...('multiple' in o && o.multiple === true ? { multiple: true } : {}) }
  let parsed: ReturnType<typeof parseArgs>
  try {
    parsed = parseArgs({ args: [...argv], options, allowPositionals: true, strict: true })
  } catch (e) {
    throw usageErrorOf(c, e)
  }
  if (parsed.values.help === true) return 'help'
  const positionals = parsed.positionals
  const required = c.arguments.filter((a) => a.optional !== true)
  if (positionals.length < required.length) {
    const missing = required.slice(positionals.length).map(argumentName)
    throw new UsageError(`Missing argument${missing.length > 1 ? 's' : ''} ${missing.join(' ')}: strom ${c.name} ${c.arguments.map(argumentName).join(' ')}.`)
  }
  if (positionals.length > c.arguments.length) {
    const extra = positionals.slice(c.arguments.length).map((p) => `'${p}'`)
    throw new UsageError(`Unexpected argument${extra.length > 1 ? 's' : ''} ${extra.join(' ')}: strom ${c.name} takes ${c.arguments.map(argumentName).join(' ')}.`)
  }
  return { positionals, options: parsed.values }
}

const messageOf = (e: unknown): string => {
  if (!(e instanceof Error)) return `thrown value ${JSON.stringify(e) ?? String(e)}`
  return process.env.STROM_DEBUG ? (e.stack ?? e.message) : e.message
}

/**
 * Runs a `strom` command line and resolves with the exit code: what the command returned (0 on
 * success), 1 when it failed (the message on standard error), 2 for a bad command line.
 *
 * @param argv - the arguments after `strom`
 * @param io - where to print (default the console)
 * @category CLI
 * @since 0.2.0
 */
export const runCli = async (argv: readonly string[], io: CliIo = processIo()): Promise<number> => {
  const [first, ...rest] = argv
  if (first === undefined) {
    io.err(`strom: no command given.\n\n${globalHelp()}`)
    return 2
  }
  if (first === '--help' || first === '-h') {
    io.out(globalHelp())
    return 0
  }
  if (first === '--version' || first === '-V') {
    io.out(VERSION)
    return 0
  }
  const names = COMMANDS.map((c) => c.name).join(', ')
  if (first === 'help') {
    const c = rest[0] === undefined ? undefined : COMMANDS.find((x) => x.name === rest[0])
    if (rest[0] !== undefined && c === undefined) {
      io.err(`strom: unknown command '${rest[0]}'. The commands are ${names}.`)
      return 2
    }
    io.out(c === undefined ? globalHelp() : commandHelp(c))
    return 0
  }
  if (first.startsWith('-')) {
    io.err(`strom: unknown option '${first}'. Give a command first: strom <command> [options]. See 'strom --help'.`)
    return 2
  }
  const command = COMMANDS.find((c) => c.name === first)
  if (command === undefined) {
    io.err(`strom: unknown command '${first}'. The commands are ${names}. See 'strom --help'.`)
    return 2
  }
  try {
    const args = parseCommandArgs(command, rest)
    if (args === 'help') {
      io.out(commandHelp(command))
      return 0
    }
    return await command.run(args, io)
  } catch (e) {
    if (e instanceof UsageError) {
      io.err(`strom ${command.name}: ${e.message}\nSee 'strom ${command.name} --help'.`)
      return 2
    }
    io.err(`strom ${command.name}: ${messageOf(e)}`)
    return 1
  }
}

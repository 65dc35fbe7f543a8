// `strom checkpoints <checkpointDirectory> <jobName>`: lists a job's completed checkpoints and
// savepoints, and validates each one completely (docs/checkpoint-format.md).
import { readdir, stat } from 'node:fs/promises'
import { basename, join, resolve } from 'node:path'
import { CheckpointStorage, ConfigError, loadCheckpoint, METADATA_FILE_NAME, type CheckpointKind } from '@strom/runtime'
import { flagOption, stringOptions, type Command } from '../command.js'
import { formatBytes, formatTable } from '../format.js'
import { checkJobName } from './savepoint-command.js'

/**
 * One checkpoint or savepoint as `strom checkpoints` reports it (also its `--json` output).
 *
 * @category CLI
 * @since 0.2.0
 */
export interface CheckpointEntry {
  /** The checkpoint id (from the metadata; from the directory name when the metadata is unreadable). */
  readonly id: number
  readonly kind: CheckpointKind
  /** The absolute path of its directory: what `strom run --restore` takes. */
  readonly path: string
  /** Whether its metadata and every state file it names are intact. */
  readonly valid: boolean
  /** What is wrong with it, when it is not valid. */
  readonly problem?: string
  /** When it was triggered: ms since the epoch, and as an ISO-8601 UTC time. */
  readonly timestamp?: number
  readonly time?: string
  /** The job had ended when it was taken. */
  readonly finished?: boolean
  /** The number of stateful operators it holds state of. */
  readonly operators?: number
  /** The total size of its state files in bytes (the metadata file not included). */
  readonly stateSize?: number
}

const CHECKPOINT_DIR = /^chk-(0|[1-9]\d*)$/
const SAVEPOINT_DIR = /^savepoint-(0|[1-9]\d*)-[^/\\]+$/

const exists = async (path: string): Promise<boolean> => {
  try {
    await stat(path)
    return true
  } catch {
    return false
  }
}

/** The complete savepoint directories in `dir`, or `dir` itself when it is a savepoint. */
const savepointDirectories = async (dir: string): Promise<string[]> => {
  if (await exists(join(dir, METADATA_FILE_NAME))) return [dir]
  let entries
  try {
    entries = await readdir(dir, { withFileTypes: true })
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return []
    throw e
  }
  return entries.filter((e) => e.isDirectory() && SAVEPOINT_DIR.test(e.name) && !e.name.endsWith('.inprogress')).map((e) => join(dir, e.name))
}

/**
 * Loads and validates one checkpoint directory; `undefined` when it vanished meanwhile (retention
 * deleted it while the job runs) or is a savepoint of another job.
 */
const inspect = async (path: string, kind: CheckpointKind, jobName: string): Promise<CheckpointEntry | undefined> => {
  const nameId = Number((CHECKPOINT_DIR.exec(basename(path)) ?? SAVEPOINT_DIR.exec(basename(path)))?.[1] ?? Number.NaN)
  try {
    const { metadata } = await loadCheckpoint(path)
    if (metadata.jobName !== jobName) {
      if (kind === 'savepoint') return undefined
      throw new Error(`Its metadata describes job '${metadata.jobName}', not job '${jobName}'.`)
    }
    let stateSize = 0
    for (const op of metadata.operators) for (const st of op.subtasks) stateSize += st.state?.size ?? 0
    return {
      id: metadata.checkpointId,
      kind: metadata.kind,
      path,
      valid: true,
      timestamp: metadata.timestamp,
      time: new Date(metadata.timestamp).toISOString(),
      finished: metadata.finished,
      operators: metadata.operators.length,
      stateSize,
    }
  } catch (e) {
    if (!(await exists(path))) return undefined
    return { id: nameId, kind, path, valid: false, problem: e instanceof Error ? e.message : String(e) }
  }
}

/**
 * The completed checkpoints of a job (`<directory>/<jobName>/chk-<id>`) and its savepoints (in
 * `<directory>/<jobName>/savepoints/` and in `savepointDirectories`), each validated, by id.
 *
 * @category CLI
 * @since 0.2.0
 */
export const listCheckpoints = async (directory: string, jobName: string, savepointDirs: readonly string[] = []): Promise<CheckpointEntry[]> => {
  const storage = new CheckpointStorage({ directory, jobName, retained: 1, onProblem: () => {} })
  const found: [string, CheckpointKind][] = (await storage.list()).map((id) => [join(storage.jobDirectory, `chk-${id}`), 'checkpoint'])
  for (const dir of [storage.savepointDirectory, ...savepointDirs.map((d) => resolve(d))])
    for (const sp of await savepointDirectories(dir)) if (!found.some(([p]) => p === sp)) found.push([sp, 'savepoint'])
  const entries = (await Promise.all(found.map(([path, kind]) => inspect(path, kind, jobName)))).filter((e): e is CheckpointEntry => e !== undefined)
  return entries.sort((a, b) => a.id - b.id || a.path.localeCompare(b.path))
}

/**
 * The table `strom checkpoints` prints, with a line under each invalid entry saying what is wrong.
 *
 * @category CLI
 * @since 0.2.0
 */
export const formatCheckpoints = (entries: readonly CheckpointEntry[]): string => {
  const header = ['ID', 'KIND', 'TIME (UTC)', 'FINISHED', 'OPERATORS', 'STATE', 'VALID', 'PATH']
  const rows = entries.map((e) => [
    Number.isNaN(e.id) ? '?' : String(e.id),
    e.kind,
    e.time ?? '-',
    e.finished === undefined ? '-' : e.finished ? 'yes' : 'no',
    e.operators === undefined ? '-' : String(e.operators),
    e.stateSize === undefined ? '-' : formatBytes(e.stateSize),
    e.valid ? 'yes' : 'NO',
    e.path,
  ])
  const lines = formatTable(header, rows).split('\n')
  const out = [lines[0]!]
  entries.forEach((e, i) => {
    out.push(lines[i + 1]!)
    if (!e.valid) out.push(`    problem: ${e.problem}`)
  })
  return out.join('\n')
}

/**
 * `strom checkpoints`.
 *
 * @category CLI
 * @since 0.2.0
 */
export const checkpointsCommand: Command = {
  name: 'checkpoints',
  summary: "List a job's checkpoints and savepoints, and validate them",
  description: [
    'Lists the completed checkpoints of job <jobName> in <checkpointDirectory>/<jobName>/ and its savepoints',
    'in <checkpointDirectory>/<jobName>/savepoints/ (and in the directories given with --savepoints): id, kind,',
    'time, whether the job had finished, the number of stateful operators, the total size of the state',
    'files, and whether it is valid. Each one is validated completely, as a restore would: its metadata and',
    'every state file (present, recorded size, CRC-32). For a damaged one, the problem is printed under it.',
    'In-progress checkpoints are not listed.',
    '',
    'Exit code: 0 (also when some are damaged: see the VALID column, or "valid" with --json); 1 when',
    '<checkpointDirectory>/<jobName> does not exist or cannot be read.',
  ].join('\n'),
  arguments: [
    { name: 'checkpointDirectory', description: 'the checkpoint directory the job runs or ran with' },
    { name: 'jobName', description: "the job's name" },
  ],
  options: {
    savepoints: {
      type: 'string',
      multiple: true,
      valueName: '<dir>',
      description: 'also list the savepoints of the job in this directory (a --target of strom savepoint); repeatable',
    },
    json: { type: 'boolean', description: 'print JSON: { jobName, jobDirectory, checkpoints: [...] }' },
  },
  examples: ['strom checkpoints ./checkpoints orders', 'strom checkpoints ./checkpoints orders --savepoints ./savepoints --json'],
  run: async (args, io) => {
    const [checkpointDirectory, jobName] = args.positionals as [string, string]
    checkJobName(jobName)
    const directory = resolve(io.cwd, checkpointDirectory)
    const jobDirectory = join(directory, jobName)
    const savepointDirs = stringOptions(args, 'savepoints').map((d) => resolve(io.cwd, d))
    if (!(await exists(jobDirectory)) && savepointDirs.length === 0)
      throw new ConfigError(`Job '${jobName}' has no checkpoints in ${directory}: ${jobDirectory} does not exist.`)
    const entries = await listCheckpoints(directory, jobName, savepointDirs)
    if (flagOption(args, 'json')) io.out(JSON.stringify({ jobName, jobDirectory, checkpoints: entries }, null, 2))
    else if (entries.length === 0) io.out(`Job '${jobName}' has no completed checkpoints or savepoints in ${jobDirectory}.`)
    else io.out(formatCheckpoints(entries))
    return 0
  },
}

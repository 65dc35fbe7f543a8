import { mkdir, readdir, readFile, rename, rm, stat } from 'node:fs/promises'
import { basename, dirname, join, resolve } from 'node:path'
import { deserialize } from 'node:v8'
import { ConfigError, describeError, StreamError } from '../../core/errors.js'
import { CheckpointCorruptedError, CheckpointError } from './errors.js'
import { decodeFile, describeFile, encodeHeader, errnoCode, fsyncDirectory, writeFileAtomically } from './file-format.js'
import { isStateFileHandle, serializeValue, verifyStateFile, type StateFileHandle } from './state-file.js'

/**
 * A checkpoint is taken by the job itself, periodically, and deleted by retention; a savepoint is
 * triggered by a user, written where the user says, and never deleted by Strom.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export type CheckpointKind = 'checkpoint' | 'savepoint'

/**
 * What a checkpoint's `_metadata` file holds: which job and checkpoint it is, and where the state
 * of every operator subtask, source enumerator and pending commit is.
 *
 * @remarks
 * A plain, structured-clonable value, written with `node:v8` serialization inside the checksummed
 * container described in `docs/checkpoint-format.md`. State file handles are relative to the
 * checkpoint directory, so a savepoint directory can be moved or copied as a whole.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export interface CheckpointMetadata {
  /** The version of this metadata layout; a reader refuses a version it does not know. */
  readonly formatVersion: 1
  /** The name of the job that took the checkpoint. */
  readonly jobName: string
  /** The checkpoint's id, increasing within a job (savepoints take ids from the same counter). */
  readonly checkpointId: number
  /** Whether it is a periodic checkpoint or a savepoint. */
  readonly kind: CheckpointKind
  /** When the checkpoint was triggered, in ms since the epoch. */
  readonly timestamp: number
  /** The job had ended when it was taken (the final checkpoint of a bounded job). */
  readonly finished: boolean
  /** The job's maximum parallelism: the number of key groups keyed state is split into. */
  readonly maxParallelism: number
  /** The state of every stateful operator, by uid. */
  readonly operators: readonly OperatorStateMetadata[]
  /** The checkpointed state of every source's split enumerator, by source uid. */
  readonly enumerators: readonly { readonly uid: string; readonly state: unknown }[]
  /** Committables of two-phase-commit sinks not known to be committed yet, by sink uid and checkpoint. */
  readonly committables: readonly { readonly uid: string; readonly checkpointId: number; readonly items: readonly unknown[] }[]
}

/**
 * The state of one operator in a checkpoint: one entry per subtask, with the handle of the file
 * holding that subtask's state, or `undefined` when it had none.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export interface OperatorStateMetadata {
  /** The operator's stable uid, which matches state to operators on restore. */
  readonly uid: string
  /** The operator's name, for messages. */
  readonly name: string
  /** The operator's parallelism when the checkpoint was taken. */
  readonly parallelism: number
  /** The state of each subtask. */
  readonly subtasks: readonly { readonly subtaskIndex: number; readonly state: StateFileHandle | undefined }[]
}

/**
 * A complete, validated checkpoint or savepoint.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export interface CompletedCheckpoint {
  /** The absolute path of its directory. */
  readonly path: string
  /** Its metadata. */
  readonly metadata: CheckpointMetadata
}

/**
 * Options of a {@link CheckpointStorage}.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export interface CheckpointStorageOptions {
  /** The base directory; the checkpoints of job J go to `<directory>/<J>/`. */
  readonly directory: string
  /** The job's name: a plain directory name (no `/`, `\`, not `.` or `..`). */
  readonly jobName: string
  /** How many completed checkpoints to keep (at least 1; 2 or more leaves a fallback if the newest is damaged). */
  readonly retained: number
  /** Told about problems that do not fail an operation, e.g. an old checkpoint that could not be deleted. Default: `process.emitWarning`. */
  readonly onProblem?: (message: string) => void
}

/**
 * The name of the metadata file in every checkpoint directory.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export const METADATA_FILE_NAME = '_metadata'

const IN_PROGRESS = '.inprogress'
const DISCARDED = '.discarded'
const CHECKPOINT_DIR = /^chk-(0|[1-9]\d*)$/
const LEFTOVER_CHECKPOINT_DIR = /^chk-(0|[1-9]\d*)\.(inprogress|discarded)$/
const SAVEPOINT_DIR = /^savepoint-(0|[1-9]\d*)-[^/\\]+$/

const isRecord = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x)
const isNonNegativeInt = (x: unknown): x is number => typeof x === 'number' && Number.isSafeInteger(x) && x >= 0
const isPositiveInt = (x: unknown): x is number => isNonNegativeInt(x) && x > 0
const show = (x: unknown): string => {
  if (typeof x === 'bigint') return `${x}n`
  if (typeof x === 'string') return JSON.stringify(x)
  if (x === undefined || typeof x === 'number' || typeof x === 'boolean' || x === null) return String(x)
  return Array.isArray(x) ? 'an array' : `a ${typeof x}`
}

/**
 * Every way `m` fails to be a valid {@link CheckpointMetadata}, as sentence fragments.
 *
 * @internal
 */
export const metadataProblems = (m: unknown): string[] => {
  if (!isRecord(m)) return [`it is ${show(m)}, not an object`]
  const problems: string[] = []
  if (m.formatVersion !== 1) problems.push(`formatVersion is ${show(m.formatVersion)}, expected 1`)
  if (typeof m.jobName !== 'string' || m.jobName === '') problems.push(`jobName is ${show(m.jobName)}, expected a non-empty string`)
  if (!isNonNegativeInt(m.checkpointId)) problems.push(`checkpointId is ${show(m.checkpointId)}, expected a non-negative integer`)
  if (m.kind !== 'checkpoint' && m.kind !== 'savepoint') problems.push(`kind is ${show(m.kind)}, expected "checkpoint" or "savepoint"`)
  if (typeof m.timestamp !== 'number' || !Number.isFinite(m.timestamp)) problems.push(`timestamp is ${show(m.timestamp)}, expected a number`)
  if (typeof m.finished !== 'boolean') problems.push(`finished is ${show(m.finished)}, expected a boolean`)
  if (!isPositiveInt(m.maxParallelism)) problems.push(`maxParallelism is ${show(m.maxParallelism)}, expected a positive integer`)
  if (!Array.isArray(m.operators)) problems.push(`operators is ${show(m.operators)}, expected an array`)
  else {
    const uids = new Set<string>()
    m.operators.forEach((op: unknown, i) => {
      const at = `operators[${i}]`
      if (!isRecord(op)) return void problems.push(`${at} is ${show(op)}, expected an object`)
      if (typeof op.uid !== 'string') problems.push(`${at}.uid is ${show(op.uid)}, expected a string`)
      else if (uids.has(op.uid)) problems.push(`${at}.uid ${show(op.uid)} appears more than once`)
      else uids.add(op.uid)
      if (typeof op.name !== 'string') problems.push(`${at}.name is ${show(op.name)}, expected a string`)
      const parallelism = op.parallelism
      if (!isPositiveInt(parallelism)) problems.push(`${at}.parallelism is ${show(parallelism)}, expected a positive integer`)
      else if (isPositiveInt(m.maxParallelism) && parallelism > m.maxParallelism) {
        problems.push(`${at}.parallelism ${parallelism} exceeds maxParallelism ${m.maxParallelism}`)
      }
      if (!Array.isArray(op.subtasks)) return void problems.push(`${at}.subtasks is ${show(op.subtasks)}, expected an array`)
      const indexes = new Set<number>()
      op.subtasks.forEach((st: unknown, j) => {
        const sat = `${at}.subtasks[${j}]`
        if (!isRecord(st)) return void problems.push(`${sat} is ${show(st)}, expected an object`)
        const index = st.subtaskIndex
        if (!isNonNegativeInt(index) || (isPositiveInt(parallelism) && index >= parallelism)) {
          problems.push(`${sat}.subtaskIndex is ${show(index)}, expected an integer from 0 to the parallelism - 1`)
        } else if (indexes.has(index)) problems.push(`${sat}.subtaskIndex ${index} appears more than once`)
        else indexes.add(index)
        if (st.state !== undefined && !isStateFileHandle(st.state)) {
          problems.push(`${sat}.state is not a state file handle { file, size, crc32 } with a plain file name`)
        }
      })
    })
  }
  if (!Array.isArray(m.enumerators)) problems.push(`enumerators is ${show(m.enumerators)}, expected an array`)
  else {
    m.enumerators.forEach((en: unknown, i) => {
      if (!isRecord(en) || typeof en.uid !== 'string') problems.push(`enumerators[${i}] is not an object with a string uid`)
    })
  }
  if (!Array.isArray(m.committables)) problems.push(`committables is ${show(m.committables)}, expected an array`)
  else {
    m.committables.forEach((c: unknown, i) => {
      if (!isRecord(c) || typeof c.uid !== 'string' || !isNonNegativeInt(c.checkpointId) || !Array.isArray(c.items)) {
        problems.push(`committables[${i}] is not an object { uid: string, checkpointId: integer, items: array }`)
      }
    })
  }
  return problems
}

const listProblems = (problems: readonly string[]): string =>
  problems.length <= 10 ? problems.join('; ') : `${problems.slice(0, 10).join('; ')}; and ${problems.length - 10} more`

/** Runs an fs operation, turning a failure into a retriable CheckpointError that says what failed. */
const io = async <T>(what: string, f: () => Promise<T>): Promise<T> => {
  try {
    return await f()
  } catch (e) {
    if (e instanceof StreamError) throw e
    throw new CheckpointError(`Could not ${what}: ${describeError(e)}`, { cause: e, retriable: true })
  }
}

const exists = async (path: string): Promise<boolean> => {
  try {
    await stat(path)
    return true
  } catch (e) {
    if (errnoCode(e) === 'ENOENT') return false
    throw e
  }
}

/** Reads, verifies and checks the `_metadata` of a checkpoint directory. */
const readMetadata = async (dir: string): Promise<CheckpointMetadata> => {
  const path = join(dir, METADATA_FILE_NAME)
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (e) {
    if (errnoCode(e) === 'ENOENT' || errnoCode(e) === 'EISDIR') {
      throw new CheckpointCorruptedError(`${describeFile('metadata', path)} is missing: the checkpoint was never completed or is damaged.`, path, 'missing')
    }
    throw new CheckpointError(`Could not read metadata file ${path}: ${describeError(e)}`, { cause: e, retriable: true })
  }
  const body = decodeFile(bytes, path, 'metadata')
  let value: unknown
  try {
    value = deserialize(body)
  } catch (e) {
    throw new CheckpointCorruptedError(
      `${describeFile('metadata', path)} cannot be deserialized although its checksum matches: ${describeError(e)}. ` +
        'It may have been written by a newer Node.js version.',
      path,
      'undecodable',
      { cause: e },
    )
  }
  if (isRecord(value) && typeof value.formatVersion === 'number' && value.formatVersion > 1) {
    throw new CheckpointCorruptedError(
      `${describeFile('metadata', path)} has metadata format version ${value.formatVersion}: this version of Strom reads ` +
        'metadata format version 1. It was written by a newer Strom; read it with that version.',
      path,
      'unsupported-version',
    )
  }
  const problems = metadataProblems(value)
  if (problems.length > 0) {
    throw new CheckpointCorruptedError(
      `${describeFile('metadata', path)} does not describe a valid checkpoint: ${listProblems(problems)}.`,
      path,
      'bad-metadata',
    )
  }
  return value as unknown as CheckpointMetadata
}

const stateHandles = (metadata: CheckpointMetadata): { readonly op: OperatorStateMetadata; readonly subtaskIndex: number; readonly handle: StateFileHandle }[] =>
  metadata.operators.flatMap((op) =>
    op.subtasks.flatMap((st) => (st.state === undefined ? [] : [{ op, subtaskIndex: st.subtaskIndex, handle: st.state }])),
  )

/** Runs `f` on every item, at most `limit` at a time; the first failure wins. */
const forEachLimited = async <T>(items: readonly T[], limit: number, f: (item: T) => Promise<void>): Promise<void> => {
  let next = 0
  const worker = async (): Promise<void> => {
    while (next < items.length) await f(items[next++]!)
  }
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker))
}

/** Reads the metadata of `dir` and verifies every state file it names. */
const validateCheckpoint = async (dir: string): Promise<CompletedCheckpoint> => {
  const metadata = await readMetadata(dir)
  await forEachLimited(stateHandles(metadata), 8, ({ handle }) => verifyStateFile(dir, handle))
  return { path: dir, metadata }
}

/**
 * Loads a checkpoint or savepoint directory and validates it completely: its `_metadata` (header,
 * checksum, format version, fields) and every state file it names (present, recorded size,
 * recorded CRC-32).
 *
 * @remarks
 * This is how a job resumes from a savepoint a user names. `path` may be the directory or its
 * `_metadata` file. A path that does not exist, is not a directory, is an unfinished
 * (`.inprogress`) checkpoint or has no `_metadata` throws a {@link ConfigError}; a damaged or
 * too new checkpoint throws a {@link CheckpointCorruptedError}; an I/O failure a
 * {@link CheckpointError}. Each message names the path and the problem.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export const loadCheckpoint = async (path: string): Promise<CompletedCheckpoint> => {
  let dir = resolve(path)
  const st = await io(`read ${dir}`, async () => {
    try {
      return await stat(dir)
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') throw new ConfigError(`No checkpoint or savepoint at ${dir}: the path does not exist.`)
      throw e
    }
  })
  if (st.isFile() && basename(dir) === METADATA_FILE_NAME) dir = dirname(dir)
  else if (!st.isDirectory()) {
    throw new ConfigError(`${dir} is not a checkpoint or savepoint: it is a file, expected a checkpoint directory (or its ${METADATA_FILE_NAME} file).`)
  }
  if (dir.endsWith(IN_PROGRESS)) {
    throw new ConfigError(`${dir} is an unfinished checkpoint (its name ends with ${IN_PROGRESS}): it was never completed and cannot be restored from.`)
  }
  const name = basename(dir)
  if (!CHECKPOINT_DIR.test(name) && !SAVEPOINT_DIR.test(name) && !(await io(`read ${dir}`, () => exists(join(dir, METADATA_FILE_NAME))))) {
    const entries = await io(`list ${dir}`, () => readdir(dir))
    const checkpoints = entries.filter((e) => CHECKPOINT_DIR.test(e)).sort((a, b) => Number(a.slice(4)) - Number(b.slice(4)))
    const savepoints = entries.filter((e) => SAVEPOINT_DIR.test(e)).sort()
    const hint =
      checkpoints.length > 0
        ? ` It holds the checkpoints ${checkpoints.join(', ')}: pass one of those directories (the latest is ${checkpoints[checkpoints.length - 1]}).`
        : savepoints.length > 0
          ? ` It holds the savepoints ${savepoints.join(', ')}: pass one of those directories.`
          : ''
    throw new ConfigError(`${dir} is not a checkpoint or savepoint: it has no ${METADATA_FILE_NAME} file.${hint}`)
  }
  return validateCheckpoint(dir)
}

/** `20250314T093015.123Z`: a UTC time that sorts and is a valid file name everywhere. */
const fileTimestamp = (ms: number): string => new Date(ms).toISOString().replace(/[-:]/g, '')

const isValidDirectoryName = (name: string): boolean =>
  typeof name === 'string' && name !== '' && name !== '.' && name !== '..' && !/[/\\\0]/.test(name) && Buffer.byteLength(name) <= 255

/**
 * Stores a job's checkpoints in a directory: one directory per checkpoint, written atomically,
 * the latest `retained` kept; and its savepoints, never deleted.
 *
 * @remarks
 * Layout (see `docs/checkpoint-format.md`):
 * ```
 * <directory>/<jobName>/chk-7/_metadata            a complete checkpoint
 * <directory>/<jobName>/chk-7/op-...-0.state       its state files
 * <directory>/<jobName>/chk-8.inprogress/          a checkpoint being written
 * <directory>/<jobName>/savepoints/savepoint-9-20250314T093015.123Z/   a savepoint
 * ```
 * A checkpoint is written into `chk-<id>.inprogress/` (tasks call `writeStateFile` there); on
 * `complete` the `_metadata` is written and fsynced, the directory fsynced and renamed to
 * `chk-<id>`, and the parent directory fsynced. The rename is the commit point: a checkpoint is
 * complete exactly when `chk-<id>/` exists, so a crash never leaves a half-written checkpoint
 * that looks complete. Several checkpoints may be in progress and complete in any order.
 *
 * Example, from the tests:
 *
 * {@includeCode ./checkpoint-storage.spec.ts#example}
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export class CheckpointStorage {
  /** `<directory>/<jobName>`, absolute: where the job's checkpoints are. */
  readonly jobDirectory: string
  /** `<directory>/<jobName>/savepoints`: where savepoints go when `begin` is given no target directory. */
  readonly savepointDirectory: string
  readonly #jobName: string
  readonly #retained: number
  readonly #onProblem: (message: string) => void
  /** Ids whose `complete` is running: retention leaves them alone. */
  readonly #completing = new Set<number>()
  /** Retention runs one at a time. */
  #retention: Promise<void> = Promise.resolve()
  /** Whether `begin` made sure the job directory exists. */
  #jobDirectoryMade = false

  constructor(options: CheckpointStorageOptions) {
    const { directory, jobName, retained } = options
    if (typeof directory !== 'string' || directory === '') {
      throw new ConfigError(`CheckpointStorage needs a directory, got ${show(directory)}.`)
    }
    if (!isValidDirectoryName(jobName)) {
      throw new ConfigError(
        `CheckpointStorage cannot use the job name ${show(jobName)} as a directory name: ` +
          'it must be non-empty, at most 255 bytes, not "." or "..", and without "/", "\\" or NUL.',
      )
    }
    if (!isPositiveInt(retained)) {
      throw new ConfigError(`CheckpointStorage needs a number of retained checkpoints that is a positive integer, got ${show(retained)}.`)
    }
    this.jobDirectory = resolve(directory, jobName)
    this.savepointDirectory = join(this.jobDirectory, 'savepoints')
    this.#jobName = jobName
    this.#retained = retained
    this.#onProblem = options.onProblem ?? ((message) => process.emitWarning(message, 'StromCheckpointWarning'))
  }

  #checkpointPath(id: number): string {
    return join(this.jobDirectory, `chk-${id}`)
  }

  #describe(kind: CheckpointKind, id: number): string {
    return `${kind} ${id} of job ${JSON.stringify(this.#jobName)}`
  }

  /** mkdir -p that fsyncs every directory it creates and the parent of the first one. */
  async #makeDirectories(dir: string): Promise<void> {
    const first = await mkdir(dir, { recursive: true })
    if (first === undefined) return
    const created: string[] = []
    for (let d = dir; d !== first && d !== dirname(d); d = dirname(d)) created.push(d)
    created.push(first)
    for (const d of created) await fsyncDirectory(d)
    await fsyncDirectory(dirname(first))
  }

  /**
   * Starts writing checkpoint `checkpointId`: creates its in-progress directory and returns its
   * absolute path, where tasks write their state files with `writeStateFile`.
   *
   * @remarks
   * Checkpoints go to `<directory>/<job>/chk-<id>.inprogress/`; an in-progress directory left
   * there by an earlier run with the same id is replaced. A completed `chk-<id>` must not exist
   * (ids must grow: see {@link CheckpointStorage.nextCheckpointId}). Savepoints go to
   * `<targetDirectory ?? directory/<job>/savepoints>/savepoint-<id>-<UTC time>.inprogress/`.
   *
   * @param checkpointId - a non-negative integer
   * @param kind - `checkpoint` or `savepoint`
   * @param targetDirectory - for savepoints: where to put it (created if needed)
   */
  async begin(checkpointId: number, kind: CheckpointKind, targetDirectory?: string): Promise<string> {
    if (!isNonNegativeInt(checkpointId)) {
      throw new CheckpointError(`A checkpoint id must be a non-negative integer, got ${show(checkpointId)}.`)
    }
    if (kind === 'checkpoint') {
      const final = this.#checkpointPath(checkpointId)
      const path = final + IN_PROGRESS
      await io(`create the directory of ${this.#describe(kind, checkpointId)} at ${path}`, async () => {
        // (each step waits for a turn of the event loop, which the tasks of an in-thread job share: few steps)
        if (!this.#jobDirectoryMade) await this.#makeDirectories(this.jobDirectory)
        this.#jobDirectoryMade = true
        if (await exists(final)) {
          throw new CheckpointError(
            `Cannot begin ${this.#describe(kind, checkpointId)}: ${final} already exists. Checkpoint ids must be greater than ` +
              'those of the completed checkpoints (see nextCheckpointId).',
          )
        }
        try {
          await mkdir(path)
        } catch (e) {
          const code = errnoCode(e)
          if (code === 'EEXIST') await rm(path, { recursive: true, force: true }) // left by a crashed run
          else if (code === 'ENOENT') await this.#makeDirectories(this.jobDirectory) // deleted meanwhile
          else throw e
          await mkdir(path)
        }
      })
      return path
    }
    if (kind !== 'savepoint') throw new CheckpointError(`Unknown checkpoint kind ${show(kind)}: expected "checkpoint" or "savepoint".`)
    const base = resolve(targetDirectory ?? this.savepointDirectory)
    const path = join(base, `savepoint-${checkpointId}-${fileTimestamp(Date.now())}${IN_PROGRESS}`)
    await io(`create the directory of ${this.#describe(kind, checkpointId)} at ${path}`, async () => {
      await this.#makeDirectories(base)
      await mkdir(path)
    })
    return path
  }

  /**
   * Completes a checkpoint or savepoint: checks the metadata and that every state file it names
   * is there with its recorded size, writes `_metadata` (fsynced), fsyncs the directory, renames
   * it from `<name>.inprogress` to `<name>` (the commit point) and fsyncs its parent. For
   * checkpoints, then deletes the completed checkpoints beyond the latest `retained`.
   *
   * @remarks
   * Savepoints are never deleted. Retention keeps the `retained` checkpoints with the highest ids
   * and never deletes one whose `complete` is running: a checkpoint completed after a newer one
   * stays until the next completion. A failure to delete an old checkpoint does not fail this
   * call; it is reported through `onProblem`. Metadata that does not fit the directory (kind,
   * id, job) or is invalid throws a {@link CheckpointError} and leaves the directory in progress.
   *
   * @param inProgressPath - what {@link CheckpointStorage.begin} returned
   * @param metadata - the checkpoint's metadata
   */
  async complete(inProgressPath: string, metadata: CheckpointMetadata): Promise<CompletedCheckpoint> {
    const path = resolve(inProgressPath)
    if (!path.endsWith(IN_PROGRESS)) {
      throw new CheckpointError(`Cannot complete ${path}: it is not an in-progress checkpoint directory (its name does not end with ${IN_PROGRESS}).`)
    }
    const final = path.slice(0, -IN_PROGRESS.length)
    const name = basename(final)
    const match = CHECKPOINT_DIR.exec(name) ?? SAVEPOINT_DIR.exec(name)
    if (match === null) {
      throw new CheckpointError(`Cannot complete ${path}: it was not created by CheckpointStorage.begin (expected chk-<id> or savepoint-<id>-<time>).`)
    }
    const kind: CheckpointKind = name.startsWith('chk-') ? 'checkpoint' : 'savepoint'
    const id = Number(match[1])
    const what = this.#describe(kind, id)
    const problems = metadataProblems(metadata)
    if (isRecord(metadata)) {
      if (metadata.kind !== kind) problems.push(`kind is ${show(metadata.kind)}, but the directory is a ${kind}`)
      if (metadata.checkpointId !== id) problems.push(`checkpointId is ${show(metadata.checkpointId)}, but the directory is for ${id}`)
      if (metadata.jobName !== this.#jobName) problems.push(`jobName is ${show(metadata.jobName)}, but this storage is for job ${JSON.stringify(this.#jobName)}`)
    }
    if (kind === 'checkpoint' && dirname(final) !== this.jobDirectory) {
      problems.push(`the directory is not in this job's checkpoint directory ${this.jobDirectory}`)
    }
    if (problems.length > 0) {
      throw new CheckpointError(`Cannot complete ${what} at ${path}: ${listProblems(problems)}.`)
    }
    if (kind === 'checkpoint') this.#completing.add(id)
    try {
      const handles = stateHandles(metadata)
      const sizes = await Promise.all(
        handles.map(({ handle }) =>
          io(`complete ${what}`, async () => {
            try {
              return (await stat(join(path, handle.file))).size
            } catch (e) {
              if (errnoCode(e) === 'ENOENT') return undefined
              throw e
            }
          }),
        ),
      )
      for (const [i, { op, subtaskIndex, handle }] of handles.entries()) {
        const file = join(path, handle.file)
        const size = sizes[i]
        if (size !== handle.size) {
          throw new CheckpointError(
            `Cannot complete ${what}: the state file ${file} of operator ${JSON.stringify(op.uid)} subtask ${subtaskIndex} ` +
              (size === undefined ? 'is missing.' : `has ${size} bytes, the metadata records ${handle.size}.`),
          )
        }
      }
      const body = serializeValue(metadata, `the metadata of ${what}`)
      await writeFileAtomically(path, METADATA_FILE_NAME, [encodeHeader('metadata', body), body], 'metadata file')
      await io(`complete ${what} at ${path}`, async () => {
        await fsyncDirectory(path)
        if (await exists(final)) throw new CheckpointError(`Cannot complete ${what}: ${final} already exists.`)
        await rename(path, final)
        await fsyncDirectory(dirname(final))
      })
      if (kind === 'checkpoint') await this.#retain()
      return { path: final, metadata }
    } finally {
      if (kind === 'checkpoint') this.#completing.delete(id)
    }
  }

  /** Deletes the checkpoints beyond the latest `retained`, one retention run at a time. */
  #retain(): Promise<void> {
    const run = this.#retention.then(async () => {
      let ids: number[]
      try {
        ids = await this.list()
      } catch (e) {
        return this.#onProblem(`Could not list the checkpoints of job ${JSON.stringify(this.#jobName)} to delete old ones: ${describeError(e)}`)
      }
      const keep = new Set(ids.slice(-this.#retained))
      for (const id of ids) {
        if (!keep.has(id) && !this.#completing.has(id)) await this.#discard(id)
      }
    })
    this.#retention = run.catch(() => undefined)
    return run
  }

  /** Renames `chk-<id>` to `chk-<id>.discarded` (so it is never seen half-deleted) and deletes it. */
  async #discard(id: number): Promise<void> {
    const path = this.#checkpointPath(id)
    const discarded = path + DISCARDED
    try {
      await rm(discarded, { recursive: true, force: true })
      await rename(path, discarded)
      await rm(discarded, { recursive: true, force: true })
    } catch (e) {
      if (errnoCode(e) === 'ENOENT') return
      this.#onProblem(`Could not delete the old ${this.#describe('checkpoint', id)} at ${path}: ${describeError(e)}`)
    }
  }

  /**
   * Deletes an in-progress checkpoint or savepoint directory (an aborted checkpoint).
   *
   * @param inProgressPath - what {@link CheckpointStorage.begin} returned; a path whose name does
   *   not end with `.inprogress` is refused, so a completed checkpoint is never deleted this way
   */
  async abort(inProgressPath: string): Promise<void> {
    const path = resolve(inProgressPath)
    if (!path.endsWith(IN_PROGRESS)) {
      throw new CheckpointError(`Cannot abort ${path}: it is not an in-progress checkpoint directory (its name does not end with ${IN_PROGRESS}).`)
    }
    await io(`delete the aborted checkpoint directory ${path}`, () => rm(path, { recursive: true, force: true }))
  }

  /**
   * The latest complete checkpoint of the job that is valid, or `undefined` when there is none.
   *
   * @remarks
   * Valid means: its `_metadata` is intact (header, checksum, format version, fields, and it is
   * checkpoint `<id>` of this job) and every state file it names is there with the recorded size
   * and CRC-32. A damaged checkpoint is skipped (the previous one is tried) and reported through
   * `onProblem` (default: the storage's `onProblem`) with a message naming the checkpoint and the
   * file. In-progress directories are ignored. An I/O failure other than a missing file (a
   * missing permission) throws a {@link CheckpointError} instead of falling back, since restoring
   * an older checkpoint than needed would repeat commits.
   *
   * @param onProblem - told about every checkpoint skipped
   */
  async latest(onProblem?: (message: string) => void): Promise<CompletedCheckpoint | undefined> {
    const report = onProblem ?? this.#onProblem
    const ids = await this.list()
    for (let i = ids.length - 1; i >= 0; i--) {
      const id = ids[i]!
      const path = this.#checkpointPath(id)
      try {
        const checkpoint = await validateCheckpoint(path)
        const { kind, checkpointId, jobName } = checkpoint.metadata
        if (kind !== 'checkpoint' || checkpointId !== id || jobName !== this.#jobName) {
          const file = join(path, METADATA_FILE_NAME)
          throw new CheckpointCorruptedError(
            `${describeFile('metadata', file)} describes ${kind} ${checkpointId} of job ${JSON.stringify(jobName)}, not the checkpoint of its directory.`,
            file,
            'bad-metadata',
          )
        }
        return checkpoint
      } catch (e) {
        if (!(e instanceof CheckpointCorruptedError)) throw e
        const next = i > 0 ? ` Trying checkpoint ${ids[i - 1]} instead.` : ' No older checkpoint is left.'
        report(`Checkpoint ${id} of job ${JSON.stringify(this.#jobName)} at ${path} is damaged and was skipped: ${e.message}${next}`)
      }
    }
    return undefined
  }

  /** The ids of the completed checkpoints (directories `chk-<id>`), ascending. */
  async list(): Promise<number[]> {
    const entries = await io(`list the checkpoints in ${this.jobDirectory}`, async () => {
      try {
        return await readdir(this.jobDirectory, { withFileTypes: true })
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') return []
        throw e
      }
    })
    return entries
      .filter((e) => e.isDirectory() && CHECKPOINT_DIR.test(e.name))
      .map((e) => Number(e.name.slice(4)))
      .filter((id) => Number.isSafeInteger(id))
      .sort((a, b) => a - b)
  }

  /**
   * One more than the highest id of a completed or in-progress checkpoint, or 1 when there is
   * none: an id {@link CheckpointStorage.begin} accepts, also after a restore that fell back from
   * a damaged newer checkpoint.
   */
  async nextCheckpointId(): Promise<number> {
    const entries = await io(`list the checkpoints in ${this.jobDirectory}`, async () => {
      try {
        return await readdir(this.jobDirectory)
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') return []
        throw e
      }
    })
    let max = 0
    for (const name of entries) {
      const m = CHECKPOINT_DIR.exec(name) ?? LEFTOVER_CHECKPOINT_DIR.exec(name)
      if (m !== null) max = Math.max(max, Number(m[1]))
    }
    return max + 1
  }

  /**
   * Deletes what crashed runs left behind: `chk-<id>.inprogress` and `chk-<id>.discarded`
   * directories in the job directory and `*.inprogress` directories in the default savepoint
   * directory. Call it when a job starts, never while checkpoints are in progress. Returns the
   * deleted paths.
   */
  async removeLeftovers(): Promise<string[]> {
    const removed: string[] = []
    const sweep = async (dir: string, test: (name: string) => boolean): Promise<void> => {
      let names: string[]
      try {
        names = await readdir(dir)
      } catch (e) {
        if (errnoCode(e) === 'ENOENT') return
        throw e
      }
      for (const name of names.filter(test)) {
        await rm(join(dir, name), { recursive: true, force: true })
        removed.push(join(dir, name))
      }
    }
    await io(`delete leftover checkpoint directories in ${this.jobDirectory}`, async () => {
      await sweep(this.jobDirectory, (n) => LEFTOVER_CHECKPOINT_DIR.test(n))
      await sweep(this.savepointDirectory, (n) => n.startsWith('savepoint-') && n.endsWith(IN_PROGRESS))
    })
    return removed
  }

  /**
   * Removes the job's whole checkpoint directory, `<directory>/<job>/`, for temporary storage.
   * This includes savepoints written to the default savepoint directory.
   */
  async dispose(): Promise<void> {
    await io(`delete ${this.jobDirectory}`, () => rm(this.jobDirectory, { recursive: true, force: true }))
  }
}

import fc from 'fast-check'
import { cp, mkdir, mkdtemp, readdir, readFile, rm, stat, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { basename, dirname, join } from 'node:path'
import { serialize } from 'node:v8'
import { crc32 } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { ConfigError } from '../../core/errors.js'
import {
  CheckpointStorage,
  loadCheckpoint,
  METADATA_FILE_NAME,
  type CheckpointKind,
  type CheckpointMetadata,
  type OperatorStateMetadata,
} from './checkpoint-storage.js'
import { CheckpointCorruptedError, CheckpointError } from './errors.js'
import { readStateFile, stateFileName, writeStateFile } from './state-file.js'

let root: string
let counter = 0

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'strom-checkpoints-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const freshBase = (): string => join(root, `base-${counter++}`)

const JOB = 'orders'

const storageAt = (directory: string, retained = 3): CheckpointStorage => new CheckpointStorage({ directory, jobName: JOB, retained })

/** The state of subtask `s` of an operator `uid` in checkpoint `id`. */
const stateOf = (uid: string, id: number, s: number) => ({ uid, checkpoint: id, counts: new Map([[`key-${s}`, BigInt(id * 100 + s)]]) })

/** Writes one state file per subtask of two operators (one of them with an empty subtask) and returns the metadata. */
const writeStates = async (dir: string, id: number, kind: CheckpointKind = 'checkpoint'): Promise<CheckpointMetadata> => {
  const operators: OperatorStateMetadata[] = []
  for (const [uid, parallelism] of [
    ['sum', 2],
    ['window', 3],
  ] as const) {
    const subtasks = await Promise.all(
      Array.from({ length: parallelism }, async (_, s) => ({
        subtaskIndex: s,
        state: uid === 'window' && s === 2 ? undefined : await writeStateFile(dir, stateFileName(uid, s), stateOf(uid, id, s)),
      })),
    )
    operators.push({ uid, name: `${uid} operator`, parallelism, subtasks })
  }
  return {
    formatVersion: 1,
    jobName: JOB,
    checkpointId: id,
    kind,
    timestamp: 1_700_000_000_000 + id,
    finished: false,
    maxParallelism: 128,
    operators,
    enumerators: [{ uid: 'source', state: { splits: [{ path: 'in.txt', offset: 42n * BigInt(id) }] } }],
    committables: [{ uid: 'file-sink', checkpointId: id, items: [{ file: `part-${id}` }] }],
  }
}

const takeCheckpoint = async (storage: CheckpointStorage, id: number) => {
  const dir = await storage.begin(id, 'checkpoint')
  return storage.complete(dir, await writeStates(dir, id))
}

const problemsOf = () => {
  const problems: string[] = []
  return { problems, report: (m: string) => void problems.push(m) }
}

const flipByte = async (path: string, at: (length: number) => number): Promise<void> => {
  const bytes = await readFile(path)
  bytes[at(bytes.length)]! ^= 0x10
  await writeFile(path, bytes)
}

const exists = (path: string): Promise<boolean> =>
  stat(path).then(
    () => true,
    () => false,
  )

const escape = (s: string): string => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')

describe('CheckpointStorage', () => {
  it('example: takes a checkpoint and restores from the latest', async () => {
    const base = freshBase()
    const warnings: string[] = []
    const warn = (problem: string) => void warnings.push(problem)
    // #region example
    const storage = new CheckpointStorage({ directory: base, jobName: 'orders', retained: 3 })

    // tasks write their state files into the in-progress directory...
    const dir = await storage.begin(1, 'checkpoint')
    const sum0 = await writeStateFile(dir, stateFileName('sum', 0), new Map([['alice', 42n]]))
    // ...and the coordinator completes it with the metadata: from now on it is chk-1
    await storage.complete(dir, {
      formatVersion: 1,
      jobName: 'orders',
      checkpointId: 1,
      kind: 'checkpoint',
      timestamp: Date.now(),
      finished: false,
      maxParallelism: 128,
      operators: [{ uid: 'sum', name: 'Sum', parallelism: 1, subtasks: [{ subtaskIndex: 0, state: sum0 }] }],
      enumerators: [],
      committables: [],
    })

    // after a failure: the latest valid checkpoint (damaged ones are skipped and reported)
    const latest = await storage.latest(warn)
    const { state } = latest!.metadata.operators[0]!.subtasks[0]!
    const counts = await readStateFile(latest!.path, state!) // Map { 'alice' => 42n }
    // #endregion example
    expect(counts).toEqual(new Map([['alice', 42n]]))
    expect(warnings).toEqual([])
  })

  it('writes chk-<id>/ with _metadata and the state files, and restores them', async () => {
    const base = freshBase()
    const storage = new CheckpointStorage({ directory: base, jobName: 'orders', retained: 3 })
    const dir = await storage.begin(1, 'checkpoint')
    expect(dir).toBe(join(base, 'orders', 'chk-1.inprogress'))
    const metadata = await writeStates(dir, 1)
    const completed = await storage.complete(dir, metadata)
    expect(completed.path).toBe(join(base, 'orders', 'chk-1'))
    expect(await exists(dir)).toBe(false)
    expect((await readdir(completed.path)).sort()).toEqual([
      METADATA_FILE_NAME,
      stateFileName('sum', 0),
      stateFileName('sum', 1),
      stateFileName('window', 0),
      stateFileName('window', 1),
    ].sort())

    const restored = await storage.latest()
    expect(restored).toEqual(completed)
    expect(restored!.metadata).toEqual(metadata)
    const sum1 = restored!.metadata.operators[0]!.subtasks[1]!.state!
    expect(await readStateFile(restored!.path, sum1)).toEqual(stateOf('sum', 1, 1))
    expect(await storage.list()).toEqual([1])
  })

  it('returns undefined when there is no checkpoint, or only in-progress ones', async () => {
    const storage = storageAt(freshBase())
    const { problems, report } = problemsOf()
    expect(await storage.latest(report)).toBeUndefined()
    expect(await storage.list()).toEqual([])
    const dir = await storage.begin(1, 'checkpoint')
    await writeStates(dir, 1)
    expect(await storage.latest(report)).toBeUndefined()
    expect(await storage.list()).toEqual([])
    expect(problems).toEqual([])
  })

  it('ignores in-progress checkpoints newer than the latest complete one', async () => {
    const storage = storageAt(freshBase())
    await takeCheckpoint(storage, 1)
    await takeCheckpoint(storage, 2)
    const dir = await storage.begin(3, 'checkpoint')
    await writeStates(dir, 3)
    const { problems, report } = problemsOf()
    expect((await storage.latest(report))?.metadata.checkpointId).toBe(2)
    expect(problems).toEqual([])
  })

  it('falls back to the previous checkpoint when the newest is corrupt, and says why', async () => {
    const storage = storageAt(freshBase())
    await takeCheckpoint(storage, 1)
    const newest = await takeCheckpoint(storage, 2)
    const file = join(newest.path, stateFileName('window', 1))
    await flipByte(file, (n) => n - 3)
    const { problems, report } = problemsOf()
    const latest = await storage.latest(report)
    expect(latest?.metadata.checkpointId).toBe(1)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(
      new RegExp(
        `^Checkpoint 2 of job "orders" at ${escape(newest.path)} is damaged and was skipped: State file ${escape(file)} is damaged: checksum mismatch ` +
          '\\(the header records CRC-32 0x[0-9a-f]{8}, the body gives 0x[0-9a-f]{8}\\)\\. Trying checkpoint 1 instead\\.$',
      ),
    )
  })

  it.each([
    ['a missing _metadata', (p: string) => rm(join(p, METADATA_FILE_NAME)), /Metadata file .*chk-2\/_metadata is missing/],
    ['a truncated _metadata', (p: string) => truncate(join(p, METADATA_FILE_NAME), 30), /Metadata file .*chk-2\/_metadata is truncated: expected \d+ bytes \(24-byte header \+ \d+-byte body\), got 30/],
    ['a missing state file', (p: string) => rm(join(p, stateFileName('sum', 0))), /State file .*chk-2\/op-sum-[0-9a-f]{8}-0\.state is missing/],
    ['a truncated state file', (p: string) => truncate(join(p, stateFileName('sum', 1)), 10), /State file .*chk-2\/op-sum-[0-9a-f]{8}-1\.state is truncated: expected \d+ bytes, got 10/],
  ] as const)('falls back on %s', async (_name, damage, message) => {
    const storage = storageAt(freshBase())
    await takeCheckpoint(storage, 1)
    const newest = await takeCheckpoint(storage, 2)
    await damage(newest.path)
    const { problems, report } = problemsOf()
    expect((await storage.latest(report))?.metadata.checkpointId).toBe(1)
    expect(problems).toHaveLength(1)
    expect(problems[0]).toMatch(/^Checkpoint 2 of job "orders" at .*chk-2 is damaged and was skipped: /)
    expect(problems[0]).toMatch(message)
    expect(problems[0]).toMatch(/Trying checkpoint 1 instead\.$/)
  })

  it('returns undefined and reports each one when every checkpoint is damaged', async () => {
    const storage = storageAt(freshBase())
    const first = await takeCheckpoint(storage, 1)
    const second = await takeCheckpoint(storage, 2)
    await flipByte(join(first.path, METADATA_FILE_NAME), (n) => n - 1)
    await flipByte(join(second.path, METADATA_FILE_NAME), () => 0)
    const { problems, report } = problemsOf()
    expect(await storage.latest(report)).toBeUndefined()
    expect(problems).toHaveLength(2)
    expect(problems[0]).toMatch(/Checkpoint 2 .* has a bad magic number/)
    expect(problems[1]).toMatch(/Checkpoint 1 .* checksum mismatch .* No older checkpoint is left\.$/)
  })

  it('skips a checkpoint whose metadata belongs to another checkpoint', async () => {
    const storage = storageAt(freshBase())
    await takeCheckpoint(storage, 1)
    const second = await takeCheckpoint(storage, 2)
    await rm(second.path, { recursive: true })
    await cp(join(storage.jobDirectory, 'chk-1'), join(storage.jobDirectory, 'chk-5'), { recursive: true })
    const { problems, report } = problemsOf()
    expect((await storage.latest(report))?.metadata.checkpointId).toBe(1)
    expect(problems[0]).toMatch(/Checkpoint 5 .*describes checkpoint 1 of job "orders", not the checkpoint of its directory/)
  })

  it('keeps the latest `retained` checkpoints', async () => {
    const storage = storageAt(freshBase(), 2)
    for (let id = 1; id <= 5; id++) await takeCheckpoint(storage, id)
    expect(await storage.list()).toEqual([4, 5])
    expect((await readdir(storage.jobDirectory)).sort()).toEqual(['chk-4', 'chk-5'])
  })

  it('never deletes savepoints, in the default or a given directory', async () => {
    const base = freshBase()
    const storage = storageAt(base, 1)
    await takeCheckpoint(storage, 1)
    const defaultDir = await storage.begin(2, 'savepoint')
    expect(dirname(defaultDir)).toBe(join(base, JOB, 'savepoints'))
    expect(basename(defaultDir)).toMatch(/^savepoint-2-\d{8}T\d{6}\.\d{3}Z\.inprogress$/)
    const inDefault = await storage.complete(defaultDir, await writeStates(defaultDir, 2, 'savepoint'))
    expect(basename(inDefault.path)).toMatch(/^savepoint-2-\d{8}T\d{6}\.\d{3}Z$/)

    const target = join(root, `my-savepoints-${counter++}`)
    const givenDir = await storage.begin(3, 'savepoint', target)
    const inTarget = await storage.complete(givenDir, await writeStates(givenDir, 3, 'savepoint'))
    expect(dirname(inTarget.path)).toBe(target)

    for (let id = 4; id <= 7; id++) await takeCheckpoint(storage, id)
    expect(await storage.list()).toEqual([7])
    expect((await loadCheckpoint(inDefault.path)).metadata.kind).toBe('savepoint')
    expect((await loadCheckpoint(inTarget.path)).metadata.checkpointId).toBe(3)
    expect((await storage.latest())?.metadata.checkpointId).toBe(7)
  })

  it('savepoints are self-contained: a moved savepoint loads and restores', async () => {
    const storage = storageAt(freshBase())
    const dir = await storage.begin(4, 'savepoint')
    const { path } = await storage.complete(dir, await writeStates(dir, 4, 'savepoint'))
    const moved = join(root, `moved-${counter++}`)
    await cp(path, moved, { recursive: true })
    await storage.dispose()
    const loaded = await loadCheckpoint(moved)
    const window0 = loaded.metadata.operators[1]!.subtasks[0]!.state!
    expect(await readStateFile(loaded.path, window0)).toEqual(stateOf('window', 4, 0))
  })

  it('completes two checkpoints in progress at once independently, in any order', async () => {
    const storage = storageAt(freshBase(), 2)
    const [dir1, dir2] = await Promise.all([storage.begin(1, 'checkpoint'), storage.begin(2, 'checkpoint')])
    const [meta1, meta2] = await Promise.all([writeStates(dir1!, 1), writeStates(dir2!, 2)])
    // the newer one first, then both at once with a third
    await storage.complete(dir2!, meta2!)
    const dir3 = await storage.begin(3, 'checkpoint')
    const meta3 = await writeStates(dir3, 3)
    const [done1, done3] = await Promise.all([storage.complete(dir1!, meta1!), storage.complete(dir3, meta3)])
    expect(done1.metadata).toEqual(meta1)
    expect(done3.metadata).toEqual(meta3)
    expect(await storage.list()).toContain(3)
    const latest = await storage.latest()
    expect(latest?.metadata.checkpointId).toBe(3)
    expect(await readStateFile(latest!.path, latest!.metadata.operators[0]!.subtasks[0]!.state!)).toEqual(stateOf('sum', 3, 0))
  })

  it('does not delete a checkpoint while it completes, even when an older one completes last', async () => {
    const storage = storageAt(freshBase(), 1)
    const [dir1, dir2] = await Promise.all([storage.begin(1, 'checkpoint'), storage.begin(2, 'checkpoint')])
    const [meta1, meta2] = await Promise.all([writeStates(dir1!, 1), writeStates(dir2!, 2)])
    await storage.complete(dir2!, meta2!)
    const done1 = await storage.complete(dir1!, meta1!)
    expect(await exists(done1.path)).toBe(true)
    expect(await storage.list()).toEqual([1, 2])
    await takeCheckpoint(storage, 3)
    expect(await storage.list()).toEqual([3])
  })

  it('refuses to complete with a missing state file or metadata that does not fit, and stays in progress', async () => {
    const storage = storageAt(freshBase())
    const dir = await storage.begin(1, 'checkpoint')
    const metadata = await writeStates(dir, 1)
    await expect(storage.complete(dir, { ...metadata, checkpointId: 2 })).rejects.toThrow(
      /Cannot complete checkpoint 1 of job "orders" at .*chk-1\.inprogress: checkpointId is 2, but the directory is for 1\./,
    )
    await expect(storage.complete(dir, { ...metadata, kind: 'savepoint' })).rejects.toThrow(/kind is "savepoint", but the directory is a checkpoint/)
    await expect(storage.complete(dir, { ...metadata, maxParallelism: 0, operators: [{ uid: 'x', name: 'x', parallelism: 1, subtasks: [{ subtaskIndex: 1, state: undefined }] }] })).rejects.toThrow(
      /maxParallelism is 0, expected a positive integer; operators\[0\]\.subtasks\[0\]\.subtaskIndex is 1, expected an integer from 0 to the parallelism - 1/,
    )
    await rm(join(dir, stateFileName('sum', 1)))
    await expect(storage.complete(dir, metadata)).rejects.toThrow(
      new RegExp(`Cannot complete checkpoint 1 of job "orders": the state file .*${stateFileName('sum', 1)} of operator "sum" subtask 1 is missing\\.`),
    )
    expect(await exists(dir)).toBe(true)
    expect(await storage.list()).toEqual([])
    await expect(storage.complete(join(storage.jobDirectory, 'chk-1'), metadata)).rejects.toThrow(/is not an in-progress checkpoint directory/)
  })

  it('refuses to begin a checkpoint id that is already complete, and tells the next free id', async () => {
    const storage = storageAt(freshBase())
    expect(await storage.nextCheckpointId()).toBe(1)
    await takeCheckpoint(storage, 1)
    await takeCheckpoint(storage, 2)
    await storage.begin(3, 'checkpoint')
    expect(await storage.nextCheckpointId()).toBe(4)
    const error = await storage.begin(2, 'checkpoint').catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CheckpointError)
    expect((error as Error).message).toMatch(/Cannot begin checkpoint 2 of job "orders": .*chk-2 already exists/)
    await expect(storage.begin(-1, 'checkpoint')).rejects.toThrow(/non-negative integer, got -1/)
  })

  it('replaces an in-progress directory left by an earlier run with the same id', async () => {
    const storage = storageAt(freshBase())
    const stale = await storage.begin(1, 'checkpoint')
    await writeFile(join(stale, 'stale.state'), 'x')
    const dir = await storage.begin(1, 'checkpoint')
    expect(await readdir(dir)).toEqual([])
  })

  it('aborts an in-progress checkpoint, but never deletes a complete one that way', async () => {
    const storage = storageAt(freshBase())
    const done = await takeCheckpoint(storage, 1)
    const dir = await storage.begin(2, 'checkpoint')
    await writeStates(dir, 2)
    await storage.abort(dir)
    expect(await exists(dir)).toBe(false)
    await expect(storage.abort(done.path)).rejects.toThrow(/Cannot abort .*chk-1: it is not an in-progress checkpoint directory/)
    expect(await storage.list()).toEqual([1])
  })

  it('removes leftovers of crashed runs and disposes of everything', async () => {
    const storage = storageAt(freshBase())
    await takeCheckpoint(storage, 1)
    const a = await storage.begin(2, 'checkpoint')
    const b = await storage.begin(3, 'savepoint')
    await mkdir(join(storage.jobDirectory, 'chk-0.discarded'))
    expect((await storage.removeLeftovers()).sort()).toEqual([a, b, join(storage.jobDirectory, 'chk-0.discarded')].sort())
    expect((await readdir(storage.jobDirectory)).sort()).toEqual(['chk-1', 'savepoints'])
    await storage.dispose()
    expect(await exists(storage.jobDirectory)).toBe(false)
    expect(await storage.list()).toEqual([])
  })

  it('validates its options', () => {
    expect(() => new CheckpointStorage({ directory: root, jobName: 'a/b', retained: 1 })).toThrow(ConfigError)
    expect(() => new CheckpointStorage({ directory: root, jobName: '..', retained: 1 })).toThrow(/cannot use the job name ".." as a directory name/)
    expect(() => new CheckpointStorage({ directory: root, jobName: 'j', retained: 0 })).toThrow(/positive integer, got 0/)
    expect(() => new CheckpointStorage({ directory: '', jobName: 'j', retained: 1 })).toThrow(ConfigError)
  })
})

describe('loadCheckpoint', () => {
  it('loads a checkpoint given by its directory or its _metadata file', async () => {
    const storage = storageAt(freshBase())
    const done = await takeCheckpoint(storage, 1)
    expect(await loadCheckpoint(done.path)).toEqual(done)
    expect(await loadCheckpoint(join(done.path, METADATA_FILE_NAME))).toEqual(done)
  })

  it('says what is wrong with a path that is not a checkpoint', async () => {
    const storage = storageAt(freshBase())
    await takeCheckpoint(storage, 1)
    await takeCheckpoint(storage, 2)
    const inProgress = await storage.begin(3, 'checkpoint')
    const missing = join(root, 'nowhere')
    await expect(loadCheckpoint(missing)).rejects.toThrow(new ConfigError(`No checkpoint or savepoint at ${missing}: the path does not exist.`))
    await expect(loadCheckpoint(storage.jobDirectory)).rejects.toThrow(
      `${storage.jobDirectory} is not a checkpoint or savepoint: it has no _metadata file. It holds the checkpoints chk-1, chk-2: pass one of those directories (the latest is chk-2).`,
    )
    await expect(loadCheckpoint(inProgress)).rejects.toThrow(/is an unfinished checkpoint \(its name ends with \.inprogress\)/)
    const file = join(storage.jobDirectory, 'chk-1', stateFileName('sum', 0))
    await expect(loadCheckpoint(file)).rejects.toThrow(/is not a checkpoint or savepoint: it is a file/)
    for (const path of [missing, storage.jobDirectory, inProgress, file]) await expect(loadCheckpoint(path)).rejects.toBeInstanceOf(ConfigError)
  })

  it('throws CheckpointCorruptedError for a damaged savepoint', async () => {
    const storage = storageAt(freshBase())
    const dir = await storage.begin(1, 'savepoint')
    const { path } = await storage.complete(dir, await writeStates(dir, 1, 'savepoint'))
    await truncate(join(path, stateFileName('window', 0)), 40)
    const error = await loadCheckpoint(path).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CheckpointCorruptedError)
    expect((error as Error).message).toMatch(new RegExp(`State file ${escape(join(path, stateFileName('window', 0)))} is truncated: expected \\d+ bytes, got 40\\.`))
    await rm(join(path, METADATA_FILE_NAME))
    await expect(loadCheckpoint(path)).rejects.toThrow(/Metadata file .*_metadata is missing/)
  })

  /** Replaces the _metadata of `dir` with a well-formed container around `value`. */
  const rewriteMetadata = async (dir: string, value: unknown): Promise<void> => {
    const body = serialize(value)
    const header = Buffer.alloc(24)
    header.write('STRM', 0, 'latin1')
    header.writeUInt16BE(1, 4)
    header.writeUInt8(2, 6)
    header.writeBigUInt64BE(BigInt(body.length), 8)
    header.writeUInt32BE(crc32(body), 16)
    header.writeUInt32BE(crc32(header.subarray(0, 20)), 20)
    await writeFile(join(dir, METADATA_FILE_NAME), Buffer.concat([header, body]))
  }

  it('refuses metadata of a newer format version, and metadata with invalid fields', async () => {
    const storage = storageAt(freshBase())
    const done = await takeCheckpoint(storage, 1)
    await rewriteMetadata(done.path, { ...done.metadata, formatVersion: 2 })
    const error = await loadCheckpoint(done.path).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CheckpointCorruptedError)
    expect((error as CheckpointCorruptedError).reason).toBe('unsupported-version')
    expect((error as Error).message).toMatch(/_metadata has metadata format version 2: this version of Strom reads metadata format version 1\. It was written by a newer Strom/)

    await rewriteMetadata(done.path, { ...done.metadata, jobName: 7, operators: [{ uid: 'a', name: 'a', parallelism: 1, subtasks: [{ subtaskIndex: 0, state: { file: '../../x', size: 30, crc32: 1 } }] }] })
    await expect(loadCheckpoint(done.path)).rejects.toThrow(
      /_metadata does not describe a valid checkpoint: jobName is 7, expected a non-empty string; operators\[0\]\.subtasks\[0\]\.state is not a state file handle/,
    )
  })
})

describe('properties', () => {
  it('a truncated, corrupted or deleted file of the newest checkpoint never makes latest() return it', async () => {
    // a template with two checkpoints, copied for every run
    const template = freshBase()
    const storage = storageAt(template)
    await takeCheckpoint(storage, 1)
    const newest = await takeCheckpoint(storage, 2)
    const files = (await readdir(newest.path)).sort()
    const sizes = await Promise.all(files.map(async (f) => (await stat(join(newest.path, f))).size))

    const damage = fc.oneof(
      fc.record({ kind: fc.constant('truncate' as const), file: fc.nat(files.length - 1), at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }) }),
      fc.record({
        kind: fc.constant('corrupt' as const),
        file: fc.nat(files.length - 1),
        at: fc.double({ min: 0, max: 1, maxExcluded: true, noNaN: true }),
        xor: fc.integer({ min: 1, max: 255 }),
      }),
      fc.record({ kind: fc.constant('delete' as const), file: fc.nat(files.length - 1), at: fc.constant(0) }),
    )
    await fc.assert(
      fc.asyncProperty(damage, async (d) => {
        const base = freshBase()
        await cp(template, base, { recursive: true })
        const copy = storageAt(base)
        const path = join(copy.jobDirectory, 'chk-2', files[d.file]!)
        const position = Math.floor(d.at * sizes[d.file]!)
        if (d.kind === 'truncate') await truncate(path, position)
        else if (d.kind === 'delete') await rm(path)
        else {
          const bytes = await readFile(path)
          bytes[position]! ^= d.xor
          await writeFile(path, bytes)
        }
        const { problems, report } = problemsOf()
        const latest = await copy.latest(report)
        expect(latest?.metadata.checkpointId).toBe(1)
        expect(problems).toHaveLength(1)
        expect(problems[0]).toContain('Checkpoint 2 of job "orders"')
        expect(problems[0]).toContain(path)
        await rm(base, { recursive: true, force: true })
      }),
      { numRuns: 200 },
    )
  }, 60_000)
})

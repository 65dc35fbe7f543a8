import fc from 'fast-check'
import { mkdir, mkdtemp, readdir, readFile, rm, truncate, writeFile } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { deserialize } from 'node:v8'
import { crc32 } from 'node:zlib'
import { afterAll, beforeAll, describe, expect, it } from 'vitest'
import { StateError } from '../../core/errors.js'
import { CheckpointCorruptedError, CheckpointError } from './errors.js'
import { isValidStateFileName, readStateFile, stateFileName, verifyStateFile, writeStateFile, type StateFileHandle } from './state-file.js'

let root: string
let counter = 0

beforeAll(async () => {
  root = await mkdtemp(join(tmpdir(), 'strom-state-file-'))
})

afterAll(async () => {
  await rm(root, { recursive: true, force: true })
})

const freshDir = async (): Promise<string> => {
  const dir = join(root, `d-${counter++}`)
  await mkdir(dir)
  return dir
}

/** Rewrites bytes of a file in place. */
const patch = async (path: string, edit: (bytes: Buffer) => void): Promise<void> => {
  const bytes = await readFile(path)
  edit(bytes)
  await writeFile(path, bytes)
}

const rewriteHeaderCrc = (bytes: Buffer): void => {
  bytes.writeUInt32BE(crc32(bytes.subarray(0, 20)), 20)
}

const nested = {
  counts: new Map<string, bigint>([
    ['alice', 12345678901234567890n],
    ['bob', -1n],
  ]),
  seen: new Set([1, 2, 3]),
  window: { start: 0, end: 60_000, items: [{ id: 1, tags: ['a', 'b'] }, { id: 2, tags: [] }] },
  bytes: new Uint8Array([0, 1, 254, 255]),
  floats: new Float64Array([0.5, -0, Number.NaN]),
  when: new Date(1_700_000_000_000),
  missing: undefined,
  nothing: null,
  deep: new Map([[1, new Map([[2, new Set(['x'])]])]]),
}

describe('writeStateFile / readStateFile', () => {
  it('round-trips bigint, Map, Set, typed arrays, undefined and nested data', async () => {
    const dir = await freshDir()
    const handle = await writeStateFile(dir, 'op-sum-0.state', nested)
    expect(handle.file).toBe('op-sum-0.state')
    expect(await readStateFile(dir, handle)).toEqual(nested)
  })

  it('round-trips top-level primitives, undefined and cycles', async () => {
    const dir = await freshDir()
    for (const [i, value] of [undefined, null, 0, 42n, 'text', true, [], new Map()].entries()) {
      expect(await readStateFile(dir, await writeStateFile(dir, `v-${i}`, value))).toEqual(value)
    }
    const cyclic: { self?: unknown; n: number } = { n: 1 }
    cyclic.self = cyclic
    const back = (await readStateFile(dir, await writeStateFile(dir, 'cyclic', cyclic))) as typeof cyclic
    expect(back.self).toBe(back)
  })

  it('writes the documented layout: 24-byte header then the v8-serialized body', async () => {
    const dir = await freshDir()
    const handle = await writeStateFile(dir, 'layout', { a: 1n })
    const bytes = await readFile(join(dir, 'layout'))
    expect(handle.size).toBe(bytes.length)
    expect(bytes.subarray(0, 4).toString('latin1')).toBe('STRM')
    expect(bytes.readUInt16BE(4)).toBe(1) // format version
    expect(bytes.readUInt8(6)).toBe(1) // payload kind: state
    expect(bytes.readUInt8(7)).toBe(0) // flags
    expect(bytes.readBigUInt64BE(8)).toBe(BigInt(bytes.length - 24)) // body length
    expect(bytes.readUInt32BE(16)).toBe(crc32(bytes.subarray(24))) // body CRC-32
    expect(handle.crc32).toBe(bytes.readUInt32BE(16))
    expect(bytes.readUInt32BE(20)).toBe(crc32(bytes.subarray(0, 20))) // header CRC-32
    // what docs/checkpoint-format.md tells users who read a file without Strom
    expect(deserialize(bytes.subarray(24))).toEqual({ a: 1n })
  })

  it('leaves no temporary file behind and replaces a file of the same name', async () => {
    const dir = await freshDir()
    await writeStateFile(dir, 'same', 1)
    const handle = await writeStateFile(dir, 'same', 2)
    expect(await readdir(dir)).toEqual(['same'])
    expect(await readStateFile(dir, handle)).toBe(2)
  })

  it('refuses a value that is not structured-clonable, naming the file', async () => {
    const dir = await freshDir()
    const write = writeStateFile(dir, 'fn', { f: () => 1 })
    await expect(write).rejects.toThrow(StateError)
    await expect(write).rejects.toThrow(/Cannot serialize the state for state file .*fn: .*structured-clonable/)
    expect(await readdir(dir)).toEqual([])
  })

  it('refuses names that are not plain file names', async () => {
    const dir = await freshDir()
    for (const name of ['', '../escape', 'a/b', 'a\\b', '.hidden', '_metadata', 'x'.repeat(256)]) {
      await expect(writeStateFile(dir, name, 1)).rejects.toThrow(CheckpointError)
      expect(isValidStateFileName(name)).toBe(false)
    }
    await expect(writeStateFile(dir, '../escape', 1)).rejects.toThrow(/State file name "..\/escape" is not allowed/)
  })

  it('fails with a retriable CheckpointError when the directory is gone', async () => {
    const dir = join(root, 'does-not-exist')
    const error = await writeStateFile(dir, 'x', 1).catch((e: unknown) => e)
    expect(error).toBeInstanceOf(CheckpointError)
    expect((error as CheckpointError).retriable).toBe(true)
    expect((error as Error).message).toContain(join(dir, 'x'))
  })
})

describe('stateFileName', () => {
  it('makes safe, distinct names', () => {
    expect(stateFileName('Sum per user', 3)).toBe('op-Sum_per_user-478fc508-3.state')
    expect(stateFileName('sum', 0).toLowerCase()).not.toBe(stateFileName('Sum', 0).toLowerCase())
    expect(stateFileName('a/b', 0)).not.toBe(stateFileName('a_b', 0))
    for (const uid of ['../../etc', '_x', '.x', 'ü'.repeat(300), '']) expect(isValidStateFileName(stateFileName(uid, 7))).toBe(true)
  })
})

/** Each corruption, the reason, and what the message must say. */
const corruptions: readonly {
  readonly name: string
  readonly reason: CheckpointCorruptedError['reason']
  readonly message: RegExp
  readonly apply: (path: string, handle: StateFileHandle) => Promise<void>
}[] = [
  {
    name: 'truncated',
    reason: 'truncated',
    message: /is truncated: expected (\d+) bytes, got (\d+)\./,
    apply: (path, h) => truncate(path, h.size - 5),
  },
  {
    name: 'truncated to less than a header',
    reason: 'truncated',
    message: /is truncated: expected \d+ bytes, got 3\./,
    apply: (path) => truncate(path, 3),
  },
  {
    name: 'trailing bytes',
    reason: 'size-mismatch',
    message: /has \d+ bytes, expected \d+: 2 unexpected trailing bytes/,
    apply: (path) => writeFile(path, 'xx', { flag: 'a' }),
  },
  {
    name: 'a flipped body byte',
    reason: 'checksum-mismatch',
    message: /is damaged: checksum mismatch \(the header records CRC-32 0x[0-9a-f]{8}, the body gives 0x[0-9a-f]{8}\)/,
    apply: (path) => patch(path, (b) => void (b[b.length - 2]! ^= 0x40)),
  },
  {
    name: 'a flipped header byte',
    reason: 'bad-header',
    message: /has a damaged header: header checksum mismatch/,
    apply: (path) => patch(path, (b) => void (b[15]! ^= 0x01)),
  },
  {
    name: 'missing',
    reason: 'missing',
    message: /is missing\./,
    apply: (path) => rm(path),
  },
  {
    name: 'a directory in its place',
    reason: 'missing',
    message: /is missing/,
    apply: (path) => rm(path).then(() => mkdir(path)),
  },
  {
    name: 'bad magic',
    reason: 'bad-magic',
    message: /has a bad magic number: expected the bytes "STRM" \(53 54 52 4d\), found 50 4b 03 04/,
    apply: (path) => patch(path, (b) => void Buffer.from([0x50, 0x4b, 0x03, 0x04]).copy(b, 0)),
  },
  {
    name: 'a newer version',
    reason: 'unsupported-version',
    message: /has an unsupported format version 2: this version of Strom reads checkpoint format version 1\. It was written by a newer Strom/,
    apply: (path) =>
      patch(path, (b) => {
        b.writeUInt16BE(2, 4)
        rewriteHeaderCrc(b)
      }),
  },
  {
    name: 'a metadata file in place of a state file',
    reason: 'wrong-kind',
    message: /holds checkpoint metadata, not state/,
    apply: (path) =>
      patch(path, (b) => {
        b.writeUInt8(2, 6)
        rewriteHeaderCrc(b)
      }),
  },
  {
    name: 'another valid file of the same size',
    reason: 'checksum-mismatch',
    message: /does not match the checkpoint metadata: checksum mismatch \(the metadata records CRC-32 0x[0-9a-f]{8}, the file has 0x[0-9a-f]{8}\)/,
    apply: async (path, h) => {
      const replaced = await writeStateFile(join(path, '..'), h.file, { n: 'payload-y' })
      expect(replaced.size).toBe(h.size)
    },
  },
]

describe.each([
  ['readStateFile', readStateFile],
  ['verifyStateFile', verifyStateFile],
] as const)('%s detects damage', (_name, read) => {
  it.each(corruptions)('$name', async ({ reason, message, apply }) => {
    const dir = await freshDir()
    const handle = await writeStateFile(dir, 'op-sum-1.state', { n: 'payload-a' })
    const path = join(dir, 'op-sum-1.state')
    await apply(path, handle)
    const error = await read(dir, handle).then(
      () => undefined,
      (e: unknown) => e,
    )
    expect(error).toBeInstanceOf(CheckpointCorruptedError)
    const e = error as CheckpointCorruptedError
    expect(e.message).toMatch(message)
    expect(e.message).toContain(`State file ${path} `)
    expect(e.file).toBe(path)
    expect(e.reason).toBe(reason)
    expect(e.retriable).toBe(false)
    expect(e._tag).toBe('CheckpointCorruptedError')
  })

  it('refuses a handle that points outside the directory', async () => {
    const dir = await freshDir()
    await expect(read(dir, { file: '../x', size: 30, crc32: 0 })).rejects.toThrow(/invalid state file reference/)
  })
})

describe('verifyStateFile', () => {
  it('accepts a file larger than its read chunk', async () => {
    const dir = await freshDir()
    const big = Buffer.alloc(3 * 1024 * 1024 + 17)
    for (let i = 0; i < big.length; i++) big[i] = i % 251
    const handle = await writeStateFile(dir, 'big', big)
    await verifyStateFile(dir, handle)
    const back = (await readStateFile(dir, handle)) as Uint8Array
    expect(Buffer.compare(Buffer.from(back.buffer, back.byteOffset, back.byteLength), big)).toBe(0)
    // a damaged byte in the last chunk is found too
    await patch(join(dir, 'big'), (b) => void (b[b.length - 1]! ^= 1))
    await expect(verifyStateFile(dir, handle)).rejects.toThrow(/checksum mismatch/)
  })
})

describe('properties', () => {
  it('readStateFile(writeStateFile(v)) equals v for structured-clonable values', async () => {
    const dir = await freshDir()
    let i = 0
    await fc.assert(
      fc.asyncProperty(
        fc.anything({ withBigInt: true, withMap: true, withSet: true, withDate: true, withTypedArray: true, withNullPrototype: false }),
        async (value) => {
          const handle = await writeStateFile(dir, `p-${i++}`, value)
          expect(await readStateFile(dir, handle)).toEqual(value)
        },
      ),
      { numRuns: 100 },
    )
  })
})

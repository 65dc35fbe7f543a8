/**
 * The container format of every checkpoint file (state files and `_metadata`): a 24-byte header
 * and a body. Documented byte by byte in docs/checkpoint-format.md; keep the two in step.
 *
 * @internal
 * @module
 */
import { randomBytes } from 'node:crypto'
import { open, rename, unlink, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { crc32 } from 'node:zlib'
import { describeError } from '../../core/errors.js'
import { CheckpointCorruptedError, CheckpointError } from './errors.js'

/** The 4 bytes every checkpoint file starts with: ASCII `STRM`. @internal */
export const MAGIC = Buffer.from('STRM', 'latin1')
/** The newest container format version this code writes and reads. @internal */
export const FORMAT_VERSION = 1
/** Length of the version-1 header in bytes. @internal */
export const HEADER_LENGTH = 24

/** What a file's body holds. @internal */
export type PayloadKind = 'state' | 'metadata'

const KIND_CODES: Readonly<Record<PayloadKind, number>> = { state: 1, metadata: 2 }
const kindOfCode = (code: number): PayloadKind | undefined =>
  code === 1 ? 'state' : code === 2 ? 'metadata' : undefined

/** `0x0a1b2c3d`. @internal */
export const hex32 = (n: number): string => `0x${(n >>> 0).toString(16).padStart(8, '0')}`

const hexBytes = (b: Buffer): string => [...b].map((x) => x.toString(16).padStart(2, '0')).join(' ')

/** "State file /x/y" or "Metadata file /x/_metadata", the start of every message. @internal */
export const describeFile = (kind: PayloadKind, path: string): string =>
  `${kind === 'state' ? 'State file' : 'Metadata file'} ${path}`

/** The header for `body`. @internal */
export const encodeHeader = (kind: PayloadKind, body: Uint8Array): Buffer => {
  const header = Buffer.alloc(HEADER_LENGTH)
  MAGIC.copy(header, 0)
  header.writeUInt16BE(FORMAT_VERSION, 4)
  header.writeUInt8(KIND_CODES[kind], 6)
  header.writeUInt8(0, 7)
  header.writeBigUInt64BE(BigInt(body.length), 8)
  header.writeUInt32BE(crc32(body), 16)
  header.writeUInt32BE(crc32(header.subarray(0, 20)), 20)
  return header
}

/** What a valid header says. @internal */
export interface DecodedHeader {
  readonly bodyLength: number
  readonly bodyCrc32: number
}

const corrupted = (kind: PayloadKind, path: string, reason: CheckpointCorruptedError['reason'], problem: string) =>
  new CheckpointCorruptedError(`${describeFile(kind, path)} ${problem}`, path, reason)

/**
 * Checks the header of a file of `fileSize` bytes whose first bytes are `head` (at most
 * {@link HEADER_LENGTH}), in an order that gives the clearest message: magic, version (before
 * anything that a later version may change), header checksum, kind, body length.
 *
 * @internal
 */
export const decodeHeader = (head: Buffer, fileSize: number, path: string, expected: PayloadKind): DecodedHeader => {
  if (fileSize < 6) {
    throw corrupted(expected, path, 'truncated', `is truncated: expected at least ${HEADER_LENGTH} bytes (the header), got ${fileSize}.`)
  }
  if (!head.subarray(0, 4).equals(MAGIC)) {
    throw corrupted(
      expected,
      path,
      'bad-magic',
      `has a bad magic number: expected the bytes "STRM" (${hexBytes(MAGIC)}), found ${hexBytes(head.subarray(0, 4))}. ` +
        'It is not a Strom checkpoint file, or its beginning is damaged.',
    )
  }
  const version = head.readUInt16BE(4)
  if (version > FORMAT_VERSION || version === 0) {
    throw corrupted(
      expected,
      path,
      'unsupported-version',
      `has an unsupported format version ${version}: this version of Strom reads checkpoint format ${FORMAT_VERSION === 1 ? 'version 1' : `versions 1 to ${FORMAT_VERSION}`}. ` +
        (version > FORMAT_VERSION ? 'It was written by a newer Strom (read it with that version), or the file is damaged.' : 'The file is damaged.'),
    )
  }
  if (fileSize < HEADER_LENGTH) {
    throw corrupted(expected, path, 'truncated', `is truncated: expected at least ${HEADER_LENGTH} bytes (the header), got ${fileSize}.`)
  }
  const headerCrc = head.readUInt32BE(20)
  const actualHeaderCrc = crc32(head.subarray(0, 20))
  if (headerCrc !== actualHeaderCrc) {
    throw corrupted(
      expected,
      path,
      'bad-header',
      `has a damaged header: header checksum mismatch (the header records CRC-32 ${hex32(headerCrc)}, its bytes give ${hex32(actualHeaderCrc)}).`,
    )
  }
  const kind = kindOfCode(head.readUInt8(6))
  if (kind === undefined || head.readUInt8(7) !== 0) {
    throw corrupted(expected, path, 'bad-header', `has a damaged header: unknown payload kind ${head.readUInt8(6)} or flags ${head.readUInt8(7)}.`)
  }
  if (kind !== expected) {
    throw corrupted(expected, path, 'wrong-kind', `holds checkpoint ${kind}, not ${expected}: it is not the file that was expected here.`)
  }
  const bodyLength = head.readBigUInt64BE(8)
  const expectedSize = BigInt(HEADER_LENGTH) + bodyLength
  if (BigInt(fileSize) < expectedSize) {
    throw corrupted(
      expected,
      path,
      'truncated',
      `is truncated: expected ${expectedSize} bytes (${HEADER_LENGTH}-byte header + ${bodyLength}-byte body), got ${fileSize}.`,
    )
  }
  if (BigInt(fileSize) > expectedSize) {
    throw corrupted(
      expected,
      path,
      'size-mismatch',
      `has ${fileSize} bytes, expected ${expectedSize} (${HEADER_LENGTH}-byte header + ${bodyLength}-byte body): ` +
        `${BigInt(fileSize) - expectedSize} unexpected trailing bytes.`,
    )
  }
  return { bodyLength: Number(bodyLength), bodyCrc32: head.readUInt32BE(16) }
}

/** Throws when the CRC-32 computed over the body is not the one in the header. @internal */
export const checkBodyCrc = (kind: PayloadKind, path: string, header: DecodedHeader, actual: number): void => {
  if (actual !== header.bodyCrc32) {
    throw corrupted(
      kind,
      path,
      'checksum-mismatch',
      `is damaged: checksum mismatch (the header records CRC-32 ${hex32(header.bodyCrc32)}, the body gives ${hex32(actual)}).`,
    )
  }
}

/** Decodes a whole file read into memory and returns its verified body. @internal */
export const decodeFile = (bytes: Buffer, path: string, kind: PayloadKind): Buffer => {
  const header = decodeHeader(bytes.subarray(0, HEADER_LENGTH), bytes.length, path, kind)
  const body = bytes.subarray(HEADER_LENGTH)
  checkBodyCrc(kind, path, header, crc32(body))
  return body
}

/** The `code` of a Node system error, if any. @internal */
export const errnoCode = (e: unknown): string | undefined =>
  typeof e === 'object' && e !== null && typeof (e as { code?: unknown }).code === 'string' ? (e as { code: string }).code : undefined

const writeAll = async (fh: FileHandle, chunks: readonly Uint8Array[]): Promise<void> => {
  let position = 0
  for (const chunk of chunks) {
    let offset = 0
    while (offset < chunk.length) {
      const { bytesWritten } = await fh.write(chunk, offset, chunk.length - offset, position)
      offset += bytesWritten
      position += bytesWritten
    }
  }
}

/**
 * fsyncs a directory, so that entries created, renamed or removed in it survive a crash.
 * Platforms that cannot open a directory for syncing (Windows) skip it.
 *
 * @internal
 */
export const fsyncDirectory = async (dir: string): Promise<void> => {
  let fh: FileHandle | undefined
  try {
    fh = await open(dir, 'r')
    await fh.sync()
  } catch (e) {
    const code = errnoCode(e)
    if (code !== 'EISDIR' && code !== 'EPERM' && code !== 'EINVAL' && code !== 'EBADF' && code !== 'EACCES') throw e
  } finally {
    await fh?.close()
  }
}

/**
 * Writes `chunks` to `<dir>/<name>` so that the file is either absent or complete: into a temporary
 * file `.<name>.<random>.tmp` in the same directory, fsync, rename. The directory itself is not
 * fsynced (the caller does it once for many files).
 *
 * @internal
 */
export const writeFileAtomically = async (dir: string, name: string, chunks: readonly Uint8Array[], what: string): Promise<void> => {
  const target = join(dir, name)
  const temp = join(dir, `.${name}.${process.pid}-${randomBytes(6).toString('hex')}.tmp`)
  let fh: FileHandle | undefined
  try {
    fh = await open(temp, 'wx')
    await writeAll(fh, chunks)
    await fh.sync()
    await fh.close()
    fh = undefined
    await rename(temp, target)
  } catch (e) {
    await fh?.close().catch(() => undefined)
    await unlink(temp).catch(() => undefined)
    throw new CheckpointError(`Could not write ${what} ${target}: ${describeError(e)}`, {
      cause: e,
      retriable: true,
    })
  }
}

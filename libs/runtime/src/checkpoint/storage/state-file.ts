import { open, readFile, type FileHandle } from 'node:fs/promises'
import { join } from 'node:path'
import { deserialize, serialize } from 'node:v8'
import { crc32 } from 'node:zlib'
import { describeError, StateError } from '../../core/errors.js'
import { CheckpointCorruptedError, CheckpointError } from './errors.js'
import {
  checkBodyCrc,
  decodeFile,
  decodeHeader,
  describeFile,
  encodeHeader,
  errnoCode,
  HEADER_LENGTH,
  hex32,
  writeFileAtomically,
} from './file-format.js'

/**
 * Where a state file is and what it must be: its name in the checkpoint directory, its size and
 * the CRC-32 of its body. Recorded in the checkpoint's `_metadata`.
 *
 * @remarks
 * `size` is the whole file (header and body); `crc32` is the CRC-32 (ISO-HDLC, as zlib's `crc32`)
 * of the body, the same value as in the file's header. Together with the header's own checksum
 * they make any changed, missing or swapped byte detectable.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export interface StateFileHandle {
  /** The file's name, relative to the checkpoint directory. */
  readonly file: string
  /** The file's size in bytes, header included. */
  readonly size: number
  /** The CRC-32 of the file's body. */
  readonly crc32: number
}

const MAX_NAME_BYTES = 255

/**
 * Whether `name` may be used as a state file name: a plain file name (no path separator, no
 * `..`), at most 255 bytes, not starting with `.` (temporary files) or `_` (reserved for Strom's
 * own files, such as `_metadata`).
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export const isValidStateFileName = (name: string): boolean =>
  typeof name === 'string' &&
  name.length > 0 &&
  Buffer.byteLength(name) <= MAX_NAME_BYTES &&
  !/[/\\\0]/.test(name) &&
  !name.startsWith('.') &&
  !name.startsWith('_')

/**
 * A state file name for one subtask of an operator that is safe on every file system:
 * `op-<uid with other characters than letters, digits, _ and - replaced>-<crc32 of the uid>-<subtask>.state`.
 *
 * @remarks
 * The checksum of the exact uid keeps names apart that differ only in replaced characters or in
 * case (on case-insensitive file systems); long uids are shortened to 64 characters.
 *
 * @example
 * ```ts
 * stateFileName('Sum per user', 3) // 'op-Sum_per_user-478fc508-3.state'
 * ```
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export const stateFileName = (operatorUid: string, subtaskIndex: number): string => {
  const safe = operatorUid.replace(/[^A-Za-z0-9_-]/g, '_').slice(0, 64)
  const hash = crc32(Buffer.from(operatorUid, 'utf8')).toString(16).padStart(8, '0')
  return `op-${safe}-${hash}-${subtaskIndex}.state`
}

/** @internal */
export const checkStateFileName = (name: string): void => {
  if (!isValidStateFileName(name)) {
    throw new CheckpointError(
      `State file name ${JSON.stringify(name)} is not allowed: use a plain file name of at most ${MAX_NAME_BYTES} bytes, ` +
        'without path separators, that does not start with "." or "_" (see stateFileName).',
    )
  }
}

/** Serializes a value with node:v8, turning a clone error into a message that names the file. @internal */
export const serializeValue = (value: unknown, what: string): Buffer => {
  try {
    return serialize(value)
  } catch (e) {
    throw new StateError(
      `Cannot serialize ${what}: ${describeError(e)}. Checkpointed values must be structured-clonable ` +
        '(primitives incl. bigint and undefined, plain objects, arrays, Map, Set, Date, RegExp, typed arrays; no functions or symbols).',
      { cause: e },
    )
  }
}

/**
 * Writes one state file: serializes `payload` with `node:v8`, writes header and body to
 * `<dir>/<name>` atomically (a temporary file, fsync, rename) and returns its handle.
 *
 * @remarks
 * The payload may be any structured-clonable value: primitives including `bigint` and
 * `undefined`, plain objects and arrays (nested, with cycles), `Map`, `Set`, `Date`, typed arrays
 * and `Buffer`. Class instances come back as plain objects. A value that cannot be cloned (a
 * function, a symbol) throws a {@link StateError}; an I/O failure a retriable
 * {@link CheckpointError}. The directory entry is made durable when the checkpoint completes
 * (`CheckpointStorage.complete` fsyncs the directory). The format is described in
 * `docs/checkpoint-format.md`.
 *
 * @param dir - the in-progress checkpoint directory (from `CheckpointStorage.begin`)
 * @param name - a plain file name, see {@link isValidStateFileName} and {@link stateFileName}
 * @param payload - the state to write
 * @category Checkpoints
 * @since 0.2.0
 */
export const writeStateFile = async (dir: string, name: string, payload: unknown): Promise<StateFileHandle> => {
  checkStateFileName(name)
  const body = serializeValue(payload, `the state for state file ${join(dir, name)}`)
  const header = encodeHeader('state', body)
  await writeFileAtomically(dir, name, [header, body], 'state file')
  return { file: name, size: header.length + body.length, crc32: header.readUInt32BE(16) }
}

/** Whether `handle` is a well-formed {@link StateFileHandle} with a valid file name. @internal */
export const isStateFileHandle = (handle: unknown): handle is StateFileHandle => {
  const h = handle as StateFileHandle
  return (
    typeof h === 'object' &&
    h !== null &&
    typeof h.file === 'string' &&
    isValidStateFileName(h.file) &&
    Number.isSafeInteger(h.size) &&
    h.size >= HEADER_LENGTH &&
    Number.isInteger(h.crc32) &&
    h.crc32 >= 0 &&
    h.crc32 <= 0xffffffff
  )
}

const checkHandle = (dir: string, handle: StateFileHandle): string => {
  if (!isStateFileHandle(handle)) {
    throw new CheckpointCorruptedError(
      `The checkpoint metadata of ${dir} holds an invalid state file reference ${safeJson(handle)}: ` +
        `expected { file: a plain file name, size: an integer >= ${HEADER_LENGTH}, crc32: an unsigned 32-bit integer }.`,
      dir,
      'bad-metadata',
    )
  }
  return join(dir, handle.file)
}

const safeJson = (v: unknown): string => {
  try {
    return JSON.stringify(v, (_k, x: unknown) => (typeof x === 'bigint' ? `${x}n` : x)) ?? String(v)
  } catch {
    return String(v)
  }
}

const missing = (path: string): CheckpointCorruptedError =>
  new CheckpointCorruptedError(`${describeFile('state', path)} is missing.`, path, 'missing')

const ioError = (path: string, e: unknown): CheckpointError =>
  new CheckpointError(`Could not read state file ${path}: ${describeError(e)}`, { cause: e, retriable: true })

const checkSize = (path: string, handle: StateFileHandle, size: number): void => {
  if (size < handle.size) {
    throw new CheckpointCorruptedError(
      `${describeFile('state', path)} is truncated: expected ${handle.size} bytes, got ${size}.`,
      path,
      'truncated',
    )
  }
  if (size > handle.size) {
    throw new CheckpointCorruptedError(
      `${describeFile('state', path)} has ${size} bytes, expected ${handle.size}: ${size - handle.size} unexpected trailing bytes.`,
      path,
      'size-mismatch',
    )
  }
}

const checkHandleCrc = (path: string, handle: StateFileHandle, fileCrc: number): void => {
  if (fileCrc !== handle.crc32) {
    throw new CheckpointCorruptedError(
      `${describeFile('state', path)} does not match the checkpoint metadata: checksum mismatch (the metadata records CRC-32 ` +
        `${hex32(handle.crc32)}, the file has ${hex32(fileCrc)}). It was replaced by another file.`,
      path,
      'checksum-mismatch',
    )
  }
}

/**
 * Reads a state file, verifies it against its handle and its header, and deserializes it.
 *
 * @remarks
 * Checks, in order: the file exists, has the recorded size, starts with the magic bytes, has a
 * format version this Strom reads, has an intact header of the right kind, and its body has the
 * recorded CRC-32. Any failure throws a {@link CheckpointCorruptedError} whose message names the
 * file and the problem (`is truncated: expected 120 bytes, got 64`, `checksum mismatch`, `bad
 * magic number`, `unsupported format version 2`); an I/O failure throws a retriable
 * {@link CheckpointError}.
 *
 * @param dir - the checkpoint directory
 * @param handle - the file's handle, as recorded in the checkpoint metadata
 * @category Checkpoints
 * @since 0.2.0
 */
export const readStateFile = async (dir: string, handle: StateFileHandle): Promise<unknown> => {
  const path = checkHandle(dir, handle)
  let bytes: Buffer
  try {
    bytes = await readFile(path)
  } catch (e) {
    throw errnoCode(e) === 'ENOENT' || errnoCode(e) === 'EISDIR' ? missing(path) : ioError(path, e)
  }
  checkSize(path, handle, bytes.length)
  const body = decodeFile(bytes, path, 'state')
  checkHandleCrc(path, handle, bytes.readUInt32BE(16))
  try {
    return deserialize(body)
  } catch (e) {
    throw new CheckpointCorruptedError(
      `${describeFile('state', path)} cannot be deserialized although its checksum matches: ${describeError(e)}. ` +
        'It may have been written by a newer Node.js version.',
      path,
      'undecodable',
      { cause: e },
    )
  }
}

const CHUNK = 1 << 20

/**
 * Verifies a state file without deserializing it: the same checks as {@link readStateFile}, reading
 * the file in chunks of 1 MiB. Used to validate a whole checkpoint before restoring from it.
 *
 * @param dir - the checkpoint directory
 * @param handle - the file's handle, as recorded in the checkpoint metadata
 * @category Checkpoints
 * @since 0.2.0
 */
export const verifyStateFile = async (dir: string, handle: StateFileHandle): Promise<void> => {
  const path = checkHandle(dir, handle)
  let fh: FileHandle
  try {
    fh = await open(path, 'r')
  } catch (e) {
    throw errnoCode(e) === 'ENOENT' ? missing(path) : ioError(path, e)
  }
  try {
    let size: number
    let head: Buffer
    try {
      const st = await fh.stat()
      if (!st.isFile()) {
        throw new CheckpointCorruptedError(`${describeFile('state', path)} is missing: a directory or special file is in its place.`, path, 'missing')
      }
      size = st.size
      checkSize(path, handle, size)
      head = Buffer.alloc(Math.min(HEADER_LENGTH, size))
      await readFully(fh, head, 0)
    } catch (e) {
      throw e instanceof CheckpointCorruptedError ? e : ioError(path, e)
    }
    const header = decodeHeader(head, size, path, 'state')
    let crc = 0
    const buffer = Buffer.alloc(Math.min(CHUNK, Math.max(header.bodyLength, 1)))
    for (let position = HEADER_LENGTH; position < size; ) {
      const length = Math.min(buffer.length, size - position)
      let read: number
      try {
        read = await readFully(fh, buffer.subarray(0, length), position)
      } catch (e) {
        throw ioError(path, e)
      }
      if (read < length) {
        throw new CheckpointCorruptedError(`${describeFile('state', path)} is truncated: it shrank while being read.`, path, 'truncated')
      }
      crc = crc32(buffer.subarray(0, length), crc)
      position += length
    }
    checkBodyCrc('state', path, header, crc)
    checkHandleCrc(path, handle, header.bodyCrc32)
  } finally {
    await fh.close()
  }
}

/** Reads until `target` is full or the file ends; returns the bytes read. */
const readFully = async (fh: FileHandle, target: Buffer, position: number): Promise<number> => {
  let offset = 0
  while (offset < target.length) {
    const { bytesRead } = await fh.read(target, offset, target.length - offset, position + offset)
    if (bytesRead === 0) break
    offset += bytesRead
  }
  return offset
}

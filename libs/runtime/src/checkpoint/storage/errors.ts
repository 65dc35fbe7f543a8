import { StreamError } from '../../core/errors.js'

/**
 * A checkpoint or savepoint could not be written, completed, deleted or read because of an I/O
 * failure (a full disk, a missing permission) or because it was used against its contract
 * (completing a directory that is not in progress, reusing a checkpoint id).
 *
 * @remarks
 * I/O failures are `retriable`: the next checkpoint, or a restart, may succeed. Contract
 * violations are not. A checkpoint whose files are damaged raises
 * {@link CheckpointCorruptedError} instead.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export class CheckpointError extends StreamError {
  readonly _tag = 'CheckpointError'
  readonly domain = 'connector'
}

/**
 * What is wrong with a damaged checkpoint file (see {@link CheckpointCorruptedError}).
 *
 * - `missing`: a file the checkpoint needs does not exist.
 * - `truncated`: the file is shorter than recorded.
 * - `size-mismatch`: the file is longer than recorded (trailing bytes).
 * - `checksum-mismatch`: the CRC-32 of the body is not the recorded one.
 * - `bad-magic`: the file does not start with the bytes `STRM`.
 * - `unsupported-version`: the file (or the metadata) has a format version this Strom cannot read.
 * - `bad-header`: the header is damaged (its own checksum does not match).
 * - `wrong-kind`: a metadata file where a state file was expected, or the reverse.
 * - `undecodable`: the checksum matches but the body cannot be deserialized.
 * - `bad-metadata`: the metadata decodes but its fields are not a valid checkpoint description.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export type CheckpointCorruption =
  | 'missing'
  | 'truncated'
  | 'size-mismatch'
  | 'checksum-mismatch'
  | 'bad-magic'
  | 'unsupported-version'
  | 'bad-header'
  | 'wrong-kind'
  | 'undecodable'
  | 'bad-metadata'

/**
 * A checkpoint or savepoint file is missing, truncated, damaged, or in a format version this
 * version of Strom cannot read.
 *
 * @remarks
 * The message names the file and the problem (`truncated: expected 120 bytes, got 64`,
 * `checksum mismatch`, `bad magic`, `unsupported format version 2`). Not retriable: reading the
 * same bytes again fails again. `CheckpointStorage.latest` skips such a checkpoint and falls back
 * to the previous one; `loadCheckpoint` (a savepoint given by the user) throws it.
 *
 * @category Checkpoints
 * @since 0.2.0
 */
export class CheckpointCorruptedError extends StreamError {
  readonly _tag = 'CheckpointCorruptedError'
  readonly domain = 'connector'
  constructor(
    message: string,
    /** The absolute path of the damaged file (or of the checkpoint directory). */
    readonly file: string,
    /** What is wrong with it. */
    readonly reason: CheckpointCorruption,
    options?: { cause?: unknown },
  ) {
    super(message, options)
  }
}

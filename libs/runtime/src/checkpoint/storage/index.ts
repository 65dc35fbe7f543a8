/**
 * Checkpoint and savepoint storage in a directory: the documented, versioned, checksummed format
 * of `docs/checkpoint-format.md`.
 *
 * @module
 */
export { CheckpointCorruptedError, CheckpointError, type CheckpointCorruption } from './errors.js'
export { isValidStateFileName, readStateFile, stateFileName, verifyStateFile, writeStateFile, type StateFileHandle } from './state-file.js'
export {
  CheckpointStorage,
  loadCheckpoint,
  METADATA_FILE_NAME,
  type CheckpointKind,
  type CheckpointMetadata,
  type CheckpointStorageOptions,
  type CompletedCheckpoint,
  type OperatorStateMetadata,
} from './checkpoint-storage.js'

export { HeapKeyedStateBackend } from './heap-keyed-state-backend.js'
export type { HeapKeyedStateBackendOptions } from './heap-keyed-state-backend.js'
export type {
  AnyKeyedStateSnapshot,
  KeyGroupSnapshot,
  KeyGroupStateSnapshot,
  KeyedStateEntrySnapshot,
  KeyedStateSnapshot,
  SerializedKeyGroupSnapshot,
  SerializedKeyedStateSnapshot,
  SerializedStateSnapshot,
  StateColumns,
} from './keyed-state-snapshot.js'
export { HeapOperatorStateStore } from './heap-operator-state-store.js'
export type { HeapOperatorStateStoreOptions } from './heap-operator-state-store.js'
export type {
  BroadcastStateSnapshot,
  OperatorListStateMode,
  OperatorListStateSnapshot,
  OperatorStateSnapshot,
} from './operator-state-snapshot.js'

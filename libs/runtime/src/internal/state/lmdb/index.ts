export { DEFAULT_LMDB_CACHE_SIZE, LmdbKeyedStateBackend } from './lmdb-keyed-state-backend.js'
export type { LmdbKeyedStateBackendOptions } from './lmdb-keyed-state-backend.js'

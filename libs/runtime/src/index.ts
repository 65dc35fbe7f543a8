/**
 * `@strom/runtime`: the one engine under every Strom API layer.
 *
 * @remarks
 * Graphs and chaining, tasks with a single-threaded mailbox, exchanges between worker threads
 * with credit-based flow control, key groups, keyed state backends, timers, watermarks, sources and
 * sinks. User code normally reaches it through `@strom/process` or higher layers.
 *
 * @packageDocumentation
 */

// --- core ---
export * from './core/errors.js'
export * from './core/element.js'
export * from './core/collector.js'
export * from './core/output-tag.js'
export * from './core/key.js'
export * from './core/key-groups.js'
export * from './metrics/metric-group.js'

// --- operators ---
export * from './operators/output.js'
export * from './operators/stream-operator.js'
export * from './operators/abstract-stream-operator.js'
export * from './operators/simple-operators.js'

// --- state ---
export * from './state/state.js'
export * from './state/state-descriptor.js'
export * from './state/state-ttl-config.js'
export * from './state/keyed-state-backend.js'
export * from './internal/state/index.js'

// --- time & watermarks ---
export * from './time/clock.js'
export * from './time/timer-service.js'
export * from './watermark/index.js'
export * from './internal/time/index.js'
export * from './internal/watermark/index.js'

// --- sources & sinks ---
export * from './source/index.js'
export * from './sink/index.js'

// --- checkpoints ---
export * from './checkpoint/checkpointing-options.js'
export * from './checkpoint/checkpoint-listener.js'
export * from './checkpoint/restart-strategy.js'
export * from './checkpoint/storage/index.js'
export { requestSavepoint, type ControlRequest, type ControlResponse } from './internal/exec/control-requests.js'

// --- graph & execution ---
export * from './graph/partitioner.js'
export * from './graph/stream-graph.js'
export * from './graph/job-graph.js'
export * from './execution/job-definition.js'
export * from './execution/job-client.js'
export * from './execution/execute.js'

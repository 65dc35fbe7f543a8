export * from './timers-snapshot.js'
export * from './heap-internal-timer-service.js'
export * from './internal-time-service-manager-impl.js'
export * from './manual-processing-time-service.js'

export * from './status-watermark-valve.js'
export * from './reader-output-with-watermarks.js'

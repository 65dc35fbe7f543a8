/**
 * Sources: the split-based source contract and the built-in sources.
 *
 * @packageDocumentation
 */
export * from './source.js'
export * from './collection-source.js'
export * from './datagen-source.js'
export * from './file-line-source.js'

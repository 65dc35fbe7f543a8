/**
 * `@strom/tool-nexmark`: the Nexmark event generator, a faithful port of the reference Java
 * generator, as a DataStream source and as the `nexmark` table connector.
 *
 * @packageDocumentation
 */
export { JavaRandom } from './generator/java-random.js'
export * from './generator/events.js'
export * from './generator/generator-config.js'
export { NexmarkGenerator, generationClock, splitRange } from './generator/nexmark-generator.js'
export { lastBase0AuctionId, lastBase0PersonId, nextBase0AuctionId, nextBase0PersonId, nextChannel, nextExactString, nextExtra, nextLong, nextPooledExtra, nextPrice, nextString, priceOf, referencePriceOf } from './generator/model-generators.js'
export * from './nexmark-source.js'
export * from './nexmark-connector.js'
export * from './sql/queries.js'
export * from './datastream/index.js'
export * from './reference/q0-q8.js'
export * from './reference/q9-q22.js'
export * from './sql/functions.js'

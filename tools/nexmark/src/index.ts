/**
 * `@strom/tool-nexmark`: the Nexmark event generator, a faithful port of the reference Java
 * generator, as a DataStream source and as the `nexmark` table connector.
 *
 * @packageDocumentation
 */
export { JavaRandom } from './generator/java-random.js'
export * from './generator/events.js'
export * from './generator/generator-config.js'
export { NexmarkGenerator, splitRange } from './generator/nexmark-generator.js'
export { lastBase0AuctionId, lastBase0PersonId, nextBase0AuctionId, nextBase0PersonId, nextExactString, nextExtra, nextLong, nextPrice, nextString } from './generator/model-generators.js'
export * from './nexmark-source.js'
export * from './nexmark-connector.js'

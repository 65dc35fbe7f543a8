/**
 * `@strom/runtime/testing`: run one operator with a manual clock, or a whole job on bounded input.
 *
 * @packageDocumentation
 */
export {}

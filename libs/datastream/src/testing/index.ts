/**
 * `@strom/datastream/testing`: test helpers for DataStream jobs.
 *
 * @packageDocumentation
 */
export {}

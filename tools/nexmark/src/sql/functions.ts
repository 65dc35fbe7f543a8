/**
 * The user-defined functions the published Nexmark queries name with `CREATE FUNCTION ... AS
 * '<Java class>'` (what the Nexmark jar puts on Flink's class path), for `TableEnvironment.create({
 * functionClasses })`.
 *
 * @packageDocumentation
 */
import { DataTypes, type FunctionClass } from '@strom/table'

/**
 * Nexmark's `CountChar` (q14's `count_char`): how many characters of `s` equal the first of `c`;
 * 0 for a NULL `s`.
 *
 * @category SQL
 * @since 0.1.0
 */
export const countChar = (s: string | null, c: string): number => {
  let n = 0
  if (s !== null) for (const ch of s) if (ch === c[0]) n++
  return n
}

/**
 * The implementations of the classes the published queries' `CREATE FUNCTION` statements name.
 *
 * @category SQL
 * @since 0.1.0
 */
export const NEXMARK_FUNCTION_CLASSES: Readonly<Record<string, FunctionClass>> = {
  'com.github.nexmark.flink.udf.CountChar': { kind: 'scalar', fn: countChar, resultType: DataTypes.BIGINT() },
}

/**
 * The registry of built-in scalar functions and operators, by canonical upper-case name.
 *
 * @packageDocumentation
 */
import { arithmeticType } from '../../types/coercion.js'
import { ARITHMETIC_FUNCTIONS } from './arithmetic.js'
import { castFunction, isNoopCast } from './cast.js'
import { COLLECTION_FUNCTIONS } from './collection.js'
import { defineFunction, type FunctionDefinition, impl, inlined } from './definition.js'
import { LOGIC_FUNCTIONS } from './logic.js'
import { STRING_FUNCTIONS } from './string.js'
import { TEMPORAL_FUNCTIONS } from './temporal.js'

/**
 * `CAST(x AS t)`: one argument; the target is the call's type. The resolver checks the cast's
 * validity (`canCast`) and builds the call itself.
 */
const CAST = defineFunction({
  name: 'CAST',
  nulls: 'strict',
  deterministic: true,
  infer: () => `CAST needs a target type: CAST(x AS type)`,
  specialize: ({ argTypes, type, site }) => {
    const from = argTypes[0]!
    if (isNoopCast(from, type) && type.kind !== 'CHAR' && type.kind !== 'BINARY') return inlined((v: unknown) => v, ([a]) => a!)
    return impl(castFunction(from, type, site))
  },
})

/** `TRY_CAST(x AS t)`: as `CAST`, but `NULL` when the value cannot be cast. */
const TRY_CAST = defineFunction({
  name: 'TRY_CAST',
  nulls: 'strict',
  deterministic: true,
  nullableResult: true,
  infer: () => `TRY_CAST needs a target type: TRY_CAST(x AS type)`,
  specialize: ({ argTypes, type, site }) => {
    const cast = castFunction(argTypes[0]!, type, site)
    return impl((v: unknown) => {
      try {
        return cast(v)
      } catch {
        return null
      }
    })
  },
})

const ALL: readonly FunctionDefinition[] = [...LOGIC_FUNCTIONS, ...ARITHMETIC_FUNCTIONS, ...STRING_FUNCTIONS, ...TEMPORAL_FUNCTIONS, ...COLLECTION_FUNCTIONS, CAST, TRY_CAST]

const REGISTRY: ReadonlyMap<string, FunctionDefinition> = new Map(ALL.map((d) => [d.name, d]))

/** Other names of built-in functions (`CEILING` is `CEIL`). */
const ALIASES: Readonly<Record<string, string>> = { CEILING: 'CEIL' }

/**
 * The built-in function or operator with this canonical name (case-insensitive), if any.
 *
 * @category Expressions
 * @since 0.1.0
 */
export const lookupFunction = (name: string): FunctionDefinition | undefined => {
  const upper = name.toUpperCase()
  return REGISTRY.get(ALIASES[upper] ?? upper)
}

/** The canonical names of all built-in scalar functions and operators. */
export const builtinFunctionNames = (): readonly string[] => [...REGISTRY.keys()]

/** Re-exported for callers that need the arithmetic result types without the registry. */
export { arithmeticType }

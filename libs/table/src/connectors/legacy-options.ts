/**
 * Flink's legacy connector option keys (`'connector.type' = 'filesystem'`, `'connector.path'`,
 * `'format.type'`), translated to the current ones for the filesystem connector.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import { CONNECTOR_OPTION } from './options.js'
import type { OptionProblem } from './table-connector.js'

/** The legacy key that names the connector. */
export const LEGACY_CONNECTOR_TYPE = 'connector.type'

/** Keys of the legacy descriptors that carry no meaning any more (dropped). */
const IGNORED = new Set(['connector.property-version', 'format.property-version', 'format.derive-schema'])

/**
 * A table's options with Flink's legacy keys translated, for the `filesystem` connector:
 * `connector.type` becomes `connector`, `connector.path` `path`, `format.type` `format`, and
 * every other `format.<key>` becomes `<format>.<key>` (`format.field-delimiter` is
 * `csv.field-delimiter`); `connector.property-version`, `format.property-version` and
 * `format.derive-schema` (the schema always comes from the table) are dropped. Options without
 * `connector.type` come back unchanged.
 *
 * @remarks
 * Flink's legacy descriptors (before 1.11) named options this way; Nexmark's q13 still does. Only
 * the filesystem connector's keys are translated: a legacy `connector.type` of another connector
 * is a problem saying what to write instead, as is a table that sets both `connector` and
 * `connector.type`, or a key set both in its legacy and its current form.
 *
 * @category Connectors
 * @since 0.2.0
 */
export const translateLegacyOptions = (options: ReadonlyMap<string, string>): E.Either<readonly OptionProblem[], ReadonlyMap<string, string>> => {
  const type = options.get(LEGACY_CONNECTOR_TYPE)
  if (type === undefined) return E.right(options)
  if (options.has(CONNECTOR_OPTION))
    return E.left([{ option: LEGACY_CONNECTOR_TYPE, message: `Set either 'connector' or the legacy 'connector.type', not both.` }])
  if (type !== 'filesystem')
    return E.left([
      {
        option: LEGACY_CONNECTOR_TYPE,
        message: `The legacy option keys ('connector.type' = '${type}') are only translated for the filesystem connector; write 'connector' = '${type}' and that connector's current options.`,
      },
    ])
  const format = options.get('format.type')
  const out = new Map<string, string>()
  const problems: OptionProblem[] = []
  const put = (key: string, value: string, from: string): void => {
    if (out.has(key)) problems.push({ option: from, message: `Option '${key}' is set twice: once by its legacy key and once as '${key}'.` })
    else out.set(key, value)
  }
  for (const [key, value] of options) {
    if (IGNORED.has(key)) continue
    if (key === LEGACY_CONNECTOR_TYPE) put(CONNECTOR_OPTION, value, key)
    else if (key === 'connector.path') put('path', value, key)
    else if (key === 'format.type') put('format', value, key)
    else if (key.startsWith('format.') && format !== undefined) put(`${format}.${key.slice('format.'.length)}`, value, key)
    else put(key, value, key)
  }
  return problems.length > 0 ? E.left(problems) : E.right(out)
}

/**
 * The registry of table connectors: which factory builds the source or sink of a table, by its
 * `connector` option.
 *
 * @remarks
 * {@link ConnectorRegistry.withBuiltins} holds `datagen`, `filesystem`, `print` and `blackhole`;
 * connector packages add theirs with {@link ConnectorRegistry.register}. The planner asks the
 * registry for a table's source or sink ({@link ConnectorRegistry.createScanSource},
 * {@link ConnectorRegistry.createSink}), which finds the factory and lets it check the options;
 * every problem comes back together, each naming its option.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import { ConfigError } from '@strom/runtime'
import { blackholeConnector } from './blackhole.js'
import { dataGenConnector } from './datagen.js'
import { fileSystemConnector } from './filesystem.js'
import { CONNECTOR_OPTION } from './options.js'
import { printConnector } from './print.js'
import type { ConnectorContext, LookupTableSource, OptionProblem, ScanTableSource, TableConnectorFactory, TableSink } from './table-connector.js'

/**
 * Table connector factories by identifier.
 *
 * @category Connectors
 * @since 0.1.0
 */
export class ConnectorRegistry {
  private readonly factories = new Map<string, TableConnectorFactory>()

  /** A registry holding `factories` (none by default; see {@link ConnectorRegistry.withBuiltins}). */
  constructor(factories: Iterable<TableConnectorFactory> = []) {
    for (const f of factories) this.register(f)
  }

  /** A registry with the built-in connectors: `blackhole`, `datagen`, `filesystem`, `print`. */
  static withBuiltins(): ConnectorRegistry {
    return new ConnectorRegistry([blackholeConnector, dataGenConnector, fileSystemConnector, printConnector])
  }

  /**
   * Adds a connector factory.
   *
   * @param options - `replace: true` replaces a factory with the same identifier (e.g. `print`
   * printing into a test's buffer)
   * @throws ConfigError when a factory with the same identifier is registered and `replace` is not set
   */
  register(factory: TableConnectorFactory, options: { readonly replace?: boolean } = {}): this {
    if (this.factories.has(factory.identifier) && options.replace !== true)
      throw new ConfigError(`Multiple table connector factories for the identifier '${factory.identifier}': one is registered already (register with { replace: true } to replace it).`)
    this.factories.set(factory.identifier, factory)
    return this
  }

  /** The factory with this identifier, if registered. */
  find(identifier: string): TableConnectorFactory | undefined {
    return this.factories.get(identifier)
  }

  /** The registered identifiers, sorted. */
  identifiers(): string[] {
    return [...this.factories.keys()].sort()
  }

  /**
   * The factory named by a table's `connector` option, or why there is none (no `connector`
   * option; an unknown identifier, listing the available ones).
   */
  factoryFor(options: ReadonlyMap<string, string>): E.Either<readonly OptionProblem[], TableConnectorFactory> {
    const identifier = options.get(CONNECTOR_OPTION)
    if (identifier === undefined)
      return E.left([{ option: CONNECTOR_OPTION, message: `Table options do not contain an option key '${CONNECTOR_OPTION}' for discovering a connector.` }])
    const factory = this.factories.get(identifier)
    if (factory === undefined)
      return E.left([
        {
          option: CONNECTOR_OPTION,
          message: `Could not find any factory for identifier '${identifier}' that implements a table connector. Available factory identifiers are: ${this.identifiers().join(', ')}.`,
        },
      ])
    return E.right(factory)
  }

  /** The scan source of a table, or the problems (including a connector that can only be written). */
  createScanSource(ctx: ConnectorContext): E.Either<readonly OptionProblem[], ScanTableSource> {
    return E.flatMap(this.factoryFor(ctx.options), (f) =>
      f.createScanSource === undefined ? E.left([unsupported(f, ctx, 'only be used as a sink. It cannot be used as a source')]) : f.createScanSource(ctx),
    )
  }

  /** The lookup source of a table (for lookup joins), or the problems. */
  createLookupSource(ctx: ConnectorContext): E.Either<readonly OptionProblem[], LookupTableSource> {
    return E.flatMap(this.factoryFor(ctx.options), (f) =>
      f.createLookupSource === undefined ? E.left([unsupported(f, ctx, 'not be used for lookup joins')]) : f.createLookupSource(ctx),
    )
  }

  /** The sink of a table, or the problems (including a connector that can only be read). */
  createSink(ctx: ConnectorContext): E.Either<readonly OptionProblem[], TableSink> {
    return E.flatMap(this.factoryFor(ctx.options), (f) =>
      f.createSink === undefined ? E.left([unsupported(f, ctx, 'only be used as a source. It cannot be used as a sink')]) : f.createSink(ctx),
    )
  }
}

const unsupported = (f: TableConnectorFactory, ctx: ConnectorContext, what: string): OptionProblem => ({
  option: CONNECTOR_OPTION,
  message: `Connector '${f.identifier}' (table '${ctx.tableName}') can ${what}.`,
})

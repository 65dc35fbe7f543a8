import * as E from 'fp-ts/lib/Either.js'
import { ConfigError, type Sink } from '@strom/runtime'
import { describe, expect, it } from 'vitest'
import { ChangelogModes, RowKind } from '../data/row.js'
import { DataTypes } from '../types/data-type.js'
import { col } from '../formats/values.fixture.js'
import { blackholeConnector } from './blackhole.js'
import { problems, right, tableContext } from './connector.fixture.js'
import { ConnectorRegistry } from './connector-registry.js'
import { createPrintConnector } from './print.js'
import type { TableConnectorFactory } from './table-connector.js'
import { fakeWriterContext } from './test-kit.js'

const COLUMNS = [col('a', DataTypes.INT())]

describe('ConnectorRegistry', () => {
  const registry = ConnectorRegistry.withBuiltins()

  it('holds the built-in connectors', () => {
    expect(registry.identifiers()).toEqual(['blackhole', 'datagen', 'filesystem', 'print'])
    expect(E.isRight(registry.createScanSource(tableContext({ connector: 'datagen' }, COLUMNS)))).toBe(true)
    expect(E.isRight(registry.createSink(tableContext({ connector: 'print' }, COLUMNS)))).toBe(true)
    expect(E.isRight(registry.createSink(tableContext({ connector: 'filesystem', path: '/tmp/strom-never-written', format: 'json' }, COLUMNS)))).toBe(true)
  })

  it('names the available connectors when one is unknown, and asks for the connector option', () => {
    expect(problems(registry.createScanSource(tableContext({ connector: 'kafka' }, COLUMNS)))).toEqual([
      "connector: Could not find any factory for identifier 'kafka' that implements a table connector. Available factory identifiers are: blackhole, datagen, filesystem, print.",
    ])
    expect(problems(registry.createSink(tableContext({}, COLUMNS)))).toEqual(["connector: Table options do not contain an option key 'connector' for discovering a connector."])
  })

  it('says which connectors can only be read or only be written', () => {
    expect(problems(registry.createScanSource(tableContext({ connector: 'print' }, COLUMNS)))).toEqual([
      "connector: Connector 'print' (table 'default_catalog.default_database.t') can only be used as a sink. It cannot be used as a source.",
    ])
    expect(problems(registry.createSink(tableContext({ connector: 'datagen' }, COLUMNS)))).toEqual([
      "connector: Connector 'datagen' (table 'default_catalog.default_database.t') can only be used as a source. It cannot be used as a sink.",
    ])
    expect(problems(registry.createLookupSource(tableContext({ connector: 'datagen' }, COLUMNS)))).toEqual([
      "connector: Connector 'datagen' (table 'default_catalog.default_database.t') can not be used for lookup joins.",
    ])
  })

  it('registers connector packages, refusing a second factory for an identifier unless told to replace it', () => {
    const custom: TableConnectorFactory = {
      identifier: 'values',
      requiredOptions: [],
      optionalOptions: [],
      createScanSource: () => E.left([{ message: 'not really' }]),
    }
    const r = ConnectorRegistry.withBuiltins().register(custom)
    expect(r.find('values')).toBe(custom)
    expect(problems(r.createScanSource(tableContext({ connector: 'values' }, COLUMNS)))).toEqual(['-: not really'])
    expect(() => r.register(custom)).toThrow(ConfigError)
    const quiet = createPrintConnector(() => {})
    r.register(quiet, { replace: true })
    expect(r.find('print')).toBe(quiet)
    expect(new ConnectorRegistry().identifiers()).toEqual([])
  })
})

describe('blackhole connector', () => {
  it('swallows every row of every kind, asking for no -U rows (as Flink’s blackhole sink)', () => {
    const sink = right(blackholeConnector.createSink!(tableContext({ connector: 'blackhole' }, COLUMNS)))
    expect([...sink.acceptedChangelogMode(ChangelogModes.ALL).kinds].sort()).toEqual([RowKind.INSERT, RowKind.UPDATE_AFTER, RowKind.DELETE])
    expect([...sink.acceptedChangelogMode(ChangelogModes.INSERT_ONLY).kinds]).toEqual([RowKind.INSERT])
    const s = sink.createSink()
    const w = s.createWriter(fakeWriterContext(s as Sink<unknown>, 0, 1))
    for (const kind of [RowKind.INSERT, RowKind.UPDATE_BEFORE, RowKind.UPDATE_AFTER, RowKind.DELETE]) w.write({ kind, fields: [1] }, 0)
    w.flush(true)
    w.close()
    expect(blackholeConnector.createScanSource).toBeUndefined()
  })

  it('has no options', () => {
    expect(problems(blackholeConnector.createSink!(tableContext({ connector: 'blackhole', 'sink.parallelism': '2' }, COLUMNS)))).toEqual([
      "sink.parallelism: Unsupported option 'sink.parallelism' for connector 'blackhole'; supported: connector.",
    ])
  })
})

/**
 * The `datagen` connector: a source of generated rows, random or sequential per column, as
 * Flink's datagen connector.
 *
 * @remarks
 * Options:
 *
 * | Option | Default | Meaning |
 * | --- | --- | --- |
 * | `rows-per-second` | `10000` | the rate, summed over all subtasks |
 * | `number-of-rows` | none (endless) | the number of rows; the source ends after them |
 * | `seed` | `0` | the seed of the random values (not in Flink) |
 * | `scan.parallelism` | the job's | the source's parallelism |
 * | `fields.#.kind` | `'random'` | `'random'` or `'sequence'` |
 * | `fields.#.min`, `fields.#.max` | the type's range | bounds (inclusive) of random numbers and intervals |
 * | `fields.#.max-past` | `0` | random timestamps lie up to this duration before now |
 * | `fields.#.length` | `VARCHAR(n)`/`VARBINARY(n)`: n, `STRING`/`BYTES`: 100, collections: 3 | the length of random strings and bytes, the size of random collections |
 * | `fields.#.var-len` | `false` | random strings and bytes of a random length in `[1, length)` |
 * | `fields.#.start`, `fields.#.end` | required for sequences | the first and last values of a sequence |
 * | `fields.#.null-rate` | `0` | the share of random values that are `NULL` |
 *
 * Fields of `ARRAY`/`MULTISET` elements, `MAP` keys and values and `ROW` fields take their options
 * under `fields.<column>.element.`, `.key.`, `.value.` and `.<field>.` (`fields.tags.element.length`).
 *
 * **Values.** Random: `BOOLEAN` either; integers uniform in `[min, max]` (`BIGINT` defaults to
 * the safe integers, ±(2^53 − 1)); `FLOAT`/`DOUBLE`/`DECIMAL` uniform in `[min, max]` (defaults,
 * as in Flink, from the smallest positive value to the largest; `DECIMAL` truncated to its scale
 * and clamped to its precision); `CHAR(n)` n hex digits, `VARCHAR`/`STRING` `length` hex digits,
 * bytes `length` random bytes; `DATE` today and `TIME` now (as Flink: no randomness); `TIMESTAMP`
 * and `TIMESTAMP_LTZ` now minus a random duration up to `max-past`; year-month intervals in
 * `[0, 120000]` months and day-time intervals over the safe integers by default; collections of
 * `length` random elements (a `MAP` may have fewer entries where keys repeat); `ROW` random
 * fields. "Now" is the source's processing-time clock (UTC), read per row. Sequence: numbers
 * `start, start + 1, …, end`; strings their decimal text; bytes their 8-byte big-endian form;
 * `BOOLEAN` random (as Flink).
 *
 * **Boundedness.** The source ends after `number-of-rows` rows, or when a sequence column reaches
 * its end (the shortest sequence decides), whichever comes first; without either it is endless.
 * Row `i` (counted from 0 over the whole source) has the sequence values `start + i`, so the
 * rows are the same whatever the parallelism: subtasks generate contiguous ranges of row indices
 * (the runtime's `DataGenSource`), each at its share of `rows-per-second`.
 *
 * **Determinism (not in Flink).** Random values are a pure function of `seed`, the row index and
 * the column (a counter-based generator), so a restored job regenerates exactly the rows it
 * replays, and two runs with the same seed produce the same values in every column that does
 * not depend on the clock. The default seed is `0`: unlike Flink, whose random data differs from
 * run to run, two runs of the same table generate the same data unless their seeds differ.
 *
 * Insert-only; no metadata columns.
 *
 * @packageDocumentation
 */
import * as E from 'fp-ts/lib/Either.js'
import {
  DataGenSource,
  type DataGenSplit,
  type Source,
  type SourceReader,
  type SourceReaderContext,
  type SplitEnumerator,
  type SplitEnumeratorContext,
} from '@strom/runtime'
import { ChangelogModes, RowKind, type Row } from '../data/row.js'
import { formatType, MAX_LENGTH, type DataType } from '../types/data-type.js'
import { INTEGER_RANGES } from '../formats/text-values.js'
import { OptionReader, unsupportedOptionMessage } from './options.js'
import type { ConnectorContext, OptionProblem, ScanTableSource, TableConnectorFactory } from './table-connector.js'

const IDENTIFIER = 'datagen'
const MS_PER_DAY = 86_400_000

// --- a counter-based random generator ------------------------------------------------------

const fmix32 = (h: number): number => {
  h ^= h >>> 16
  h = Math.imul(h, 0x85ebca6b)
  h ^= h >>> 13
  h = Math.imul(h, 0xc2b2ae35)
  return (h ^ (h >>> 16)) >>> 0
}

const TWO_32 = 4294967296

/**
 * Random numbers for one row: `reset(seed, index)` starts the stream of row `index` (sfc32 seeded
 * from a hash of the seed and the index), so the values of a row never depend on other rows.
 */
class RowRandom {
  private a = 0
  private b = 0
  private c = 0
  private d = 0

  reset(seed: number, index: number): void {
    const seedLo = seed % TWO_32 >>> 0
    const seedHi = Math.floor(seed / TWO_32) >>> 0
    const lo = index % TWO_32 >>> 0
    const hi = Math.floor(index / TWO_32) >>> 0
    this.a = fmix32(seedLo ^ fmix32(lo + 0x9e3779b9))
    this.b = fmix32(seedHi ^ fmix32(hi ^ 0x85ebca6b) ^ this.a)
    this.c = fmix32((this.a + 0xc2b2ae35) ^ lo)
    this.d = fmix32((this.b ^ 0x27d4eb2f) + hi)
    for (let i = 0; i < 12; i++) this.u32()
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t0 = (this.a + this.b) | 0
    this.a = this.b ^ (this.b >>> 9)
    this.b = (this.c + (this.c << 3)) | 0
    this.c = (this.c << 21) | (this.c >>> 11)
    this.d = (this.d + 1) | 0
    const t = (t0 + this.d) | 0
    this.c = (this.c + t) | 0
    return t >>> 0
  }

  /** A uniform number in `[0, 1)` with 53 random bits. */
  double(): number {
    return ((this.u32() >>> 5) * 67108864 + (this.u32() >>> 6)) / 9007199254740992
  }

  /** A uniform number in `[0, 1)` with 24 random bits (Java's `nextFloat`). */
  float(): number {
    return (this.u32() >>> 8) / 16777216
  }

  /** A uniform integer in `[min, max]`. */
  int(min: number, max: number): number {
    const v = min + Math.floor(this.double() * (max - min + 1))
    return v > max ? max : v
  }
}

// --- field generators ----------------------------------------------------------------------

/** Generates the value of one field of row `index`; `now` is the clock's time. */
interface FieldGen {
  next(r: RowRandom, index: number, now: number): unknown
}

/** The null decision of a random generator, as Flink: a value unless `nextFloat() <= nullRate`. */
const isNull = (r: RowRandom, nullRate: number): boolean => nullRate > 0 && r.float() <= nullRate

class BooleanGen implements FieldGen {
  constructor(private readonly nullRate: number) {}
  next(r: RowRandom): unknown {
    return isNull(r, this.nullRate) ? null : (r.u32() & 1) === 1
  }
}

class IntegerGen implements FieldGen {
  constructor(
    private readonly min: number,
    private readonly max: number,
    private readonly nullRate: number,
  ) {}
  next(r: RowRandom): unknown {
    return isNull(r, this.nullRate) ? null : r.int(this.min, this.max)
  }
}

class FloatGen implements FieldGen {
  constructor(
    private readonly min: number,
    private readonly max: number,
    private readonly single: boolean,
    private readonly nullRate: number,
  ) {}
  next(r: RowRandom): unknown {
    if (isNull(r, this.nullRate)) return null
    const u = r.double()
    const v = this.min * (1 - u) + this.max * u
    return this.single ? Math.fround(v) : v
  }
}

class DecimalGen implements FieldGen {
  private readonly factor: number
  /** The smallest and largest values with `scale` digits within the bounds. */
  private readonly lo: number
  private readonly hi: number
  constructor(
    private readonly min: number,
    private readonly max: number,
    scale: number,
    private readonly nullRate: number,
  ) {
    this.factor = 10 ** scale
    this.lo = Math.ceil(min * this.factor - 1e-9) / this.factor
    this.hi = Math.floor(max * this.factor + 1e-9) / this.factor
  }
  next(r: RowRandom): unknown {
    if (isNull(r, this.nullRate)) return null
    const u = r.double()
    const v = Math.trunc((this.min * (1 - u) + this.max * u) * this.factor) / this.factor
    return v < this.lo ? this.lo : v > this.hi ? this.hi : v
  }
}

const HEX = '0123456789abcdef'

class HexStringGen implements FieldGen {
  constructor(
    private readonly length: number,
    private readonly varLen: boolean,
    private readonly nullRate: number,
  ) {}
  next(r: RowRandom): unknown {
    if (isNull(r, this.nullRate)) return null
    const n = this.varLen && this.length > 1 ? r.int(1, this.length - 1) : this.length
    let s = ''
    for (let i = 0; i < n; i++) s += HEX[r.u32() & 15]
    return s
  }
}

class BytesGen implements FieldGen {
  constructor(
    private readonly length: number,
    private readonly varLen: boolean,
    private readonly nullRate: number,
  ) {}
  next(r: RowRandom): unknown {
    if (isNull(r, this.nullRate)) return null
    const n = this.varLen && this.length > 1 ? r.int(1, this.length - 1) : this.length
    const b = new Uint8Array(n)
    for (let i = 0; i < n; i++) b[i] = r.u32() & 255
    return b
  }
}

class TodayGen implements FieldGen {
  constructor(private readonly nullRate: number) {}
  next(r: RowRandom, _index: number, now: number): unknown {
    return isNull(r, this.nullRate) ? null : Math.floor(now / MS_PER_DAY)
  }
}

class NowTimeGen implements FieldGen {
  constructor(private readonly nullRate: number) {}
  next(r: RowRandom, _index: number, now: number): unknown {
    return isNull(r, this.nullRate) ? null : ((now % MS_PER_DAY) + MS_PER_DAY) % MS_PER_DAY
  }
}

class PastTimestampGen implements FieldGen {
  constructor(
    private readonly maxPast: number,
    private readonly nullRate: number,
  ) {}
  next(r: RowRandom, _index: number, now: number): unknown {
    if (isNull(r, this.nullRate)) return null
    return this.maxPast > 0 ? now - r.int(0, this.maxPast) : now
  }
}

class ArrayGen implements FieldGen {
  constructor(
    private readonly element: FieldGen,
    private readonly length: number,
    private readonly nullRate: number,
  ) {}
  next(r: RowRandom, index: number, now: number): unknown {
    if (isNull(r, this.nullRate)) return null
    const out = new Array<unknown>(this.length)
    for (let i = 0; i < this.length; i++) out[i] = this.element.next(r, index, now)
    return out
  }
}

class MapGen implements FieldGen {
  constructor(
    private readonly key: FieldGen,
    private readonly value: FieldGen,
    private readonly length: number,
    private readonly nullRate: number,
  ) {}
  next(r: RowRandom, index: number, now: number): unknown {
    if (isNull(r, this.nullRate)) return null
    const out = new Map<unknown, unknown>()
    for (let i = 0; i < this.length; i++) {
      const k = this.key.next(r, index, now)
      out.set(k, this.value.next(r, index, now))
    }
    return out
  }
}

class RowGen implements FieldGen {
  constructor(
    private readonly fields: readonly FieldGen[],
    private readonly nullRate: number,
  ) {}
  next(r: RowRandom, index: number, now: number): unknown {
    if (isNull(r, this.nullRate)) return null
    const out = new Array<unknown>(this.fields.length)
    for (let i = 0; i < this.fields.length; i++) out[i] = this.fields[i]!.next(r, index, now)
    return out
  }
}

class NullGen implements FieldGen {
  next(): unknown {
    return null
  }
}

class SequenceGen implements FieldGen {
  constructor(private readonly start: number) {}
  next(_r: RowRandom, index: number): unknown {
    return this.start + index
  }
}

class SequenceStringGen implements FieldGen {
  constructor(private readonly start: number) {}
  next(_r: RowRandom, index: number): unknown {
    return String(this.start + index)
  }
}

class SequenceBytesGen implements FieldGen {
  constructor(private readonly start: number) {}
  next(_r: RowRandom, index: number): unknown {
    const v = this.start + index
    const hi = Math.floor(v / TWO_32)
    const b = new Uint8Array(8)
    const view = new DataView(b.buffer)
    view.setInt32(0, hi | 0)
    view.setUint32(4, v - hi * TWO_32)
    return b
  }
}

// --- building generators from options -------------------------------------------------------

/** What building the generator of one column found. */
interface Built {
  readonly gen: FieldGen
  /** Whether it reads the clock. */
  readonly usesClock: boolean
  /** For a sequence: how many values it has. */
  readonly sequenceLength?: number
}

const RANDOM_STRING_LENGTH = 100
const RANDOM_COLLECTION_LENGTH = 3

/** Builds generators, collecting the option keys the columns accept and the problems found. */
class GeneratorBuilder {
  /** Every option key the table's columns accept. */
  readonly keys = new Set<string>()

  constructor(private readonly r: OptionReader) {}

  /** The generator of a top-level column. */
  column(name: string, t: DataType): Built {
    const kindKey = `fields.${name}.kind`
    this.keys.add(kindKey)
    const kind = this.r.oneOf(kindKey, ['random', 'sequence'] as const, 'random') ?? 'random'
    return kind === 'sequence' && t.kind !== 'BOOLEAN' ? this.sequence(name, t) : this.random(name, t)
  }

  private key(name: string, option: string): string {
    const k = `fields.${name}.${option}`
    this.keys.add(k)
    return k
  }

  private nullRate(name: string): number {
    return this.r.number(this.key(name, 'null-rate'), 0, 0, 1) ?? 0
  }

  /** `min`/`max` in `[lo, hi]`, integers or not; a problem when min > max. */
  private bounds(name: string, lo: number, hi: number, integer: boolean, defaultMin = lo, defaultMax = hi): [number, number] {
    const minKey = this.key(name, 'min')
    const maxKey = this.key(name, 'max')
    const min = (integer ? this.r.long(minKey, defaultMin, lo, hi) : this.r.number(minKey, defaultMin, lo, hi)) ?? defaultMin
    const max = (integer ? this.r.long(maxKey, defaultMax, lo, hi) : this.r.number(maxKey, defaultMax, lo, hi)) ?? defaultMax
    if (min > max) this.r.problem(minKey, `The minimum ${min} ('${minKey}') is greater than the maximum ${max} ('${maxKey}').`)
    return [min, max]
  }

  private length(name: string, fallback: number): number {
    return this.r.int(this.key(name, 'length'), fallback, 0) ?? fallback
  }

  private random(name: string, t: DataType): Built {
    switch (t.kind) {
      case 'BOOLEAN':
        return { gen: new BooleanGen(this.nullRate(name)), usesClock: false }
      case 'TINYINT':
      case 'SMALLINT':
      case 'INT':
      case 'BIGINT': {
        const [lo, hi] = t.kind === 'BIGINT' ? [Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER] : INTEGER_RANGES[t.kind]
        const [min, max] = this.bounds(name, lo, hi, true)
        return { gen: new IntegerGen(min, max, this.nullRate(name)), usesClock: false }
      }
      case 'INTERVAL_YEAR_MONTH': {
        const [min, max] = this.bounds(name, INTEGER_RANGES.INT[0], INTEGER_RANGES.INT[1], true, 0, 120000)
        return { gen: new IntegerGen(min, max, this.nullRate(name)), usesClock: false }
      }
      case 'INTERVAL_DAY_TIME': {
        const [min, max] = this.bounds(name, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER, true)
        return { gen: new IntegerGen(min, max, this.nullRate(name)), usesClock: false }
      }
      case 'FLOAT': {
        const FLOAT_MAX = 3.4028234663852886e38
        const [min, max] = this.bounds(name, -FLOAT_MAX, FLOAT_MAX, false, 1.401298464324817e-45, FLOAT_MAX)
        return { gen: new FloatGen(min, max, true, this.nullRate(name)), usesClock: false }
      }
      case 'DOUBLE': {
        const [min, max] = this.bounds(name, -Number.MAX_VALUE, Number.MAX_VALUE, false, Number.MIN_VALUE, Number.MAX_VALUE)
        return { gen: new FloatGen(min, max, false, this.nullRate(name)), usesClock: false }
      }
      case 'DECIMAL': {
        const [min, max] = this.bounds(name, -Number.MAX_VALUE, Number.MAX_VALUE, false, Number.MIN_VALUE, Number.MAX_VALUE)
        const largest = 10 ** (t.precision - t.scale) - 10 ** -t.scale
        const lo = Math.max(-largest, min)
        const hi = Math.min(largest, max)
        if (lo > hi) this.r.problem(`fields.${name}.min`, `No value of ${formatType(t)} lies between the minimum ${min} and the maximum ${max} of column '${name}'.`)
        return { gen: new DecimalGen(lo, hi, t.scale, this.nullRate(name)), usesClock: false }
      }
      case 'CHAR':
        return { gen: new HexStringGen(t.length, false, this.nullRate(name)), usesClock: false }
      case 'VARCHAR':
      case 'VARBINARY': {
        const length = this.length(name, t.length === MAX_LENGTH ? RANDOM_STRING_LENGTH : t.length)
        const varLen = this.r.boolean(this.key(name, 'var-len'), false) ?? false
        const nullRate = this.nullRate(name)
        return { gen: t.kind === 'VARCHAR' ? new HexStringGen(length, varLen, nullRate) : new BytesGen(length, varLen, nullRate), usesClock: false }
      }
      case 'BINARY':
        return { gen: new BytesGen(t.length, false, this.nullRate(name)), usesClock: false }
      case 'DATE':
        return { gen: new TodayGen(this.nullRate(name)), usesClock: true }
      case 'TIME':
        return { gen: new NowTimeGen(this.nullRate(name)), usesClock: true }
      case 'TIMESTAMP':
      case 'TIMESTAMP_LTZ': {
        const maxPast = this.r.duration(this.key(name, 'max-past'), 0) ?? 0
        return { gen: new PastTimestampGen(Math.floor(maxPast), this.nullRate(name)), usesClock: true }
      }
      case 'ARRAY':
      case 'MULTISET': {
        const element = this.random(`${name}.element`, t.element)
        const length = this.length(name, RANDOM_COLLECTION_LENGTH)
        return { gen: new ArrayGen(element.gen, length, this.nullRate(name)), usesClock: element.usesClock }
      }
      case 'MAP': {
        const key = this.random(`${name}.key`, t.key)
        const value = this.random(`${name}.value`, t.value)
        const length = this.length(name, RANDOM_COLLECTION_LENGTH)
        return { gen: new MapGen(key.gen, value.gen, length, this.nullRate(name)), usesClock: key.usesClock || value.usesClock }
      }
      case 'ROW': {
        const fields = t.fields.map((f) => this.random(`${name}.${f.name}`, f.type))
        return { gen: new RowGen(fields.map((f) => f.gen), this.nullRate(name)), usesClock: fields.some((f) => f.usesClock) }
      }
      case 'NULL':
        return { gen: new NullGen(), usesClock: false }
    }
  }

  private sequence(name: string, t: DataType): Built {
    let lo = Number.MIN_SAFE_INTEGER
    let hi = Number.MAX_SAFE_INTEGER
    let make: (start: number) => FieldGen
    switch (t.kind) {
      case 'TINYINT':
      case 'SMALLINT':
      case 'INT':
        ;[lo, hi] = INTEGER_RANGES[t.kind]
        make = (s) => new SequenceGen(s)
        break
      case 'BIGINT':
      case 'FLOAT':
      case 'DOUBLE':
        make = (s) => new SequenceGen(s)
        break
      case 'DECIMAL': {
        const largest = 10 ** (t.precision - t.scale) - 1
        lo = Math.max(lo, -largest)
        hi = Math.min(hi, largest)
        make = (s) => new SequenceGen(s)
        break
      }
      case 'CHAR':
      case 'VARCHAR':
        make = (s) => new SequenceStringGen(s)
        break
      case 'BINARY':
      case 'VARBINARY':
        make = (s) => new SequenceBytesGen(s)
        break
      default:
        this.r.problem(
          `fields.${name}.kind`,
          `Column '${name}' of type ${formatType(t)} cannot have a 'sequence' generator; sequences are for numeric, character string and binary columns.`,
        )
        return { gen: new NullGen(), usesClock: false }
    }
    const startKey = this.key(name, 'start')
    const endKey = this.key(name, 'end')
    if (!this.r.has(startKey)) this.r.problem(startKey, `Could not find required property '${startKey}' for sequence generator.`)
    if (!this.r.has(endKey)) this.r.problem(endKey, `Could not find required property '${endKey}' for sequence generator.`)
    const start = this.r.long(startKey, undefined, lo, hi)
    const end = this.r.long(endKey, undefined, lo, hi)
    if (start === undefined || end === undefined) return { gen: new NullGen(), usesClock: false, sequenceLength: 0 }
    if (start > end) this.r.problem(startKey, `The sequence start ${start} ('${startKey}') is greater than its end ${end} ('${endKey}').`)
    return { gen: make(start), usesClock: false, sequenceLength: Math.max(0, end - start + 1) }
  }
}

/** Makes the rows: one per reader (it holds the random state). */
class RowGenerator {
  private readonly random = new RowRandom()

  constructor(
    private readonly gens: readonly FieldGen[],
    private readonly seed: number,
  ) {}

  rowAt(index: number, now: number): Row {
    const r = this.random
    r.reset(this.seed, index)
    const gens = this.gens
    const fields = new Array<unknown>(gens.length)
    for (let i = 0; i < gens.length; i++) fields[i] = gens[i]!.next(r, index, now)
    return { kind: RowKind.INSERT, fields }
  }
}

/** What a datagen table generates, checked. */
interface DataGenPlan {
  readonly gens: readonly FieldGen[]
  readonly usesClock: boolean
  readonly seed: number
  readonly count: number | undefined
  readonly rowsPerSecond: number
}

/**
 * The runtime source of a datagen table: the runtime's {@link DataGenSource} (contiguous index
 * ranges per subtask, a token-bucket rate), with each reader generating rows from its own
 * {@link RowGenerator} and its subtask's clock.
 */
class DataGenRowSource implements Source<Row, DataGenSplit, DataGenSplit[]> {
  readonly boundedness: 'bounded' | 'unbounded'
  private readonly template: DataGenSource<Row>

  constructor(private readonly plan: DataGenPlan) {
    this.template = DataGenSource.of<Row>(() => ({ kind: RowKind.INSERT, fields: [] }), { count: plan.count, rowsPerSecond: plan.rowsPerSecond })
    this.boundedness = this.template.boundedness
  }

  createEnumerator(context: SplitEnumeratorContext<DataGenSplit>): SplitEnumerator<DataGenSplit, DataGenSplit[]> {
    return this.template.createEnumerator(context)
  }

  restoreEnumerator(context: SplitEnumeratorContext<DataGenSplit>, state: DataGenSplit[]): SplitEnumerator<DataGenSplit, DataGenSplit[]> {
    return this.template.restoreEnumerator(context, state)
  }

  createReader(context: SourceReaderContext): SourceReader<Row, DataGenSplit> {
    const { gens, seed, usesClock, count, rowsPerSecond } = this.plan
    const rows = new RowGenerator(gens, seed)
    const clock = context.clock
    const generate = usesClock ? (i: number): Row => rows.rowAt(i, clock.now()) : (i: number): Row => rows.rowAt(i, 0)
    return DataGenSource.of(generate, { count, rowsPerSecond }).createReader(context)
  }
}

const GLOBAL_OPTIONS = ['rows-per-second', 'number-of-rows', 'seed', 'scan.parallelism'] as const

/** Checks a datagen table's options and plans its generators. */
const planDataGen = (ctx: ConnectorContext): E.Either<readonly OptionProblem[], { plan: DataGenPlan; parallelism: number | undefined; bounded: boolean }> => {
  const r = new OptionReader(IDENTIFIER, ctx.options)
  if (ctx.metadataColumns.length > 0)
    r.problem(undefined, `Table '${ctx.tableName}' declares metadata columns (${ctx.metadataColumns.map((c) => `'${c.name}'`).join(', ')}), but the connector '${IDENTIFIER}' has no metadata to read.`)
  const rowsPerSecond = r.long('rows-per-second', 10000, 1) ?? 10000
  const numberOfRows = r.long('number-of-rows', undefined, 0)
  const seed = r.long('seed', 0) ?? 0
  const parallelism = r.int('scan.parallelism', undefined, 1)
  const builder = new GeneratorBuilder(r)
  const built = ctx.columns.map((c) => builder.column(c.name, c.type))
  const known = [...GLOBAL_OPTIONS, ...builder.keys]
  const knownSet = new Set<string>(['connector', ...known])
  for (const key of ctx.options.keys()) {
    if (!knownSet.has(key)) r.problem(key, unsupportedOptionMessage(key, IDENTIFIER, ['connector', ...known]))
  }
  const sequenceLengths = built.flatMap((b) => (b.sequenceLength === undefined ? [] : [b.sequenceLength]))
  const limits = numberOfRows === undefined ? sequenceLengths : [numberOfRows, ...sequenceLengths]
  const count = limits.length === 0 ? undefined : Math.min(...limits)
  return r.result(() => ({
    plan: { gens: built.map((b) => b.gen), usesClock: built.some((b) => b.usesClock), seed, count, rowsPerSecond },
    parallelism,
    bounded: count !== undefined,
  }))
}

/**
 * The `datagen` connector factory (Flink's `datagen`, plus a `seed` option); see the module
 * documentation for its options and values.
 *
 * @category Connectors
 * @since 0.1.0
 */
export const dataGenConnector: TableConnectorFactory = {
  identifier: IDENTIFIER,
  requiredOptions: [],
  optionalOptions: [
    ...GLOBAL_OPTIONS,
    'fields.#.kind',
    'fields.#.min',
    'fields.#.max',
    'fields.#.max-past',
    'fields.#.length',
    'fields.#.var-len',
    'fields.#.start',
    'fields.#.end',
    'fields.#.null-rate',
  ],
  createScanSource(ctx: ConnectorContext): E.Either<readonly OptionProblem[], ScanTableSource> {
    return E.map(({ plan, parallelism, bounded }: { plan: DataGenPlan; parallelism: number | undefined; bounded: boolean }): ScanTableSource => ({
      changelogMode: ChangelogModes.INSERT_ONLY,
      bounded,
      ...(parallelism === undefined ? {} : { parallelism }),
      createSource: () => new DataGenRowSource(plan),
    }))(planDataGen(ctx))
  },
}

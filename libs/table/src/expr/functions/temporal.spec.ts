import { describe, expect, it } from 'vitest'
import { type DataType, DataTypes as T } from '../../types/data-type.js'
import { fixedRuntime } from '../runtime.js'
import { compileProjection, generatedSource } from '../compile.js'
import { evaluate } from '../evaluate.js'
import { errs, resolveOk, runCompiled, type Schema, sql, t, testRuntime, v } from '../test-support.js'
import { formatDate, formatTime, formatTimestamp } from './datetime.js'

const T0 = "TIMESTAMP '2020-04-15 08:05:09.123'"
const D0 = "DATE '2020-04-15'"
const rowtime: DataType = { kind: 'TIMESTAMP', precision: 3, nullable: false, timeAttribute: 'ROWTIME' }

describe('EXTRACT and its shorthands', () => {
  it('extracts fields of timestamps, dates, times and intervals as BIGINT', () => {
    const cases: [string, number][] = [
      ['YEAR', 2020],
      ['QUARTER', 2],
      ['MONTH', 4],
      ['WEEK', 16],
      ['DAY', 15],
      ['DOW', 4],
      ['DOY', 106],
      ['HOUR', 8],
      ['MINUTE', 5],
      ['SECOND', 9],
      ['MILLISECOND', 123],
      ['DECADE', 202],
      ['CENTURY', 21],
      ['MILLENNIUM', 3],
      ['EPOCH', 1586937909],
    ]
    for (const [unit, value] of cases) expect(v(`EXTRACT(${unit} FROM ${T0})`), unit).toBe(value)
    expect(t(`EXTRACT(YEAR FROM ${T0})`)).toBe('BIGINT NOT NULL')
    expect(v(`EXTRACT(DAY FROM ${D0})`)).toBe(15)
    expect(v("EXTRACT(HOUR FROM TIME '10:20:30')")).toBe(10)
    expect(v("EXTRACT(DAY FROM INTERVAL '3 10:00' DAY TO MINUTE)")).toBe(3)
    expect(v("EXTRACT(HOUR FROM INTERVAL '3 10:00' DAY TO MINUTE)")).toBe(10)
    expect(v("EXTRACT(YEAR FROM INTERVAL '2-7' YEAR TO MONTH)")).toBe(2)
    expect(v("EXTRACT(MONTH FROM INTERVAL '2-7' YEAR TO MONTH)")).toBe(7)
  })

  it('YEAR(), MONTH(), DAYOFWEEK() ... are EXTRACT', () => {
    const names: [string, number][] = [
      ['YEAR', 2020],
      ['QUARTER', 2],
      ['MONTH', 4],
      ['WEEK', 16],
      ['DAYOFYEAR', 106],
      ['DAYOFMONTH', 15],
      ['DAYOFWEEK', 4],
      ['HOUR', 8],
      ['MINUTE', 5],
      ['SECOND', 9],
    ]
    for (const [name, value] of names) expect(v(`${name}(${T0})`), name).toBe(value)
  })

  it('rejects units that do not apply', () => {
    expect(errs(`EXTRACT(HOUR FROM ${D0})`)).toEqual([['EXTRACT(HOUR ...) is not supported for DATE NOT NULL', 1, 1]])
    expect(errs("EXTRACT(YEAR FROM TIME '10:00:00')")[0]![0]).toMatch(/not supported for TIME/)
    expect(errs("EXTRACT(YEAR FROM 'x')")[0]![0]).toMatch(/Cannot apply 'EXTRACT'/)
  })

  it('NULL in, NULL out', () => {
    const S: Schema = [['ts', T.TIMESTAMP(3)]]
    expect(v('EXTRACT(YEAR FROM ts)', S, [null])).toBe(null)
    expect(t('EXTRACT(YEAR FROM ts)', S)).toBe('BIGINT')
  })
})

describe('FLOOR/CEIL TO unit, TIMESTAMPADD, TIMESTAMPDIFF', () => {
  const fmt = (x: unknown, p = 3): string => formatTimestamp(x as number, p)
  it('floors and ceils timestamps, dates and times', () => {
    expect(fmt(v(`FLOOR(${T0} TO HOUR)`))).toBe('2020-04-15 08:00:00.000')
    expect(fmt(v(`FLOOR(${T0} TO DAY)`))).toBe('2020-04-15 00:00:00.000')
    expect(fmt(v(`FLOOR(${T0} TO MONTH)`))).toBe('2020-04-01 00:00:00.000')
    expect(fmt(v(`FLOOR(${T0} TO YEAR)`))).toBe('2020-01-01 00:00:00.000')
    expect(fmt(v(`CEIL(${T0} TO MINUTE)`))).toBe('2020-04-15 08:06:00.000')
    expect(fmt(v(`CEIL(${T0} TO MONTH)`))).toBe('2020-05-01 00:00:00.000')
    expect(formatDate(v(`FLOOR(${D0} TO MONTH)`) as number)).toBe('2020-04-01')
    expect(formatDate(v(`CEIL(${D0} TO YEAR)`) as number)).toBe('2021-01-01')
    expect(formatTime(v("FLOOR(TIME '10:20:30' TO HOUR)") as number, 0)).toBe('10:00:00')
    expect(t(`FLOOR(${T0} TO HOUR)`)).toBe('TIMESTAMP(3) NOT NULL')
  })

  it('keeps a rowtime column a plain timestamp after FLOOR', () => {
    expect(t('FLOOR(rt TO MINUTE)', [['rt', rowtime]])).toBe('TIMESTAMP(3) NOT NULL')
  })

  it('adds units and counts whole units between two points in time', () => {
    expect(fmt(v(`TIMESTAMPADD(WEEK, 1, ${T0})`))).toBe('2020-04-22 08:05:09.123')
    expect(fmt(v(`TIMESTAMPADD(MONTH, -2, ${T0})`))).toBe('2020-02-15 08:05:09.123')
    expect(formatDate(v(`TIMESTAMPADD(DAY, 20, ${D0})`) as number)).toBe('2020-05-05')
    expect(fmt(v(`TIMESTAMPADD(HOUR, 20, ${D0})`), 0)).toBe('2020-04-15 20:00:00')
    expect(t(`TIMESTAMPADD(HOUR, 20, ${D0})`)).toBe('TIMESTAMP(0) NOT NULL')
    const a = "TIMESTAMP '2020-01-01 00:00:00'"
    const b = "TIMESTAMP '2021-03-02 12:30:00'"
    expect(v(`TIMESTAMPDIFF(MONTH, ${a}, ${b})`)).toBe(14)
    expect(v(`TIMESTAMPDIFF(DAY, ${a}, ${b})`)).toBe(426)
    expect(v(`TIMESTAMPDIFF(HOUR, ${b}, ${a})`)).toBe(-10236)
    expect(v("TIMESTAMPDIFF(DAY, DATE '2020-01-01', DATE '2020-03-01')")).toBe(60)
    expect(t(`TIMESTAMPDIFF(DAY, ${a}, ${b})`)).toBe('INT NOT NULL')
    expect(errs(`TIMESTAMPDIFF(DAY, ${a}, 1)`)[0]![0]).toMatch(/Cannot apply 'TIMESTAMPDIFF'/)
  })
})

describe('formatting and parsing functions', () => {
  it('DATE_FORMAT with Java patterns, on timestamps and strings', () => {
    expect(v(`DATE_FORMAT(${T0}, 'yyyy-MM-dd HH:mm:ss')`)).toBe('2020-04-15 08:05:09')
    expect(v(`DATE_FORMAT(${T0}, 'yyyy/MM/dd')`)).toBe('2020/04/15')
    expect(v("DATE_FORMAT('2020-04-15 08:05:09', 'MMM d, yyyy')")).toBe('Apr 15, 2020')
    expect(v("DATE_FORMAT('nonsense', 'yyyy')")).toBe(null)
    expect(errs(`DATE_FORMAT(${T0}, 'yyyy-qq')`)[0]![0]).toMatch(/Unknown pattern letter 'q'/)
  })

  it('DATE_FORMAT over records: a constant pattern compiled once, a pattern per record, NULLs', () => {
    const schema: Schema = [
      ['ts', T.TIMESTAMP(3)],
      ['p', T.STRING()],
    ]
    const names = schema.map(([n]) => n)
    const rexes = ["DATE_FORMAT(ts, 'yyyy-MM-dd')", "DATE_FORMAT(ts, 'HH:mm')", 'DATE_FORMAT(ts, p)'].map((e) => resolveOk(sql(e), schema))
    const factory = compileProjection(rexes, { fieldNames: names })
    // the constant patterns are not handed to the generated code per record (the column one is)
    expect(generatedSource(factory)).not.toMatch(/yyyy-MM-dd|HH:mm/)
    const project = factory(testRuntime)
    const iso = (ms: number): string => new Date(ms).toISOString()
    const byPattern: Record<string, (ms: number) => string> = {
      'yyyy-MM-dd': (ms) => iso(ms).slice(0, 10),
      'HH:mm': (ms) => iso(ms).slice(11, 16),
      'yyyy-MM-dd HH:mm:ss.SSS': (ms) => iso(ms).slice(0, 23).replace('T', ' '),
    }
    const patterns = Object.keys(byPattern)
    let ms = Date.UTC(2015, 6, 14, 23, 58, 59, 500)
    for (let i = 0; i < 400; i++) {
      // mostly forward by up to 1.7 s, sometimes back: across minutes, hours and midnight
      ms += i % 7 === 6 ? -45_000 : (i * 7919) % 1700
      const p = patterns[i % patterns.length]!
      const row = [ms, p]
      const expected = [byPattern['yyyy-MM-dd']!(ms), byPattern['HH:mm']!(ms), byPattern[p]!(ms)]
      expect(project(row), `${iso(ms)} ${p}`).toEqual(expected)
      expect(rexes.map((r) => evaluate(r, row, [], testRuntime))).toEqual(expected)
    }
    expect(project([null, 'HH:mm'])).toEqual([null, null, null])
    expect(project([0, null])).toEqual(['1970-01-01', '00:00', null])
  })

  it('TO_TIMESTAMP, TO_DATE: NULL when the string does not parse', () => {
    expect(formatTimestamp(v("TO_TIMESTAMP('2020-04-15 08:05:09')") as number, 3)).toBe('2020-04-15 08:05:09.000')
    expect(formatTimestamp(v("TO_TIMESTAMP('15/04/2020 08:05', 'dd/MM/yyyy HH:mm')") as number, 3)).toBe('2020-04-15 08:05:00.000')
    expect(v("TO_TIMESTAMP('garbage')")).toBe(null)
    expect(t("TO_TIMESTAMP('x')")).toBe('TIMESTAMP(3)')
    expect(formatDate(v("TO_DATE('2020-04-15')") as number)).toBe('2020-04-15')
    expect(formatDate(v("TO_DATE('20200415', 'yyyyMMdd')") as number)).toBe('2020-04-15')
    expect(v("TO_DATE('2020-02-30')")).toBe(null)
  })

  it('TO_TIMESTAMP_LTZ from epoch seconds or milliseconds', () => {
    expect(v('TO_TIMESTAMP_LTZ(1586937909, 0)')).toBe(1586937909000)
    expect(v('TO_TIMESTAMP_LTZ(1586937909123, 3)')).toBe(1586937909123)
    expect(v('TO_TIMESTAMP_LTZ(1586937909123)')).toBe(1586937909123)
    expect(v('TO_TIMESTAMP_LTZ(1586937909.5, 0)')).toBe(1586937909500)
    expect(t('TO_TIMESTAMP_LTZ(1, 3)')).toBe('TIMESTAMP_LTZ(3)')
    expect(errs('TO_TIMESTAMP_LTZ(1, 6)')[0]![0]).toMatch(/precision value '6'/)
  })

  it('UNIX_TIMESTAMP and FROM_UNIXTIME', () => {
    expect(v("UNIX_TIMESTAMP('2020-04-15 08:05:09')")).toBe(1586937909)
    expect(v("UNIX_TIMESTAMP('2020/04/15', 'yyyy/MM/dd')")).toBe(1586908800)
    expect(v("UNIX_TIMESTAMP('bad')")).toBe(-9223372036854775808)
    expect(v('UNIX_TIMESTAMP()')).toBe(Math.floor(testRuntime.currentProcessingTime() / 1000))
    expect(v('FROM_UNIXTIME(1586937909)')).toBe('2020-04-15 08:05:09')
    expect(v("FROM_UNIXTIME(0, 'yyyy-MM-dd')")).toBe('1970-01-01')
  })
})

describe('the clock and the watermark', () => {
  const now = testRuntime.currentProcessingTime()

  it('reads the runtime clock per record, with Flink types', () => {
    const cases: [string, unknown, string][] = [
      ['CURRENT_TIMESTAMP', now, 'TIMESTAMP_LTZ(3) NOT NULL'],
      ['NOW()', now, 'TIMESTAMP_LTZ(3) NOT NULL'],
      ['LOCALTIMESTAMP', now, 'TIMESTAMP(3) NOT NULL'],
      ['CURRENT_DATE', Math.floor(now / 86400000), 'DATE NOT NULL'],
      ['CURRENT_TIME', Math.floor((now % 86400000) / 1000) * 1000, 'TIME(0) NOT NULL'],
      ['LOCALTIME', Math.floor((now % 86400000) / 1000) * 1000, 'TIME(0) NOT NULL'],
      ['CURRENT_ROW_TIMESTAMP()', now, 'TIMESTAMP_LTZ(3) NOT NULL'],
      ['PROCTIME()', now, 'TIMESTAMP_LTZ(3) NOT NULL *PROCTIME*'],
    ]
    for (const [e, value, type] of cases) {
      expect(v(e), e).toBe(value)
      expect(t(e), e).toBe(type)
    }
    // every record sees the clock's current value: never folded into a constant
    let clock = 1000
    const rt = { currentProcessingTime: () => clock, currentWatermark: () => null }
    const f = (): unknown => runCompiled(sql('CURRENT_TIMESTAMP + INTERVAL \'1\' SECOND'), [], [], rt)
    expect(f()).toBe(2000)
    clock = 5000
    expect(f()).toBe(6000)
  })

  it('CURRENT_WATERMARK(rowtime) is the watermark, NULL before the first one', () => {
    const S: Schema = [['rt', rowtime]]
    expect(v('CURRENT_WATERMARK(rt)', S, [0])).toBe(testRuntime.currentWatermark())
    expect(v('CURRENT_WATERMARK(rt)', S, [0], fixedRuntime(0, null))).toBe(null)
    expect(v('rt > CURRENT_WATERMARK(rt) OR CURRENT_WATERMARK(rt) IS NULL', S, [now], fixedRuntime(0, null))).toBe(true)
    expect(t('CURRENT_WATERMARK(rt)', S)).toBe('TIMESTAMP(3)')
    expect(errs('CURRENT_WATERMARK(x)', [['x', T.TIMESTAMP(3)]])).toEqual([['The argument of CURRENT_WATERMARK must be a rowtime attribute, but is of type TIMESTAMP(3)', 1, 1]])
  })
})

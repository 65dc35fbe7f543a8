import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DataTypes } from '../types/data-type.js'
import {
  escapePathName,
  parsePartitionPath,
  partitionPath,
  partitionValueParser,
  partitionValueText,
  PartitionRowLayout,
  PartitionTimeExtractor,
  TimestampPattern,
  unescapePathName,
  zoneOffset,
} from './filesystem-partitions.js'

describe('partition path names', () => {
  it("escapes the characters Flink's PartitionPathUtils escapes, as %XX", () => {
    expect(escapePathName('08:00')).toBe('08%3A00')
    expect(escapePathName('a/b=c%d')).toBe('a%2Fb%3Dc%25d')
    expect(escapePathName('"#\'*?\\{[]^\u007F\u0001')).toBe('%22%23%27%2A%3F%5C%7B%5B%5D%5E%7F%01')
    expect(escapePathName('2020-04-15 plain, text_ok~')).toBe('2020-04-15 plain, text_ok~')
  })

  it('unescapes what it escaped, for any text', () => {
    fc.assert(fc.property(fc.string({ unit: 'binary' }), (s) => unescapePathName(escapePathName(s)) === s))
  })

  it('builds and parses k1=v1/k2=v2, and tells directories of other keys apart', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 3 }), (values) => {
        const keys = values.map((_, i) => `k:${i}`)
        return JSON.stringify(parsePartitionPath(keys, partitionPath(keys, values))) === JSON.stringify(values)
      }),
    )
    expect(parsePartitionPath(['dt', 'hm'], 'dt=2020-04-15/hm=08%3A00')).toEqual(['2020-04-15', '08:00'])
    expect(parsePartitionPath(['dt', 'hm'], 'dt=2020-04-15')).toBeUndefined()
    expect(parsePartitionPath(['dt', 'hm'], 'hm=1/dt=2')).toBeUndefined()
  })

  it('partition values as text: CAST(v AS STRING), the default name for NULL and empty text; and back', () => {
    expect(partitionValueText(null, DataTypes.STRING(), 'D')).toBe('D')
    expect(partitionValueText('', DataTypes.STRING(), 'D')).toBe('D')
    expect(partitionValueText(42, DataTypes.INT(), 'D')).toBe('42')
    expect(partitionValueText(Date.UTC(2020, 3, 15) / 86_400_000, DataTypes.DATE(), 'D')).toBe('2020-04-15')
    expect(partitionValueText(Date.UTC(2020, 3, 15, 8, 5), DataTypes.TIMESTAMP(3), 'D')).toBe('2020-04-15 08:05:00.000')
    expect(partitionValueText(' \t', DataTypes.STRING(), 'D')).toBe('D')
    expect(partitionValueParser(DataTypes.INT(), 'D')('42')).toBe(42)
    expect(partitionValueParser(DataTypes.INT(), 'D')('D')).toBe(null)
    expect(partitionValueParser(DataTypes.DATE(), 'D')('2020-04-15')).toBe(Date.UTC(2020, 3, 15) / 86_400_000)
    expect(partitionValueParser(DataTypes.STRING(), 'D')('x')).toBe('x')
    expect(() => partitionValueParser(DataTypes.INT(), 'D')('x')).toThrow("'x' is not a INT")
  })

  it('lays decoded rows out in declared order with the partition values in place', () => {
    const layout = new PartitionRowLayout(['a', 'p', 'b', 'q', 'c'], ['q', 'p'])
    const fields: unknown[] = ['A', 'B', 'C', undefined, undefined, 'meta']
    layout.fill(fields, ['Q', 'P'])
    expect(fields).toEqual(['A', 'P', 'B', 'Q', 'C', 'meta'])
  })
})

describe('partition time', () => {
  it("fills '$key' into the timestamp pattern and reads it with the formatter (Nexmark q10: '$dt $hm:00')", () => {
    const e = new PartitionTimeExtractor(['dt', 'hm'], '$dt $hm:00')
    expect(e.text(['2020-04-15', '08:05'])).toBe('2020-04-15 08:05:00')
    expect(e.extract(['2020-04-15', '08:05'])).toBe(Date.UTC(2020, 3, 15, 8, 5))
    expect(e.extract(['2020-04-15', 'noon'])).toBeUndefined()
  })

  it('without a pattern reads the first partition value; a date alone is its midnight', () => {
    const e = new PartitionTimeExtractor(['dt', 'hour'], undefined)
    expect(e.extract(['2020-04-15', '8'])).toBe(Date.UTC(2020, 3, 15))
    expect(e.extract(['2020-04-15 10:11:12', '8'])).toBe(Date.UTC(2020, 3, 15, 10, 11, 12))
    expect(new PartitionTimeExtractor(['y', 'm', 'd', 'h'], '$y-$m-$d $h:00:00').extract(['2021', '02', '28', '23'])).toBe(Date.UTC(2021, 1, 28, 23))
  })

  it('reads other formatters, and rejects impossible dates', () => {
    expect(new PartitionTimeExtractor(['dt', 'h'], '$dt$h', 'yyyyMMddHH').extract(['20200415', '08'])).toBe(Date.UTC(2020, 3, 15, 8))
    expect(new TimestampPattern("yyyy-MM-dd'T'HH:mm:ss.SSS").parse('2020-04-15T08:05:01.250')).toBe(Date.UTC(2020, 3, 15, 8, 5, 1, 250))
    expect(new TimestampPattern('yyyy-MM-dd').parse('2021-02-29')).toBeUndefined()
    expect(new TimestampPattern('yyyy-MM-dd HH:mm:ss').parse('2020-04-15 24:00:00')).toBeUndefined()
    expect(() => new TimestampPattern('yyyy-MM-dd a')).toThrow("the pattern letter 'a' is not supported")
  })

  it("time zones of 'sink.partition-commit.watermark-time-zone'", () => {
    expect(zoneOffset('UTC')!(0)).toBe(0)
    expect(zoneOffset('+08:00')!(0)).toBe(8 * 3_600_000)
    expect(zoneOffset('GMT-0530')!(0)).toBe(-(5 * 60 + 30) * 60_000)
    expect(zoneOffset('Asia/Shanghai')!(Date.UTC(2020, 3, 15))).toBe(8 * 3_600_000)
    expect(zoneOffset('Europe/Berlin')!(Date.UTC(2020, 0, 15))).toBe(3_600_000)
    expect(zoneOffset('Europe/Berlin')!(Date.UTC(2020, 6, 15))).toBe(2 * 3_600_000)
    expect(zoneOffset('Nowhere/Else')).toBeUndefined()
  })
})

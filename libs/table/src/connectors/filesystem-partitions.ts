/**
 * Partitions of filesystem tables, as Flink's `PartitionPathUtils` and partition time extractor:
 * the `k1=v1/k2=v2` directory of a row, values escaped in path names, the time a partition
 * stands for, and the data files of a partitioned directory tree.
 *
 * @packageDocumentation
 */
import { readdirSync, statSync } from 'node:fs'
import { join } from 'node:path'
import { ConnectorError } from '@strom/runtime'
import { compileScalar } from '../expr/compile.js'
import { formatValue } from '../expr/format-value.js'
import { call, inputRef } from '../expr/rex.js'
import { systemRuntime } from '../expr/runtime.js'
import { DataTypes, formatType, type DataType } from '../types/data-type.js'

/** Flink's `partition.default-name`: the directory name of a NULL or empty partition value. */
export const DEFAULT_PARTITION_NAME = '__DEFAULT_PARTITION__'

/** The characters Flink escapes in partition path names (`PartitionPathUtils.escapePathName`). */
const ESCAPED: ReadonlySet<number> = (() => {
  const set = new Set<number>()
  for (let c = 0; c < 0x20; c++) set.add(c)
  for (const ch of '"#%\'*/:=?\\\u007F{[]^') set.add(ch.charCodeAt(0))
  return set
})()

/**
 * A partition key or value as a path name: the characters Flink escapes (control characters,
 * `"#%'*\/:=?\\{[]^` and DEL) become `%XX` (upper-case hex), as in Flink (`hm=08:00` is written
 * `hm=08%3A00`).
 */
export const escapePathName = (text: string): string => {
  let out = ''
  let start = 0
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i)
    if (!ESCAPED.has(c)) continue
    out += text.slice(start, i) + '%' + (c < 16 ? '0' : '') + c.toString(16).toUpperCase()
    start = i + 1
  }
  return start === 0 ? text : out + text.slice(start)
}

/** The inverse of {@link escapePathName}: `%XX` back to its character (a `%` not followed by two hex digits stays). */
export const unescapePathName = (text: string): string => {
  if (!text.includes('%')) return text
  return text.replace(/%([0-9A-Fa-f]{2})/g, (_, hex: string) => String.fromCharCode(parseInt(hex, 16)))
}

/**
 * The text of a partition value: its `CAST(v AS STRING)`, or `defaultName` for NULL and for text
 * that is empty or only whitespace (as Flink).
 */
export const partitionValueText = (value: unknown, type: DataType, defaultName: string): string => {
  if (value === null || value === undefined) return defaultName
  const text = typeof value === 'string' ? value : formatValue(value, type, 'cast')
  return text.trim() === '' ? defaultName : text
}

/** The relative directory of a partition: `k1=v1/k2=v2`, keys and values escaped. */
export const partitionPath = (keys: readonly string[], values: readonly string[]): string => {
  let path = ''
  for (let i = 0; i < keys.length; i++) path += `${i === 0 ? '' : '/'}${escapePathName(keys[i]!)}=${escapePathName(values[i]!)}`
  return path
}

/** The values of a relative partition directory (`k1=v1/k2=v2`), unescaped, or undefined when it does not name exactly `keys`. */
export const parsePartitionPath = (keys: readonly string[], path: string): string[] | undefined => {
  const parts = path.split('/')
  if (parts.length !== keys.length) return undefined
  const values: string[] = []
  for (let i = 0; i < parts.length; i++) {
    const p = parts[i]!
    const eq = p.indexOf('=')
    if (eq < 0 || unescapePathName(p.slice(0, eq)) !== keys[i]) return undefined
    values.push(unescapePathName(p.slice(eq + 1)))
  }
  return values
}

/**
 * Reads partition value text back as a value of the column's type (`CAST(text AS type)`; the
 * default partition name is NULL).
 */
export const partitionValueParser = (type: DataType, defaultName: string): ((text: string) => unknown) => {
  if (type.kind === 'VARCHAR' || type.kind === 'CHAR') return (text) => (text === defaultName ? null : text)
  const cast = compileScalar(call('CAST', [inputRef(0, DataTypes.STRING())], { ...type, nullable: true } as DataType))(systemRuntime)
  return (text) => {
    if (text === defaultName) return null
    try {
      return cast([text])
    } catch (e) {
      throw new Error(`'${text}' is not a ${formatType(type)}: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
    }
  }
}

/**
 * Puts partition values into rows decoded from a partition's files: the format decodes the data
 * columns (the physical columns that are not partition columns) into the first fields, and this
 * moves them to their declared places, in place, with the partition values in theirs.
 */
export class PartitionRowLayout {
  /** For each physical column: the index of its value among the data columns, or -1 - its partition key index. */
  private readonly sources: readonly number[]

  constructor(physicalNames: readonly string[], partitionKeys: readonly string[]) {
    let data = 0
    this.sources = physicalNames.map((n) => {
      const k = partitionKeys.indexOf(n)
      return k >= 0 ? -1 - k : data++
    })
  }

  /** Lays out `fields` (data columns first) in declared order with the partition `values`. */
  fill(fields: unknown[], values: readonly unknown[]): void {
    const src = this.sources
    // from the back: a data column only moves right, so nothing still needed is overwritten
    for (let t = src.length - 1; t >= 0; t--) {
      const s = src[t]!
      fields[t] = s >= 0 ? fields[s] : values[-1 - s]
    }
  }
}

const isHidden = (name: string): boolean => name.startsWith('.') || name.startsWith('_')

/** A data file of a partitioned table and the values of its partition. */
export interface PartitionFile {
  readonly path: string
  /** The partition values (unescaped text), in key order. */
  readonly values: readonly string[]
}

/**
 * The data files under a partitioned table's directory: the visible regular files of the
 * directories `base/k1=v1/.../kn=vn` (sorted by path). Directories that do not name the next key,
 * and hidden files and directories (`.` or `_` first, e.g. part files being written and
 * `_SUCCESS`), are left out.
 *
 * @throws ConnectorError when `base` or a partition directory cannot be listed
 */
export const listPartitionFiles = (tableName: string, base: string, keys: readonly string[]): PartitionFile[] => {
  const out: PartitionFile[] = []
  const list = (dir: string): string[] => {
    try {
      return readdirSync(dir).sort()
    } catch (e) {
      throw new ConnectorError(`Table '${tableName}' cannot list the directory '${dir}': ${e instanceof Error ? e.message : String(e)}.`, { cause: e })
    }
  }
  const walk = (dir: string, depth: number, values: string[]): void => {
    for (const name of list(dir)) {
      if (isHidden(name)) continue
      const path = join(dir, name)
      const stat = statSync(path, { throwIfNoEntry: false })
      if (stat === undefined) continue
      if (depth === keys.length) {
        if (stat.isFile()) out.push({ path, values })
        continue
      }
      if (!stat.isDirectory()) continue
      const eq = name.indexOf('=')
      if (eq < 0 || unescapePathName(name.slice(0, eq)) !== keys[depth]) continue
      walk(path, depth + 1, [...values, unescapePathName(name.slice(eq + 1))])
    }
  }
  walk(base, 0, [])
  return out
}

// --- partition time ---------------------------------------------------------------------------

/**
 * Reads a timestamp in a `java.time.DateTimeFormatter` pattern (the letters `yyyy`/`uuuu`, `MM`,
 * `dd`, `HH`, `mm`, `ss`, `S...`, quoted literals `'...'` and other characters as themselves),
 * as Flink's `partition.time-extractor.timestamp-formatter`.
 */
export class TimestampPattern {
  private readonly regex: RegExp
  private readonly fields: readonly string[]

  /** @throws Error with a message naming the letter when the pattern uses one that is not supported */
  constructor(readonly pattern: string) {
    let re = '^'
    const fields: string[] = []
    for (let i = 0; i < pattern.length; ) {
      const ch = pattern[i]!
      if (ch === "'") {
        const end = pattern.indexOf("'", i + 1)
        if (end < 0) throw new Error(`the pattern '${pattern}' has an unclosed quote`)
        const lit = end === i + 1 ? "'" : pattern.slice(i + 1, end)
        re += lit.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        i = end + 1
        continue
      }
      if (!/[A-Za-z]/.test(ch)) {
        re += ch.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')
        i++
        continue
      }
      let n = 1
      while (pattern[i + n] === ch) n++
      switch (ch) {
        case 'y':
        case 'u':
          re += n === 2 ? '(\\d{2})' : '(\\d{4})'
          fields.push(n === 2 ? 'yy' : 'y')
          break
        case 'M':
        case 'd':
        case 'H':
        case 'm':
        case 's':
          if (n > 2) throw new Error(`the pattern letter '${ch.repeat(n)}' is not supported (use ${ch}${ch})`)
          re += n === 1 ? '(\\d{1,2})' : '(\\d{2})'
          fields.push(ch)
          break
        case 'S':
          re += `(\\d{${n}})`
          fields.push('S')
          break
        default:
          throw new Error(`the pattern letter '${ch}' is not supported (only y, M, d, H, m, s, S)`)
      }
      i += n
    }
    this.regex = new RegExp(re + '$')
    this.fields = fields
  }

  /** The epoch milliseconds (as UTC) of `text`, a date without time meaning midnight; undefined when it does not match. */
  parse(text: string): number | undefined {
    const m = this.regex.exec(text)
    if (m !== null) {
      let y = 1970
      let mo = 1
      let d = 1
      let h = 0
      let mi = 0
      let s = 0
      let ms = 0
      this.fields.forEach((f, k) => {
        const v = m[k + 1]!
        switch (f) {
          case 'y':
            y = Number(v)
            break
          case 'yy':
            y = 2000 + Number(v)
            break
          case 'M':
            mo = Number(v)
            break
          case 'd':
            d = Number(v)
            break
          case 'H':
            h = Number(v)
            break
          case 'm':
            mi = Number(v)
            break
          case 's':
            s = Number(v)
            break
          default:
            ms = Math.floor(Number(`0.${v}`) * 1000)
        }
      })
      return validDateTime(y, mo, d, h, mi, s, ms)
    }
    return undefined
  }
}

const validDateTime = (y: number, mo: number, d: number, h: number, mi: number, s: number, ms: number): number | undefined => {
  if (mo < 1 || mo > 12 || d < 1 || h > 23 || mi > 59 || s > 59) return undefined
  const date = new Date(0)
  date.setUTCFullYear(y, mo - 1, d)
  date.setUTCHours(h, mi, s, ms)
  if (date.getUTCDate() !== d || date.getUTCMonth() !== mo - 1) return undefined
  return date.getTime()
}

/** Flink's default `partition.time-extractor.timestamp-formatter`. */
export const DEFAULT_TIMESTAMP_FORMATTER = 'yyyy-MM-dd HH:mm:ss'

/**
 * Flink's default partition time extractor: the `timestamp-pattern` with each `$key` replaced by
 * that partition value (in key order; without a pattern, the first partition value), read with
 * the `timestamp-formatter`; text that holds a date only means its midnight.
 */
export class PartitionTimeExtractor {
  private readonly formatter: TimestampPattern
  private readonly dateOnly: TimestampPattern | undefined

  /** @throws Error when the formatter pattern uses letters that are not supported */
  constructor(
    readonly keys: readonly string[],
    readonly timestampPattern: string | undefined,
    readonly timestampFormatter: string = DEFAULT_TIMESTAMP_FORMATTER,
  ) {
    this.formatter = new TimestampPattern(timestampFormatter)
    // `LocalDate.parse` with the same formatter: its date part alone
    const datePart = /^([^Hhms]*?)[\s'T]*H/.exec(timestampFormatter)?.[1]?.trim()
    this.dateOnly = datePart === undefined || datePart === '' ? undefined : new TimestampPattern(datePart)
  }

  /** The timestamp text of a partition, before it is parsed. */
  text(values: readonly string[]): string {
    if (this.timestampPattern === undefined) return values[0] ?? ''
    let s = this.timestampPattern
    for (let i = 0; i < this.keys.length; i++) s = s.split(`$${this.keys[i]}`).join(values[i] ?? '')
    return s
  }

  /** The partition's time in epoch ms (UTC), or undefined when its text does not fit the formatter. */
  extract(values: readonly string[]): number | undefined {
    const text = this.text(values)
    return this.formatter.parse(text) ?? this.dateOnly?.parse(text)
  }
}

/**
 * The offset (ms) of a time zone from UTC at an instant, for `sink.partition-commit.watermark-time-zone`
 * (`'UTC'`, an IANA zone such as `'Asia/Shanghai'`, or an offset such as `'+08:00'`); undefined
 * when the zone is not known.
 */
export const zoneOffset = (zone: string): ((epochMs: number) => number) | undefined => {
  const z = zone.trim()
  if (/^(UTC|GMT|Z)$/i.test(z)) return () => 0
  const fixed = /^(?:UTC|GMT)?([+-])(\d{1,2}):?(\d{2})?$/i.exec(z)
  if (fixed !== null) {
    const ms = (Number(fixed[2]) * 60 + Number(fixed[3] ?? 0)) * 60_000 * (fixed[1] === '-' ? -1 : 1)
    return () => ms
  }
  let format: Intl.DateTimeFormat
  try {
    format = new Intl.DateTimeFormat('en-US', { timeZone: z, hourCycle: 'h23', year: 'numeric', month: 'numeric', day: 'numeric', hour: 'numeric', minute: 'numeric', second: 'numeric' })
  } catch {
    return undefined
  }
  return (epochMs) => {
    const p: Record<string, number> = {}
    for (const part of format.formatToParts(new Date(epochMs))) if (part.type !== 'literal') p[part.type] = Number(part.value)
    const local = Date.UTC(p['year']!, p['month']! - 1, p['day']!, p['hour']!, p['minute']!, p['second']!)
    return local - (epochMs - (((epochMs % 1000) + 1000) % 1000))
  }
}

import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { OptionReader, optionMatches, parseDuration, parseMemorySize, validateOptions } from './options.js'

const opts = (o: Record<string, string>): Map<string, string> => new Map(Object.entries(o))

describe('parseDuration (Flink TimeUtils.parseDuration)', () => {
  it.each([
    ['10 s', 10_000],
    ['10s', 10_000],
    ['1min', 60_000],
    ['1 m', 60_000],
    ['2 minutes', 120_000],
    ['500ms', 500],
    ['500', 500],
    ['3 h', 3 * 3_600_000],
    ['1d', 86_400_000],
    ['2 DAYS', 172_800_000],
    ['  7 sec ', 7000],
    ['1000 us', 1],
    ['1000000 ns', 1],
    ['PT10S', 10_000],
    ['PT1H30M', 5_400_000],
    ['P1DT1S', 86_401_000],
  ])('reads %j as %d ms', (text, ms) => {
    expect(parseDuration(text)).toBe(ms)
  })

  it.each(['', ' ', 's', '1.5 s', '-1 s', '10 years', '10 s x', 'P', 'PT'])('rejects %j', (text) => {
    expect(parseDuration(text)).toBeUndefined()
  })

  it('reads every non-negative integer with every unit label', () => {
    const units: [string, number][] = [
      ['ms', 1],
      ['s', 1000],
      ['min', 60_000],
      ['h', 3_600_000],
      ['d', 86_400_000],
    ]
    fc.assert(
      fc.property(fc.nat(1_000_000), fc.constantFrom(...units), fc.constantFrom('', ' ', '  '), (n, [unit, factor], space) => {
        expect(parseDuration(`${n}${space}${unit}`)).toBe(n * factor)
      }),
    )
  })
})

describe('parseMemorySize (Flink MemorySize.parse)', () => {
  it.each([
    ['128mb', 128 * 1024 * 1024],
    ['128 MB', 128 * 1024 * 1024],
    ['64 kb', 64 * 1024],
    ['1g', 1024 ** 3],
    ['2 gibibytes', 2 * 1024 ** 3],
    ['1t', 1024 ** 4],
    ['512', 512],
    ['512 bytes', 512],
    ['7b', 7],
  ])('reads %j as %d bytes', (text, bytes) => {
    expect(parseMemorySize(text)).toBe(bytes)
  })

  it.each(['', 'mb', '1.5mb', '10 xb', '-1kb'])('rejects %j', (text) => {
    expect(parseMemorySize(text)).toBeUndefined()
  })
})

describe('optionMatches', () => {
  it('matches exact keys, # placeholders and prefixes', () => {
    expect(optionMatches('path', 'path')).toBe(true)
    expect(optionMatches('path', 'path2')).toBe(false)
    expect(optionMatches('fields.#.kind', 'fields.id.kind')).toBe(true)
    expect(optionMatches('fields.#.kind', 'fields.a.b.kind')).toBe(true)
    expect(optionMatches('fields.#.kind', 'fields..kind')).toBe(false)
    expect(optionMatches('fields.#.kind', 'fields.id.min')).toBe(false)
    expect(optionMatches('properties.', 'properties.bootstrap.servers')).toBe(true)
    expect(optionMatches('properties.', 'properties.')).toBe(false)
  })
})

describe('validateOptions', () => {
  it('reports each missing required option and each unsupported option, listing the supported ones', () => {
    const problems = validateOptions('filesystem', opts({ connector: 'filesystem', fromat: 'csv', 'sink.x': '1' }), ['path', 'format'], ['sink.parallelism'])
    expect(problems).toEqual([
      { option: 'path', message: "Missing required option 'path' for connector 'filesystem'." },
      { option: 'format', message: "Missing required option 'format' for connector 'filesystem'." },
      { option: 'fromat', message: "Unsupported option 'fromat' for connector 'filesystem'; supported: connector, format, path, sink.parallelism." },
      { option: 'sink.x', message: "Unsupported option 'sink.x' for connector 'filesystem'; supported: connector, format, path, sink.parallelism." },
    ])
  })

  it('accepts options matching the patterns', () => {
    expect(validateOptions('datagen', opts({ connector: 'datagen', 'fields.id.kind': 'sequence' }), [], ['fields.#.kind'])).toEqual([])
  })
})

describe('OptionReader', () => {
  it('parses typed values and falls back to defaults', () => {
    const r = new OptionReader('x', opts({ a: ' 42 ', b: 'TRUE', c: '10 s', d: '64kb', e: 'iso-8601', f: '0.25', g: '\\t' }))
    expect(r.int('a')).toBe(42)
    expect(r.long('missing', 7)).toBe(7)
    expect(r.boolean('b', false)).toBe(true)
    expect(r.duration('c')).toBe(10_000)
    expect(r.memorySize('d')).toBe(65536)
    expect(r.oneOf('e', ['SQL', 'ISO-8601'] as const, 'SQL')).toBe('ISO-8601')
    expect(r.number('f')).toBe(0.25)
    expect(r.char('g')).toBe('\t')
    expect(r.problems).toEqual([])
  })

  it('collects one problem per value that does not parse, naming the option', () => {
    const r = new OptionReader('x', opts({ a: 'abc', b: 'yes', c: '10 parsecs', d: 'lots', e: 'XML', f: '3000000000', g: ';;', h: '-1' }))
    expect(r.int('a')).toBeUndefined()
    expect(r.boolean('b')).toBeUndefined()
    expect(r.duration('c')).toBeUndefined()
    expect(r.memorySize('d')).toBeUndefined()
    expect(r.oneOf('e', ['SQL', 'ISO-8601'] as const)).toBeUndefined()
    expect(r.int('f')).toBeUndefined()
    expect(r.char('g')).toBeUndefined()
    expect(r.long('h', undefined, 0)).toBeUndefined()
    expect(r.problems.map((p) => p.message)).toEqual([
      "Could not parse value 'abc' for option 'a': expected an integer.",
      "Could not parse value 'yes' for option 'b': expected 'true' or 'false'.",
      "Could not parse value '10 parsecs' for option 'c': expected a duration such as '10 s', '1 min' or '500 ms'.",
      "Could not parse value 'lots' for option 'd': expected a memory size such as '128mb', '64 kb' or '1gb'.",
      "Could not parse value 'XML' for option 'e': expected one of 'SQL', 'ISO-8601'.",
      "The value '3000000000' of option 'f' is out of range: expected between -2147483648 and 2147483647.",
      "Option 'g' must be a string with a single character, but was: ;;",
      "The value '-1' of option 'h' is out of range: expected a non-negative number.",
    ])
    expect(r.problems.map((p) => p.option)).toEqual(['a', 'b', 'c', 'd', 'e', 'f', 'g', 'h'])
    expect(r.result(() => 1)._tag).toBe('Left')
  })
})

import { createHash } from 'node:crypto'
import fc from 'fast-check'
import { describe, expect, it } from 'vitest'
import { DataTypes as T } from '../../types/data-type.js'
import { compilePredicate, compileProjection, generatedSource } from '../compile.js'
import { evaluate } from '../evaluate.js'
import { errs, fn, num, resolveOk, run, runCompiled, type Schema, sql, str, t, testRuntime, un, v } from '../test-support.js'

const S: Schema = [
  ['s', T.STRING()],
  ['n', T.INT()],
]

/** `[sql, expected]` pairs, checked in one go. */
const table = (cases: [string, unknown][]): void => {
  for (const [e, expected] of cases) expect(v(e, S, ['hello', 2]), e).toEqual(expected)
}

describe('string functions', () => {
  it('concatenate with || and CONCAT (NULL if any argument is NULL), CONCAT_WS (skipping NULLs)', () => {
    table([
      ["'ab' || 'cd'", 'abcd'],
      ["CONCAT('a', 'b', 'c')", 'abc'],
      ["CONCAT('a', NULL)", null],
      ["'a' || NULL", null],
      ["CONCAT_WS('-', 'a', NULL, 'c')", 'a-c'],
      ["CONCAT_WS(NULL, 'a')", null],
      ["CONCAT_WS(',', s, s)", 'hello,hello'],
    ])
    expect(t("'ab' || 'cde'")).toBe('CHAR(5) NOT NULL')
    expect(t("s || 'x'", S)).toBe('STRING')
    expect(t("CONCAT_WS('-', s)", S)).toBe('STRING NOT NULL')
    expect(errs("'a' || 1")[0]![0]).toMatch(/Cannot apply '\|\|'/)
  })

  it('change case', () => {
    table([
      ["UPPER('aBc')", 'ABC'],
      ["LOWER('aBc')", 'abc'],
      ["INITCAP('hello wORLD-foo bar9x')", 'Hello World-Foo Bar9x'],
      ['UPPER(CAST(NULL AS STRING))', null],
    ])
    expect(t("UPPER('abc')")).toBe('CHAR(3) NOT NULL')
  })

  it('measure and search', () => {
    table([
      ["CHAR_LENGTH('hello')", 5],
      ["CHARACTER_LENGTH('')", 0],
      ["POSITION('lo' IN 'hello')", 4],
      ["POSITION('x' IN 'hello')", 0],
      ["POSITION('' IN 'hello')", 1],
      ["LOCATE('l', 'hello')", 3],
      ["LOCATE('l', 'hello', 4)", 4],
      ["INSTR('hello world hello', 'hello', 1, 2)", 13],
      ["INSTR('hello world hello', 'hello', -1, 1)", 13],
      ["INSTR('abc', 'c')", 3],
      ["ASCII('A')", 65],
      ["ASCII('')", 0],
      ['CHR(65)', 'A'],
      ['CHR(321)', 'A'],
    ])
  })

  it('trim spaces or given characters, from either side', () => {
    table([
      ["TRIM('  ab  ')", 'ab'],
      ["TRIM(LEADING FROM '  ab  ')", 'ab  '],
      ["TRIM(TRAILING FROM '  ab  ')", '  ab'],
      ["TRIM(BOTH 'xy' FROM 'xyabyx')", 'ab'],
      ["LTRIM('  ab')", 'ab'],
      ["RTRIM('ab  ')", 'ab'],
    ])
  })

  it('SUBSTRING as Flink: 1-based, negative start from the end, NULL for a negative length', () => {
    table([
      ["SUBSTRING('hello' FROM 1 FOR 3)", 'hel'],
      ["SUBSTRING('hello' FROM 2)", 'ello'],
      ["SUBSTRING('hello', 0, 2)", 'he'],
      ["SUBSTRING('hello', -3, 2)", 'll'],
      ["SUBSTRING('hello', -10, 2)", ''],
      ["SUBSTRING('hello', 6, 2)", ''],
      ["SUBSTR('hello', 4, 10)", 'lo'],
      ["SUBSTR('hello', 1, -1)", null],
      ['SUBSTRING(s, n)', 'ello'],
    ])
  })

  it('replace, pad, repeat, reverse, overlay, left, right', () => {
    table([
      ["REPLACE('hello', 'l', 'L')", 'heLLo'],
      ["REPLACE('abc', '', '-')", '-a-b-c-'],
      ["REPLACE('a$b', '$', '$$')", 'a$$b'],
      ["LPAD('hi', 5, 'ab')", 'abahi'],
      ["LPAD('hello', 3, 'x')", 'hel'],
      ["RPAD('hi', 5, 'ab')", 'hiaba'],
      ["RPAD('hi', -1, 'ab')", null],
      ["LPAD('hi', 4, '')", null],
      ["REPEAT('ab', 3)", 'ababab'],
      ["REPEAT('ab', -1)", ''],
      ["REVERSE('abc')", 'cba'],
      ["REVERSE('a😀b')", 'b😀a'],
      ["OVERLAY('abcdefg' PLACING 'XY' FROM 3)", 'abXYefg'],
      ["OVERLAY('abcdefg' PLACING 'XY' FROM 3 FOR 1)", 'abXYdefg'],
    ])
    // LEFT and RIGHT are keywords the parser does not take as function names yet: built as trees
    expect(run(fn('LEFT', str('hello'), num(2)))).toBe('he')
    expect(run(fn('RIGHT', str('hello'), num(2)))).toBe('lo')
    expect(run(fn('LEFT', str('hello'), un('-', num(2))))).toBe('')
  })

  it('split and regular expressions', () => {
    table([
      ["SPLIT_INDEX('a,b,,c', ',', 2)", ''],
      ["SPLIT_INDEX('a,b,,c', ',', 3)", 'c'],
      ["SPLIT_INDEX('a,b', ',', 5)", null],
      ["SPLIT_INDEX('a::b', '::', 1)", 'b'],
      ["REGEXP('k1=v1', 'k[0-9]')", true],
      ["REGEXP('abc', '^b')", false],
      ["REGEXP('abc', '(')", false],
      ["REGEXP_REPLACE('foobar', 'oo|ar', '')", 'fb'],
      ["REGEXP_REPLACE('a1b22', '[0-9]+', '$1')", 'a$1b$1'],
      ["REGEXP_REPLACE('abc', '(', 'x')", null],
      ["REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 2)", 'bar'],
      ["REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 1)", 'the'],
      ["REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)')", 'foothebar'],
      ["REGEXP_EXTRACT('foothebar', 'foo(.*?)(bar)', 3)", null],
      ["REGEXP_EXTRACT('x', 'y')", null],
    ])
  })

  it('SPLIT_INDEX agrees with splitting the whole string, for any text, separator and index', () => {
    const split = sql('SPLIT_INDEX(s, sep, i)')
    const schema: Schema = [
      ['s', T.STRING()],
      ['sep', T.STRING()],
      ['i', T.INT()],
    ]
    // commons-lang's splitByWholeSeparatorPreserveAllTokens: every token, empty ones too
    const reference = (s: string, sep: string, i: number): string | null => {
      if (i < 0 || s === '') return null
      const parts = s.split(sep)
      return i < parts.length ? parts[i]! : null
    }
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', 'b', '/', ':'), maxLength: 14 }),
        fc.constantFrom('/', '::', 'ab', 'aa', 'a/b:'),
        fc.integer({ min: -2, max: 8 }),
        (s, sep, i) => {
          expect(run(split, schema, [s, sep, i])).toBe(reference(s, sep, i))
        },
      ),
    )
    expect(run(split, schema, ['https://www.nexmark.com/a/b/c/item.htm?query=1', '/', 3])).toBe('a')
    expect(run(split, schema, ['a b\tc', '', 2])).toBe('c') // an empty separator splits at whitespace
    expect(run(split, schema, [null, '/', 0])).toBe(null)
  })

  it('REGEXP_EXTRACT with a constant pattern: compiled once, equal to matching each record alone', () => {
    const schema: Schema = [
      ['url', T.STRING()],
      ['channel', T.STRING()],
    ]
    const names = schema.map(([n]) => n)
    const pattern = "'(&|^)channel_id=([^&]*)'"
    // as Nexmark q21: the condition and the projection both extract, at two call sites
    const rexes = [`REGEXP_EXTRACT(url, ${pattern}, 2)`, `REGEXP_EXTRACT(url, ${pattern}, 1)`, `REGEXP_EXTRACT(url, ${pattern})`, `REGEXP_EXTRACT(url, ${pattern}, 3)`].map((e) =>
      resolveOk(sql(e), schema),
    )
    const factory = compileProjection(rexes, { fieldNames: names })
    expect(generatedSource(factory)).not.toContain('channel_id')
    const project = factory(testRuntime)
    const predicate = compilePredicate(resolveOk(sql(`REGEXP_EXTRACT(url, ${pattern}, 2) IS NOT NULL`), schema), { fieldNames: names })(testRuntime)
    // independently: the value of the first channel_id parameter at the start or after an '&'
    const channelId = (url: string): [string, string, string] | null => {
      for (let at = url.indexOf('channel_id='); at >= 0; at = url.indexOf('channel_id=', at + 1)) {
        if (at > 0 && url[at - 1] !== '&') continue
        const start = at + 'channel_id='.length
        const end = url.indexOf('&', start)
        const value = end < 0 ? url.slice(start) : url.slice(start, end)
        const sep = at === 0 ? '' : '&'
        return [value, sep, `${sep}channel_id=${value}`]
      }
      return null
    }
    const urls = [
      'https://www.nexmark.com/x/y/z/item.htm?query=1&channel_id=1234',
      'https://www.nexmark.com/x/y/z/item.htm?query=1',
      'channel_id=7&a=b',
      'a=1&channel_id=&b=2',
      'xchannel_id=5&channel_id=6&channel_id=8',
      '',
    ]
    fc.assert(
      fc.property(fc.array(fc.constantFrom(...urls), { maxLength: 12 }), (rows) => {
        for (const url of rows) {
          const m = channelId(url)
          const expected = m === null ? [null, null, null, null] : [m[0], m[1], m[2], null]
          // the same subject twice in a row, as a condition and a projection see it
          expect(predicate([url, 'x']), url).toBe(m !== null)
          expect(project([url, 'x']), url).toEqual(expected)
          expect(rexes.map((r) => evaluate(r, [url, 'x'], [], testRuntime))).toEqual(expected)
        }
      }),
    )
    expect(project([null, 'x'])).toEqual([null, null, null, null])
  })

  it('REGEXP_EXTRACT: NULL for an invalid pattern, a group out of range or one that did not take part', () => {
    const schema: Schema = [
      ['s', T.STRING()],
      ['r', T.STRING()],
    ]
    const cases: [string, readonly unknown[], unknown][] = [
      ["REGEXP_EXTRACT(s, '(', 1)", ['abc', ''], null],
      ["REGEXP_EXTRACT(s, '(a)|(b)', 1)", ['b', ''], null],
      ["REGEXP_EXTRACT(s, '(a)|(b)', 2)", ['b', ''], 'b'],
      ["REGEXP_EXTRACT(s, '(a)', -1)", ['a', ''], null],
      ["REGEXP_EXTRACT(s, '(?i)B+')", ['abBc', ''], 'bB'],
      ["REGEXP_EXTRACT(s, 'x++')", ['axxb', ''], 'xx'],
      ['REGEXP_EXTRACT(s, r, 1)', ['k=v', '(\\w)='], 'k'],
      ['REGEXP_EXTRACT(s, r, 1)', ['k=v', '('], null],
      ['REGEXP_EXTRACT(s, r)', ['k=v', null], null],
    ]
    for (const [e, row, expected] of cases) expect(run(sql(e), schema, row), e).toBe(expected)
  })

  it('hashes, base64, UUID', () => {
    table([
      ["MD5('abc')", createHash('md5').update('abc').digest('hex')],
      ["SHA1('abc')", 'a9993e364706816aba3e25717850c26c9cd0d89d'],
      ["SHA256('abc')", 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad'],
      ["SHA2('abc', 512)", createHash('sha512').update('abc').digest('hex')],
      ["SHA2('abc', 7)", null],
      ["TO_BASE64('hello')", 'aGVsbG8='],
      ["FROM_BASE64('aGVsbG8=')", 'hello'],
      ["FROM_BASE64('%%%')", null],
    ])
    const u = runCompiled(sql('UUID()')) as string
    expect(u).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/)
    expect(runCompiled(sql('UUID()'))).not.toBe(u)
  })

  it('STR_TO_MAP and JSON_VALUE', () => {
    table([
      [
        "STR_TO_MAP('a=1,b=2,c')",
        new Map<string, string | null>([
          ['a', '1'],
          ['b', '2'],
          ['c', null],
        ]),
      ],
      [
        "STR_TO_MAP('a:1;b:2', ';', ':')",
        new Map([
          ['a', '1'],
          ['b', '2'],
        ]),
      ],
      ["STR_TO_MAP('')", new Map()],
    ])
    expect(t("STR_TO_MAP('a=1')")).toBe('MAP<STRING, STRING> NOT NULL')
    const json = `'{"a": {"b": [10, 20, {"c": "x"}]}, "t": true, "n": null, "s": "str"}'`
    table([
      [`JSON_VALUE(${json}, '$.a.b[1]')`, '20'],
      [`JSON_VALUE(${json}, '$.a.b[2].c')`, 'x'],
      [`JSON_VALUE(${json}, '$[''s'']')`, 'str'],
      [`JSON_VALUE(${json}, '$.t')`, 'true'],
      [`JSON_VALUE(${json}, '$.n')`, null],
      [`JSON_VALUE(${json}, '$.a')`, null],
      [`JSON_VALUE(${json}, '$.missing')`, null],
      ["JSON_VALUE('not json', '$.a')", null],
      [`JSON_VALUE(${json}, 'lax $.s')`, 'str'],
    ])
  })

  it('reports unknown functions with a suggestion, and wrong argument types', () => {
    expect(errs("UPPPER('a')")).toEqual([["No match found for function signature UPPPER(<CHAR(1) NOT NULL>); did you mean 'UPPER'?", 1, 1]])
    expect(errs('x + UPPER(1)', [['x', T.INT()]])).toEqual([["Cannot apply 'UPPER' to arguments of type 'UPPER(<INT NOT NULL>)'. Supported form(s): 'UPPER(<STRING>)'", 1, 5]])
    expect(errs("SUBSTRING('a')")[0]![0]).toMatch(/Supported form\(s\): 'SUBSTRING\(<STRING>, <INTEGER>\)', 'SUBSTRING\(<STRING>, <INTEGER>, <INTEGER>\)'/)
  })
})

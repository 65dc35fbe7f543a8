import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import type * as A from './ast.js'
import { withoutPositions } from './ast-compare.js'
import { parseExpression, parseQuery, parseStatement, parseStatements, parseType } from './parse.js'

const ok = <T>(r: E.Either<Error, T>): T => {
  if (E.isLeft(r)) throw new Error(`expected success, got: ${r.left.message}`)
  return r.right
}
const stmt = (sql: string): A.Statement => ok(parseStatement(sql))
const expr = (sql: string): unknown => withoutPositions(ok(parseExpression(sql)))
const query = (sql: string): A.Query => ok(parseQuery(sql))
const select = (sql: string): A.SelectQuery => {
  const q = query(sql)
  if (q.type !== 'select') throw new Error(`not a select: ${q.type}`)
  return q
}
const id = (...parts: string[]) => ({ type: 'identifier', parts })
const num = (text: string) => ({ type: 'literal', kind: 'number', text, numberKind: /[eE]/.test(text) ? 'approx' : text.includes('.') ? 'decimal' : 'integer' })
const str = (value: string) => ({ type: 'literal', kind: 'string', value })
const call = (name: string, args: unknown[], extra: object = {}) => ({ type: 'call', name: { parts: name.split('.') }, args, distinct: false, ...extra })
const bin = (op: string, left: unknown, right: unknown) => ({ type: 'binary', op, left, right })

describe('literals and identifiers', () => {
  it('reads numbers with their kind, strings with escapes, booleans, NULL, binary', () => {
    expect(expr('12')).toEqual(num('12'))
    expect(expr('1.50')).toEqual(num('1.50'))
    expect(expr('1e-3')).toEqual(num('1e-3'))
    expect(expr("'it''s'")).toEqual(str("it's"))
    expect(expr('TRUE')).toEqual({ type: 'literal', kind: 'boolean', value: true })
    expect(expr('null')).toEqual({ type: 'literal', kind: 'null' })
    expect(expr("x'0aff'")).toEqual({ type: 'literal', kind: 'binary', hex: '0AFF' })
  })

  it('reads interval literals, plural units, negative intervals and ranges', () => {
    expect(expr("INTERVAL '10' MINUTES")).toEqual({ type: 'literal', kind: 'interval', text: '10', negative: false, from: 'MINUTE' })
    expect(expr("INTERVAL '1 10:30' DAY TO MINUTE")).toEqual({ type: 'literal', kind: 'interval', text: '1 10:30', negative: false, from: 'DAY', to: 'MINUTE' })
    expect(expr("INTERVAL -'2' YEAR")).toEqual({ type: 'literal', kind: 'interval', text: '2', negative: true, from: 'YEAR' })
    expect(expr("INTERVAL '1.5' SECOND(2, 3)")).toEqual({ type: 'literal', kind: 'interval', text: '1.5', negative: false, from: 'SECOND' })
  })

  it('reads typed literals', () => {
    expect(expr("TIMESTAMP '2020-01-01 00:00:00'")).toEqual({ type: 'literal', kind: 'timestamp', text: '2020-01-01 00:00:00' })
    expect(expr("DATE '2020-01-01'")).toEqual({ type: 'literal', kind: 'date', text: '2020-01-01' })
    expect(expr("time '10:00'")).toEqual({ type: 'literal', kind: 'time', text: '10:00' })
    expect(expr("TIMESTAMP WITH LOCAL TIME ZONE '2020-01-01 00:00:00'")).toEqual({ type: 'literal', kind: 'timestamp_ltz', text: '2020-01-01 00:00:00' })
  })

  it('keeps the case of identifiers, unquotes back-quoted ones, reads qualified names and t.*', () => {
    expect(expr('dateTime')).toEqual(id('dateTime'))
    expect(expr('`a``b c`')).toEqual(id('a`b c'))
    expect(expr('B.`dateTime`')).toEqual(id('B', 'dateTime'))
    expect(expr('cat.db.t.col')).toEqual(id('cat', 'db', 't', 'col'))
    expect(select('SELECT A.*, *').items).toEqual([
      { type: 'star', pos: { line: 1, column: 8, offset: 7 }, qualifier: ['A'] },
      { type: 'star', pos: { line: 1, column: 13, offset: 12 } },
    ])
  })

  it('accepts non-reserved keywords as identifiers (Nexmark column names and more)', () => {
    const words = ['value', 'name', 'data', 'type', 'year', 'month', 'day', 'hour', 'minute', 'second', 'position', 'date', 'timestamp', 'time', 'key', 'first', 'last', 'current', 'row', 'array', 'map', 'first', 'show', 'set', 'use', 'comment', 'partitioned', 'metadata', 'final']
    const nexmark = ['dateTime', 'extra', 'channel', 'url', 'city', 'state', 'id', 'category', 'seller', 'reserve', 'expires', 'initialBid', 'itemName', 'description', 'creditCard', 'emailAddress', 'auction', 'bidder', 'price', 'starttime', 'endtime', 'window_start', 'window_end']
    for (const w of [...words, ...nexmark]) {
      const q = select(`SELECT ${w}, t.${w} AS ${w} FROM ${w} ${w} WHERE ${w} > 1 GROUP BY ${w}`)
      expect(q.items[0]).toMatchObject({ type: 'item', expr: { type: 'identifier', parts: [w] } })
      expect(q.items[1]).toMatchObject({ alias: w })
      expect(q.from).toMatchObject({ type: 'table', name: { parts: [w] }, alias: w })
    }
  })

  it('refuses reserved keywords as identifiers unless back-quoted', () => {
    expect(E.isLeft(parseQuery('SELECT select FROM t'))).toBe(true)
    expect(E.isLeft(parseQuery('SELECT a FROM table'))).toBe(true)
    expect(select('SELECT `select` FROM `table`').items[0]).toMatchObject({ expr: id('select') })
  })
})

describe('special expressions', () => {
  it('reads CAST and TRY_CAST with types', () => {
    expect(expr('CAST(a AS DECIMAL(10, 2) NOT NULL)')).toEqual({ type: 'cast', expr: id('a'), target: { kind: 'DECIMAL', precision: 10, scale: 2, nullable: false }, try: false })
    expect(expr('TRY_CAST(a AS STRING)')).toEqual({ type: 'cast', expr: id('a'), target: { kind: 'VARCHAR', nullable: true }, try: true })
  })

  it('reads EXTRACT, FLOOR/CEIL TO, TIMESTAMPADD/DIFF, and plain FLOOR as a call', () => {
    expect(expr('EXTRACT(DOY FROM ts)')).toEqual({ type: 'extract', unit: 'DOY', expr: id('ts') })
    expect(expr('FLOOR(ts TO HOUR)')).toEqual({ type: 'floorCeil', fn: 'FLOOR', expr: id('ts'), unit: 'HOUR' })
    expect(expr('CEILING(ts TO DAY)')).toEqual({ type: 'floorCeil', fn: 'CEIL', expr: id('ts'), unit: 'DAY' })
    expect(expr('floor(x)')).toEqual(call('floor', [id('x')]))
    expect(expr('TIMESTAMPDIFF(SECOND, a, b)')).toEqual({ type: 'timestampAddDiff', fn: 'TIMESTAMPDIFF', unit: 'SECOND', args: [id('a'), id('b')] })
  })

  it('reads POSITION, TRIM, SUBSTRING and OVERLAY in their special and plain forms', () => {
    expect(expr("POSITION('a' IN s)")).toEqual({ type: 'position', needle: str('a'), haystack: id('s') })
    expect(expr("POSITION('a' IN s IN (1))")).toEqual({ type: 'position', needle: str('a'), haystack: { type: 'inList', expr: id('s'), list: [num('1')], negated: false } })
    expect(expr("TRIM(LEADING 'x' FROM s)")).toEqual({ type: 'trim', side: 'LEADING', chars: str('x'), expr: id('s') })
    expect(expr('TRIM(TRAILING FROM s)')).toEqual({ type: 'trim', side: 'TRAILING', expr: id('s') })
    expect(expr('TRIM(s)')).toEqual({ type: 'trim', side: 'BOTH', expr: id('s') })
    expect(expr('SUBSTRING(s FROM 2 FOR 3)')).toEqual({ type: 'substring', expr: id('s'), from: num('2'), for: num('3') })
    expect(expr('SUBSTRING(s, 2)')).toEqual(call('SUBSTRING', [id('s'), num('2')]))
    expect(expr("OVERLAY(s PLACING 'ab' FROM 2 FOR 1)")).toEqual({ type: 'overlay', expr: id('s'), placing: str('ab'), from: num('2'), for: num('1') })
  })

  it('reads CASE in both forms', () => {
    expect(expr("CASE a WHEN 1 THEN 'x' ELSE 'y' END")).toEqual({ type: 'case', operand: id('a'), whens: [{ when: num('1'), then: str('x') }], else: str('y') })
    expect(expr('CASE WHEN a THEN b WHEN c THEN d END')).toEqual({ type: 'case', whens: [{ when: id('a'), then: id('b') }, { when: id('c'), then: id('d') }] })
  })

  it('reads predicates: BETWEEN [SYMMETRIC], IN lists and subqueries, EXISTS, LIKE/SIMILAR TO with ESCAPE, IS tests', () => {
    expect(expr('a NOT BETWEEN SYMMETRIC 1 AND 2')).toEqual({ type: 'between', expr: id('a'), low: num('1'), high: num('2'), negated: true, symmetric: true })
    expect(expr('a IN (1, 2)')).toEqual({ type: 'inList', expr: id('a'), list: [num('1'), num('2')], negated: false })
    expect(expr('a NOT IN (SELECT b FROM u)')).toMatchObject({ type: 'inSubquery', negated: true, query: { type: 'select' } })
    expect(expr('NOT EXISTS (SELECT 1)')).toMatchObject({ type: 'unary', op: 'NOT', operand: { type: 'exists', query: { type: 'select' } } })
    expect(expr("a NOT LIKE 'x!%' ESCAPE '!'")).toEqual({ type: 'like', op: 'LIKE', expr: id('a'), pattern: str('x!%'), escape: str('!'), negated: true })
    expect(expr("a SIMILAR TO 'b'")).toEqual({ type: 'like', op: 'SIMILAR', expr: id('a'), pattern: str('b'), negated: false })
    expect(expr('a IS NOT UNKNOWN')).toEqual({ type: 'is', expr: id('a'), test: 'UNKNOWN', negated: true })
    expect(expr('a IS NOT DISTINCT FROM b')).toEqual({ type: 'isDistinctFrom', left: id('a'), right: id('b'), negated: true })
  })

  it('reads constructors, item and field access, scalar subqueries and rows', () => {
    expect(expr('ARRAY[1, 2]')).toEqual({ type: 'array', elements: [num('1'), num('2')] })
    expect(expr("MAP['a', 1]")).toEqual({ type: 'map', entries: [{ key: str('a'), value: num('1') }] })
    expect(expr('ROW(1, a)')).toEqual({ type: 'row', fields: [num('1'), id('a')] })
    expect(expr('(1, a)')).toEqual({ type: 'row', fields: [num('1'), id('a')] })
    expect(expr('(a)')).toEqual({ type: 'paren', expr: id('a') })
    expect(expr("m['k'][1]")).toEqual({ type: 'item', expr: { type: 'item', expr: id('m'), index: str('k') }, index: num('1') })
    expect(expr('f(x).g.h')).toEqual({ type: 'field', expr: { type: 'field', expr: call('f', [id('x')]), field: 'g' }, field: 'h' })
    expect(expr('(r).f')).toEqual({ type: 'field', expr: { type: 'paren', expr: id('r') }, field: 'f' })
    expect(expr('(SELECT 1) + 1')).toMatchObject({ type: 'binary', left: { type: 'scalarSubquery' } })
    expect(expr('((SELECT 1) + 1)')).toMatchObject({ type: 'paren', expr: { type: 'binary', left: { type: 'scalarSubquery' } } })
  })

  it('reads niladic functions with and without parentheses', () => {
    expect(expr('CURRENT_TIMESTAMP')).toEqual(call('CURRENT_TIMESTAMP', [], { noParens: true }))
    expect(expr('localtimestamp')).toEqual(call('localtimestamp', [], { noParens: true }))
    expect(expr('CURRENT_ROW_TIMESTAMP()')).toEqual(call('CURRENT_ROW_TIMESTAMP', []))
    expect(expr('PROCTIME()')).toEqual(call('PROCTIME', []))
  })

  it('reads calls: COUNT(*), DISTINCT, FILTER, WITHIN GROUP, OVER a window or a name, qualified names', () => {
    expect(expr('COUNT(*)')).toEqual(call('COUNT', [{ type: 'star' }]))
    expect(expr('count(DISTINCT bidder) filter (where price < 10)')).toEqual({ ...call('count', [id('bidder')]), distinct: true, filter: bin('<', id('price'), num('10')) })
    expect(expr("LISTAGG(n, ',') WITHIN GROUP (ORDER BY n DESC NULLS LAST)")).toEqual({ ...call('LISTAGG', [id('n'), str(',')]), withinGroup: [{ expr: id('n'), direction: 'DESC', nulls: 'LAST' }] })
    expect(expr('SUM(x) OVER w')).toEqual({ ...call('SUM', [id('x')]), over: { type: 'windowRef', name: 'w' } })
    expect(expr('db.f(1)')).toEqual(call('db.f', [num('1')]))
  })

  it('reads OVER windows with partitions, order, ROWS and RANGE frames', () => {
    expect(expr('ROW_NUMBER() OVER (PARTITION BY a, b ORDER BY c DESC)')).toEqual({
      ...call('ROW_NUMBER', []),
      over: { type: 'windowSpec', partitionBy: [id('a'), id('b')], orderBy: [{ expr: id('c'), direction: 'DESC' }] },
    })
    expect(expr('AVG(p) OVER (PARTITION BY s ORDER BY t ROWS BETWEEN 10 PRECEDING AND CURRENT ROW)')).toMatchObject({
      over: { frame: { unit: 'ROWS', start: { kind: 'PRECEDING', offset: num('10') }, end: { kind: 'CURRENT_ROW' } } },
    })
    expect(expr("SUM(p) OVER (ORDER BY t RANGE BETWEEN INTERVAL '1' HOUR PRECEDING AND UNBOUNDED FOLLOWING)")).toMatchObject({
      over: { frame: { unit: 'RANGE', start: { kind: 'PRECEDING', offset: { kind: 'interval', from: 'HOUR' } }, end: { kind: 'UNBOUNDED_FOLLOWING' } } },
    })
    expect(expr('SUM(p) OVER (w ROWS UNBOUNDED PRECEDING)')).toMatchObject({ over: { base: 'w', frame: { unit: 'ROWS', start: { kind: 'UNBOUNDED_PRECEDING' } } } })
  })
})

describe('queries', () => {
  it('reads every clause of a SELECT', () => {
    const q = select('SELECT /*+ STATE_TTL(o = \'1d\') */ DISTINCT a AS x, b y FROM t WHERE a > 1 GROUP BY a HAVING COUNT(*) > 1 WINDOW w AS (PARTITION BY a) QUALIFY ROW_NUMBER() OVER w = 1 ORDER BY x LIMIT 10 OFFSET 5')
    expect(withoutPositions(q)).toMatchObject({
      type: 'select',
      distinct: true,
      hints: [{ name: 'STATE_TTL', options: { o: '1d' } }],
      items: [
        { type: 'item', expr: id('a'), alias: 'x' },
        { type: 'item', expr: id('b'), alias: 'y' },
      ],
      from: { type: 'table', name: { parts: ['t'] } },
      where: bin('>', id('a'), num('1')),
      groupBy: [{ type: 'expr', expr: id('a') }],
      having: bin('>', call('COUNT', [{ type: 'star' }]), num('1')),
      windows: [{ name: 'w', spec: { type: 'windowSpec', partitionBy: [id('a')], orderBy: [] } }],
      qualify: { type: 'binary', op: '=' },
      orderBy: [{ expr: id('x'), direction: 'ASC' }],
      limit: num('10'),
      offset: num('5'),
    })
  })

  it('reads FETCH FIRST as a limit', () => {
    expect(query('SELECT a FROM t OFFSET 2 ROWS FETCH NEXT 3 ROWS ONLY')).toMatchObject({ offset: { text: '2' }, limit: { text: '3' } })
    expect(query('SELECT a FROM t FETCH FIRST ROW ONLY')).toMatchObject({ limit: { text: '1' } })
  })

  it('reads set operations left-associatively with INTERSECT binding tighter', () => {
    const q = withoutPositions(query('SELECT 1 UNION SELECT 2 INTERSECT SELECT 3 EXCEPT ALL SELECT 4'))
    expect(q).toMatchObject({
      type: 'setOp',
      op: 'EXCEPT',
      all: true,
      left: { type: 'setOp', op: 'UNION', all: false, left: { type: 'select' }, right: { type: 'setOp', op: 'INTERSECT' } },
      right: { type: 'select' },
    })
  })

  it('puts ORDER BY and LIMIT on the outermost query: the set operation, the WITH, the parenthesized query', () => {
    expect(query('SELECT 1 UNION ALL SELECT 2 ORDER BY 1')).toMatchObject({ type: 'setOp', orderBy: [{ expr: num('1') }], right: { type: 'select' } })
    expect((query('SELECT 1 UNION ALL SELECT 2 ORDER BY 1') as A.SetOpQuery).right.orderBy).toBeUndefined()
    expect(query('WITH a AS (SELECT 1) SELECT * FROM a LIMIT 1')).toMatchObject({ type: 'with', limit: num('1'), body: { type: 'select' } })
    expect(query('(SELECT 1 LIMIT 2) LIMIT 1')).toMatchObject({ type: 'paren', limit: num('1'), query: { type: 'select', limit: num('2') } })
  })

  it('reads WITH lists with column names, and VALUES', () => {
    expect(withoutPositions(query('WITH a (x, y) AS (VALUES (1, 2), (3, 4)), b AS (SELECT 1) SELECT * FROM a'))).toMatchObject({
      type: 'with',
      ctes: [
        { name: 'a', columns: ['x', 'y'], query: { type: 'values', rows: [[num('1'), num('2')], [num('3'), num('4')]] } },
        { name: 'b', query: { type: 'select' } },
      ],
    })
  })

  it('reads GROUPING SETS, ROLLUP, CUBE and the empty grouping set', () => {
    expect(withoutPositions(select('SELECT 1 FROM t GROUP BY GROUPING SETS ((a, b), a, ()), ROLLUP (a, b), CUBE (c), ()').groupBy)).toEqual([
      { type: 'groupingSets', sets: [[id('a'), id('b')], [id('a')], []] },
      { type: 'rollup', exprs: [id('a'), id('b')] },
      { type: 'cube', exprs: [id('c')] },
      { type: 'groupingSets', sets: [[]] },
    ])
  })

  it('reads joins of every kind, USING, and JOIN binding tighter than the comma', () => {
    const from = withoutPositions(select('SELECT 1 FROM a, b LEFT OUTER JOIN c ON b.x = c.x FULL JOIN d USING (y) CROSS JOIN e JOIN f ON TRUE').from)
    expect(from).toMatchObject({
      type: 'join',
      joinType: 'CROSS',
      comma: true,
      left: { type: 'table', name: { parts: ['a'] } },
      right: {
        type: 'join',
        joinType: 'INNER',
        on: { kind: 'boolean', value: true },
        left: { type: 'join', joinType: 'CROSS', left: { type: 'join', joinType: 'FULL', using: ['y'], left: { type: 'join', joinType: 'LEFT' } } },
      },
    })
    expect(select('SELECT 1 FROM (a JOIN b ON TRUE) RIGHT JOIN c ON TRUE').from).toMatchObject({ joinType: 'RIGHT', left: { type: 'join', joinType: 'INNER' } })
  })

  it('reads temporal joins, hints and aliases with column names on tables', () => {
    const from = select("SELECT 1 FROM Orders AS o JOIN Rates /*+ OPTIONS('lookup.cache' = 'none') */ FOR SYSTEM_TIME AS OF o.proc_time AS r (c, rate) ON o.c = r.c").from as A.JoinTableRef
    expect(withoutPositions(from.right)).toEqual({
      type: 'table',
      name: { parts: ['Rates'] },
      hints: [{ name: 'OPTIONS', options: { 'lookup.cache': 'none' } }],
      forSystemTimeAsOf: id('o', 'proc_time'),
      alias: 'r',
      columnAliases: ['c', 'rate'],
    })
  })

  it('reads window table functions with positional, named and PARTITION BY arguments', () => {
    expect(withoutPositions(select("SELECT * FROM TABLE(TUMBLE(TABLE Bid, DESCRIPTOR(bidtime), INTERVAL '10' MINUTES))").from)).toEqual({
      type: 'tableFunction',
      lateral: false,
      call: call('TUMBLE', [{ type: 'tableArg', table: { parts: ['Bid'] } }, { type: 'descriptor', columns: ['bidtime'] }, { type: 'literal', kind: 'interval', text: '10', negative: false, from: 'MINUTE' }]),
    })
    expect(withoutPositions(select("SELECT * FROM TABLE(HOP(DATA => TABLE Bid, TIMECOL => DESCRIPTOR(ts), SLIDE => INTERVAL '5' MINUTES, SIZE => INTERVAL '10' MINUTES, OFFSET => INTERVAL '1' MINUTE)) AS w").from)).toMatchObject({
      alias: 'w',
      call: {
        args: [
          { type: 'namedArg', name: 'DATA', value: { type: 'tableArg', table: { parts: ['Bid'] } } },
          { type: 'namedArg', name: 'TIMECOL', value: { type: 'descriptor', columns: ['ts'] } },
          { type: 'namedArg', name: 'SLIDE' },
          { type: 'namedArg', name: 'SIZE' },
          { type: 'namedArg', name: 'OFFSET' },
        ],
      },
    })
    expect(withoutPositions(select("SELECT * FROM TABLE(SESSION(TABLE Bid PARTITION BY item, DESCRIPTOR(ts), INTERVAL '5' MINUTES))").from)).toMatchObject({
      call: { args: [{ type: 'tableArg', partitionBy: [id('item')] }, { type: 'descriptor' }, { type: 'literal' }] },
    })
    expect(withoutPositions(select("SELECT * FROM TABLE(SESSION(TABLE Bid PARTITION BY (a, b), DESCRIPTOR(ts), INTERVAL '5' MINUTES))").from)).toMatchObject({
      call: { args: [{ type: 'tableArg', partitionBy: [id('a'), id('b')] }, { type: 'descriptor' }, { type: 'literal' }] },
    })
    expect(withoutPositions(select("SELECT * FROM TABLE(TUMBLE((SELECT * FROM b), DESCRIPTOR(ts), INTERVAL '1' MINUTE))").from)).toMatchObject({
      call: { args: [{ type: 'tableArg', table: { type: 'select' } }, { type: 'descriptor' }, { type: 'literal' }] },
    })
  })

  it('reads LATERAL TABLE, LATERAL subqueries and UNNEST WITH ORDINALITY', () => {
    expect(withoutPositions(select('SELECT 1 FROM o, LATERAL TABLE(split(o.tags)) AS T(tag)').from)).toMatchObject({
      right: { type: 'tableFunction', lateral: true, call: call('split', [id('o', 'tags')]), alias: 'T', columnAliases: ['tag'] },
    })
    expect(select('SELECT 1 FROM o LEFT JOIN LATERAL (SELECT 1) s ON TRUE').from).toMatchObject({ right: { type: 'subquery', lateral: true, alias: 's' } })
    expect(withoutPositions(select('SELECT 1 FROM o CROSS JOIN UNNEST(o.arr) WITH ORDINALITY AS t (v, i)').from)).toMatchObject({
      right: { type: 'unnest', exprs: [id('o', 'arr')], withOrdinality: true, alias: 't', columnAliases: ['v', 'i'] },
    })
  })

  it('reads subqueries in FROM, also nested in parentheses and set operations', () => {
    expect(select('SELECT * FROM (SELECT 1) q').from).toMatchObject({ type: 'subquery', alias: 'q', query: { type: 'select' } })
    expect(select('SELECT * FROM ((SELECT 1) UNION (SELECT 2)) q').from).toMatchObject({ type: 'subquery', query: { type: 'setOp', left: { type: 'paren' } } })
    expect(select('SELECT * FROM (VALUES (1)) AS v (a)').from).toMatchObject({ type: 'subquery', query: { type: 'values' }, alias: 'v', columnAliases: ['a'] })
  })
})

describe('statements', () => {
  it('reads CREATE TABLE with physical, computed and metadata columns, watermark, primary key, partitions, options and LIKE', () => {
    const s = stmt(`CREATE TEMPORARY TABLE IF NOT EXISTS c.d.t (
      id BIGINT NOT NULL COMMENT 'the id',
      ts TIMESTAMP_LTZ(3) METADATA FROM 'timestamp' VIRTUAL,
      part INT METADATA,
      cost AS price * qty COMMENT 'computed',
      m MAP<STRING, ARRAY<ROW<a INT, b STRING 'desc'>>>,
      WATERMARK FOR ts AS ts - INTERVAL '5' SECOND,
      CONSTRAINT pk PRIMARY KEY (id) NOT ENFORCED
    ) COMMENT 'tbl' PARTITIONED BY (part) WITH ('connector' = 'kafka', 'topic' = 'x') LIKE other (EXCLUDING ALL INCLUDING WATERMARKS)`)
    expect(withoutPositions(s)).toEqual({
      type: 'createTable',
      name: { parts: ['c', 'd', 't'] },
      temporary: true,
      ifNotExists: true,
      columns: [
        { kind: 'physical', name: 'id', dataType: { kind: 'BIGINT', nullable: false }, comment: 'the id' },
        { kind: 'metadata', name: 'ts', dataType: { kind: 'TIMESTAMP_LTZ', precision: 3, nullable: true }, key: 'timestamp', virtual: true },
        { kind: 'metadata', name: 'part', dataType: { kind: 'INT', nullable: true }, virtual: false },
        { kind: 'computed', name: 'cost', expr: bin('*', id('price'), id('qty')), comment: 'computed' },
        {
          kind: 'physical',
          name: 'm',
          dataType: {
            kind: 'MAP',
            nullable: true,
            key: { kind: 'VARCHAR', nullable: true },
            value: { kind: 'ARRAY', nullable: true, element: { kind: 'ROW', nullable: true, fields: [{ name: 'a', type: { kind: 'INT', nullable: true } }, { name: 'b', type: { kind: 'VARCHAR', nullable: true }, description: 'desc' }] } },
          },
        },
      ],
      watermark: { column: 'ts', expr: bin('-', id('ts'), { type: 'literal', kind: 'interval', text: '5', negative: false, from: 'SECOND' }) },
      primaryKey: { columns: ['id'], enforced: false },
      partitionedBy: ['part'],
      comment: 'tbl',
      options: [
        { key: 'connector', value: 'kafka' },
        { key: 'topic', value: 'x' },
      ],
      like: { parts: ['other'] },
      likeOptions: [
        { strategy: 'EXCLUDING', feature: 'ALL' },
        { strategy: 'INCLUDING', feature: 'WATERMARKS' },
      ],
    })
  })

  it('reads a column-level primary key and refuses two primary keys or two watermarks', () => {
    expect(stmt('CREATE TABLE t (id INT PRIMARY KEY NOT ENFORCED, b INT) WITH ()')).toMatchObject({ primaryKey: { columns: ['id'], enforced: false } })
    const two = parseStatement('CREATE TABLE t (id INT PRIMARY KEY NOT ENFORCED, PRIMARY KEY (id) NOT ENFORCED)')
    expect(E.isLeft(two) && two.left.message).toContain('Duplicate primary key')
    const wm = parseStatement("CREATE TABLE t (ts TIMESTAMP(3), WATERMARK FOR ts AS ts, WATERMARK FOR ts AS ts)")
    expect(E.isLeft(wm) && wm.left.message).toContain('Duplicate watermark')
  })

  it('reads CTAS, CREATE VIEW and CREATE FUNCTION', () => {
    expect(stmt("CREATE TABLE t2 WITH ('connector' = 'x') AS SELECT * FROM t")).toMatchObject({ type: 'createTable', columns: [], options: [{ key: 'connector' }], asQuery: { type: 'select' } })
    expect(withoutPositions(stmt("CREATE VIEW v (a, b) COMMENT 'c' AS SELECT 1, 2"))).toMatchObject({ type: 'createView', name: { parts: ['v'] }, temporary: false, ifNotExists: false, columns: ['a', 'b'], comment: 'c', query: { type: 'select' } })
    expect(withoutPositions(stmt("CREATE TEMPORARY SYSTEM FUNCTION IF NOT EXISTS f AS 'com.x.F' LANGUAGE java"))).toEqual({
      type: 'createFunction',
      name: { parts: ['f'] },
      temporary: true,
      system: true,
      ifNotExists: true,
      identifier: 'com.x.F',
      language: 'JAVA',
    })
  })

  it('reads INSERT with partitions, columns, hints and OVERWRITE', () => {
    expect(withoutPositions(stmt("INSERT INTO db.t /*+ OPTIONS('a' = 'b') */ PARTITION (dt = '2020', hr = 10) (a, b) SELECT a, b FROM s"))).toMatchObject({
      type: 'insert',
      target: { parts: ['db', 't'] },
      overwrite: false,
      hints: [{ name: 'OPTIONS', options: { a: 'b' } }],
      partition: [
        { column: 'dt', value: str('2020') },
        { column: 'hr', value: num('10') },
      ],
      columns: ['a', 'b'],
      query: { type: 'select' },
    })
    expect(stmt('INSERT OVERWRITE t VALUES (1)')).toMatchObject({ overwrite: true, query: { type: 'values' } })
    expect(stmt('INSERT INTO t (SELECT 1)')).toMatchObject({ query: { type: 'paren' } })
  })

  it('reads DROP, SHOW, DESCRIBE, USE, SET and RESET', () => {
    expect(withoutPositions(stmt('DROP TEMPORARY SYSTEM FUNCTION IF EXISTS f'))).toEqual({ type: 'drop', objectType: 'FUNCTION', name: { parts: ['f'] }, temporary: true, ifExists: true, system: true })
    expect(withoutPositions(stmt('DROP VIEW v'))).toEqual({ type: 'drop', objectType: 'VIEW', name: { parts: ['v'] }, temporary: false, ifExists: false })
    const shows = ok(parseStatements("SHOW TABLES; SHOW TABLES FROM db LIKE 'x%'; SHOW VIEWS; SHOW FUNCTIONS; SHOW CATALOGS; SHOW DATABASES; SHOW JOBS; SHOW CREATE TABLE t; SHOW CREATE VIEW v; SHOW COLUMNS IN t LIKE '%a'; SHOW CURRENT CATALOG; SHOW CURRENT DATABASE"))
    expect(withoutPositions(shows)).toEqual([
      { type: 'show', what: 'TABLES' },
      { type: 'show', what: 'TABLES', name: { parts: ['db'] }, like: 'x%' },
      { type: 'show', what: 'VIEWS' },
      { type: 'show', what: 'FUNCTIONS' },
      { type: 'show', what: 'CATALOGS' },
      { type: 'show', what: 'DATABASES' },
      { type: 'show', what: 'JOBS' },
      { type: 'show', what: 'CREATE_TABLE', name: { parts: ['t'] } },
      { type: 'show', what: 'CREATE_VIEW', name: { parts: ['v'] } },
      { type: 'show', what: 'COLUMNS', name: { parts: ['t'] }, like: '%a' },
      { type: 'show', what: 'CURRENT_CATALOG' },
      { type: 'show', what: 'CURRENT_DATABASE' },
    ])
    expect(withoutPositions(ok(parseStatements("DESCRIBE t; DESC db.t; USE CATALOG c; USE db; USE c.db; SET; SET 'a.b' = 'c'; RESET; RESET 'a.b'")))).toEqual([
      { type: 'describe', name: { parts: ['t'] } },
      { type: 'describe', name: { parts: ['db', 't'] } },
      { type: 'use', catalog: true, name: { parts: ['c'] } },
      { type: 'use', catalog: false, name: { parts: ['db'] } },
      { type: 'use', catalog: false, name: { parts: ['c', 'db'] } },
      { type: 'set' },
      { type: 'set', key: 'a.b', value: 'c' },
      { type: 'reset' },
      { type: 'reset', key: 'a.b' },
    ])
  })

  it('reads EXPLAIN with PLAN FOR, details and statement sets', () => {
    expect(stmt('EXPLAIN PLAN FOR SELECT 1')).toMatchObject({ type: 'explain', details: [], statement: { type: 'query' } })
    expect(stmt('EXPLAIN changelog_mode, ESTIMATED_COST INSERT INTO t SELECT 1')).toMatchObject({ details: ['CHANGELOG_MODE', 'ESTIMATED_COST'], statement: { type: 'insert' } })
    expect(stmt('EXPLAIN STATEMENT SET BEGIN INSERT INTO t SELECT 1; END')).toMatchObject({ statement: { type: 'statementSet', inserts: [{ type: 'insert' }] } })
  })

  it('reads both forms of statement sets as one statement each', () => {
    const sets = ok(parseStatements('EXECUTE STATEMENT SET BEGIN INSERT INTO a SELECT 1; INSERT INTO b SELECT 2; END; BEGIN STATEMENT SET; INSERT INTO a SELECT 1; INSERT INTO b SELECT CASE WHEN x THEN 1 END; END;'))
    expect(sets).toHaveLength(2)
    expect(sets.map((s) => s.type)).toEqual(['statementSet', 'statementSet'])
    expect(sets.map((s) => (s as A.StatementSetStatement).inserts.map((i) => i.target.parts[0]))).toEqual([
      ['a', 'b'],
      ['a', 'b'],
    ])
  })

  it('skips empty statements and comments in scripts', () => {
    expect(ok(parseStatements(''))).toEqual([])
    expect(ok(parseStatements(';; -- nothing\n /* at all */ ;'))).toEqual([])
    expect(ok(parseStatements('SELECT 1;;SELECT 2;')).map((s) => s.type)).toEqual(['query', 'query'])
  })

  it('reads data types in every spelling', () => {
    const t = (s: string): unknown => withoutPositions(ok(parseType(s)))
    expect(t('INTEGER')).toEqual({ kind: 'INT', nullable: true })
    expect(t('DOUBLE PRECISION NOT NULL')).toEqual({ kind: 'DOUBLE', nullable: false })
    expect(t('CHARACTER VARYING(10)')).toEqual({ kind: 'VARCHAR', length: 10, nullable: true })
    expect(t('BYTES')).toEqual({ kind: 'VARBINARY', nullable: true })
    expect(t('NUMERIC(5)')).toEqual({ kind: 'DECIMAL', precision: 5, nullable: true })
    expect(t('TIMESTAMP(3) WITHOUT TIME ZONE')).toEqual({ kind: 'TIMESTAMP', precision: 3, nullable: true })
    expect(t('TIMESTAMP(6) WITH LOCAL TIME ZONE')).toEqual({ kind: 'TIMESTAMP_LTZ', precision: 6, nullable: true })
    expect(t('INTERVAL DAY(2) TO SECOND(3)')).toEqual({ kind: 'INTERVAL', from: 'DAY', to: 'SECOND', nullable: true })
    expect(t('INT NOT NULL ARRAY')).toEqual({ kind: 'ARRAY', nullable: true, element: { kind: 'INT', nullable: false } })
    expect(t('ROW(a INT, `b c` STRING)')).toEqual({ kind: 'ROW', nullable: true, fields: [{ name: 'a', type: { kind: 'INT', nullable: true } }, { name: 'b c', type: { kind: 'VARCHAR', nullable: true } }] })
    expect(t('MULTISET<STRING>')).toEqual({ kind: 'MULTISET', nullable: true, element: { kind: 'VARCHAR', nullable: true } })
  })
})

describe('positions', () => {
  it('gives every node its 1-based line and column and 0-based offset', () => {
    const s = stmt('SELECT a,\n  b + 1 AS c\nFROM t\nWHERE x') as A.QueryStatement
    const q = s.query as A.SelectQuery
    expect(s.pos).toEqual({ line: 1, column: 1, offset: 0 })
    expect(q.items[1]!.pos).toEqual({ line: 2, column: 3, offset: 12 })
    expect((q.items[1] as { expr: A.BinaryExpr }).expr.right.pos).toEqual({ line: 2, column: 7, offset: 16 })
    expect(q.from!.pos).toEqual({ line: 3, column: 6, offset: 28 })
    expect(q.where!.pos).toEqual({ line: 4, column: 7, offset: 36 })
  })

  it('starts binary and postfix nodes at their first operand, calls at their name', () => {
    const e = ok(parseExpression('  f(x) + a[1] IS NULL')) as A.IsExpr
    expect(e.pos.column).toBe(3)
    const b = e.expr as A.BinaryExpr
    expect(b.pos.column).toBe(3)
    expect(b.right.pos.column).toBe(10)
  })
})

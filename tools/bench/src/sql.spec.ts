import { describe, expect, it } from 'vitest'
import { SQL_TARGET, planShape, sqlImplementations, sqlScenario } from './sql.js'
import {
  explainQueries,
  groupDifferences,
  handGroup,
  handProjection,
  handTumble,
  makeSqlEvent,
  makeSqlRow,
  dataStreamGroup,
  dataStreamProjection,
  dataStreamTumble,
  sqlGroup,
  sqlProjection,
  sqlTumble,
} from './sql-job.js'
import { handTumbling, windowDifferences } from './windows.js'

// Correctness only: every implementation must compute the same thing. No timing is asserted.

const p = { events: 20_000, keys: 53 }

describe('sql benchmark', () => {
  it('the SQL source makes the rows of the DataStream events', () => {
    const ev = makeSqlEvent(p.keys)
    const row = makeSqlRow(p.keys)
    for (let i = 0; i < p.events; i++) {
      const e = ev(i)
      expect(row(i)).toEqual({ kind: 0, fields: [e.key, e.amount, e.ts] })
    }
  })

  it('the references compute what obvious computations do', () => {
    const events = Array.from({ length: p.events }, (_, i) => makeSqlEvent(p.keys)(i))
    const kept = events.filter((e) => e.amount !== 13)
    expect(handProjection(p.events, p.keys).rows).toBe(kept.length)
    expect(handProjection(p.events, p.keys).checksum).toBe(kept.reduce((s, e) => s + ((e.key * 31 + e.amount * 2) % 1009) + 1, 0))
    // the windows scenario's loop (watermarks, firing) over the same keys and times
    expect(windowDifferences(handTumbling(p), handTumble(p.events, p.keys))).toBeUndefined()
    const group = handGroup(p.events, p.keys)
    expect(group.updates).toBe(p.events)
    for (let k = 0; k < p.keys; k++) {
      const mine = events.filter((e) => e.key === k)
      expect(group.finals.get(k)).toEqual([mine.length, mine.reduce((s, e) => s + e.amount, 0)])
    }
  })

  it('groupDifferences names what differs', () => {
    const want = handGroup(p.events, p.keys)
    expect(groupDifferences(want, handGroup(p.events, p.keys))).toBeUndefined()
    const other = handGroup(p.events, p.keys)
    other.finals.get(3)![1]++
    expect(groupDifferences(want, other)).toBe('1 keys with another final count or total')
    expect(groupDifferences(want, handGroup(p.events - 1, p.keys))).toContain(`${p.events - 1} updates instead of ${p.events}`)
  })

  it('DataStream and SQL compute the references, for all three queries', async () => {
    const projection = handProjection(p.events, p.keys)
    expect(await dataStreamProjection(p.events, p.keys)).toEqual(projection)
    expect(await sqlProjection(p.events, p.keys)).toEqual(projection)
    // 3.5 s of event time: four windows per key
    const long = 350_000
    const tumble = handTumble(long, p.keys)
    expect(tumble.results).toBe(4 * p.keys)
    expect(windowDifferences(tumble, await dataStreamTumble(long, p.keys))).toBeUndefined()
    expect(windowDifferences(tumble, await sqlTumble(long, p.keys))).toBeUndefined()
    const group = handGroup(p.events, p.keys)
    expect(groupDifferences(group, await dataStreamGroup(p.events, p.keys))).toBeUndefined()
    expect(groupDifferences(group, await sqlGroup(p.events, p.keys))).toBeUndefined()
  }, 60_000)

  it('plans the queries into the expected operators', async () => {
    const plans = await explainQueries()
    expect(planShape(plans.projection)).toBe('TableSourceScan -> Calc -> Sink')
    expect(planShape(plans.tumble)).toMatch(/^TableSourceScan -> WatermarkAssigner -> WindowAggregate -> (Calc -> )?Sink$/)
    // an upsert sink keyed by the group key: no -U rows
    expect(plans.group).toContain('changelogMode=[I,UA')
    expect(planShape(plans.group)).toBe('TableSourceScan -> GroupAggregate -> Sink')
  })

  it('the scenario reports every series with CPU times, and the ratios with their targets', async () => {
    const report = await sqlScenario.run({ events: 3_000, keys: 7, rounds: 1, warmup: 0, parallel: false, only: [] }, () => {})
    expect(report.series.map((s) => s.id)).toEqual(sqlImplementations(1, 1).map((i) => i.id))
    for (const s of report.series) {
      expect(s.runsMs).toHaveLength(1)
      expect(s.cpuMs).toHaveLength(1)
    }
    expect(report.ratios.map((r) => [r.id, r.target])).toEqual([
      ['projection/ds', SQL_TARGET],
      ['projection/ds-cpu', SQL_TARGET],
      ['tumble/ds', SQL_TARGET],
      ['tumble/ds-cpu', SQL_TARGET],
      ['group/ds', undefined],
      ['group/ds-cpu', undefined],
      ['projection/hand', undefined],
      ['tumble/hand', undefined],
      ['group/hand', undefined],
    ])
  }, 60_000)

  it('refuses an unknown implementation', async () => {
    await expect(sqlScenario.run({ events: 10, keys: 2, rounds: 1, warmup: 0, parallel: false, only: ['nope'] }, () => {})).rejects.toThrow(
      /sql has no implementation nope/,
    )
  })
})

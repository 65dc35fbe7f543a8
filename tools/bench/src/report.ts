import { describeMachine, type MachineInfo } from './machine.js'
import { eventsPerSecond, median } from './measure.js'
import type { Figure, ScenarioReport } from './scenario.js'

/** Formats events/s with a unit: `12.3 M`, `850 k`. */
export const formatRate = (eps: number): string => {
  if (!Number.isFinite(eps)) return String(eps)
  if (eps >= 1e6) return `${(eps / 1e6).toFixed(2)} M`
  if (eps >= 1e3) return `${(eps / 1e3).toFixed(1)} k`
  return eps.toFixed(0)
}

const pad = (s: string, w: number, right = false): string => (right ? s.padStart(w) : s.padEnd(w))

/** A fixed-width table: the first column left-aligned, the others right-aligned. */
export const table = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c]!.length)))
  const line = (cells: readonly string[]): string => cells.map((x, c) => pad(x, widths[c]!, c > 0)).join('   ').trimEnd()
  return [line(header), widths.map((w) => '-'.repeat(w)).join('   '), ...rows.map(line)].join('\n')
}

/** Formats a figure's value in its unit: `1234 ms`, `37.0 MB`, `3`. */
export const formatValue = (v: number, unit: Figure['unit']): string => {
  if (!Number.isFinite(v)) return String(v)
  if (unit === 'ms') return `${v.toFixed(v < 10 ? 1 : 0)} ms`
  if (unit === 'count') return Number.isInteger(v) ? String(v) : v.toFixed(1)
  if (v >= 1e6) return `${(v / 1e6).toFixed(1)} MB`
  if (v >= 1e3) return `${(v / 1e3).toFixed(1)} kB`
  return `${v} B`
}

const mean = (xs: readonly number[]): number => xs.reduce((a, b) => a + b, 0) / xs.length

/** The table of a scenario's figures: the median, mean, min and max of each, and how many values. */
export const figureTable = (figures: readonly Figure[]): string =>
  table(
    ['figure', 'median', 'mean', 'min', 'max', 'n'],
    figures.map((f) => {
      const cells = f.values.length === 0 ? ['-', '-', '-', '-'] : [median(f.values), mean(f.values), Math.min(...f.values), Math.max(...f.values)].map((v) => formatValue(v, f.unit))
      return [f.label, ...cells, String(f.values.length)]
    }),
  )

export const renderText = (machine: MachineInfo, reports: readonly ScenarioReport[]): string => {
  const out: string[] = [`machine: ${describeMachine(machine)}`]
  for (const r of reports) {
    const base = r.series[0]!
    const baseEps = eventsPerSecond(base)
    const withCpu = r.series.some((s) => s.cpuMs !== undefined && s.cpuMs.length > 0)
    out.push(
      '',
      `scenario ${r.scenario}: ${r.description}`,
      `${Object.entries(r.params)
        .map(([k, v]) => `${k} ${v.toLocaleString('en-US')}`)
        .join(', ')}; median of ${r.rounds} rounds after ${r.warmup} warm-up`,
      '',
      table(
        ['implementation', 'events/s', 'median ms', 'min ms', 'max ms', `vs ${base.id}`, ...(withCpu ? ['CPU ms'] : [])],
        r.series.map((s) => {
          const eps = eventsPerSecond(s)
          return [
            s.label,
            formatRate(eps),
            median(s.runsMs).toFixed(0),
            Math.min(...s.runsMs).toFixed(0),
            Math.max(...s.runsMs).toFixed(0),
            (eps / baseEps).toFixed(2),
            ...(withCpu ? [s.cpuMs === undefined || s.cpuMs.length === 0 ? '-' : median(s.cpuMs).toFixed(0)] : []),
          ]
        }),
      ),
      '',
      ...Object.entries(r.startupMs).map(([id, ms]) => `start-up of ${id} with no events: ${ms.toFixed(0)} ms (included in its figures)`),
      ...r.ratios.map((q) => {
        const verdict = q.target === undefined ? '' : q.value >= q.target ? `   (target >= ${Number(q.target.toFixed(2))}: met)` : `   (target >= ${Number(q.target.toFixed(2))}: NOT MET)`
        return `${q.label}: ${q.value.toFixed(2)}${verdict}`
      }),
      ...(r.figures === undefined || r.figures.length === 0 ? [] : ['', figureTable(r.figures)]),
      ...r.notes.map((n) => `note: ${n}`),
    )
  }
  return out.join('\n')
}

export const renderJson = (machine: MachineInfo, reports: readonly ScenarioReport[]): string =>
  JSON.stringify(
    {
      machine,
      scenarios: reports.map((r) => ({
        ...r,
        series: r.series.map((s) => ({ ...s, medianMs: median(s.runsMs), eventsPerSecond: eventsPerSecond(s) })),
      })),
    },
    null,
    2,
  )

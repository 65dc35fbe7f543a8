// Small text formatting helpers for the console output of the commands.

/**
 * A number of bytes for people: `512 B`, `12.3 KiB`, `4.0 MiB`.
 *
 * @category CLI
 * @since 0.2.0
 */
export const formatBytes = (bytes: number): string => {
  if (bytes < 1024) return `${bytes} B`
  const units = ['KiB', 'MiB', 'GiB', 'TiB']
  let v = bytes / 1024
  let u = 0
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024
    u++
  }
  return `${v.toFixed(1)} ${units[u]}`
}

/**
 * A duration for people: `850 ms`, `4.21 s`, `3 min 12.5 s`.
 *
 * @category CLI
 * @since 0.2.0
 */
export const formatDuration = (ms: number): string => {
  if (ms < 1000) return `${Math.round(ms)} ms`
  if (ms < 60_000) return `${(ms / 1000).toFixed(2)} s`
  const min = Math.floor(ms / 60_000)
  return `${min} min ${((ms - min * 60_000) / 1000).toFixed(1)} s`
}

/**
 * Rows as a text table: columns padded to their widest cell, separated by two spaces, the last
 * column not padded.
 *
 * @category CLI
 * @since 0.2.0
 */
export const formatTable = (header: readonly string[], rows: readonly (readonly string[])[]): string => {
  const all = [header, ...rows]
  const widths = header.map((_, i) => Math.max(...all.map((r) => (r[i] ?? '').length)))
  return all.map((r) => r.map((cell, i) => (i === r.length - 1 ? cell : cell.padEnd(widths[i]!))).join('  ')).join('\n')
}

/**
 * Comparing syntax trees regardless of where they were written.
 *
 * @packageDocumentation
 */

type Json = unknown

const strip = (node: Json, parens: boolean): Json => {
  if (Array.isArray(node)) return node.map((n) => strip(n, parens))
  if (node === null || typeof node !== 'object') return node
  const o = node as Record<string, unknown>
  if (parens && o['type'] === 'paren' && 'expr' in o) return strip(o['expr'], parens)
  if (parens && o['type'] === 'paren' && 'query' in o && o['orderBy'] === undefined && o['limit'] === undefined && o['offset'] === undefined) return strip(o['query'], parens)
  const out: Record<string, unknown> = {}
  for (const [k, v] of Object.entries(o)) if (k !== 'pos' && v !== undefined) out[k] = strip(v, parens)
  return out
}

/**
 * A copy of a syntax tree (or any part of one) without positions, for comparing trees written differently.
 *
 * @category SQL
 * @since 0.1.0
 */
export const withoutPositions = <T>(node: T): unknown => strip(node, false)

/**
 * A copy of a syntax tree without positions and without parentheses (`paren` expressions, and
 * `paren` queries that have no `ORDER BY`/`LIMIT`/`OFFSET` of their own): two trees that mean the
 * same are equal after this.
 *
 * @category SQL
 * @since 0.1.0
 */
export const withoutPositionsAndParens = <T>(node: T): unknown => strip(node, true)

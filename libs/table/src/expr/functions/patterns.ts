/**
 * `LIKE` and `SIMILAR TO` patterns translated into JavaScript regular expressions, and a cache
 * of compiled regular expressions for patterns that arrive per record.
 *
 * @packageDocumentation
 */

/** A pattern that cannot be translated (a dangling escape, an invalid regular expression). */
export class PatternError extends Error {}

const REGEX_SPECIAL = new Set(['\\', '^', '$', '.', '|', '?', '*', '+', '(', ')', '[', ']', '{', '}', '/'])

/**
 * The regular expression (source, anchored) of a `LIKE` pattern: `%` is any sequence, `_` any
 * one character, and the escape character (none by default) makes the next `%`, `_` or escape
 * character literal.
 */
export const likeToRegex = (pattern: string, escape?: string): string => {
  if (escape !== undefined && escape.length !== 1) throw new PatternError(`Invalid escape character '${escape}': it must be exactly one character`)
  let out = '^'
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (escape !== undefined && c === escape) {
      const next = pattern[i + 1]
      if (next === undefined || (next !== '%' && next !== '_' && next !== escape)) throw new PatternError(`Invalid escape sequence in LIKE pattern '${pattern}'`)
      out += REGEX_SPECIAL.has(next) ? `\\${next}` : next
      i++
    } else if (c === '%') out += '[\\s\\S]*'
    else if (c === '_') out += '[\\s\\S]'
    else out += REGEX_SPECIAL.has(c) ? `\\${c}` : c
  }
  return `${out}$`
}

/**
 * The regular expression (source, anchored) of a `SIMILAR TO` pattern: SQL's regular
 * expressions, where `%` and `_` are `.*` and `.`, and `| * + ? {m,n} ( ) [...]` keep their
 * meaning; other characters are literal.
 */
export const similarToRegex = (pattern: string, escape?: string): string => {
  if (escape !== undefined && escape.length !== 1) throw new PatternError(`Invalid escape character '${escape}': it must be exactly one character`)
  let out = '^(?:'
  let inClass = false
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!
    if (escape !== undefined && c === escape) {
      const next = pattern[i + 1]
      if (next === undefined) throw new PatternError(`Invalid escape sequence in SIMILAR TO pattern '${pattern}'`)
      out += REGEX_SPECIAL.has(next) || next === '-' ? `\\${next}` : next
      i++
      continue
    }
    if (inClass) {
      if (c === ']') inClass = false
      out += c === '\\' ? '\\\\' : c
      continue
    }
    switch (c) {
      case '%':
        out += '[\\s\\S]*'
        break
      case '_':
        out += '[\\s\\S]'
        break
      case '[':
        inClass = true
        out += c
        if (pattern[i + 1] === '^') {
          out += '^'
          i++
        }
        break
      case '|':
      case '*':
      case '+':
      case '?':
      case '{':
      case '}':
      case '(':
      case ')':
        out += c
        break
      default:
        out += REGEX_SPECIAL.has(c) ? `\\${c}` : c
    }
  }
  if (inClass) throw new PatternError(`Unterminated character class in SIMILAR TO pattern '${pattern}'`)
  return `${out})$`
}

const cache = new Map<string, RegExp>()

/**
 * A compiled regular expression, cached by source and flags (patterns given per record compile
 * once; the cache is cleared when it grows past 512 entries).
 *
 * @throws SyntaxError for an invalid expression.
 */
export const cachedRegex = (source: string, flags = ''): RegExp => {
  const key = `${flags}/${source}`
  let re = cache.get(key)
  if (re === undefined) {
    re = new RegExp(source, flags)
    if (cache.size > 512) cache.clear()
    cache.set(key, re)
  }
  return re
}

/**
 * A Java regular expression made acceptable to JavaScript where the syntax differs in common
 * patterns: possessive quantifiers and atomic groups are dropped to their greedy forms,
 * `\A`/`\Z`/`\z` become `^`/`$`, and inline `(?i)` at the start becomes the `i` flag.
 */
export const javaRegex = (source: string): { source: string; flags: string } => {
  let flags = ''
  let s = source
  const inline = /^\(\?([imsx]+)\)/.exec(s)
  if (inline !== null) {
    for (const f of inline[1]!) if (f !== 'x' && !flags.includes(f)) flags += f
    s = s.slice(inline[0].length)
  }
  s = s.replace(/\\A/g, '^').replace(/\\[Zz]/g, '$').replace(/([*+?}])\+/g, '$1').replace(/\(\?>/g, '(?:')
  return { source: s, flags }
}

const javaCache = new Map<string, RegExp>()
const javaCacheGlobal = new Map<string, RegExp>()

/**
 * A cached JavaScript `RegExp` for a Java regular expression (see {@link javaRegex}); `g` adds
 * the global flag.
 *
 * @remarks
 * Looked up by the Java source itself, so a pattern seen before is neither translated nor keyed
 * again (one map lookup per call); each cache is cleared when it grows past 512 entries.
 *
 * @throws SyntaxError for an invalid expression (not cached: it throws again on every call).
 */
export const cachedJavaRegex = (source: string, global = false): RegExp => {
  const byJava = global ? javaCacheGlobal : javaCache
  let re = byJava.get(source)
  if (re === undefined) {
    const j = javaRegex(source)
    re = new RegExp(j.source, global ? `${j.flags}g` : j.flags)
    if (byJava.size > 512) byJava.clear()
    byJava.set(source, re)
  }
  return re
}

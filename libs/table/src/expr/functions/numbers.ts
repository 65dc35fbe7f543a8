/**
 * Numbers as Flink computes and prints them: `DECIMAL` rounding, Java's integer overflow, and
 * Java's `Double.toString` / `Float.toString`.
 *
 * @remarks
 * Runs on the per-record path: no allocation on the common paths.
 *
 * @packageDocumentation
 */

const POW10: readonly number[] = Array.from({ length: 40 }, (_, i) => 10 ** i)

/** `10^n` for `0 <= n <= 39`. */
export const pow10 = (n: number): number => POW10[n] ?? 10 ** n

/**
 * `x` rounded to `scale` digits after the point, half away from zero (Java's `HALF_UP`).
 *
 * @remarks
 * Values are binary doubles standing for decimals (exact to 15 significant digits): a value
 * whose scaled fraction is within rounding noise of one half (`1.005` is `1.00499999...`) is
 * treated as the decimal it stands for and rounds up.
 */
export const roundHalfUp = (x: number, scale: number): number => {
  if (x === 0) return 0
  if (!Number.isFinite(x)) return x
  const f = pow10(scale)
  const y = (x < 0 ? -x : x) * f
  if (y >= 9007199254740992) return x
  const fl = Math.floor(y)
  const frac = y - fl
  let r: number
  if (frac === 0) r = fl
  else if (frac > 0.4999999 && frac < 0.5000001) r = Math.floor(Number(y.toPrecision(15)) + 0.5)
  else r = frac >= 0.5 ? fl + 1 : fl
  const out = r / f
  return x < 0 ? 0 - out : out
}

/**
 * `x` as a value of `DECIMAL(precision, scale)`: rounded half-up to `scale` digits, or `null`
 * when it does not fit (Flink's `DecimalData.fromBigDecimal` gives `null` on overflow).
 */
export const toDecimal = (x: number, precision: number, scale: number): number | null => {
  if (!Number.isFinite(x)) return null
  const r = roundHalfUp(x, scale)
  const limit = pow10(precision - scale)
  return r >= limit || r <= -limit ? null : r
}

/** `x` truncated to a Java `byte` (two's complement wrap, as `(byte) x`). */
export const wrapTinyint = (x: number): number => (x << 24) >> 24
/** `x` truncated to a Java `short`. */
export const wrapSmallint = (x: number): number => (x << 16) >> 16
/** `x` truncated to a Java `int`. */
export const wrapInt = (x: number): number => x | 0

/** A `DOUBLE`/`FLOAT` narrowed to a Java `int` as `(int) d` does: truncated, saturated at the `int` range, `NaN` to 0. */
export const doubleToInt = (d: number): number => (d !== d ? 0 : d >= 2147483647 ? 2147483647 : d <= -2147483648 ? -2147483648 : Math.trunc(d))

/** A `DOUBLE`/`FLOAT` narrowed to a Java `long` as `(long) d` does: truncated, saturated, `NaN` to 0. */
export const doubleToLong = (d: number): number => (d !== d ? 0 : d >= 9223372036854775807 ? 9223372036854775807 : d <= -9223372036854775808 ? -9223372036854775808 : Math.trunc(d))

/** The range of each integer kind. */
export const INTEGER_RANGE = {
  TINYINT: [-128, 127],
  SMALLINT: [-32768, 32767],
  INT: [-2147483648, 2147483647],
  BIGINT: [-9223372036854775808, 9223372036854775807],
} as const

const scientific = (d: number): string => {
  // shortest digits, as Java 19+'s Double.toString
  const s = d.toExponential()
  const e = s.indexOf('e')
  let mant = s.slice(0, e)
  if (!mant.includes('.')) mant += '.0'
  const exp = Number(s.slice(e + 1))
  return `${mant}E${exp}`
}

/**
 * A `DOUBLE` as Java's `Double.toString` prints it (what Flink shows): `1.0`, `0.5`, `1.0E10`,
 * `1.0E-4`, `NaN`, `Infinity`.
 */
export const formatDouble = (d: number): string => {
  if (Number.isNaN(d)) return 'NaN'
  if (d === Infinity) return 'Infinity'
  if (d === -Infinity) return '-Infinity'
  if (d === 0) return Object.is(d, -0) ? '-0.0' : '0.0'
  const a = d < 0 ? -d : d
  if (a >= 1e-3 && a < 1e7) {
    const s = String(d)
    return s.includes('.') ? s : `${s}.0`
  }
  return scientific(d)
}

/** The shortest decimal that reads back as the same `float` (what Java's `Float.toString` prints). */
const shortestFloat = (f: number): number => {
  for (let p = 1; p <= 9; p++) {
    const v = Number(f.toPrecision(p))
    if (Math.fround(v) === f) return v
  }
  return f
}

/** A `FLOAT` as Java's `Float.toString` prints it: `1.5`, `0.1`, `1.0E10`. */
export const formatFloat = (f: number): string => {
  if (!Number.isFinite(f) || f === 0) return formatDouble(f)
  return formatDouble(shortestFloat(Math.fround(f)))
}

/** A `DECIMAL` of `scale` as Flink prints it (`BigDecimal.toPlainString`): `1.50`, `-0.05`, `100`. */
export const formatDecimal = (x: number, scale: number): string => {
  if (Math.abs(x) < 1e21) {
    const s = x.toFixed(scale)
    return s === `-${(0).toFixed(scale)}` ? s.slice(1) : s
  }
  // beyond toFixed's range: integer digits via BigInt (values that large carry no exact fraction)
  const int = BigInt(Math.round(x)).toString()
  return scale === 0 ? int : `${int}.${'0'.repeat(scale)}`
}

/**
 * Parses a number the way Java's `BigDecimal(String)` / `Double.parseDouble` accept it (after
 * trimming, as Flink's casts do): `undefined` when it is not a number.
 */
export const parseNumber = (s: string): number | undefined => {
  const t = s.trim()
  if (t.length === 0) return undefined
  // digits with an optional sign, point and exponent; no hex, no underscores, no "Infinity" unless spelled as Java does
  if (!/^[+-]?(\d+\.?\d*|\.\d+)([eE][+-]?\d+)?[dDfF]?$/.test(t)) {
    if (t === 'NaN') return NaN
    if (t === 'Infinity' || t === '+Infinity') return Infinity
    if (t === '-Infinity') return -Infinity
    return undefined
  }
  const last = t.charCodeAt(t.length - 1)
  return Number(last > 57 && last !== 46 ? t.slice(0, -1) : t)
}

/** Parses an integer as Java's `Long.parseLong` after trimming: digits with an optional sign only. */
export const parseInteger = (s: string): number | undefined => {
  const t = s.trim()
  if (!/^[+-]?\d+$/.test(t)) return undefined
  return Number(t)
}

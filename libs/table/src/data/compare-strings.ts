// SQL's string order, shared by sorting (Top-N, ORDER BY) and aggregates (MIN/MAX).

/**
 * Compares two strings by Unicode code point, which is the order of their UTF-8 bytes (Flink's
 * `StringData` order), not JavaScript's UTF-16 code-unit order.
 */
export const compareStrings = (a: string, b: string): number => {
  if (a === b) return 0
  const n = a.length < b.length ? a.length : b.length
  for (let i = 0; i < n; i++) {
    let x = a.charCodeAt(i)
    let y = b.charCodeAt(i)
    if (x !== y) {
      if (x >= 0xd800 && y >= 0xd800) {
        // surrogates (U+D800..DFFF) encode code points above U+FFFF: move them above U+E000..FFFF
        x = x >= 0xe000 ? x - 0x800 : x + 0x2000
        y = y >= 0xe000 ? y - 0x800 : y + 0x2000
      }
      return x - y
    }
  }
  return a.length - b.length
}

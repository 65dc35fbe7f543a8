/**
 * Durations as plain numbers of milliseconds, for window sizes, slides, gaps and lateness.
 *
 * @remarks
 * Strom measures time in ms everywhere (timestamps, watermarks, window sizes), so a duration is a
 * `number`; these helpers only make the unit visible: `Duration.ofMinutes(5)` is `300_000`.
 *
 * @example
 * ```ts
 * TumblingEventTimeWindows.of(Duration.ofMinutes(1))
 * ```
 *
 * @category Windows
 * @since 0.1.0
 */
export const Duration = {
  /** `n` milliseconds. */
  ofMillis: (n: number): number => n,
  /** `n` seconds, in ms. */
  ofSeconds: (n: number): number => n * 1_000,
  /** `n` minutes, in ms. */
  ofMinutes: (n: number): number => n * 60_000,
  /** `n` hours, in ms. */
  ofHours: (n: number): number => n * 3_600_000,
  /** `n` days (of 24 hours), in ms. */
  ofDays: (n: number): number => n * 86_400_000,
} as const

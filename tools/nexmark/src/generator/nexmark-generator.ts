/**
 * The Nexmark generator: event number -> event, a pure function (the reference's
 * `NexmarkGenerator.nextEvent`, seeded per event).
 *
 * @packageDocumentation
 */
import type { NexmarkEvent } from './events.js'
import { GeneratorConfig, type NexmarkConfig } from './generator-config.js'
import { JavaRandom } from './java-random.js'
import { ModelGenerator } from './model-generators.js'

/**
 * When this process generated its first Nexmark event (`performance.now()`, `Date.now()` and CPU
 * time, `process.cpuUsage()`), so a benchmark can measure from there and leave job start-up out,
 * as the reference measures throughput. Unset (`-1`, `undefined`) until the first event.
 *
 * @category Generator
 * @since 0.1.0
 */
export const generationClock: { firstEventAt: number; firstEventWall: number; firstEventCpu: NodeJS.CpuUsage | undefined; lastWallClockTime: number } = {
  firstEventAt: -1,
  firstEventWall: -1,
  firstEventCpu: undefined,
  /** With `wallClockTime`, the time of the latest event generated. */
  lastWallClockTime: -1,
}

const markFirstEvent = (): void => {
  generationClock.firstEventAt = performance.now()
  generationClock.firstEventWall = Date.now()
  generationClock.firstEventCpu = process.cpuUsage()
}

/**
 * Generates the event of any event number, independently of every other event.
 *
 * @remarks
 * Event number `n` (0-based over the whole stream) has event id `firstEventId + n'` where `n'`
 * is `n` adjusted for out-of-order groups; the id decides the kind (`id mod total` below the
 * person proportion: a person; below person + auction: an auction; else a bid) and seeds a
 * `java.util.Random(id)` from which all its fields are drawn, as Beam's reference generator does.
 * Its event time is `baseTime + trunc(n' × 1e6 / firstEventRate) / 1000` ms. So the same
 * configuration gives the same events, and any split of the event numbers gives the same events.
 *
 * Not thread-safe (it reuses one random generator); use one per reader.
 *
 * @category Generator
 * @since 0.1.0
 */
export class NexmarkGenerator {
  /** The derived configuration. */
  readonly generatorConfig: GeneratorConfig
  private readonly random = new JavaRandom(0)
  private readonly models: ModelGenerator

  /** A generator for a validated configuration (see `nexmarkConfig`). */
  constructor(readonly config: NexmarkConfig) {
    this.generatorConfig = new GeneratorConfig(config)
    this.models = new ModelGenerator(this.generatorConfig)
  }

  /** The number of events, or undefined for an endless stream. */
  get count(): number | undefined {
    return this.config.numEvents === 0 ? undefined : this.config.numEvents
  }

  /** The event id (the random seed) of an event number. */
  eventId(eventNumber: number): number {
    return this.config.firstEventId + this.generatorConfig.adjustedEventNumber(eventNumber)
  }

  /** The event time of an event number, epoch ms. */
  timestamp(eventNumber: number): number {
    return this.generatorConfig.timestampForEvent(this.generatorConfig.adjustedEventNumber(eventNumber))
  }

  /** A watermark valid after the events before `eventNumber`: no later event has an earlier time. */
  watermark(eventNumber: number): number {
    return this.generatorConfig.timestampForEvent(this.generatorConfig.eventNumberForWatermark(eventNumber))
  }

  /** The event of an event number. */
  eventAt(eventNumber: number): NexmarkEvent {
    if (generationClock.firstEventAt < 0) markFirstEvent()
    const gc = this.generatorConfig
    const adjusted = gc.adjustedEventNumber(eventNumber)
    const eventId = this.config.firstEventId + adjusted
    const timestamp = this.config.wallClockTime ? (generationClock.lastWallClockTime = Date.now()) : gc.timestampForEvent(adjusted)
    const random = this.random
    random.setSeed(eventId)
    const models = this.models
    const epoch = models.epoch(eventId)
    const offset = models.offset(eventId, epoch)
    if (models.isPerson(offset)) return { type: 'person', person: models.person(eventId, epoch, offset, random, timestamp) }
    if (models.isAuction(offset)) return { type: 'auction', auction: models.auction(eventNumber, eventId, epoch, offset, random, timestamp) }
    return { type: 'bid', bid: models.bid(eventId, epoch, offset, random, timestamp) }
  }
}

/**
 * The contiguous range of event numbers `[start, end)` that split `index` of `splits` generates
 * out of `count` events (sizes differ by at most one).
 *
 * @category Generator
 * @since 0.1.0
 */
export const splitRange = (count: number, splits: number, index: number): { readonly start: number; readonly end: number } => ({
  start: Math.floor((index * count) / splits),
  end: Math.floor(((index + 1) * count) / splits),
})

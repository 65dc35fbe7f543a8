import { ConfigError } from '../core/errors.js'

/**
 * What a {@link RollingPolicy} knows about the part file a writer has open.
 *
 * @remarks
 * The writer passes one object per writer and updates it in place: read it during the call, never
 * keep it.
 *
 * @category Sinks
 * @since 0.2.0
 */
export interface PartFileInfo {
  /** Processing time (the writer's clock) when the part was opened. */
  readonly creationTime: number
  /**
   * Processing time of the last write into the part, as seen at the writer's periodic flushes:
   * the writer reads its clock when it flushes (every 200 ms in a running job), not at every
   * record, so this is the time of the first flush after the last record.
   */
  readonly lastUpdateTime: number
  /** Bytes in the part, including those still buffered. */
  readonly size: number
}

/**
 * Decides when a file sink writer closes its open part and starts a new one (Flink's
 * `RollingPolicy`).
 *
 * @remarks
 * A part that rolls is closed but stays hidden ("pending"); it becomes visible under its final
 * name when the checkpoint after it is complete (see {@link FileSink}). The writer asks:
 *
 * - `shouldRollOnEvent` before it writes a record into an open part, with the record's size in
 *   bytes (line terminator included): true puts the record into a new part. It is on the
 *   per-record path: keep it cheap, allocate nothing.
 * - `shouldRollOnProcessingTime` when it is flushed between checkpoints (periodically in a
 *   running job), with its clock's time.
 * - `shouldRollOnCheckpoint` at every checkpoint: true hands the open part over with that
 *   checkpoint; false keeps writing it, and it is handed over with a later one.
 *
 * Policies hold no state of their own; one policy object may serve every writer of a sink.
 *
 * @category Sinks
 * @since 0.2.0
 */
export interface RollingPolicy {
  /** Whether to close the open part at a checkpoint. */
  shouldRollOnCheckpoint(part: PartFileInfo): boolean
  /** Whether to close the open part before a record of `elementSize` bytes is written into it. */
  shouldRollOnEvent(part: PartFileInfo, elementSize: number): boolean
  /** Whether to close the open part at processing time `now`. */
  shouldRollOnProcessingTime(part: PartFileInfo, now: number): boolean
}

/** 128 MiB, Flink's default part size. */
const DEFAULT_MAX_PART_SIZE = 128 * 1024 * 1024
/** 60 s, Flink's default rollover and inactivity intervals. */
const DEFAULT_INTERVAL = 60_000

/**
 * The default rolling policy (Flink's `DefaultRollingPolicy`): rolls a part by size, by age and
 * by inactivity.
 *
 * @remarks
 * A part rolls
 *
 * - before a record that would make it bigger than `maxPartSize` (a record that is bigger on its
 *   own gets a part of its own), and at a checkpoint once it has reached `maxPartSize`;
 * - when it is older than `rolloverInterval` ms, by the writer's clock at a flush;
 * - when nothing was written into it for `inactivityInterval` ms, by the writer's clock at a flush.
 *
 * Defaults, as in Flink: 128 MiB, 60 s, 60 s. `Infinity` turns a limit off. Unlike Flink, a part
 * never grows past `maxPartSize` by one record: the size is checked before a record is written.
 *
 * Example, from the tests:
 *
 * {@includeCode ./rolling-policy.spec.ts#default}
 *
 * @category Sinks
 * @since 0.2.0
 */
export class DefaultRollingPolicy implements RollingPolicy {
  /** The largest part in bytes. */
  readonly maxPartSize: number
  /** The longest time in ms a part stays open. */
  readonly rolloverInterval: number
  /** The longest time in ms a part stays open without a write. */
  readonly inactivityInterval: number

  /**
   * A policy with the given limits; those left out take the defaults. {@link DefaultRollingPolicy.builder}
   * reads better.
   *
   * @throws {@link ConfigError} when a limit is not a positive number
   */
  constructor(limits: { readonly maxPartSize?: number; readonly rolloverInterval?: number; readonly inactivityInterval?: number } = {}) {
    this.maxPartSize = positive('maxPartSize', 'bytes', limits.maxPartSize ?? DEFAULT_MAX_PART_SIZE)
    this.rolloverInterval = positive('rolloverInterval', 'ms', limits.rolloverInterval ?? DEFAULT_INTERVAL)
    this.inactivityInterval = positive('inactivityInterval', 'ms', limits.inactivityInterval ?? DEFAULT_INTERVAL)
  }

  /** A builder, starting from the defaults (128 MiB, 60 s, 60 s). */
  static builder(): DefaultRollingPolicyBuilder {
    return new DefaultRollingPolicyBuilder({})
  }

  /** At a checkpoint: whether the part is full. */
  shouldRollOnCheckpoint(part: PartFileInfo): boolean {
    return part.size >= this.maxPartSize
  }

  /** Before a record: whether the record would make a non-empty part bigger than `maxPartSize`. */
  shouldRollOnEvent(part: PartFileInfo, elementSize: number): boolean {
    return part.size > 0 && part.size + elementSize > this.maxPartSize
  }

  /** At a flush: whether the part is older than `rolloverInterval` or inactive for `inactivityInterval`. */
  shouldRollOnProcessingTime(part: PartFileInfo, now: number): boolean {
    return now - part.creationTime >= this.rolloverInterval || now - part.lastUpdateTime >= this.inactivityInterval
  }
}

/**
 * Builds a {@link DefaultRollingPolicy} (from {@link DefaultRollingPolicy.builder}). Immutable:
 * every `with…` returns a new builder, and checks its value at once.
 *
 * @category Sinks
 * @since 0.2.0
 */
export class DefaultRollingPolicyBuilder {
  /** @internal use {@link DefaultRollingPolicy.builder} */
  constructor(
    private readonly limits: { readonly maxPartSize?: number; readonly rolloverInterval?: number; readonly inactivityInterval?: number },
  ) {}

  /**
   * The largest part in bytes (default 128 MiB).
   *
   * @throws {@link ConfigError} when `bytes` is not a positive number
   */
  withMaxPartSize(bytes: number): DefaultRollingPolicyBuilder {
    return new DefaultRollingPolicyBuilder({ ...this.limits, maxPartSize: positive('maxPartSize', 'bytes', bytes) })
  }

  /**
   * The longest time in ms a part stays open (default 60 s; `Infinity`: no limit).
   *
   * @throws {@link ConfigError} when `ms` is not a positive number
   */
  withRolloverInterval(ms: number): DefaultRollingPolicyBuilder {
    return new DefaultRollingPolicyBuilder({ ...this.limits, rolloverInterval: positive('rolloverInterval', 'ms', ms) })
  }

  /**
   * The longest time in ms a part stays open without a write (default 60 s; `Infinity`: no limit).
   *
   * @throws {@link ConfigError} when `ms` is not a positive number
   */
  withInactivityInterval(ms: number): DefaultRollingPolicyBuilder {
    return new DefaultRollingPolicyBuilder({ ...this.limits, inactivityInterval: positive('inactivityInterval', 'ms', ms) })
  }

  /** The policy. */
  build(): DefaultRollingPolicy {
    return new DefaultRollingPolicy(this.limits)
  }
}

const positive = (name: string, unit: string, value: number): number => {
  if (!(typeof value === 'number' && value > 0))
    throw new ConfigError(`DefaultRollingPolicy needs a ${name} that is a positive number of ${unit}, got ${String(value)}.`)
  return value
}

/**
 * A rolling policy that rolls at every checkpoint and only then (Flink's `OnCheckpointRollingPolicy`).
 *
 * @remarks
 * Each part holds what one writer wrote between two checkpoints, and everything written before a
 * complete checkpoint becomes visible when it is committed. Without checkpoints there is one part
 * per writer, closed at the end of the input.
 *
 * @category Sinks
 * @since 0.2.0
 */
export class OnCheckpointRollingPolicy implements RollingPolicy {
  /** The policy (for symmetry with {@link DefaultRollingPolicy.builder}). */
  static build(): OnCheckpointRollingPolicy {
    return new OnCheckpointRollingPolicy()
  }

  /** Always. */
  shouldRollOnCheckpoint(_part: PartFileInfo): boolean {
    return true
  }

  /** Never. */
  shouldRollOnEvent(_part: PartFileInfo, _elementSize: number): boolean {
    return false
  }

  /** Never. */
  shouldRollOnProcessingTime(_part: PartFileInfo, _now: number): boolean {
    return false
  }
}

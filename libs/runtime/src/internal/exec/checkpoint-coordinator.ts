import { describeError } from '../../core/errors.js'
import type { JobGraph } from '../../graph/job-graph.js'
import type { ResolvedCheckpointingOptions } from '../../checkpoint/checkpointing-options.js'
import type {
  CheckpointKind,
  CheckpointMetadata,
  CheckpointStorage,
  CompletedCheckpoint,
  OperatorStateMetadata,
} from '../../checkpoint/storage/checkpoint-storage.js'
import type { Committer } from '../../sink/two-phase-commit.js'
import { isTwoPhaseCommittingSink } from '../../sink/two-phase-commit.js'
import { CheckpointError } from '../../checkpoint/storage/errors.js'
import type { TaskCheckpointAck, TaskControl, TaskFinalReport } from './checkpoint-messages.js'
import type { CheckpointEvents, JobCoordinator } from './coordinator.js'

/** How the checkpoint coordinator reaches the tasks of the running attempt. */
export interface TaskGateway {
  /** Sends a message to every task of the attempt (on their threads). */
  broadcast(message: TaskControl): void
}

/** Committables not committed yet, with the checkpoint they were prepared for. */
interface PendingCommittables {
  readonly uid: string
  readonly checkpointId: number
  readonly items: readonly unknown[]
  /** Whether a completed checkpoint holds them (else they came from an aborted one of this attempt). */
  completed?: boolean
}

interface PendingCheckpoint {
  readonly id: number
  readonly kind: CheckpointKind
  readonly timestamp: number
  readonly directory: string
  readonly acks: Map<string, TaskCheckpointAck>
  readonly enumerators: { uid: string; state: unknown }[]
  readonly timer: NodeJS.Timeout
  readonly stop: boolean
  readonly waiters: { resolve: (c: CompletedCheckpoint) => void; reject: (e: unknown) => void }[]
}

/** What the checkpoint coordinator reports, for metrics and logs. */
export interface CheckpointStats {
  completed: number
  failed: number
  lastDurationMs: number
  lastSizeBytes: number
  lastCompletedId: number
  restored: number
}

/**
 * Runs a job's checkpoints, in the main thread: triggers them periodically (or on demand, for
 * savepoints), collects the tasks' acknowledgements, completes them in storage, tells the tasks,
 * and commits the two-phase-commit sinks' committables. Lives as long as the job, across restarts;
 * each attempt attaches its tasks.
 */
export class CheckpointCoordinator implements CheckpointEvents {
  private nextId: number
  private readonly pending = new Map<number, PendingCheckpoint>()
  private readonly numTasks: number
  private attempt: { gateway: TaskGateway; coordinator: JobCoordinator; onFatal: (e: unknown) => void } | undefined
  private periodic: NodeJS.Timeout | undefined
  /** Stop-with-savepoints in progress: no periodic checkpoint starts meanwhile (the savepoint is the job's last checkpoint). */
  private stopping = 0
  private lastEnd = 0
  private consecutiveFailures = 0
  private readonly finals = new Map<string, TaskFinalReport>()
  private uncommitted: PendingCommittables[] = []
  private commitChain: Promise<void> = Promise.resolve()
  private completeChain: Promise<void> = Promise.resolve()
  private readonly committers = new Map<string, Committer<unknown>>()
  private readonly aborting = new Set<Promise<void>>()
  /** Checkpoints whose directory is being created (they count towards maxConcurrent). */
  private starting = 0
  /** Orders the starts, so barriers go out in id order. */
  private startChain: Promise<void> = Promise.resolve()
  /** Checkpoints with a lower id were triggered by an earlier attempt. */
  private firstIdOfAttempt = 0
  /** The latest completed checkpoint or savepoint. */
  latest: CompletedCheckpoint | undefined
  readonly stats: CheckpointStats = { completed: 0, failed: 0, lastDurationMs: 0, lastSizeBytes: 0, lastCompletedId: 0, restored: 0 }

  constructor(
    private readonly jg: JobGraph,
    private readonly options: ResolvedCheckpointingOptions | undefined,
    private readonly storage: CheckpointStorage | undefined,
    restored: CompletedCheckpoint | undefined,
    /** The lowest id no checkpoint in storage has (a corrupt newer one may have been skipped). */
    firstFreeId: number,
    private readonly log: (message: string) => void,
  ) {
    this.numTasks = jg.vertices.reduce((n, v) => n + v.parallelism, 0)
    this.latest = restored
    this.nextId = Math.max((restored?.metadata.checkpointId ?? 0) + 1, firstFreeId)
    for (const c of restored?.metadata.committables ?? []) this.uncommitted.push({ ...c, completed: true })
    for (const n of jg.streamGraph.nodes)
      if (n.spec.kind === 'sink' && isTwoPhaseCommittingSink(n.spec.sink)) this.committers.set(jg.streamGraph.uidOf(n), n.spec.sink.createCommitter())
  }

  /** Whether the job checkpoints periodically. */
  get enabled(): boolean {
    return this.options !== undefined
  }

  /**
   * A new attempt's tasks are deployed. Commits what the restored checkpoint holds first
   * (idempotently: a crash may have come between completing it and committing), then starts the
   * periodic checkpoints.
   */
  async attach(gateway: TaskGateway, coordinator: JobCoordinator, onFatal: (e: unknown) => void): Promise<void> {
    this.attempt = { gateway, coordinator, onFatal }
    this.firstIdOfAttempt = this.nextId
    this.finals.clear()
    this.consecutiveFailures = 0
    await this.commitUncommitted()
    const o = this.options
    if (o !== undefined)
      this.periodic = setInterval(() => {
        if (this.stopping > 0 || this.pending.size + this.starting >= o.maxConcurrent || this.allTasksFinished()) return
        if (Date.now() - this.lastEnd < o.minPauseMs) return
        if (!coordinator.allReadersRegistered()) return
        void this.trigger('checkpoint', undefined, false).catch(() => {})
      }, o.intervalMs)
  }

  /**
   * The attempt ended: stops triggering and aborts what is in progress. After a failure, the
   * committables of checkpoints that did not complete are dropped: the job goes back to the
   * latest completed checkpoint and writes that output again.
   */
  detach(reason: 'failed' | 'finished' | 'cancelled'): void {
    if (this.periodic !== undefined) clearInterval(this.periodic)
    this.periodic = undefined
    // after a failure the job goes back to the latest checkpoint; otherwise the output before the
    // barriers is not written again, so what was acknowledged goes with the next commit
    // a checkpoint still in flight when a job is cancelled or ends is expected: its waiters (a
    // savepoint request) learn why, the log stays quiet; after a failure it is worth a line
    for (const p of [...this.pending.values()]) this.abort(p, `the job ${reason}`, false, reason !== 'failed', reason === 'failed')
    this.attempt = undefined
  }

  /**
   * After a failure: waits for checkpoints still being completed, then makes the committables of
   * the latest completed checkpoint the ones to commit (again, idempotently); those of checkpoints
   * that did not complete are dropped, as the job goes back to the latest completed checkpoint
   * and writes that output again.
   */
  async recover(): Promise<void> {
    await this.completeChain
    await this.commitChain
    this.uncommitted = (this.latest?.metadata.committables ?? []).map((c) => ({ ...c, completed: true }))
  }

  /**
   * Starts a checkpoint or savepoint now; resolves when it is complete in storage. With `stop`,
   * sources stop reading after the barrier (stop-with-savepoint).
   */
  trigger(kind: CheckpointKind, targetDirectory: string | undefined, stop: boolean): Promise<CompletedCheckpoint> {
    const a = this.attempt
    const storage = this.storage
    if (a === undefined || storage === undefined)
      return Promise.reject(new CheckpointError(`Cannot take a ${kind} of job '${this.jg.streamGraph.jobName}': it is not running with checkpoint storage.`))
    if (this.allTasksFinished())
      return Promise.reject(new CheckpointError(`Cannot take a ${kind} of job '${this.jg.streamGraph.jobName}': it has finished.`))
    const id = this.nextId++
    const timestamp = Date.now()
    this.starting++
    if (stop) this.stopping++
    const begun = this.startChain.then(() => storage.begin(id, kind, targetDirectory))
    this.startChain = begun.then(
      () => {},
      () => {},
    )
    const started = new Promise<CompletedCheckpoint>((resolve, reject) => {
      begun.finally(() => this.starting--).then(
        (directory) => {
          if (this.attempt !== a) {
            void storage.abort(directory)
            reject(new CheckpointError(`${kind} ${id} of job '${this.jg.streamGraph.jobName}' was aborted: the job restarted.`))
            return
          }
          const timer = setTimeout(() => {
            const p = this.pending.get(id)
            if (p !== undefined) this.abort(p, `it did not complete within ${this.options?.timeoutMs ?? 600_000} ms`, true, true)
          }, this.options?.timeoutMs ?? 600_000)
          const p: PendingCheckpoint = {
            id,
            kind,
            timestamp,
            directory,
            acks: new Map(),
            enumerators: a.coordinator.snapshotEnumerators(id),
            timer,
            stop,
            waiters: [{ resolve, reject }],
          }
          this.pending.set(id, p)
          a.gateway.broadcast({ type: 'checkpoint', checkpointId: id, directory, stop })
        },
        (e: unknown) => {
          this.countFailure(`${kind} ${id} could not start: ${describeError(e)}`)
          reject(e)
        },
      )
    })
    // a stop-with-savepoint that fails lets periodic checkpoints start again
    if (stop)
      void started.then(
        () => {},
        () => {
          this.stopping--
        },
      )
    return started
  }

  acknowledge(ack: TaskCheckpointAck): void {
    if (this.attempt === undefined) return // a late acknowledgement of an attempt that ended
    const p = this.pending.get(ack.checkpointId)
    if (p === undefined) {
      if (ack.checkpointId < this.firstIdOfAttempt) return // from an attempt that failed
      // a checkpoint aborted while the job went on: its committables go with the next complete one
      for (const c of ack.committables) if (c.items.length > 0) this.uncommitted.push({ uid: c.uid, checkpointId: ack.checkpointId, items: c.items })
      return
    }
    p.acks.set(`${ack.vertexId}:${ack.subtaskIndex}`, ack)
    if (p.acks.size === this.numTasks) {
      this.pending.delete(p.id)
      clearTimeout(p.timer)
      this.completeChain = this.completeChain.then(() => this.complete(p))
    }
  }

  decline(checkpointId: number, vertexId: number, subtaskIndex: number, reason: string, finished: boolean): void {
    const p = this.pending.get(checkpointId)
    if (p === undefined) return
    void vertexId
    void subtaskIndex
    this.abort(p, reason, !finished, true)
  }

  taskFinished(report: TaskFinalReport): void {
    this.finals.set(`${report.vertexId}:${report.subtaskIndex}`, report)
  }

  /** Aborts a checkpoint; with `carry`, the committables already acknowledged go with the next one. */
  private abort(p: PendingCheckpoint, reason: string, countsAsFailure: boolean, carry: boolean, logIt = true): void {
    this.pending.delete(p.id)
    clearTimeout(p.timer)
    if (carry)
      for (const ack of p.acks.values())
        for (const c of ack.committables) if (c.items.length > 0) this.uncommitted.push({ uid: c.uid, checkpointId: p.id, items: c.items })
    const error = new CheckpointError(`${p.kind === 'savepoint' ? 'Savepoint' : 'Checkpoint'} ${p.id} of job '${this.jg.streamGraph.jobName}' was aborted: ${reason}.`)
    for (const w of p.waiters) w.reject(error)
    if (this.storage !== undefined) {
      const aborting = this.storage.abort(p.directory).catch(() => {})
      this.aborting.add(aborting)
      void aborting.finally(() => this.aborting.delete(aborting))
    }
    this.attempt?.gateway.broadcast({ type: 'aborted', checkpointId: p.id })
    this.lastEnd = Date.now()
    if (countsAsFailure) this.countFailure(error.message)
    else if (logIt) this.log(error.message)
  }

  private countFailure(message: string): void {
    this.stats.failed++
    this.consecutiveFailures++
    this.log(message)
    const tolerable = this.options?.tolerableFailures ?? 0
    if (this.options !== undefined && this.consecutiveFailures > tolerable)
      this.attempt?.onFatal(
        new CheckpointError(`${message} That is ${this.consecutiveFailures} failed checkpoint(s) in a row, more than the ${tolerable} tolerated (tolerableFailures).`),
      )
  }

  private async complete(p: PendingCheckpoint): Promise<void> {
    const graph = this.jg.streamGraph
    const operators: OperatorStateMetadata[] = []
    for (const node of graph.nodes) {
      const uid = graph.uidOf(node)
      const subtasks: { subtaskIndex: number; state: OperatorStateMetadata['subtasks'][number]['state'] }[] = []
      for (const ack of p.acks.values())
        for (const o of ack.operators) if (o.uid === uid) subtasks.push({ subtaskIndex: ack.subtaskIndex, state: o.state })
      subtasks.sort((a, b) => a.subtaskIndex - b.subtaskIndex)
      operators.push({ uid, name: node.name, parallelism: node.parallelism, subtasks })
    }
    const own: PendingCommittables[] = []
    for (const ack of p.acks.values())
      for (const c of ack.committables) if (c.items.length > 0) own.push({ uid: c.uid, checkpointId: p.id, items: c.items })
    const committables = [...this.uncommitted, ...own]
    this.uncommitted.push(...own)
    const metadata: CheckpointMetadata = {
      formatVersion: 1,
      jobName: graph.jobName,
      checkpointId: p.id,
      kind: p.kind,
      timestamp: p.timestamp,
      finished: false,
      maxParallelism: graph.maxParallelism,
      operators,
      enumerators: p.enumerators,
      committables,
    }
    let completed: CompletedCheckpoint
    try {
      completed = await this.storage!.complete(p.directory, metadata)
    } catch (e) {
      for (const w of p.waiters) w.reject(e)
      this.countFailure(`${p.kind} ${p.id} could not be written: ${describeError(e)}`)
      return
    }
    for (const c of committables) c.completed = true
    // (with concurrent checkpoints an older one may complete last: it is not the latest then)
    if (this.latest === undefined || completed.metadata.checkpointId > this.latest.metadata.checkpointId) this.latest = completed
    this.consecutiveFailures = 0
    this.lastEnd = Date.now()
    this.stats.completed++
    this.stats.lastCompletedId = p.id
    this.stats.lastDurationMs = this.lastEnd - p.timestamp
    this.stats.lastSizeBytes = operators.reduce((n, o) => n + o.subtasks.reduce((m, s) => m + (s.state?.size ?? 0), 0), 0)
    this.attempt?.gateway.broadcast({ type: 'complete', checkpointId: p.id })
    try {
      await this.commitUncommitted()
    } catch (e) {
      this.attempt?.onFatal(e)
    }
    for (const w of p.waiters) w.resolve(completed)
  }

  /** Commits every committable not committed yet, sink by sink; serialised with other commits. */
  private commitUncommitted(): Promise<void> {
    const run = async (): Promise<void> => {
      const batch = this.uncommitted
      if (batch.length === 0) return
      for (const [uid, committer] of this.committers) {
        const items = batch.filter((c) => c.uid === uid).flatMap((c) => c.items)
        if (items.length > 0) await committer.commit(items)
      }
      const done = new Set(batch)
      this.uncommitted = this.uncommitted.filter((c) => !done.has(c))
    }
    const next = this.commitChain.then(run)
    this.commitChain = next.catch(() => {})
    return next
  }

  /** Whether every task of the attempt has reported the end of its input. */
  allTasksFinished(): boolean {
    return this.finals.size === this.numTasks
  }

  /**
   * The job's input has ended and every task finished: aborts checkpoints in progress, writes a
   * final checkpoint marked finished (when the job checkpoints) holding the last committables,
   * and commits them.
   */
  async finishJob(): Promise<void> {
    if (this.periodic !== undefined) clearInterval(this.periodic)
    this.periodic = undefined
    for (const p of [...this.pending.values()]) this.abort(p, 'the job finished', false, true, false)
    await this.completeChain
    for (const r of this.finals.values())
      for (const c of r.committables) if (c.items.length > 0) this.uncommitted.push({ uid: c.uid, checkpointId: Number.MAX_SAFE_INTEGER, items: c.items })
    if (this.options !== undefined && this.storage !== undefined) {
      const id = this.nextId++
      const graph = this.jg.streamGraph
      const directory = await this.storage.begin(id, 'checkpoint')
      this.latest = await this.storage.complete(directory, {
        formatVersion: 1,
        jobName: graph.jobName,
        checkpointId: id,
        kind: 'checkpoint',
        timestamp: Date.now(),
        finished: true,
        maxParallelism: graph.maxParallelism,
        operators: [],
        enumerators: [],
        committables: [...this.uncommitted],
      })
    }
    await this.commitUncommitted()
  }

  /** Closes the committers, once every checkpoint being completed or aborted has settled. */
  async close(): Promise<void> {
    if (this.periodic !== undefined) clearInterval(this.periodic)
    await this.completeChain
    await this.commitChain
    await Promise.all([...this.aborting])
    for (const c of this.committers.values()) await c.close?.()
  }
}

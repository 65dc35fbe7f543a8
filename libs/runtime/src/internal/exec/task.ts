import { GraphError, InternalError, StateError, describeError } from '../../core/errors.js'
import { MAX_WATERMARK } from '../../core/element.js'
import { keyGroupRangeForSubtask } from '../../core/key-groups.js'
import type { JobGraph, JobVertex } from '../../graph/job-graph.js'
import { RUNTIME_MODE_CONFIG_KEY, type StreamNode } from '../../graph/stream-graph.js'
import { MapMetricGroup } from '../../metrics/metric-group.js'
import type { Output } from '../../operators/output.js'
import type {
  OneInputStreamOperator,
  StreamOperator,
  TaskInfo,
  TwoInputStreamOperator,
} from '../../operators/stream-operator.js'
import type { SourceReader, SourceSplit } from '../../source/source.js'
import type { CheckpointingMode } from '../../checkpoint/checkpointing-options.js'
import { readStateFile, writeStateFile } from '../../checkpoint/storage/state-file.js'
import type { HeapOperatorStateStore } from '../state/heap-operator-state-store.js'
import type { AnyKeyedStateSnapshot } from '../state/keyed-state-snapshot.js'
import type { AnyTimersSnapshot } from '../time/timers-snapshot.js'
import { BarrierAligner } from './barrier-aligner.js'
import {
  END_OF_INPUT_CHECKPOINT_ID,
  type AckedOperatorState,
  type OperatorSubtaskState,
  type TaskCheckpointAck,
  type TaskControl,
  type TaskFinalReport,
  type TaskRestore,
} from './checkpoint-messages.js'
import type { Clock } from '../../time/clock.js'
import { CTRL_ACTIVE, CTRL_BARRIER, CTRL_END, CTRL_IDLE, CTRL_WATERMARK, type Batch } from './batch.js'
import { ChainedInput, FanOutOutput, FirstInput, SecondInput, SingleOutput, makeOutput, wrapOperatorError, type OperatorIdentity, type RecordConsumer } from './chain.js'
import type { InputGate } from './channels.js'
import { createKeyedServices, createOperatorStateStore, createSourceOutput, createValve, type KeyedServices, type SourceOutputDriver, type WatermarkValve } from './services.js'
import { InputSuspension, Mailbox, MailboxProcessingTimeService, OperatorMailboxExecutor, OperatorProcessingTimeService } from './mailbox.js'
import type { RecordWriter } from './record-writer.js'
import { SinkOperator } from './sink-operator.js'

/** One operator's snapshot, its keyed state and timers possibly still being serialized. */
interface PersistPart {
  readonly nodeId: number
  readonly state: OperatorSubtaskState
  readonly keyed: Promise<AnyKeyedStateSnapshot> | undefined
  readonly timers: Promise<AnyTimersSnapshot> | undefined
}

/** What a source reader's subtask receives from the enumerator. */
export interface ReaderHandlers {
  addSplits(splits: readonly SourceSplit[]): void
  noMoreSplits(): void
}

/** The task's view of the job coordinator (in the main thread, directly or over messages). */
export interface CoordinatorLink {
  registerReader(vertexId: number, subtaskIndex: number, handlers: ReaderHandlers): void
  requestSplit(vertexId: number, subtaskIndex: number): void
  sinkMessage(nodeId: number, subtaskIndex: number, message: unknown): void
  /** The task wrote its state for a checkpoint. */
  acknowledgeCheckpoint(ack: TaskCheckpointAck): void
  /** The task cannot take part in a checkpoint (`finished`: its source has ended). */
  declineCheckpoint(checkpointId: number, vertexId: number, subtaskIndex: number, reason: string, finished: boolean): void
  /** The task finished its input; its sinks' final committables. */
  taskFinished(report: TaskFinalReport): void
}

/** What every task of a job shares. */
export interface TaskServices {
  readonly clock: Clock
  readonly coordinator: CoordinatorLink
  /** The checkpointing mode when the job checkpoints. */
  readonly checkpointing?: { readonly mode: CheckpointingMode } | undefined
  /** The checkpoint the tasks start from. */
  readonly restore?: TaskRestore | undefined
}

const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve))

/** How long a task runs before it lets the event loop (I/O, timers, other tasks) in, in ms. */
const TIME_SLICE_MS = 5

/**
 * One subtask of a job vertex: the chain of operators, its input gate (or source reader), its
 * network outputs, a mailbox and processing-time timers. Single-threaded: records, watermarks,
 * timers and mail are processed one after the other, never concurrently.
 */
export class StreamTask {
  private readonly mailbox = new Mailbox()
  private readonly pts: MailboxProcessingTimeService
  /** Operators of the chain that hold the input back (an async operator with a full queue). */
  private readonly suspension: InputSuspension
  private readonly operators: (StreamOperator<unknown> | undefined)[] = []
  private readonly identities: OperatorIdentity[] = []
  private readonly outputs: Output<unknown>[] = []
  private readonly keyed: (KeyedServices | undefined)[] = []
  private readonly operatorPts: OperatorProcessingTimeService[] = []
  private readonly allWriters: RecordWriter[]
  private readonly metricGroups: MapMetricGroup[] = []
  private readonly name: string
  private cancelled = false
  private signal: (() => void) | undefined
  private recordsIn = 0
  /** The input of each chained (non-head) operator, by chain position: it counts records in. */
  private readonly chainedInputs: (ChainedInput | undefined)[] = []
  private headInput0: RecordConsumer | undefined
  private headInput1: RecordConsumer | undefined
  private valve: WatermarkValve | undefined
  private readonly stores: HeapOperatorStateStore[] = []
  private readonly uids: string[] = []
  private reader: SourceReader<unknown, SourceSplit> | undefined
  private aligner: BarrierAligner | undefined
  private readonly blocked: boolean[] = []
  private readonly locations = new Map<number, { promise: Promise<string>; resolve: (dir: string) => void }>()
  /** Source tasks: whether a checkpoint trigger can still inject a barrier. */
  private acceptingTriggers = true
  /** Source tasks: stop reading after the barrier of this checkpoint (stop-with-savepoint). */
  private stopAfter = -1
  private restoredCheckpointId: number | undefined

  constructor(
    private readonly jg: JobGraph,
    private readonly vertex: JobVertex,
    readonly subtaskIndex: number,
    private readonly gate: InputGate | undefined,
    writers: ReadonlyMap<number, RecordWriter>,
    private readonly services: TaskServices,
  ) {
    const graph = jg.streamGraph
    this.name = `${vertex.nodes.map((n) => n.name).join(' -> ')} (${subtaskIndex + 1}/${vertex.parallelism})`
    this.allWriters = [...writers.values()]
    this.pts = new MailboxProcessingTimeService(services.clock, this.mailbox)
    this.mailbox.setWake(this.wakeUp)
    this.suspension = new InputSuspension(this.wakeUp)
    gate?.setWake(this.wakeUp)
    const inChain = new Set(vertex.nodes.map((n) => n.id))

    // 1. operators and their keyed services
    for (const node of vertex.nodes) {
      this.operators.push(this.createOperator(node))
      const identity: { -readonly [P in keyof OperatorIdentity]: OperatorIdentity[P] } = {
        name: node.name,
        subtaskIndex,
        parallelism: node.parallelism,
        backend: undefined,
      }
      const pts = new OperatorProcessingTimeService(this.pts, identity)
      this.operatorPts.push(pts)
      const keyed =
        node.spec.kind === 'operator' && node.spec.keySelectors.some((k) => k !== undefined)
          ? createKeyedServices({
              config: graph.config,
              scope: `${graph.jobName}-${graph.uidOf(node)}-${subtaskIndex}`,
              operatorName: node.name,
              keyGroupRange: keyGroupRangeForSubtask(graph.maxParallelism, node.parallelism, subtaskIndex),
              maxParallelism: graph.maxParallelism,
              clock: services.clock,
              processingTimeService: pts,
            })
          : undefined
      this.keyed.push(keyed)
      identity.backend = keyed?.backend
      this.identities.push(identity)
    }

    // 2. outputs, from the consumers of each node: chained successors and network edges
    vertex.nodes.forEach((node) => {
      const main: RecordConsumer[] = []
      const sides = new Map<string, RecordConsumer[]>()
      for (const e of graph.outEdges(node.id)) {
        let consumer: RecordConsumer
        if (inChain.has(e.target)) {
          const pos = vertex.nodes.findIndex((n) => n.id === e.target)
          const input = new ChainedInput(this.operators[pos] as OneInputStreamOperator<unknown, unknown>, this.identities[pos]!)
          this.chainedInputs[pos] = input
          consumer = input
        } else {
          const je = vertex.outputs.find((o) => o.edge === e)
          const w = je === undefined ? undefined : writers.get(je.id)
          if (w === undefined) throw new InternalError(`No record writer for the edge '${node.name}' -> '${graph.node(e.target).name}'.`)
          consumer = w
        }
        if (e.sideOutput === undefined) main.push(consumer)
        else {
          const list = sides.get(e.sideOutput) ?? []
          list.push(consumer)
          sides.set(e.sideOutput, list)
        }
      }
      this.outputs.push(main.length === 0 && sides.size === 0 ? DISCARD : makeOutput(main, sides))
    })

    // 3. setup
    vertex.nodes.forEach((node, i) => {
      const op = this.operators[i]
      this.uids[i] = graph.uidOf(node)
      if (op === undefined) return
      const metrics = new MapMetricGroup(`${graph.jobName}.${node.name}.${subtaskIndex}`)
      this.metricGroups.push(metrics)
      const info: TaskInfo = {
        jobName: graph.jobName,
        operatorName: node.name,
        operatorId: graph.uidOf(node),
        subtaskIndex,
        parallelism: node.parallelism,
        maxParallelism: graph.maxParallelism,
        taskNameWithSubtask: `${node.name} (${subtaskIndex + 1}/${node.parallelism})`,
      }
      const keyed = this.keyed[i]
      const store = createOperatorStateStore(node.name)
      this.stores[i] = store
      op.setup({
        info,
        output: this.outputs[i]!,
        clock: services.clock,
        processingTimeService: this.operatorPts[i]!,
        operatorStateStore: store,
        keyedStateBackend: keyed?.backend,
        timeServiceManager: keyed?.timeServiceManager,
        keySelectors: node.spec.kind === 'operator' ? node.spec.keySelectors : [],
        metrics,
        config: graph.config,
        mailboxExecutor: new OperatorMailboxExecutor(this.mailbox, this.identities[i]!),
        inputFlowControl: this.suspension.controlFor(),
      })
    })

    // 4. the head's inputs
    const head = vertex.nodes[0]!
    if (head.spec.kind !== 'source') {
      if (gate === undefined) throw new InternalError(`Task ${this.name} has no input gate.`)
      const headOp = this.operators[0]!
      const id = this.identities[0]!
      if (head.spec.kind === 'operator' && head.spec.inputs === 2) {
        const two = headOp as TwoInputStreamOperator<unknown, unknown, unknown>
        this.headInput0 = new FirstInput(two, id)
        this.headInput1 = new SecondInput(two, id)
      } else {
        this.headInput0 = new ChainedInput(headOp as OneInputStreamOperator<unknown, unknown>, id)
      }
      const watermarkTarget = this.headInput0
      this.valve = createValve(gate.numChannels, {
        emitWatermark: (wm) => watermarkTarget.watermark(wm),
        emitWatermarkStatus: (idle) => watermarkTarget.status(idle),
      })
      const cp = services.checkpointing
      if (cp !== undefined) {
        this.blocked.length = gate.numChannels
        this.blocked.fill(false)
        this.aligner = new BarrierAligner(
          {
            numChannels: gate.numChannels,
            block: (ch) => {
              this.blocked[ch] = true
            },
            unblockAll: () => {
              this.blocked.fill(false)
              gate.releaseHeld()
            },
          },
          cp.mode,
          (id) => this.performCheckpoint(id),
        )
      }
    }
  }

  private readonly wakeUp = (): void => {
    const s = this.signal
    if (s !== undefined) {
      this.signal = undefined
      s()
    }
  }

  private waitForWake(): Promise<void> {
    return new Promise((resolve) => {
      this.signal = resolve
    })
  }

  private createOperator(node: StreamNode): StreamOperator<unknown> | undefined {
    switch (node.spec.kind) {
      case 'source':
        return undefined
      case 'sink':
        return new SinkOperator(node.spec.sink, (subtask, m) => this.services.coordinator.sinkMessage(node.id, subtask, m))
      case 'operator': {
        try {
          return node.spec.factory()
        } catch (e) {
          throw new GraphError(`Creating operator '${node.name}' failed: ${e instanceof Error ? e.message : String(e)}`, { cause: e })
        }
      }
    }
  }

  /** Stops the task as soon as possible; it ends without finishing its operators. */
  cancel(): void {
    this.cancelled = true
    this.wakeUp()
  }

  /** Runs the task to its end. Rejects with a named error if an operator fails. */
  async run(): Promise<void> {
    let failed = false
    try {
      const restoredSplits = this.services.restore === undefined ? undefined : await this.restoreState(this.services.restore)
      if (this.cancelled) return
      const restoredCheckpointId = this.restoredCheckpointId
      const initContext = { isRestored: () => restoredCheckpointId !== undefined, restoredCheckpointId }
      for (let i = this.operators.length - 1; i >= 0; i--) {
        const op = this.operators[i]
        if (op === undefined) continue
        try {
          op.initializeState?.(initContext)
        } catch (e) {
          throw wrapOperatorError(e, this.identities[i]!, 'initializeState()')
        }
        try {
          op.open()
        } catch (e) {
          throw wrapOperatorError(e, this.identities[i]!, 'open()')
        }
      }
      const head = this.vertex.nodes[0]!
      if (head.spec.kind === 'source') await this.runSource(head, restoredSplits ?? [])
      else await this.runInputs(this.gate!)
      if (this.cancelled) return
      const batch = this.jg.streamGraph.config.get(RUNTIME_MODE_CONFIG_KEY) === 'BATCH'
      // head to tail; an operator with work in flight (async I/O) is waited for before and after
      // its finish, so what it emits still reaches the operators after it before they finish
      for (let i = 0; i < this.operators.length; i++) {
        const op = this.operators[i]
        if (op === undefined) continue
        await this.awaitPendingWork(op)
        if (this.cancelled) return
        const timers = batch ? this.keyed[i]?.timeServiceManager : undefined
        if (timers !== undefined) {
          try {
            timers.fireAllProcessingTimers()
          } catch (e) {
            throw wrapOperatorError(e, this.identities[i]!, 'the processing-time timers at the end of input (BATCH)')
          }
          await this.awaitPendingWork(op)
          if (this.cancelled) return
        }
        try {
          op.finish()
        } catch (e) {
          throw wrapOperatorError(e, this.identities[i]!, 'the end of input (finish)')
        }
        await this.awaitPendingWork(op)
        if (this.cancelled) return
      }
      this.mailbox.close()
      for (const w of this.allWriters) w.end() // sends what is buffered, then the end of input
      // acknowledgements of checkpoints taken before the end go out before the end is reported
      while (this.persisting.size > 0) await Promise.all([...this.persisting])
      const committables = this.takeCommittables(END_OF_INPUT_CHECKPOINT_ID, true)
      this.finalCommittables = committables
      this.services.coordinator.taskFinished({ vertexId: this.vertex.id, subtaskIndex: this.subtaskIndex, committables })
      this.finished = true
    } catch (e) {
      failed = true
      throw e
    } finally {
      const closeError = this.closeAll()
      // a failing close() fails the task, unless the task is already failing with another error
      if (closeError !== undefined && !failed) throw closeError
    }
    // checkpoints started while the task finished, whose barrier it will never see
    if (this.finished) for (const id of [...this.locations.keys()]) if (!this.performed.has(id)) this.snapshotFinished(id)
  }

  /** Waits until no state file of this task is being written any more. */
  async quiesce(): Promise<void> {
    while (this.persisting.size > 0) await Promise.allSettled([...this.persisting])
  }

  /**
   * Releases the state backends. A task that finished keeps its state until the job ends, since
   * checkpoints taken after it finished hold its final state.
   */
  dispose(): void {
    for (const k of this.keyed) k?.backend.dispose()
  }

  // ---------------------------------------------------------------- checkpoints

  /** A message of the job's coordinator about checkpoints; called on the task's thread. */
  onControl(m: TaskControl): void {
    switch (m.type) {
      case 'checkpoint':
        this.location(m.checkpointId).resolve(m.directory)
        if (this.finished) this.snapshotFinished(m.checkpointId)
        else if (this.vertex.nodes[0]!.spec.kind === 'source') this.triggerCheckpoint(m.checkpointId, m.stop)
        break
      case 'complete':
      case 'aborted': {
        const id = m.checkpointId
        for (const k of this.locations.keys()) if (k <= id) this.locations.delete(k)
        const complete = m.type === 'complete'
        this.mailbox.put(() => {
          this.operators.forEach((op, i) => {
            try {
              if (complete) op?.notifyCheckpointComplete?.(id)
              else op?.notifyCheckpointAborted?.(id)
            } catch (e) {
              throw wrapOperatorError(e, this.identities[i]!, `the notification that checkpoint ${id} ${complete ? 'completed' : 'was aborted'}`)
            }
          })
        })
        break
      }
    }
  }

  private location(id: number): { promise: Promise<string>; resolve: (dir: string) => void } {
    let l = this.locations.get(id)
    if (l === undefined) {
      let resolve!: (dir: string) => void
      const promise = new Promise<string>((r) => (resolve = r))
      l = { promise, resolve }
      this.locations.set(id, l)
    }
    return l
  }

  /**
   * A source task injects the barrier of checkpoint `id` between two polls of its reader. Once its
   * input has ended, it snapshots its final state when it has finished instead.
   */
  private triggerCheckpoint(id: number, stop: boolean): void {
    if (!this.acceptingTriggers || this.cancelled) return
    this.mailbox.put(() => {
      if (!this.acceptingTriggers) return
      this.performCheckpoint(id)
      if (stop) this.stopAfter = id
    })
  }

  /** The task has finished: its final state (and its sinks' last committables) go into checkpoint `id`. */
  private snapshotFinished(id: number): void {
    if (this.performed.has(id) || this.cancelled) return
    this.performed.add(id)
    const parts = this.snapshotOperators(id, false)
    const committables = this.finalCommittables
    this.startPersist(id, parts, committables, false)
  }

  private finished = false
  private finalCommittables: { uid: string; items: unknown[] }[] = []
  /** Checkpoints this task has snapshotted. */
  private readonly performed = new Set<number>()

  /** Committables the sinks of the chain prepared (and those of declined checkpoints, not sent yet). */
  private takeCommittables(checkpointId: number, final: boolean): { uid: string; items: unknown[] }[] {
    const out: { uid: string; items: unknown[] }[] = []
    this.operators.forEach((op, i) => {
      if (!(op instanceof SinkOperator) || !op.twoPhase) return
      const items = [...(this.unsent.get(i) ?? []), ...(final ? op.takeFinalCommittables() : op.takePrepared())]
      this.unsent.delete(i)
      if (items.length > 0 || final) out.push({ uid: this.uids[i]!, items })
    })
    void checkpointId
    return out
  }

  /** Committables of checkpoints this task declined, by chain position: they go with the next one. */
  private readonly unsent = new Map<number, unknown[]>()

  /**
   * Takes checkpoint `id` at this task: sends the barrier on, snapshots every operator of the
   * chain (synchronously: the state at this point between two records), then writes the state
   * files and acknowledges in the background while processing goes on.
   */
  private performCheckpoint(id: number): void {
    this.performed.add(id)
    for (const w of this.allWriters) w.barrier(id)
    const parts = this.snapshotOperators(id, true)
    this.startPersist(id, parts, this.takeCommittables(id, false), true)
  }

  /** Snapshots every operator of the chain now; `hooks`: call their snapshotState first (not once they are closed). */
  private snapshotOperators(id: number, hooks: boolean): PersistPart[] {
    const graph = this.jg.streamGraph
    const now = this.services.clock.now()
    const parts: PersistPart[] = []
    this.vertex.nodes.forEach((node, i) => {
      const op = this.operators[i]
      if (hooks && op?.snapshotState !== undefined) {
        try {
          op.snapshotState(id)
        } catch (e) {
          throw wrapOperatorError(e, this.identities[i]!, `checkpoint ${id} (snapshotState)`)
        }
      }
      const keyed = this.keyed[i]
      let keyedSnapshot: Promise<AnyKeyedStateSnapshot> | undefined
      let timers: Promise<AnyTimersSnapshot> | undefined
      try {
        if (keyed !== undefined) {
          // the calls capture the state now; the promises serialize it while records go on
          const b = keyed.backend
          // (awaited by persist, where a failure declines the checkpoint)
          keyedSnapshot =
            b.snapshotForCheckpoint !== undefined ? b.snapshotForCheckpoint() : b.snapshotAsync !== undefined ? b.snapshotAsync() : Promise.resolve(b.snapshot())
          keyedSnapshot.catch(() => {})
          timers = keyed.timeServiceManager.snapshotForCheckpoint()
          timers.catch(() => {})
        }
      } catch (e) {
        throw wrapOperatorError(e, this.identities[i]!, `checkpoint ${id} (keyed state snapshot)`)
      }
      const store = this.stores[i]
      parts.push({
        nodeId: node.id,
        keyed: keyedSnapshot,
        timers,
        state: {
          formatVersion: 1,
          uid: this.uids[i]!,
          operatorName: node.name,
          subtaskIndex: this.subtaskIndex,
          parallelism: node.parallelism,
          maxParallelism: graph.maxParallelism,
          checkpointId: id,
          processingTime: now,
          keyedState: undefined,
          timers: undefined,
          operatorState: store === undefined ? { formatVersion: 1, operatorName: node.name, listStates: [], broadcastStates: [] } : store.snapshot(),
          ...(node.spec.kind === 'source' ? { sourceSplits: hooks && this.reader !== undefined ? this.reader.snapshotState(id) : [] } : {}),
        },
      })
    })
    return parts
  }

  /** Writes the state files in the background and acknowledges; on failure, declines (keeping the committables for the next checkpoint). */
  private startPersist(id: number, parts: readonly PersistPart[], committables: TaskCheckpointAck['committables'], keepOnFailure: boolean): void {
    const persisting = this.persist(id, parts, committables).catch((e: unknown) => {
      // the committables go with the next checkpoint, so no output is lost
      if (keepOnFailure)
        for (const c of committables) {
          const i = this.uids.indexOf(c.uid)
          this.unsent.set(i, [...c.items, ...(this.unsent.get(i) ?? [])])
        }
      this.services.coordinator.declineCheckpoint(id, this.vertex.id, this.subtaskIndex, `task ${this.name} could not write its state: ${describeError(e)}`, false)
    })
    this.persisting.add(persisting)
    void persisting.finally(() => this.persisting.delete(persisting))
  }

  /** State files being written in the background. */
  private readonly persisting = new Set<Promise<void>>()

  private async persist(
    id: number,
    parts: readonly PersistPart[],
    committables: TaskCheckpointAck['committables'],
  ): Promise<void> {
    const dir = await this.location(id).promise
    // one file per operator that has state, written side by side; an operator without state has
    // none (the metadata lists no subtask state for it, which restores as empty)
    const written = await Promise.all(
      parts.map(async (p): Promise<AckedOperatorState | undefined> => {
        const keyedState = p.keyed === undefined ? undefined : await p.keyed
        const timers = p.timers === undefined ? undefined : await p.timers
        const s = p.state
        if (
          (keyedState === undefined || keyedState.keyGroups.length === 0) &&
          (timers === undefined || timers.keyGroups.length === 0) &&
          s.operatorState.listStates.length === 0 &&
          s.operatorState.broadcastStates.length === 0 &&
          s.sourceSplits === undefined
        )
          return undefined
        // (the file holds the serialized formats, version 2; OperatorSubtaskState names the ones restore also takes)
        const state: OperatorSubtaskState =
          keyedState === undefined && timers === undefined
            ? s
            : { ...s, keyedState, timers }
        const handle = await writeStateFile(dir, `op-${p.nodeId}-${this.subtaskIndex}.state`, state)
        return { uid: s.uid, name: s.operatorName, parallelism: s.parallelism, state: handle }
      }),
    )
    const operators = written.filter((o): o is AckedOperatorState => o !== undefined)
    if (this.cancelled) return
    this.services.coordinator.acknowledgeCheckpoint({ checkpointId: id, vertexId: this.vertex.id, subtaskIndex: this.subtaskIndex, operators, committables })
  }

  /**
   * Loads this task's state from a checkpoint: keyed state and timers of its key groups, its
   * share of operator state and, for a source, its share of the readers' splits. Every subtask
   * of the old run is read, so a different parallelism redistributes the state.
   */
  private async restoreState(r: TaskRestore): Promise<SourceSplit[]> {
    this.restoredCheckpointId = r.metadata.checkpointId
    const splits: SourceSplit[] = []
    for (let i = 0; i < this.vertex.nodes.length; i++) {
      const node = this.vertex.nodes[i]!
      const m = r.metadata.operators.find((o) => o.uid === this.uids[i])
      if (m === undefined) continue
      const states: OperatorSubtaskState[] = []
      for (const st of [...m.subtasks].sort((a, b) => a.subtaskIndex - b.subtaskIndex))
        if (st.state !== undefined) states.push((await readStateFile(r.path, st.state)) as OperatorSubtaskState)
      if (this.cancelled) return []
      if (node.spec.kind === 'source') {
        const all = states.flatMap((s) => s.sourceSplits ?? [])
        all.forEach((split, j) => {
          if (j % node.parallelism === this.subtaskIndex) splits.push(split)
        })
      }
      const keyedStates = states.flatMap((s) => (s.keyedState === undefined ? [] : [s.keyedState]))
      const keyed = this.keyed[i]
      if (keyedStates.length > 0 || states.some((s) => s.timers !== undefined && s.timers.keyGroups.length > 0)) {
        if (keyed === undefined)
          throw new StateError(
            `Operator '${node.name}' (uid '${this.uids[i]}') has keyed state in checkpoint ${r.metadata.checkpointId} but is not keyed now; give the keyed operator of the old job this uid, or a new uid to this one.`,
          )
        keyed.backend.restore(keyedStates)
        for (const s of states) if (s.timers !== undefined) keyed.timeServiceManager.restoreState(s.timers)
      }
      this.stores[i]?.restore(
        states.map((s) => s.operatorState),
        this.subtaskIndex,
        node.parallelism,
      )
    }
    return splits
  }

  /** Closes everything; returns the first error an operator's close() threw, if any. */
  private closeAll(): unknown {
    let first: unknown
    this.mailbox.close()
    this.pts.close()
    this.operators.forEach((op, i) => {
      try {
        op?.close()
      } catch (e) {
        first ??= wrapOperatorError(e, this.identities[i]!, 'close()')
      }
    })
    for (const w of this.allWriters) w.close()
    return first
  }

  private writable(): boolean {
    const ws = this.allWriters
    for (let i = 0; i < ws.length; i++) if (!ws[i]!.writable()) return false
    return true
  }

  private async waitWritable(): Promise<void> {
    while (!this.cancelled && !this.writable()) {
      const wait = this.waitForWake()
      for (const w of this.allWriters) if (!w.writable()) { w.onWritable(this.wakeUp); break }
      await wait
      if (this.mailbox.hasMail()) this.mailbox.drain()
    }
  }

  /** Runs the mailbox until `op` has no pending work (async requests in flight), flushing meanwhile. */
  private async awaitPendingWork(op: StreamOperator<unknown>): Promise<void> {
    if (op.hasPendingWork === undefined) return
    while (!this.cancelled && op.hasPendingWork()) {
      if (this.mailbox.hasMail()) {
        this.mailbox.drain()
        continue
      }
      if (!this.writable()) {
        this.flushOutputs()
        await this.waitWritable()
        continue
      }
      this.flushOutputs()
      await this.waitForWake()
    }
  }

  private flushOutputs(): void {
    const ws = this.allWriters
    for (let i = 0; i < ws.length; i++) ws[i]!.flush()
  }

  private async runInputs(gate: InputGate): Promise<void> {
    const bufferTimeout = this.jg.streamGraph.bufferTimeout
    let lastFlush = Date.now()
    let sliceStart = lastFlush
    for (;;) {
      if (this.cancelled) return
      if (this.mailbox.hasMail()) this.mailbox.drain()
      if (gate.hasBatch()) {
        if (this.suspension.suspended > 0) {
          // an operator's queue is full: wait for its mail (completions) to free it
          this.flushOutputs()
          await this.waitForWake()
          lastFlush = sliceStart = Date.now()
          continue
        }
        if (!this.writable()) {
          this.flushOutputs()
          await this.waitWritable()
          continue
        }
        const ch = gate.nextChannel()
        const batch = gate.take()
        if (this.processBatch(gate, ch, batch)) gate.ackTaken()
        const now = Date.now()
        if (now - lastFlush >= bufferTimeout) {
          this.flushOutputs()
          lastFlush = now
        }
        if (now - sliceStart >= TIME_SLICE_MS) {
          await yieldToEventLoop()
          sliceStart = Date.now()
        }
      } else if (gate.allEnded()) {
        return
      } else {
        this.flushOutputs()
        if (this.mailbox.hasMail()) continue // put while flushing: nobody was waiting for it
        await this.waitForWake()
        lastFlush = sliceStart = Date.now()
      }
    }
  }

  /** Processes a batch; false when it was held back (its channel is blocked by an alignment). */
  private processBatch(gate: InputGate, channel: number, batch: Batch): boolean {
    if (this.blocked.length > 0 && this.blocked[channel] === true) {
      // this channel's barrier arrived: its records wait until the other channels' barriers do
      gate.holdTaken()
      return false
    }
    const values = batch.values
    const timestamps = batch.timestamps
    const n = values.length
    if (n > 0) {
      this.recordsIn += n
      const input = gate.inputOfChannel[channel] === 0 ? this.headInput0! : this.headInput1!
      for (let i = 0; i < n; i++) input.push(values[i], timestamps[i]!)
    }
    switch (batch.control) {
      case CTRL_WATERMARK:
        this.valve!.inputWatermark(batch.controlValue, channel)
        break
      case CTRL_IDLE:
        this.valve!.inputWatermarkStatus(true, channel)
        break
      case CTRL_ACTIVE:
        this.valve!.inputWatermarkStatus(false, channel)
        break
      case CTRL_END:
        // nothing more can arrive on this channel: it no longer holds back the watermark
        this.valve!.inputWatermarkStatus(false, channel)
        this.valve!.inputWatermark(MAX_WATERMARK, channel)
        gate.channelEnded()
        this.aligner?.onChannelEnded(channel)
        break
      case CTRL_BARRIER:
        if (this.aligner === undefined)
          throw new InternalError(`Task ${this.name} received a checkpoint barrier but the job does not checkpoint.`)
        this.aligner.onBarrier(channel, batch.controlValue)
        break
    }
    return true
  }

  private async runSource(node: StreamNode, restoredSplits: readonly SourceSplit[]): Promise<void> {
    if (node.spec.kind !== 'source') throw new InternalError('runSource on a non-source node')
    const coordinator = this.services.coordinator
    const graph = this.jg.streamGraph
    const reader = node.spec.source.createReader({
      subtaskIndex: this.subtaskIndex,
      parallelism: node.parallelism,
      clock: this.services.clock,
      sendSplitRequest: () => coordinator.requestSplit(this.vertex.id, this.subtaskIndex),
    })
    this.reader = reader
    if (restoredSplits.length > 0) reader.addSplits(restoredSplits)
    const out: SourceOutputDriver = createSourceOutput(node.spec.watermarkStrategy, this.outputs[0]!, this.services.clock)
    coordinator.registerReader(this.vertex.id, this.subtaskIndex, {
      addSplits: (splits) => this.mailbox.put(() => reader.addSplits(splits)),
      noMoreSplits: () => this.mailbox.put(() => reader.notifyNoMoreSplits()),
    })
    const identity = this.identities[0]!
    const interval = graph.autoWatermarkInterval
    let periodic: { cancel(): void } | undefined
    const schedulePeriodic = (): void => {
      periodic = this.pts.registerTimer(this.pts.getCurrentProcessingTime() + interval, () => {
        out.emitPeriodicWatermark()
        schedulePeriodic()
      })
    }
    if (interval > 0) schedulePeriodic()
    try {
      reader.start()
      const bufferTimeout = graph.bufferTimeout
      let lastFlush = Date.now()
      let sliceStart = lastFlush
      for (;;) {
        if (this.cancelled) return
        if (this.mailbox.hasMail()) this.mailbox.drain()
        if (this.stopAfter >= 0) {
          // stop-with-savepoint: the barrier is out, read nothing more; the job cancels this task
          this.flushOutputs()
          await this.waitForWake()
          continue
        }
        if (this.suspension.suspended > 0) {
          this.flushOutputs()
          await this.waitForWake()
          lastFlush = sliceStart = Date.now()
          continue
        }
        if (!this.writable()) {
          this.flushOutputs()
          await this.waitWritable()
          continue
        }
        let status
        try {
          status = out.poll(reader)
        } catch (e) {
          throw wrapOperatorError(e, identity, 'the source (pollNext)')
        }
        if (status === 'END_OF_INPUT') break
        const now = Date.now()
        if (status === 'NOTHING_AVAILABLE') {
          this.flushOutputs()
          lastFlush = now
          // mail put while the reader polled (e.g. the splits it just asked for, when the
          // coordinator runs in this thread) woke nobody: take it before waiting
          if (this.mailbox.hasMail()) continue
          const wake = this.waitForWake()
          await Promise.race([reader.isAvailable(), wake])
          this.signal = undefined
          sliceStart = Date.now()
          continue
        }
        if (now - lastFlush >= bufferTimeout) {
          this.flushOutputs()
          lastFlush = now
        }
        if (now - sliceStart >= TIME_SLICE_MS) {
          await yieldToEventLoop()
          sliceStart = Date.now()
        }
      }
      periodic?.cancel()
      if (this.mailbox.hasMail()) this.mailbox.drain()
      // from here on a checkpoint cannot put a barrier before this source's end of input
      this.acceptingTriggers = false
      out.endInput()
    } finally {
      periodic?.cancel()
      await reader.close()
    }
  }

  /**
   * Every metric of the task's operators (their own, plus numRecordsIn / numRecordsOut and the
   * current input / output watermark per operator) and the task's: the most batches that waited in
   * its gate.
   */
  metricsSnapshot(): Record<string, number> {
    const out: Record<string, number> = {}
    for (const g of this.metricGroups) Object.assign(out, g.snapshot())
    const job = this.jg.streamGraph.jobName
    this.vertex.nodes.forEach((node, i) => {
      const scope = `${job}.${node.name}.${this.subtaskIndex}`
      if (node.spec.kind !== 'source') out[`${scope}.numRecordsIn`] = i === 0 ? this.recordsIn : (this.chainedInputs[i]?.recordsIn ?? 0)
      const o = this.outputs[i]
      const counted = o instanceof SingleOutput || o instanceof FanOutOutput ? o : undefined
      if (node.spec.kind !== 'sink') {
        out[`${scope}.numRecordsOut`] = counted?.recordsOut ?? 0
        out[`${scope}.currentOutputWatermark`] = counted?.currentWatermark ?? Number.NEGATIVE_INFINITY
      }
      const chained = this.chainedInputs[i]
      if (i > 0 && chained !== undefined) out[`${scope}.currentInputWatermark`] = chained.currentWatermark
    })
    const head = `${job}.${this.vertex.nodes[0]!.name}.${this.subtaskIndex}`
    if (this.valve !== undefined) out[`${head}.currentInputWatermark`] = this.valve.currentWatermark()
    if (this.gate !== undefined) out[`${head}.maxQueuedBatches`] = this.gate.maxBacklog
    return out
  }
}

const DISCARD: Output<unknown> = {
  collect: () => {},
  collectSide: () => {},
  emitWatermark: () => {},
  emitWatermarkStatus: () => {},
}

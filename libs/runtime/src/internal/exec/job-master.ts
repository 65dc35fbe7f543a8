import { mkdtemp, rm } from 'node:fs/promises'
import { tmpdir } from 'node:os'
import { join } from 'node:path'
import { ConfigError, describeError } from '../../core/errors.js'
import type { JobGraph } from '../../graph/job-graph.js'
import type { JobClient, JobResult, JobStatus } from '../../execution/job-client.js'
import { resolveCheckpointingOptions } from '../../checkpoint/checkpointing-options.js'
import { RestartBackoff, RestartStrategies, type RestartStrategy } from '../../checkpoint/restart-strategy.js'
import { CheckpointStorage, loadCheckpoint, type CompletedCheckpoint } from '../../checkpoint/storage/checkpoint-storage.js'
import { CheckpointError } from '../../checkpoint/storage/errors.js'
import { RUNTIME_MODE_CONFIG_KEY } from '../../graph/stream-graph.js'
import type { CheckpointingMode } from '../../checkpoint/checkpointing-options.js'
import type { TaskRestore } from './checkpoint-messages.js'
import { CheckpointCoordinator, type TaskGateway } from './checkpoint-coordinator.js'
import { JobCoordinator } from './coordinator.js'
import { loadStateBackend } from './services.js'
import { controlDirectory, watchControlRequests } from './control-requests.js'

/** One deployment of a job's tasks (the first run, or a restart). */
export interface Attempt {
  /** Resolves when every task has finished, rejects with the first task failure. */
  readonly done: Promise<void>
  readonly gateway: TaskGateway
  cancel(): void
  metrics(): Record<string, number>
}

/** Deploys the tasks of a job once, wired to this attempt's coordinator. */
export type DeployAttempt = (
  coordinator: JobCoordinator,
  checkpointing: { readonly mode: CheckpointingMode } | undefined,
  restore: TaskRestore | undefined,
) => Attempt

/** How a job is run beyond its graph. */
export interface JobRunOptions {
  /** A checkpoint or savepoint directory to start from (see {@link ExecutionOptions.restoreFrom}). */
  readonly restoreFrom?: string | undefined
  /** Start even if the checkpoint holds state of operators the job no longer has. */
  readonly allowNonRestoredState?: boolean | undefined
  /** Where the job reports checkpoint problems and restarts (default `console.warn`). */
  readonly log?: ((message: string) => void) | undefined
}

const sleep = (ms: number): Promise<void> => new Promise((r) => setTimeout(r, ms))

/** Checks that a checkpoint can restore this job: same maxParallelism, every operator's state has an operator. */
const checkRestorable = (jg: JobGraph, c: CompletedCheckpoint, allowNonRestoredState: boolean): void => {
  const graph = jg.streamGraph
  const m = c.metadata
  if (m.maxParallelism !== graph.maxParallelism)
    throw new ConfigError(
      `Checkpoint ${m.checkpointId} at ${c.path} was taken with maxParallelism ${m.maxParallelism}; job '${graph.jobName}' has ${graph.maxParallelism}. Keyed state is split into maxParallelism key groups, so it must stay the same.`,
    )
  if (allowNonRestoredState) return
  const uids = new Set(graph.nodes.map((n) => graph.uidOf(n)))
  const missing = m.operators.filter((o) => o.subtasks.length > 0 && !uids.has(o.uid))
  if (missing.length > 0)
    throw new ConfigError(
      `Checkpoint ${m.checkpointId} at ${c.path} holds state of operators job '${graph.jobName}' does not have: ${missing.map((o) => `'${o.name}' (uid '${o.uid}')`).join(', ')}. ` +
        `Give the operators their old uid(...), or start with allowNonRestoredState to drop that state.`,
    )
}

/**
 * Runs a job with checkpoints and recovery: picks the checkpoint to start from, deploys the tasks,
 * restarts them from the latest completed checkpoint by the restart strategy when one fails, and
 * commits two-phase-commit sinks.
 */
export const runJob = (jg: JobGraph, deploy: DeployAttempt, options: JobRunOptions = {}): JobClient => {
  const graph = jg.streamGraph
  const log = options.log ?? ((m: string) => console.warn(`[strom] ${m}`))
  const batch = graph.config.get(RUNTIME_MODE_CONFIG_KEY) === 'BATCH'
  const cpOptions = graph.checkpointing === undefined || batch ? undefined : resolveCheckpointingOptions(graph.checkpointing)
  const strategy: RestartStrategy = graph.restartStrategy ?? (cpOptions !== undefined ? RestartStrategies.exponentialDelay() : RestartStrategies.noRestart())
  const backoff = new RestartBackoff(strategy)
  const started = Date.now()
  let status: JobStatus = 'FINISHED'
  let current: Attempt | undefined
  let cancelled = false
  let stopping = false
  let wake: (() => void) | undefined
  let lastMetrics: Record<string, number> = {}
  let coordinatorRef: CheckpointCoordinator | undefined
  let temporaryStorage = false
  let ready!: () => void
  const readyPromise = new Promise<void>((r) => (ready = r))

  const finish = (s: JobStatus, cc: CheckpointCoordinator): JobResult => {
    status = s
    return {
      jobName: graph.jobName,
      status,
      durationMs: Date.now() - started,
      metrics: { ...lastMetrics, ...checkpointMetrics(graph.jobName, cc, backoff.restarts) },
      restarts: backoff.restarts,
      latestCheckpoint: cc.latest?.path,
    }
  }

  const result = (async (): Promise<JobResult> => {
    let storage: CheckpointStorage | undefined
    let temporary = false
    let tempBase: string | undefined
    let control: { stop(): void } | undefined
    if (cpOptions !== undefined) {
      if (cpOptions.directory === undefined) tempBase = await mkdtemp(join(tmpdir(), 'strom-checkpoints-'))
      const directory = cpOptions.directory ?? tempBase!
      temporary = cpOptions.directory === undefined
      temporaryStorage = temporary
      storage = new CheckpointStorage({ directory, jobName: graph.jobName, retained: cpOptions.retained })
    }
    await loadStateBackend(graph.config)
    try {
      // the checkpoint to start from: the newer of the latest in the directory and `restoreFrom`
      let restored = storage === undefined || temporary ? undefined : await storage.latest(log)
      if (options.restoreFrom !== undefined) {
        const given = await loadCheckpoint(options.restoreFrom)
        if (restored === undefined || given.metadata.checkpointId > restored.metadata.checkpointId) restored = given
      }
      if (restored !== undefined) checkRestorable(jg, restored, options.allowNonRestoredState ?? false)
      await storage?.removeLeftovers()
      const cc = new CheckpointCoordinator(jg, cpOptions, storage, restored, storage === undefined ? 1 : await storage.nextCheckpointId(), log)
      coordinatorRef = cc
      ready()
      // `strom savepoint` and other tools reach a job with a checkpoint directory through files
      control = storage === undefined || temporary ? undefined : watchControlRequests(controlDirectory(storage.jobDirectory), (r) => savepoint(r.directory, r.stop ?? false))
      try {
        if (restored?.metadata.finished === true) {
          // the job had finished: commit what its final checkpoint holds (again) and stop
          await cc.attach({ broadcast: () => {} }, new JobCoordinator(jg), () => {})
          cc.detach('finished')
          return finish('FINISHED', cc)
        }
        for (;;) {
          if (cancelled) return finish('CANCELED', cc)
          const latest = cc.latest
          const restore: TaskRestore | undefined = latest === undefined ? undefined : { path: latest.path, metadata: latest.metadata }
          const coordinator = new JobCoordinator(jg, cc)
          let fatal!: (e: unknown) => void
          const fatalPromise = new Promise<never>((_, reject) => (fatal = reject))
          fatalPromise.catch(() => {})
          const enumStates = new Map<string, unknown>((latest?.metadata.enumerators ?? []).map((e): [string, unknown] => [e.uid, e.state]))
          try {
            await cc.attach({ broadcast: (m) => current?.gateway.broadcast(m) }, coordinator, (e) => fatal(e))
            if (cancelled) return finish('CANCELED', cc)
            coordinator.start(enumStates)
            current = deploy(coordinator, cpOptions === undefined ? undefined : { mode: cpOptions.mode }, restore)
            await Promise.race([current.done, fatalPromise])
            lastMetrics = current.metrics()
            if (cancelled) {
              cc.detach('cancelled')
              return finish(stopping ? 'STOPPED' : 'CANCELED', cc)
            }
            cc.detach('finished')
            if (cc.allTasksFinished()) await cc.finishJob()
            return finish('FINISHED', cc)
          } catch (e) {
            const attempt = current
            attempt?.cancel()
            await attempt?.done.catch(() => {})
            if (attempt !== undefined) lastMetrics = attempt.metrics()
            cc.detach('failed')
            await cc.recover()
            if (cancelled) return finish(stopping ? 'STOPPED' : 'CANCELED', cc)
            const delay = backoff.onFailure(Date.now())
            if (delay === undefined) {
              if (strategy.kind !== 'none')
                log(`Job '${graph.jobName}' failed and its restart strategy (${strategy.kind}) allows no more restarts: ${describeError(e)}`)
              throw e
            }
            log(
              `Job '${graph.jobName}' failed (${describeError(e)}); restart ${backoff.restarts} in ${delay} ms from ${cc.latest === undefined ? 'the beginning' : `checkpoint ${cc.latest.metadata.checkpointId}`}.`,
            )
            await Promise.race([sleep(delay), new Promise<void>((r) => (wake = r))])
          } finally {
            coordinator.close()
          }
        }
      } finally {
        await cc.close()
      }
    } finally {
      control?.stop()
      if (temporary && storage !== undefined) await rm(tempBase!, { recursive: true, force: true, maxRetries: 3 }).catch(() => {})
    }
  })()

  const savepoint = async (directory: string | undefined, stop: boolean): Promise<string> => {
    await readyPromise
    const cc = coordinatorRef!
    if (!cc.enabled)
      throw new CheckpointError(`Job '${graph.jobName}' does not checkpoint: enable checkpointing to take savepoints.`)
    if (directory === undefined && temporaryStorage)
      throw new CheckpointError(
        `Job '${graph.jobName}' keeps its checkpoints in a temporary directory, removed when it ends: give the savepoint a directory, or the job a checkpoint directory.`,
      )
    const c = await cc.trigger('savepoint', directory, stop)
    if (stop) {
      stopping = true
      cancelled = true
      current?.cancel()
      wake?.()
    }
    return c.path
  }

  return {
    jobName: graph.jobName,
    result,
    cancel: () => {
      cancelled = true
      current?.cancel()
      wake?.()
    },
    metrics: () => {
      const m = current?.metrics() ?? lastMetrics
      return coordinatorRef === undefined ? m : { ...m, ...checkpointMetrics(graph.jobName, coordinatorRef, backoff.restarts) }
    },
    triggerSavepoint: (directory) => savepoint(directory, false),
    stopWithSavepoint: (directory) => savepoint(directory, true),
  }
}

const checkpointMetrics = (job: string, cc: CheckpointCoordinator, restarts: number): Record<string, number> => ({
  [`${job}.numberOfCompletedCheckpoints`]: cc.stats.completed,
  [`${job}.numberOfFailedCheckpoints`]: cc.stats.failed,
  [`${job}.lastCheckpointDuration`]: cc.stats.lastDurationMs,
  [`${job}.lastCheckpointSize`]: cc.stats.lastSizeBytes,
  [`${job}.numRestarts`]: restarts,
})

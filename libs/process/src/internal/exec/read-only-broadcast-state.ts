import { StateError } from '@strom/runtime'
import type { BroadcastState, OperatorStateStore, MapStateDescriptor, ReadOnlyBroadcastState } from '@strom/runtime'

/**
 * A read-only view of broadcast state for the non-broadcast side. Writes (reachable only through a
 * cast) throw a clear error instead of silently making the subtasks' copies differ.
 */
export class ReadOnlyBroadcastStateView<K, V> implements ReadOnlyBroadcastState<K, V> {
  constructor(
    private readonly state: BroadcastState<K, V>,
    private readonly name: string,
  ) {}

  get(key: K): V | undefined {
    return this.state.get(key)
  }

  contains(key: K): boolean {
    return this.state.contains(key)
  }

  entries(): Iterable<readonly [K, V]> {
    return this.state.entries()
  }

  get size(): number {
    return this.state.size
  }

  put(_key: K, _value: V): never {
    throw this.readOnly()
  }

  putAll(_entries: Iterable<readonly [K, V]>): never {
    throw this.readOnly()
  }

  remove(_key: K): never {
    throw this.readOnly()
  }

  clear(): never {
    throw this.readOnly()
  }

  private readOnly(): StateError {
    return new StateError(
      `Broadcast state '${this.name}' is read-only on the non-broadcast side: ` +
        'update it in processBroadcastElement, so that every subtask keeps the same copy.',
    )
  }
}

/** Hands out broadcast state, read-write or as cached read-only views. */
export class BroadcastStateAccess {
  private readonly views = new Map<string, ReadOnlyBroadcastStateView<unknown, unknown>>()

  constructor(private readonly store: OperatorStateStore) {}

  readWrite<K, V>(descriptor: MapStateDescriptor<K, V>): BroadcastState<K, V> {
    return this.store.getBroadcastState(descriptor)
  }

  readOnly<K, V>(descriptor: MapStateDescriptor<K, V>): ReadOnlyBroadcastState<K, V> {
    let view = this.views.get(descriptor.name)
    if (view === undefined) {
      view = new ReadOnlyBroadcastStateView(this.store.getBroadcastState(descriptor), descriptor.name) as ReadOnlyBroadcastStateView<unknown, unknown>
      this.views.set(descriptor.name, view)
    }
    return view as ReadOnlyBroadcastStateView<K, V>
  }
}

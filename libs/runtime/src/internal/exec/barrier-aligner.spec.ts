import { describe, expect, it } from 'vitest'
import { BarrierAligner } from './barrier-aligner.js'

const setup = (channels: number, mode: 'EXACTLY_ONCE' | 'AT_LEAST_ONCE') => {
  const blocked = new Set<number>()
  const snapshots: number[] = []
  let unblocks = 0
  const aligner = new BarrierAligner(
    {
      numChannels: channels,
      block: (c) => void blocked.add(c),
      unblockAll: () => {
        blocked.clear()
        unblocks++
      },
    },
    mode,
    (id) => snapshots.push(id),
  )
  return { aligner, blocked, snapshots, unblocks: () => unblocks }
}

describe('BarrierAligner', () => {
  it('EXACTLY_ONCE blocks each channel from its barrier until all channels delivered it', () => {
    const t = setup(3, 'EXACTLY_ONCE')
    t.aligner.onBarrier(1, 5)
    expect([...t.blocked]).toEqual([1])
    t.aligner.onBarrier(0, 5)
    expect([...t.blocked].sort()).toEqual([0, 1])
    expect(t.snapshots).toEqual([])
    t.aligner.onBarrier(2, 5)
    expect(t.snapshots).toEqual([5])
    expect(t.blocked.size).toBe(0)
  })

  it('AT_LEAST_ONCE never blocks and snapshots at the last barrier', () => {
    const t = setup(2, 'AT_LEAST_ONCE')
    t.aligner.onBarrier(0, 1)
    expect(t.blocked.size).toBe(0)
    t.aligner.onBarrier(1, 1)
    expect(t.snapshots).toEqual([1])
  })

  it('an ended channel no longer holds an alignment back', () => {
    const t = setup(2, 'EXACTLY_ONCE')
    t.aligner.onBarrier(0, 3)
    t.aligner.onChannelEnded(1)
    expect(t.snapshots).toEqual([3])
    t.aligner.onBarrier(0, 4)
    expect(t.snapshots).toEqual([3, 4])
  })

  it('a newer barrier abandons the alignment of an older checkpoint; stale barriers are ignored', () => {
    const t = setup(2, 'EXACTLY_ONCE')
    t.aligner.onBarrier(0, 7)
    t.aligner.onBarrier(0, 8) // 7 was aborted upstream: 8 arrives on the same channel
    expect(t.aligner.aligning).toBe(8)
    t.aligner.onBarrier(1, 7) // late barrier of the abandoned checkpoint
    expect(t.snapshots).toEqual([])
    t.aligner.onBarrier(1, 8)
    expect(t.snapshots).toEqual([8])
    t.aligner.onBarrier(0, 8) // a duplicate after completion
    expect(t.snapshots).toEqual([8])
  })
})

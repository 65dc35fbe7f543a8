import { describe, expect, it } from 'vitest'
import { parseArgs, parseCount } from './args.js'

describe('bench arguments', () => {
  it('has defaults', () => {
    expect(parseArgs([])).toEqual({ scenarios: [], events: undefined, keys: undefined, rounds: 5, warmup: 1, parallel: true, only: [], json: false, help: false })
  })

  it('reads every flag, with a separate or an inline value', () => {
    const a = parseArgs(['--json', '--events', '10m', '--scenario=keyed-sum', '--keys', '100_000', '--rounds', '3', '--warmup=0', '--no-parallel', '--only', 'hand,engine'])
    expect(a).toEqual({ scenarios: ['keyed-sum'], events: 10_000_000, keys: 100_000, rounds: 3, warmup: 0, parallel: false, only: ['hand', 'engine'], json: true, help: false })
  })

  it('takes bare words for scenario names', () => {
    expect(parseArgs(['checkpoints', '--events', '1m', 'windows']).scenarios).toEqual(['checkpoints', 'windows'])
  })

  it('reads counts in several notations', () => {
    expect(parseCount('5000000', 'n')).toBe(5_000_000)
    expect(parseCount('5_000_000', 'n')).toBe(5_000_000)
    expect(parseCount('5e6', 'n')).toBe(5_000_000)
    expect(parseCount('2.5m', 'n')).toBe(2_500_000)
    expect(parseCount('500k', 'n')).toBe(500_000)
    expect(() => parseCount('1.5', '--events')).toThrow(/--events must be a non-negative integer, got '1.5'/)
    expect(() => parseCount('lots', '--events')).toThrow(/got 'lots'/)
  })

  it('rejects unknown arguments and missing values', () => {
    expect(() => parseArgs(['--fast'])).toThrow(/Unknown argument '--fast'/)
    expect(() => parseArgs(['--events'])).toThrow(/--events needs a value/)
    expect(() => parseArgs(['--rounds', '0'])).toThrow(/--rounds must be at least 1/)
  })
})

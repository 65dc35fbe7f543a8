import { describe, expect, it } from 'vitest'
import { DEFAULT_RATE, jobParamsFor, parseArgs } from './args.js'
import { DEFAULT_CLICK_STREAM, expectedClicksPerUser } from './clicks.js'

describe('the command line', () => {
  it('has defaults: 200,000 clicks/s, 10,000 users, parallelism 1, endless', () => {
    expect(parseArgs([])).toEqual({ rate: DEFAULT_RATE, users: 10_000, parallelism: 1, seconds: undefined, count: undefined, seed: 42, sample: 3, checkpointInterval: 1000, checkpointDir: undefined, help: false })
  })

  it('reads every option, as --flag value or --flag=value, in several number formats', () => {
    expect(
      parseArgs(['--rate', '50k', '--users=2_000', '--parallelism', '2', '--seconds', '1.5', '--count', '1e6', '--seed', '7', '--sample', '0', '--checkpoint-interval', '250', '--checkpoint-dir=/tmp/cp']),
    ).toEqual({
      rate: 50_000,
      users: 2_000,
      parallelism: 2,
      seconds: 1.5,
      count: 1_000_000,
      seed: 7,
      sample: 0,
      checkpointInterval: 250,
      checkpointDir: '/tmp/cp',
      help: false,
    })
    expect(jobParamsFor(parseArgs(['--checkpoint-interval=250', '--checkpoint-dir', '/tmp/cp'])).checkpoint).toEqual({ intervalMs: 250, directory: '/tmp/cp' })
    expect(jobParamsFor(parseArgs(['--checkpoint-interval', '0'])).checkpoint).toBeUndefined()
    expect(parseArgs(['--rate', 'max', '-p', '4', '--help'])).toMatchObject({ rate: 'max', parallelism: 4, help: true })
  })

  it('names the bad argument', () => {
    expect(() => parseArgs(['--rate', 'fast'])).toThrow("--rate needs a number, got 'fast'.")
    expect(() => parseArgs(['--rate', '0'])).toThrow("--rate needs a positive number or 'max', got '0'.")
    expect(() => parseArgs(['--users', '0'])).toThrow("--users needs an integer in [1, 10,000,000], got '0'.")
    expect(() => parseArgs(['--parallelism', '1.5'])).toThrow('--parallelism needs an integer')
    expect(() => parseArgs(['--seconds'])).toThrow('--seconds needs a value.')
    expect(() => parseArgs(['--speed', '3'])).toThrow("Unknown argument '--speed'.")
  })

  it('derives job parameters: event time at the rate, sessions and bursts that suit it', () => {
    const p = jobParamsFor(parseArgs(['--rate', '20000', '--users', '5000', '-p', '2']))
    expect(p).toMatchObject({ parallelism: 2, rowsPerSecond: 20_000, output: 'live' })
    expect(p.count).toBeUndefined()
    expect(p.clicks).toEqual({ ...DEFAULT_CLICK_STREAM, users: 5_000, eventsPerSecond: 20_000 })
    const perUser = expectedClicksPerUser(p.clicks, 1_000) // ~15.8 clicks/s per active user
    expect(p.session).toEqual({ gapMs: 1_000, burstWindowMs: 1_000, burstClicks: Math.ceil(4 * perUser) })
    // as fast as possible: no rate limit, event time at the default rate
    const max = jobParamsFor(parseArgs(['--rate', 'max']))
    expect(max.rowsPerSecond).toBeUndefined()
    expect(max.clicks.eventsPerSecond).toBe(DEFAULT_RATE)
    // few clicks per user: a longer gap, and bouts of at least 5 gaps
    const slow = jobParamsFor(parseArgs(['--rate', '1000']))
    expect(slow.session.gapMs).toBeGreaterThan(1_000)
    expect(slow.clicks.epochMs).toBe(5 * slow.session.gapMs)
  })
})

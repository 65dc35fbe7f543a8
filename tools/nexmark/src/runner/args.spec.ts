import * as E from 'fp-ts/lib/Either.js'
import { describe, expect, it } from 'vitest'
import { NEXMARK_QUERIES } from '../sql/queries.js'
import { parseArgs } from './args.js'

describe('npm run nexmark arguments', () => {
  it('defaults to every SQL query, 10M events, parallelism 1, no checkpoints', () => {
    expect(parseArgs([])).toEqual(E.right({ queries: [...NEXMARK_QUERIES], apis: ['sql'], events: 10_000_000, parallelism: 1, checkpointMs: undefined, latencyRate: undefined, latencySeconds: 60, json: false }))
  })

  it('reads the issue’s example and the count and duration forms', () => {
    const r = parseArgs(['--query', 'q5', '--events', '10000000', '--parallelism', '2', '--checkpoint', '10s'])
    expect(r).toMatchObject(E.right({ queries: ['q5'], events: 10_000_000, parallelism: 2, checkpointMs: 10_000 }))
    expect(parseArgs(['--events=1e7', '--checkpoint=500ms', '--query=Q1,q7'])).toMatchObject(E.right({ events: 10_000_000, checkpointMs: 500, queries: ['q1', 'q7'] }))
    expect(parseArgs(['--events', '10M', '--checkpoint', '1min'])).toMatchObject(E.right({ events: 10_000_000, checkpointMs: 60_000 }))
    expect(parseArgs(['--events', '10_000_000'])).toMatchObject(E.right({ events: 10_000_000 }))
  })

  it('runs the DataStream versions only for q0-q8, and latency mode on q1 and q8 by default', () => {
    expect(parseArgs(['--api', 'both', '--query', 'q8,q9'])).toMatchObject(E.right({ queries: ['q8', 'q9'], apis: ['sql', 'datastream'] }))
    expect(parseArgs(['--api', 'datastream'])).toMatchObject(E.right({ queries: ['q0', 'q1', 'q2', 'q3', 'q4', 'q5', 'q6', 'q7', 'q8'] }))
    expect(parseArgs(['--latency'])).toMatchObject(E.right({ queries: ['q1', 'q8'], latencyRate: 100_000 }))
    expect(parseArgs(['--rate', '50k', '--seconds', '5'])).toMatchObject(E.right({ latencyRate: 50_000, latencySeconds: 5 }))
  })

  it('reports every problem at once, naming the option', () => {
    expect(parseArgs(['--query', 'q23,q1', '--events', 'many', '--checkpoint', 'often', '--api', 'flink', '--frobnicate', '--parallelism'])).toEqual(
      E.left([
        "Unknown query 'q23': the suite has q0-q22.",
        "--events expects a number such as 10000000, 1e7 or 10M, got 'many'.",
        "--checkpoint expects a duration such as 10s, 500ms or 1min, got 'often'.",
        "--api expects sql, datastream or both, got 'flink'.",
        "Unknown option '--frobnicate'.",
        '--parallelism needs a value.',
      ]),
    )
    expect(parseArgs(['--api', 'datastream', '--query', 'q12'])).toEqual(E.left(['The DataStream API versions exist for q0-q8 only, not q12.']))
  })
})

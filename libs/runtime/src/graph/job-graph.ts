import type { StreamEdge, StreamGraph, StreamNode } from './stream-graph.js'

/**
 * A vertex of the job graph: a chain of stream nodes that run in one task per subtask, calling
 * each other directly.
 *
 * @category Graph
 * @since 0.1.0
 */
export interface JobVertex {
  readonly id: number
  /** The chained nodes in topological order; the first is the head, fed by the network inputs. */
  readonly nodes: readonly StreamNode[]
  readonly parallelism: number
  /** Network edges into the head. */
  readonly inputs: readonly JobEdge[]
  /** Network edges out of any node of the chain. */
  readonly outputs: readonly JobEdge[]
}

/**
 * A network edge between two job vertices.
 *
 * @category Graph
 * @since 0.1.0
 */
export interface JobEdge {
  /** The edge's index in the job graph. */
  readonly id: number
  readonly edge: StreamEdge
  readonly sourceVertex: number
  readonly targetVertex: number
}

/**
 * The physical plan: vertices (chains) and network edges.
 *
 * @category Graph
 * @since 0.1.0
 */
export interface JobGraph {
  readonly streamGraph: StreamGraph
  readonly vertices: readonly JobVertex[]
  readonly edges: readonly JobEdge[]
  /** The vertex each stream node belongs to. */
  readonly vertexOfNode: readonly number[]
}

/**
 * Whether an edge can be chained: the records can be handed over by a direct call.
 *
 * @remarks
 * As in Flink: a forward edge between operators of equal parallelism, into an operator with no
 * other input, neither side refusing chaining. Strom also chains any edge between two operators of
 * parallelism 1, where every partitioner sends everything to the one subtask anyway.
 *
 * @category Graph
 * @since 0.1.0
 */
export const isChainable = (graph: StreamGraph, edge: StreamEdge): boolean => {
  const up = graph.node(edge.source)
  const down = graph.node(edge.target)
  return (
    down.spec.kind !== 'source' &&
    up.parallelism === down.parallelism &&
    (edge.partitioner.kind === 'forward' || up.parallelism === 1) &&
    up.chaining !== 'never' &&
    down.chaining === 'always' &&
    graph.inEdges(down.id).length === 1
  )
}

/**
 * Turns a (validated) stream graph into a job graph by chaining.
 *
 * @category Graph
 * @since 0.1.0
 */
export const buildJobGraph = (graph: StreamGraph): JobGraph => {
  const vertexOfNode: number[] = []
  const chains: StreamNode[][] = []
  for (const node of graph.nodes) {
    const ins = graph.inEdges(node.id)
    const only = ins.length === 1 ? ins[0] : undefined
    if (only !== undefined && isChainable(graph, only)) {
      const v = vertexOfNode[only.source]!
      vertexOfNode[node.id] = v
      chains[v]!.push(node)
    } else {
      vertexOfNode[node.id] = chains.length
      chains.push([node])
    }
  }
  const edges: JobEdge[] = []
  for (const e of graph.edges) {
    const sv = vertexOfNode[e.source]!
    const tv = vertexOfNode[e.target]!
    if (sv !== tv) edges.push({ id: edges.length, edge: e, sourceVertex: sv, targetVertex: tv })
  }
  const vertices = chains.map(
    (nodes, id): JobVertex => ({
      id,
      nodes,
      parallelism: nodes[0]!.parallelism,
      inputs: edges.filter((e) => e.targetVertex === id),
      outputs: edges.filter((e) => e.sourceVertex === id),
    }),
  )
  return { streamGraph: graph, vertices, edges, vertexOfNode }
}

/**
 * A one-line-per-vertex description of the job graph, for logs and EXPLAIN.
 *
 * @category Graph
 * @since 0.1.0
 */
export const describeJobGraph = (jg: JobGraph): string => {
  const graph = jg.streamGraph
  return jg.vertices
    .map((v) => {
      const inChain = new Set(v.nodes.map((n) => n.id))
      // a straight chain reads `a -> b -> c`; where a node feeds several chained nodes (fan-out,
      // side outputs) its successors are listed in braces: `a -> { b, c[late] }`
      const render = (id: number): string => {
        const next = graph.edges.filter((e) => e.source === id && inChain.has(e.target))
        const name = graph.node(id).name
        if (next.length === 0) return name
        const parts = next.map((e) => `${e.sideOutput ? `[${e.sideOutput}] ` : ''}${render(e.target)}`)
        return next.length === 1 ? `${name} -> ${parts[0]}` : `${name} -> { ${parts.join(', ')} }`
      }
      const outs = v.outputs
        .map((o) => `${o.edge.partitioner.kind}${o.edge.sideOutput ? `[${o.edge.sideOutput}]` : ''} -> vertex ${o.targetVertex}`)
        .join(', ')
      return `vertex ${v.id} (parallelism ${v.parallelism}): ${render(v.nodes[0]!.id)}${outs ? `  => ${outs}` : ''}`
    })
    .join('\n')
}

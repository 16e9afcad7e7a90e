/**
 * A directed graph in compressed sparse rows (typed arrays: 16 bytes an edge) and one-to-all
 * Dijkstra on a binary heap. Built for road networks of a county (10⁵–10⁶ vertices), where a
 * graph library of objects is two orders of magnitude slower (real-data-import.md §0).
 */

export interface Edge {
  from: number;
  to: number;
  /** What the search minimises (minutes, say). */
  cost: number;
  /** Carried along the cheapest path (kilometres, say). */
  length: number;
}

/** Edges as columns (typed arrays of one length): a million edges without a million objects. */
export interface EdgeColumns {
  from: Uint32Array;
  to: Uint32Array;
  cost: Float64Array;
  length: Float64Array;
}

function columns(list: readonly Edge[]): EdgeColumns {
  return {
    from: Uint32Array.from(list, (e) => (e.from >= 0 ? e.from : 0xffffffff)),
    to: Uint32Array.from(list, (e) => (e.to >= 0 ? e.to : 0xffffffff)),
    cost: Float64Array.from(list, (e) => e.cost),
    length: Float64Array.from(list, (e) => e.length),
  };
}

export class CsrGraph {
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
  readonly costs: Float64Array;
  readonly lengths: Float64Array;
  /** Each slot's edge as given (its index in the input order). */
  readonly edgeIds: Uint32Array;

  constructor(
    readonly vertices: number,
    edges: Iterable<Edge> | EdgeColumns,
  ) {
    const c = 'from' in edges && ArrayBuffer.isView(edges.from) ? (edges as EdgeColumns) : columns([...(edges as Iterable<Edge>)]);
    const m = c.from.length;
    this.offsets = new Uint32Array(vertices + 1);
    for (let i = 0; i < m; i++) {
      const [from, to, cost] = [c.from[i]!, c.to[i]!, c.cost[i]!];
      if (!(from >= 0 && from < vertices && to >= 0 && to < vertices))
        throw new RangeError(`edge ${from}->${to} outside 0..${vertices - 1}`);
      if (!(cost >= 0)) throw new RangeError(`edge ${from}->${to}: cost ${cost} is not a number >= 0`);
      this.offsets[from + 1]!++;
    }
    for (let v = 0; v < vertices; v++) this.offsets[v + 1]! += this.offsets[v]!;
    this.targets = new Uint32Array(m);
    this.costs = new Float64Array(m);
    this.lengths = new Float64Array(m);
    this.edgeIds = new Uint32Array(m);
    const next = this.offsets.slice(0, vertices);
    for (let i = 0; i < m; i++) {
      const k = next[c.from[i]!]!++;
      this.targets[k] = c.to[i]!;
      this.costs[k] = c.cost[i]!;
      this.lengths[k] = c.length[i]!;
      this.edgeIds[k] = i;
    }
  }

  /**
   * Cheapest cost from `source` to every vertex (Infinity where unreachable), the length along
   * that path and each vertex's predecessor on it (−1 at the source and where unreachable). Ties
   * go to the vertex reached first, so the paths depend only on the edge order. `via` is the edge
   * (its input index) that reaches each vertex, for parallel edges of different geometry.
   */
  shortestFrom(source: number): { cost: Float64Array; length: Float64Array; previous: Int32Array; via: Int32Array } {
    const n = this.vertices;
    const cost = new Float64Array(n).fill(Infinity);
    const length = new Float64Array(n).fill(Infinity);
    const previous = new Int32Array(n).fill(-1);
    const via = new Int32Array(n).fill(-1);
    const done = new Uint8Array(n);
    const heap = new Heap();
    cost[source] = 0;
    length[source] = 0;
    heap.push(source, 0);
    while (heap.size > 0) {
      const v = heap.pop();
      if (done[v]) continue;
      done[v] = 1;
      for (let k = this.offsets[v]!; k < this.offsets[v + 1]!; k++) {
        const w = this.targets[k]!;
        const c = cost[v]! + this.costs[k]!;
        if (c < cost[w]!) {
          cost[w] = c;
          length[w] = length[v]! + this.lengths[k]!;
          previous[w] = v;
          via[w] = this.edgeIds[k]!;
          heap.push(w, c);
        }
      }
    }
    return { cost, length, previous, via };
  }
}

/** The vertices from `source` to `target` along `previous` (empty when unreachable). */
export function pathTo(previous: Int32Array, source: number, target: number): number[] {
  const path: number[] = [];
  for (let v = target; v !== -1; v = previous[v]!) {
    path.push(v);
    if (v === source) return path.reverse();
    if (path.length > previous.length) break;
  }
  return [];
}

/** A binary min-heap of (vertex, key) with lazy deletion. */
class Heap {
  private ids: number[] = [];
  private keys: number[] = [];
  get size(): number {
    return this.ids.length;
  }
  push(id: number, key: number): void {
    let i = this.ids.length;
    this.ids.push(id);
    this.keys.push(key);
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (this.keys[p]! <= key) break;
      this.ids[i] = this.ids[p]!;
      this.keys[i] = this.keys[p]!;
      i = p;
    }
    this.ids[i] = id;
    this.keys[i] = key;
  }
  pop(): number {
    const top = this.ids[0]!;
    const id = this.ids.pop()!;
    const key = this.keys.pop()!;
    const n = this.ids.length;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const r = l + 1;
        const c = r < n && this.keys[r]! < this.keys[l]! ? r : l;
        if (this.keys[c]! >= key) break;
        this.ids[i] = this.ids[c]!;
        this.keys[i] = this.keys[c]!;
        i = c;
      }
      this.ids[i] = id;
      this.keys[i] = key;
    }
    return top;
  }
}

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

export class CsrGraph {
  readonly offsets: Uint32Array;
  readonly targets: Uint32Array;
  readonly costs: Float64Array;
  readonly lengths: Float64Array;

  constructor(
    readonly vertices: number,
    edges: Iterable<Edge>,
  ) {
    const list = [...edges];
    this.offsets = new Uint32Array(vertices + 1);
    for (const e of list) {
      if (!(e.from >= 0 && e.from < vertices && e.to >= 0 && e.to < vertices))
        throw new RangeError(`edge ${e.from}->${e.to} outside 0..${vertices - 1}`);
      if (!(e.cost >= 0)) throw new RangeError(`edge ${e.from}->${e.to}: cost ${e.cost} is not a number >= 0`);
      this.offsets[e.from + 1]!++;
    }
    for (let v = 0; v < vertices; v++) this.offsets[v + 1]! += this.offsets[v]!;
    this.targets = new Uint32Array(list.length);
    this.costs = new Float64Array(list.length);
    this.lengths = new Float64Array(list.length);
    const next = this.offsets.slice(0, vertices);
    for (const e of list) {
      const k = next[e.from]!++;
      this.targets[k] = e.to;
      this.costs[k] = e.cost;
      this.lengths[k] = e.length;
    }
  }

  /**
   * Cheapest cost from `source` to every vertex (Infinity where unreachable), the length along
   * that path and each vertex's predecessor on it (−1 at the source and where unreachable). Ties
   * go to the vertex reached first, so the paths depend only on the edge order.
   */
  shortestFrom(source: number): { cost: Float64Array; length: Float64Array; previous: Int32Array } {
    const n = this.vertices;
    const cost = new Float64Array(n).fill(Infinity);
    const length = new Float64Array(n).fill(Infinity);
    const previous = new Int32Array(n).fill(-1);
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
          heap.push(w, c);
        }
      }
    }
    return { cost, length, previous };
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

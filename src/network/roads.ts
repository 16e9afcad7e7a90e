/**
 * The road network between zone centres: links with length and speed that close when flooded.
 * Travel times are shortest paths (Floyd–Warshall; districts have tens of zones, so all pairs at
 * once is cheaper than repeated Dijkstra) under the current closures and a vehicle speed cap,
 * cached until the closures change.
 */
export interface RoadLink {
  readonly from: number;
  readonly to: number;
  readonly lengthKm: number;
  readonly speedKmh: number;
}

export class RoadNetwork {
  private readonly open: boolean[];
  /** How many events currently hold each link closed (floods can overlap in a simulated year). */
  private readonly closures: number[];
  /** Share of each closed link's length under water (boats cross only that part by water). */
  private readonly wetShare: number[];
  /** Matrices by vehicle speed, then by the speed across closed links (0: impassable). */
  private readonly cache = new Map<number, Map<number, Float64Array>>();

  constructor(
    readonly zoneCount: number,
    readonly links: readonly RoadLink[],
  ) {
    this.open = links.map(() => true);
    this.closures = links.map(() => 0);
    this.wetShare = links.map(() => 1);
  }

  /** One more event closes the link, with `wetShare` of its length under water. */
  close(link: number, wetShare: number): void {
    this.closures[link]!++;
    if (this.closures[link] === 1 || wetShare > this.wetShare[link]!) this.setOpen(link, false, wetShare);
  }

  /** One event releases the link; it opens when no event holds it any more. */
  release(link: number): void {
    if (this.closures[link]! > 0) this.closures[link]!--;
    if (this.closures[link] === 0) this.setOpen(link, true);
  }

  private setOpen(link: number, isOpen: boolean, wetShare = 1): void {
    if (this.open[link] === isOpen && (isOpen || this.wetShare[link] === wetShare)) return;
    this.open[link] = isOpen;
    this.wetShare[link] = wetShare;
    this.cache.clear();
  }

  /**
   * Minutes from zone a to zone b for a vehicle capped at `speedKmh`; Infinity if cut off.
   * With `closedSpeedKmh` > 0, closed links remain usable by boats on trailers: the dry part at
   * road speed, the wet part at `closedSpeedKmh`.
   */
  minutes(a: number, b: number, speedKmh: number, closedSpeedKmh = 0): number {
    if (a === b) return 0;
    return this.matrix(speedKmh, closedSpeedKmh)[a * this.zoneCount + b]!;
  }

  /** All-pairs minutes, row-major (zone a's row starts at a · zoneCount); do not modify. */
  matrix(speedKmh: number, closedSpeedKmh = 0): Float64Array {
    // Keyed by both speeds apart: an unlimited speed (Infinity) must not merge them.
    let bySpeed = this.cache.get(speedKmh);
    if (!bySpeed) {
      bySpeed = new Map();
      this.cache.set(speedKmh, bySpeed);
    }
    let m = bySpeed.get(closedSpeedKmh);
    if (m) return m;
    const n = this.zoneCount;
    m = new Float64Array(n * n).fill(Infinity);
    for (let i = 0; i < n; i++) m[i * n + i] = 0;
    this.links.forEach((l, k) => {
      const road = Math.min(l.speedKmh, speedKmh);
      let t: number;
      if (this.open[k]) t = (l.lengthKm / road) * 60;
      else if (closedSpeedKmh > 0) {
        const wet = this.wetShare[k]!;
        t = ((l.lengthKm * (1 - wet)) / road + (l.lengthKm * wet) / closedSpeedKmh) * 60;
      } else return;
      if (t < m![l.from * n + l.to]!) {
        m![l.from * n + l.to] = t;
        m![l.to * n + l.from] = t;
      }
    });
    for (let k = 0; k < n; k++) {
      for (let i = 0; i < n; i++) {
        const ik = m[i * n + k]!;
        if (ik === Infinity) continue;
        for (let j = 0; j < n; j++) {
          const via = ik + m[k * n + j]!;
          if (via < m[i * n + j]!) m[i * n + j] = via;
        }
      }
    }
    bySpeed.set(closedSpeedKmh, m);
    return m;
  }
}

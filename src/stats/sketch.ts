/**
 * A mergeable quantile sketch: a sparse histogram with logarithmic bins of relative width
 * γ = 1.01 (the DDSketch construction, Masson, Rim & Lee 2019, VLDB 12(12)). A quantile is
 * reported as the bin's geometric midpoint, so its relative error is at most (γ−1)/(γ+1) ≈ 0.5%;
 * zeros are counted exactly. Counts are integers, so merging is exact and order-independent.
 * Values must be >= 0 (all of dsim's KPIs are).
 */
const GAMMA = 1.01;
const LOG_GAMMA = Math.log(GAMMA);

export const SKETCH_RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1);

export class QuantileSketch {
  count = 0;
  zeros = 0;
  private readonly bins = new Map<number, number>();

  add(x: number, weight = 1): void {
    if (!(x >= 0) || x === Infinity) throw new Error(`sketch: value must be finite and >= 0, got ${x}`);
    this.count += weight;
    if (x === 0) {
      this.zeros += weight;
      return;
    }
    const k = Math.ceil(Math.log(x) / LOG_GAMMA);
    this.bins.set(k, (this.bins.get(k) ?? 0) + weight);
  }

  toData(): { count: number; zeros: number; bins: [number, number][] } {
    return { count: this.count, zeros: this.zeros, bins: [...this.bins].sort((a, b) => a[0] - b[0]) };
  }

  static fromData(d: { count: number; zeros: number; bins: [number, number][] }): QuantileSketch {
    const s = new QuantileSketch();
    s.count = d.count;
    s.zeros = d.zeros;
    for (const [k, c] of d.bins) s.bins.set(k, c);
    return s;
  }

  merge(o: QuantileSketch): void {
    this.count += o.count;
    this.zeros += o.zeros;
    for (const [k, c] of o.bins) this.bins.set(k, (this.bins.get(k) ?? 0) + c);
  }

  /** The q-quantile (0 <= q <= 1): the value of rank ceil(q·n) (lower nearest rank). */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * this.count));
    if (rank <= this.zeros) return 0;
    let seen = this.zeros;
    const keys = [...this.bins.keys()].sort((a, b) => a - b);
    for (const k of keys) {
      seen += this.bins.get(k)!;
      if (seen >= rank) return (2 * Math.pow(GAMMA, k)) / (GAMMA + 1);
    }
    return (2 * Math.pow(GAMMA, keys[keys.length - 1]!)) / (GAMMA + 1);
  }

  /** Share of values <= x (exact at bin edges, conservative in between). */
  shareAtMost(x: number): number {
    if (this.count === 0) return NaN;
    let n = this.zeros;
    if (x > 0) {
      const kx = Math.ceil(Math.log(x) / LOG_GAMMA);
      for (const [k, c] of this.bins) if (k < kx || (k === kx && Math.pow(GAMMA, k) <= x)) n += c;
    }
    return n / this.count;
  }
}

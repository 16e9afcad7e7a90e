/**
 * A mergeable quantile sketch: a sparse histogram with logarithmic bins of relative width
 * γ = 1.01 (the DDSketch construction, Masson, Rim & Lee 2019, VLDB 12(12)). A quantile is
 * reported as the bin's geometric midpoint, so its relative error is at most (γ−1)/(γ+1) ≈ 0.5%;
 * zeros are counted exactly. Counts are integers, so merging is exact and order-independent.
 * Bins live in a dense array around the occupied range (KPIs span a few thousand bins at most).
 * Values must be >= 0 (all of dsim's KPIs are).
 */
/** Ratio of a bin's upper to lower edge. */
export const GAMMA = 1.01;
const LOG_GAMMA = Math.log(GAMMA);

export const SKETCH_RELATIVE_ERROR = (GAMMA - 1) / (GAMMA + 1);

/**
 * The 1-based rank, among n values sorted from the lowest, of the q-quantile (the inverse of the
 * empirical distribution: ⌈q·n⌉, at least 1). The sketch, the exact extremes and the
 * representative replications all rank by it, so they name the same value.
 */
export function quantileRank(q: number, n: number): number {
  return Math.max(1, Math.ceil(q * n));
}

export class QuantileSketch {
  count = 0;
  zeros = 0;
  /** Counts of bins offset..offset+counts.length−1 (bin k holds (γ^(k−1), γ^k]). */
  private counts = new Float64Array(0);
  private offset = 0;

  add(x: number, weight = 1): void {
    if (!(x >= 0) || x === Infinity) throw new Error(`sketch: value must be finite and >= 0, got ${x}`);
    this.count += weight;
    if (x === 0) {
      this.zeros += weight;
      return;
    }
    const i = this.index(Math.ceil(Math.log(x) / LOG_GAMMA));
    this.counts[i] = this.counts[i]! + weight;
  }

  /** `add(xs[i])` for i = 0 … n−1. */
  addAll(xs: Float64Array, n: number): void {
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      if (!(x >= 0) || x === Infinity) throw new Error(`sketch: value must be finite and >= 0, got ${x}`);
      if (x === 0) this.zeros++;
      else {
        const j = this.index(Math.ceil(Math.log(x) / LOG_GAMMA));
        this.counts[j] = this.counts[j]! + 1;
      }
    }
    this.count += n;
  }

  /** Index of bin k in `counts`, widening the array when k falls outside it. */
  private index(k: number): number {
    const i = k - this.offset;
    return i >= 0 && i < this.counts.length ? i : this.grow(k);
  }

  /** Widens the bin array to hold bin k (with room to spare); returns k's index. */
  private grow(k: number): number {
    const n = this.counts.length;
    if (n === 0) {
      this.offset = k - 64;
      this.counts = new Float64Array(128);
      return 64;
    }
    const lo = Math.min(this.offset, k - 64);
    const hi = Math.max(this.offset + n, k + 65);
    const next = new Float64Array(hi - lo);
    next.set(this.counts, this.offset - lo);
    this.counts = next;
    this.offset = lo;
    return k - lo;
  }

  private *bins(): Generator<[number, number]> {
    for (let i = 0; i < this.counts.length; i++) if (this.counts[i]! > 0) yield [this.offset + i, this.counts[i]!];
  }

  toData(): { count: number; zeros: number; bins: [number, number][] } {
    return { count: this.count, zeros: this.zeros, bins: [...this.bins()] };
  }

  static fromData(d: { count: number; zeros: number; bins: [number, number][] }): QuantileSketch {
    const s = new QuantileSketch();
    for (const [k, c] of d.bins) {
      const i = s.index(k);
      s.counts[i] = s.counts[i]! + c;
    }
    s.count = d.count;
    s.zeros = d.zeros;
    return s;
  }

  merge(o: QuantileSketch): void {
    this.count += o.count;
    this.zeros += o.zeros;
    for (const [k, c] of o.bins()) {
      const i = this.index(k);
      this.counts[i] = this.counts[i]! + c;
    }
  }

  /** The q-quantile (0 <= q <= 1): the value of rank ceil(q·n) (lower nearest rank). */
  quantile(q: number): number {
    if (this.count === 0) return NaN;
    const rank = quantileRank(q, this.count);
    if (rank <= this.zeros) return 0;
    let seen = this.zeros;
    let last = NaN;
    for (const [k, c] of this.bins()) {
      seen += c;
      last = k;
      if (seen >= rank) return (2 * GAMMA ** k) / (GAMMA + 1);
    }
    return (2 * GAMMA ** last) / (GAMMA + 1);
  }

  /** Share of values <= x (exact at bin edges, conservative in between). */
  shareAtMost(x: number): number {
    if (this.count === 0) return NaN;
    let n = this.zeros;
    if (x > 0) {
      const kx = Math.ceil(Math.log(x) / LOG_GAMMA);
      for (const [k, c] of this.bins()) if (k < kx || (k === kx && GAMMA ** k <= x)) n += c;
    }
    return n / this.count;
  }
}

/**
 * A statistic with both moments and quantiles, mergeable exactly (moments.ts, sketch.ts).
 */
import { Moments, type MomentsData } from './moments.js';
import { QuantileSketch, quantileRank } from './sketch.js';

export interface DistributionData {
  moments: MomentsData;
  sketch: ReturnType<QuantileSketch['toData']>;
  atMin: number;
  atMax: number;
}

/**
 * A statistic with both moments and quantiles. Besides the sketch it counts exactly how often the
 * minimum and the maximum occur: KPIs like "share relieved" pile up at 0 and 1, and a quantile
 * that falls on such an atom is then reported exactly rather than as a sketch bin's midpoint.
 */
export class Distribution {
  readonly moments = new Moments();
  readonly sketch = new QuantileSketch();
  atMin = 0;
  atMax = 0;

  add(x: number, buffered = false): void {
    const m = this.moments;
    if (x < m.min) this.atMin = 1;
    else if (x === m.min) this.atMin++;
    if (x > m.max) this.atMax = 1;
    else if (x === m.max) this.atMax++;
    if (buffered) m.addBuffered(x);
    else m.add(x);
    this.sketch.add(x);
  }

  /**
   * `add(xs[i], true)` for i = 0 … n−1, in that order (the same sums, extremes and counts), with
   * the sketch's bins filled in a loop of their own.
   */
  addBuffered(xs: Float64Array, n: number): void {
    const m = this.moments;
    let atMin = this.atMin;
    let atMax = this.atMax;
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      if (x < m.min) atMin = 1;
      else if (x === m.min) atMin++;
      if (x > m.max) atMax = 1;
      else if (x === m.max) atMax++;
      m.addBuffered(x);
    }
    this.atMin = atMin;
    this.atMax = atMax;
    this.sketch.addAll(xs, n);
  }

  merge(o: Distribution): void {
    const m = this.moments;
    if (o.moments.count === 0) return;
    this.atMin = o.moments.min < m.min ? o.atMin : o.moments.min === m.min ? this.atMin + o.atMin : this.atMin;
    this.atMax = o.moments.max > m.max ? o.atMax : o.moments.max === m.max ? this.atMax + o.atMax : this.atMax;
    m.merge(o.moments);
    this.sketch.merge(o.sketch);
  }

  toData(): DistributionData {
    return { moments: this.moments.toData(), sketch: this.sketch.toData(), atMin: this.atMin, atMax: this.atMax };
  }

  static fromData(d: DistributionData): Distribution {
    const x = new Distribution();
    x.moments.merge(Moments.fromData(d.moments));
    x.sketch.merge(QuantileSketch.fromData(d.sketch));
    x.atMin = d.atMin;
    x.atMax = d.atMax;
    return x;
  }

  /** The q-quantile (lower nearest rank): exact on the min and max atoms, else from the sketch. */
  quantile(q: number): number {
    const n = this.moments.count;
    if (n === 0) return NaN;
    const rank = quantileRank(q, n);
    if (rank <= this.atMin) return this.moments.min;
    if (rank > n - this.atMax) return this.moments.max;
    return Math.min(this.moments.max, Math.max(this.moments.min, this.sketch.quantile(q)));
  }
}

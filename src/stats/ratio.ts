/**
 * A ratio of sums across replications, R = Σy / Σx (e.g. people relieved / people displaced):
 * the people-weighted share, which a plan means by "the share of affected people relieved", not
 * the mean of per-replication shares. Mergeable exactly (sums of x, y, x², y², xy in Moments).
 * Its 95% interval is the delta-method (linearisation) interval of a ratio estimator
 * (Cochran 1977, Sampling Techniques, §6.4): Var(R) ≈ Σ(y − R x)² / (n (n − 1) x̄²), with a
 * Student t quantile, intersected with `bounds` (a share cannot leave [0, 1]).
 */
import { meanCi95 } from './interval.js';
import { Moments, type MomentsData } from './moments.js';

export interface RatioData {
  x: MomentsData;
  y: MomentsData;
  xy: MomentsData;
}

export class RatioOfSums {
  readonly x = new Moments();
  readonly y = new Moments();
  readonly xy = new Moments();

  add(y: number, x: number): void {
    this.x.add(x);
    this.y.add(y);
    this.xy.add(x * y);
  }

  merge(o: RatioOfSums): void {
    this.x.merge(o.x);
    this.y.merge(o.y);
    this.xy.merge(o.xy);
  }

  toData(): RatioData {
    return { x: this.x.toData(), y: this.y.toData(), xy: this.xy.toData() };
  }

  static fromData(d: RatioData): RatioOfSums {
    const r = new RatioOfSums();
    r.x.merge(Moments.fromData(d.x));
    r.y.merge(Moments.fromData(d.y));
    r.xy.merge(Moments.fromData(d.xy));
    return r;
  }

  get n(): number {
    return this.x.count;
  }

  /** Σy / Σx; NaN when Σx is 0. */
  get ratio(): number {
    const sx = this.x.sum;
    return sx > 0 ? this.y.sum / sx : NaN;
  }

  ci95(bounds: [number, number] = [-Infinity, Infinity]): [number, number] {
    const n = this.n;
    const r = this.ratio;
    if (!Number.isFinite(r)) return [NaN, NaN];
    const xbar = this.x.mean;
    // Σ(y − r x)² = Σy² − 2r Σxy + r² Σx², from the exact sums; its sample variance over n − 1
    const ss = this.y.sumSquares - 2 * r * this.xy.sum + r * r * this.x.sumSquares;
    const variance = Math.max(0, ss) / Math.max(1, n - 1) / (xbar * xbar);
    const [lo, hi] = meanCi95(r, variance, n);
    return [Math.max(bounds[0], lo), Math.min(bounds[1], hi)];
  }
}

/**
 * Representative replications, kept mergeably: for each log bin of a KPI's values (the quantile
 * sketch's bins, relative width ≈ 1%), how many replications fell in it and the lowest index among
 * them, and the worst value with the lowest index reaching it. Any order of adds and merges gives the same
 * state, so "the replication nearest the p90" is the same for any worker count, and it is found
 * within the sketch's accuracy without keeping one number per replication.
 */
import { GAMMA, quantileRank } from './sketch.js';

const LOG_GAMMA = Math.log(GAMMA);
/** Bin key of values ≤ 0. */
const ZERO = -2147483648;

export interface ExemplarsData {
  /** [bin key, count, lowest replication index] */
  bins: [number, number, number][];
  worst: number | null;
  worstReplication: number;
}

export class Exemplars {
  /** Bin key → [count, lowest replication index]. */
  private readonly bins = new Map<number, [number, number]>();
  count = 0;
  worst = Number.NaN;
  worstReplication = -1;

  /** @param lowerIsWorse true for shares (relief), false for losses and times */
  constructor(readonly lowerIsWorse: boolean) {}

  private static key(x: number): number {
    return x > 0 ? Math.ceil(Math.log(x) / LOG_GAMMA) : ZERO;
  }

  add(x: number, replication: number): void {
    if (!Number.isFinite(x)) return;
    this.offerBin(Exemplars.key(x), 1, replication);
    this.offerWorst(x, replication);
  }

  private offerWorst(x: number, replication: number): void {
    const worse = Number.isNaN(this.worst) || (this.lowerIsWorse ? x < this.worst : x > this.worst);
    if (worse || (x === this.worst && replication < this.worstReplication)) {
      this.worst = x;
      this.worstReplication = replication;
    }
  }

  private offerBin(k: number, n: number, replication: number): void {
    this.count += n;
    const had = this.bins.get(k);
    if (had === undefined) this.bins.set(k, [n, replication]);
    else {
      had[0] += n;
      if (replication < had[1]) had[1] = replication;
    }
  }

  merge(o: Exemplars): void {
    for (const [k, [n, r]] of o.bins) this.offerBin(k, n, r);
    if (o.worstReplication >= 0) this.offerWorst(o.worst, o.worstReplication);
  }

  /**
   * The share of values in bins strictly better than `x`'s (within the sketch's accuracy, ≈1%):
   * "worse than about this share of the replications". Null when empty.
   */
  shareBetter(x: number): number | null {
    if (this.count === 0 || !Number.isFinite(x)) return null;
    const k = Exemplars.key(x);
    let better = 0;
    for (const [key, [n]] of this.bins) if (this.lowerIsWorse ? key > k : key < k) better += n;
    return better / this.count;
  }

  /**
   * A replication at the q-severity quantile: the lowest index in the bin holding the q-quantile
   * of the values, counted from the best end (q = 0.9: worse than about 90%). Null when empty.
   * Where lower is worse it is the bin of the (1 − q)-quantile counted from the low end, by the
   * rank `Distribution.quantile(1 − q)` uses, so the replication named "p90" of the share relieved
   * is the one whose value the results report as its 10% quantile.
   */
  atSeverity(q: number): number | null {
    if (this.count === 0) return null;
    // 1 − 0.99 is 0.010000000000000009 in binary: rounded, so ranks equal quantile(0.01)'s
    const fromLow = this.lowerIsWorse ? Math.round((1 - q) * 1e12) / 1e12 : q;
    const keys = [...this.bins.keys()].sort((a, b) => a - b);
    const rank = quantileRank(fromLow, this.count);
    let seen = 0;
    for (const k of keys) {
      const [n, r] = this.bins.get(k)!;
      seen += n;
      if (seen >= rank) return r;
    }
    return this.bins.get(keys[keys.length - 1]!)![1];
  }

  toData(): ExemplarsData {
    return {
      bins: [...this.bins].map(([k, [n, r]]): [number, number, number] => [k, n, r]).sort((a, b) => a[0] - b[0]),
      worst: Number.isNaN(this.worst) ? null : this.worst,
      worstReplication: this.worstReplication,
    };
  }

  static fromData(d: ExemplarsData, lowerIsWorse: boolean): Exemplars {
    const x = new Exemplars(lowerIsWorse);
    for (const [k, n, r] of d.bins) x.offerBin(k, n, r);
    if (d.worst !== null) {
      x.worst = d.worst;
      x.worstReplication = d.worstReplication;
    }
    return x;
  }
}

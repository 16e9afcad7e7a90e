/**
 * Count, exact sums of x and x², min and max: mergeable in any order with identical results
 * (exact-sum.ts). Mean and variance are derived at the end.
 */
import { ExactSum } from './exact-sum.js';

export interface MomentsData {
  count: number;
  min: number | null;
  max: number | null;
  s1: number[];
  s2: number[];
}

export class Moments {
  count = 0;
  min = Infinity;
  max = -Infinity;
  private readonly s1 = new ExactSum();
  private readonly s2 = new ExactSum();

  /** Plain sums of values added with addBuffered since the last flush. */
  private p1 = 0;
  private p2 = 0;

  add(x: number): void {
    this.count++;
    this.s1.add(x);
    this.s2.add(x * x);
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  /**
   * Cheap add for values that arrive many times per replication (response times): plain sums,
   * moved into the exact sums by `flush()`, which the KPI accumulator calls at the end of every
   * replication — so what reaches the exact sums depends only on the replication, never on the
   * batch it ran in.
   */
  addBuffered(x: number): void {
    this.count++;
    this.p1 += x;
    this.p2 += x * x;
    if (x < this.min) this.min = x;
    if (x > this.max) this.max = x;
  }

  flush(): void {
    if (this.p1 === 0 && this.p2 === 0) return;
    this.s1.add(this.p1);
    this.s2.add(this.p2);
    this.p1 = 0;
    this.p2 = 0;
  }

  merge(o: Moments): void {
    this.flush();
    o.flush();
    this.count += o.count;
    this.s1.merge(o.s1);
    this.s2.merge(o.s2);
    if (o.min < this.min) this.min = o.min;
    if (o.max > this.max) this.max = o.max;
  }

  /** Plain, JSON-safe data (for workers and queues). */
  toData(): MomentsData {
    this.flush();
    return {
      count: this.count,
      min: Number.isFinite(this.min) ? this.min : null,
      max: Number.isFinite(this.max) ? this.max : null,
      s1: this.s1.toJSON(),
      s2: this.s2.toJSON(),
    };
  }

  static fromData(d: MomentsData): Moments {
    const m = new Moments();
    m.count = d.count;
    m.min = d.min ?? Infinity;
    m.max = d.max ?? -Infinity;
    m.s1.merge(ExactSum.from(d.s1));
    m.s2.merge(ExactSum.from(d.s2));
    return m;
  }

  get sum(): number {
    this.flush();
    return this.s1.value();
  }

  /** Σx² (exact). */
  get sumSquares(): number {
    this.flush();
    return this.s2.value();
  }

  get mean(): number {
    this.flush();
    return this.count > 0 ? this.s1.value() / this.count : NaN;
  }

  /** Sample variance (n − 1 denominator). */
  get variance(): number {
    this.flush();
    if (this.count < 2) return NaN;
    const s1 = this.s1.value();
    const v = (this.s2.value() - (s1 * s1) / this.count) / (this.count - 1);
    return Math.max(0, v);
  }
}

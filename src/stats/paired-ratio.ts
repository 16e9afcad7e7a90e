/**
 * The difference of two ratio estimators measured on the same replications — R_b − R_a with
 * R = Σy / Σx, e.g. people relieved / people displaced of two variants run on common random
 * numbers — and its 95% interval by the delta method (Cochran, "Sampling Techniques", 3rd ed.,
 * §6.3–6.4: the ratio's linearised residual). Replication i contributes
 *   u_i = (y_bi − R_b·x_bi) / x̄_b − (y_ai − R_a·x_ai) / x̄_a,
 * whose mean is 0 by construction; Var(R_b − R_a) ≈ Σu_i² / (n(n − 1)). Σu_i² expands into the
 * sums of the ten products of (x_a, y_a, x_b, y_b), kept as exact sums, so the interval does not
 * depend on how the replications were split or merged. A ratio of sums has no per-replication
 * value to difference: this is the paired interval of the headline a run prints.
 */
import { ExactSum } from './exact-sum.js';
import { tQuantile975 } from './interval.js';

const TERMS = ['xa', 'ya', 'xb', 'yb', 'xaxa', 'yaya', 'xaya', 'xbxb', 'ybyb', 'xbyb', 'xaxb', 'xayb', 'yaxb', 'yayb'] as const;
type Term = (typeof TERMS)[number];

export interface PairedRatioData {
  n: number;
  sums: Record<Term, number[]>;
}

export class PairedRatio {
  n = 0;
  private readonly s = Object.fromEntries(TERMS.map((k) => [k, new ExactSum()])) as Record<Term, ExactSum>;

  /** One replication: x and y of variant a, then of variant b. */
  add(xa: number, ya: number, xb: number, yb: number): void {
    this.n++;
    const s = this.s;
    s.xa.add(xa);
    s.ya.add(ya);
    s.xb.add(xb);
    s.yb.add(yb);
    s.xaxa.add(xa * xa);
    s.yaya.add(ya * ya);
    s.xaya.add(xa * ya);
    s.xbxb.add(xb * xb);
    s.ybyb.add(yb * yb);
    s.xbyb.add(xb * yb);
    s.xaxb.add(xa * xb);
    s.xayb.add(xa * yb);
    s.yaxb.add(ya * xb);
    s.yayb.add(ya * yb);
  }

  merge(o: PairedRatio): void {
    this.n += o.n;
    for (const k of TERMS) this.s[k].merge(o.s[k]);
  }

  toData(): PairedRatioData {
    return { n: this.n, sums: Object.fromEntries(TERMS.map((k) => [k, this.s[k].toJSON()])) as Record<Term, number[]> };
  }

  /** Restores data that may have crossed a thread boundary: every sum a list of finite numbers, or a thrown error. */
  static fromData(d: PairedRatioData): PairedRatio {
    if (!(Number.isInteger(d?.n) && d.n >= 0)) throw new Error('paired ratio: n is not a count');
    for (const k of TERMS) {
      const xs = d.sums?.[k];
      if (!Array.isArray(xs) || xs.length > 1100 || !xs.every((x) => Number.isFinite(x)))
        throw new Error(`paired ratio: sum ${k} is not a list of finite numbers`);
    }
    const p = new PairedRatio();
    p.n = d.n;
    for (const k of TERMS) p.s[k].merge(ExactSum.from(d.sums[k]));
    return p;
  }

  /** R_a and R_b (null where Σx is 0). */
  ratios(): [number | null, number | null] {
    const [xa, ya, xb, yb] = [this.s.xa.value(), this.s.ya.value(), this.s.xb.value(), this.s.yb.value()];
    return [xa > 0 ? ya / xa : null, xb > 0 ? yb / xb : null];
  }

  /** R_b − R_a with its 95% interval (null where a ratio is undefined or n < 2). */
  difference(): { mean: number | null; ci95: [number | null, number | null] } {
    const [ra, rb] = this.ratios();
    if (ra === null || rb === null) return { mean: null, ci95: [null, null] };
    const mean = rb - ra;
    if (this.n < 2) return { mean, ci95: [null, null] };
    const v = (k: Term) => this.s[k].value();
    const [ma, mb] = [v('xa') / this.n, v('xb') / this.n];
    // u = α·y_b + β·x_b + γ·y_a + δ·x_a
    const [al, be, ga, de] = [1 / mb, -rb / mb, -1 / ma, ra / ma];
    const terms = [
      al * al * v('ybyb'),
      be * be * v('xbxb'),
      ga * ga * v('yaya'),
      de * de * v('xaxa'),
      2 * al * be * v('xbyb'),
      2 * al * ga * v('yayb'),
      2 * al * de * v('xayb'),
      2 * be * ga * v('yaxb'),
      2 * be * de * v('xaxb'),
      2 * ga * de * v('xaya'),
    ];
    const sumU2 = terms.reduce((a, t) => a + t, 0);
    // The expansion cancels: identical variants leave rounding of the size of its terms, not 0.
    // A sum within that rounding (64 ulps of the sum of the terms' sizes) is 0.
    const scale = terms.reduce((a, t) => a + Math.abs(t), 0);
    const se = sumU2 <= 64 * Number.EPSILON * scale ? 0 : Math.sqrt(sumU2 / (this.n * (this.n - 1)));
    const h = tQuantile975(this.n - 1) * se;
    return { mean, ci95: [mean - h, mean + h] };
  }
}

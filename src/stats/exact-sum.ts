/**
 * Exact floating-point summation (Shewchuk 1997, "Adaptive precision floating-point arithmetic
 * and fast robust geometric predicates", the partials algorithm behind Python's math.fsum).
 * The running sum is kept as non-overlapping partials, so the sum of a set of doubles is exact
 * until one final rounding — and therefore independent of the order of addition and of how the
 * set was split into batches. That is what makes dsim's merged statistics byte-identical for any
 * number of workers or batch size.
 */
export class ExactSum {
  private partials: number[] = [];

  add(x: number): void {
    const p = this.partials;
    let i = 0;
    for (let j = 0; j < p.length; j++) {
      let y = p[j]!;
      if (Math.abs(x) < Math.abs(y)) [x, y] = [y, x];
      const hi = x + y;
      const lo = y - (hi - x);
      if (lo !== 0) p[i++] = lo;
      x = hi;
    }
    p.length = i;
    p.push(x);
  }

  merge(other: ExactSum): void {
    for (const x of other.partials) this.add(x);
  }

  /** The correctly rounded sum. */
  value(): number {
    const p = this.partials;
    let n = p.length;
    if (n === 0) return 0;
    let hi = p[--n]!;
    let lo = 0;
    while (n > 0) {
      const x = hi;
      const y = p[--n]!;
      hi = x + y;
      lo = y - (hi - x);
      if (lo !== 0) break;
    }
    // Round half-even correction, as in math.fsum.
    if (n > 0 && ((lo < 0 && p[n - 1]! < 0) || (lo > 0 && p[n - 1]! > 0))) {
      const y = lo * 2;
      const x = hi + y;
      if (y === x - hi) hi = x;
    }
    return hi;
  }

  toJSON(): number[] {
    return [...this.partials];
  }

  static from(partials: readonly number[]): ExactSum {
    const s = new ExactSum();
    s.partials = [...partials];
    return s;
  }
}

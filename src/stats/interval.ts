/**
 * Confidence intervals: Student t for means of replications, Wilson score for probabilities.
 */
/** ln Γ(x) for x > 0 (Lanczos approximation, g = 7, n = 9; relative error < 1e-15). */
function lnGamma(x: number): number {
  const c = [
    0.99999999999980993, 676.5203681218851, -1259.1392167224028, 771.32342877765313, -176.61502916214059, 12.507343278686905,
    -0.13857109526572012, 9.9843695780195716e-6, 1.5056327351493116e-7,
  ];
  if (x < 0.5) return Math.log(Math.PI / Math.sin(Math.PI * x)) - lnGamma(1 - x);
  x -= 1;
  let a = c[0]!;
  const t = x + 7.5;
  for (let i = 1; i < 9; i++) a += c[i]! / (x + i);
  return 0.5 * Math.log(2 * Math.PI) + (x + 0.5) * Math.log(t) - t + Math.log(a);
}

/** Continued fraction of the regularised incomplete beta (modified Lentz; Press et al., NR §6.4). */
function betaContinuedFraction(a: number, b: number, x: number): number {
  const tiny = 1e-300;
  let c = 1;
  let d = 1 - ((a + b) * x) / (a + 1);
  if (Math.abs(d) < tiny) d = tiny;
  d = 1 / d;
  let h = d;
  for (let m = 1; m <= 300; m++) {
    const m2 = 2 * m;
    let aa = (m * (b - m) * x) / ((a + m2 - 1) * (a + m2));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    h *= d * c;
    aa = (-(a + m) * (a + b + m) * x) / ((a + m2) * (a + m2 + 1));
    d = 1 + aa * d;
    if (Math.abs(d) < tiny) d = tiny;
    c = 1 + aa / c;
    if (Math.abs(c) < tiny) c = tiny;
    d = 1 / d;
    const del = d * c;
    h *= del;
    if (Math.abs(del - 1) < 1e-15) break;
  }
  return h;
}

/** Regularised incomplete beta I_x(a, b). */
export function incompleteBeta(x: number, a: number, b: number): number {
  if (x <= 0) return 0;
  if (x >= 1) return 1;
  const front = Math.exp(lnGamma(a + b) - lnGamma(a) - lnGamma(b) + a * Math.log(x) + b * Math.log(1 - x));
  return x < (a + 1) / (a + b + 2) ? (front * betaContinuedFraction(a, b, x)) / a : 1 - (front * betaContinuedFraction(b, a, 1 - x)) / b;
}

/** CDF of Student's t with `df` degrees of freedom. */
export function tCdf(t: number, df: number): number {
  const tail = 0.5 * incompleteBeta(df / (df + t * t), df / 2, 0.5);
  return t >= 0 ? 1 - tail : tail;
}

/** The 97.5% quantile of Student's t (two-sided 95%), by bisection on the exact CDF. */
export function tQuantile975(df: number): number {
  if (!(df >= 1)) return NaN;
  let lo = 0;
  let hi = 20;
  while (tCdf(hi, df) < 0.975) hi *= 2;
  for (let i = 0; i < 80; i++) {
    const mid = (lo + hi) / 2;
    if (tCdf(mid, df) < 0.975) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/** 95% t interval for a mean from n observations with sample variance v. */
export function meanCi95(mean: number, variance: number, n: number): [number, number] {
  if (n < 2 || !Number.isFinite(variance)) return [mean, mean];
  const h = tQuantile975(n - 1) * Math.sqrt(variance / n);
  return [mean - h, mean + h];
}

/** 95% Wilson score interval for k successes in n trials. */
export function wilsonCi95(k: number, n: number): [number, number] {
  if (n === 0) return [0, 1];
  const z = 1.959963984540054; // standard normal 97.5% quantile
  const p = k / n;
  const denom = 1 + (z * z) / n;
  const centre = (p + (z * z) / (2 * n)) / denom;
  const half = (z * Math.sqrt((p * (1 - p)) / n + (z * z) / (4 * n * n))) / denom;
  return [Math.max(0, centre - half), Math.min(1, centre + half)];
}

/**
 * The fewest trials, all successes, whose 95% Wilson lower bound reaches `confidence`: below it
 * no run can show P(met) ≥ confidence (10 of 10 has a lower bound of 72%; 90% needs 35).
 */
export function trialsToShow(confidence: number): number {
  if (!(confidence > 0 && confidence < 1)) return 1;
  let n = 1;
  while (wilsonCi95(n, n)[0] < confidence && n < 1e7) n = Math.ceil(n * 1.05 + 1);
  // step back to the smallest
  let lo = 1;
  let hi = n;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (wilsonCi95(mid, mid)[0] >= confidence) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

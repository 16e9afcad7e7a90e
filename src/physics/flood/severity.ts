/**
 * Flood severity as an annual maximum following the generalised extreme value (GEV) distribution
 * (Coles 2001, *An Introduction to Statistical Modeling of Extreme Values*, eq. 3.2; Gumbel is the
 * ξ → 0 limit, eq. 3.3). Sign convention: ξ > 0 is the heavy-tailed (Fréchet) case; hydrologists'
 * κ (Hosking) is −ξ. The return period of a level x is T = 1 / (1 − F(x)).
 */
export interface GevParams {
  readonly location: number;
  readonly scale: number;
  readonly shape: number;
}

const GUMBEL_EPS = 1e-9;

/** F(x) = exp(−t(x)), t = (1 + ξ(x−μ)/σ)^(−1/ξ), or exp(−(x−μ)/σ) for ξ = 0. */
export function gevCdf(p: GevParams, x: number): number {
  const z = (x - p.location) / p.scale;
  if (Math.abs(p.shape) < GUMBEL_EPS) return Math.exp(-Math.exp(-z));
  const s = 1 + p.shape * z;
  if (s <= 0) return p.shape > 0 ? 0 : 1;
  return Math.exp(-(s ** (-1 / p.shape)));
}

/** Inverse of gevCdf: x = μ + σ((−ln q)^(−ξ) − 1)/ξ, or μ − σ ln(−ln q) for ξ = 0. */
export function gevQuantile(p: GevParams, q: number): number {
  const y = -Math.log(q);
  if (Math.abs(p.shape) < GUMBEL_EPS) return p.location - p.scale * Math.log(y);
  return p.location + (p.scale * (y ** -p.shape - 1)) / p.shape;
}

/** The level exceeded on average once in T years. */
export function levelForReturnPeriod(p: GevParams, years: number): number {
  return gevQuantile(p, 1 - 1 / years);
}

/** The return period (years) of level x. */
export function returnPeriodOf(p: GevParams, x: number): number {
  return 1 / (1 - gevCdf(p, x));
}

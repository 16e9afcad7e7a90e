/**
 * Depth within a zone's flooded area by band, from an exceedance row: rᵢ, the share of the zone's
 * people at or above table depth dᵢ, cuts the flooded share f into bands [0, d₁), [d₁, d₂), …,
 * [d_k, ∞) holding f − r₁, r₁ − r₂, …, r_k. Each band's people are spread evenly over the part
 * of the band that has the band's mean depth (given by the import; else the band's middle, and
 * [d_k, 2d_k] for the deepest): [2m − b, b] when m lies in the upper half of [a, b), else
 * [a, 2m − a] — a single depth when everyone in the band stands at its lower edge. Depth error e
 * scales depths (true depth = table depth × e).
 *
 * - Displaced = population × share at true depth ≥ D (the displacement depth): no longer all or
 *   nothing on the zone's mean depth (a zone 10% wet at a mean of 0.4 m with 3% of its people
 *   above 0.5 m displaces 3%, not 0; real-data-import.md §5.8).
 * - Loss = Σ sectors value × Σ bands share × JRC(e · band mean depth).
 * - Deaths: the stranded share of the people above D, band by band, at their mean depth.
 * A zone whose wet people all stand at one depth d loses and displaces exactly as the zone-mean
 * rule does at depth d.
 */
import type { Sector } from '../../scenario/schema.js';
import { damageFraction } from './damage.js';

export interface Band {
  /** The depths (table units) the band's people are spread over, evenly; lo = hi for one depth. */
  readonly lo: number;
  readonly hi: number;
  readonly share: number;
}

export interface BandProfile {
  readonly bands: readonly Band[];
  /** Depth error: true depth = table depth × error. */
  readonly error: number;
}

/**
 * The bands of a zone with flooded share `floodedShare`, exceedance `row` at `depthsM` and, when
 * known, each band's mean depth (`means`: one more than the depths, 0 for an empty band).
 */
export function bandProfile(
  floodedShare: number,
  depthsM: readonly number[],
  row: readonly number[],
  error: number,
  means?: readonly number[],
): BandProfile {
  const edges = [0, ...depthsM, Infinity];
  const above = [floodedShare, ...row.map((r) => Math.min(r, floodedShare)), 0];
  const bands: Band[] = [];
  for (let i = 0; i + 1 < edges.length; i++) {
    const share = Math.max(0, above[i]! - Math.max(0, Math.min(above[i + 1]!, above[i]!)));
    if (!(share > 0)) continue;
    const [a, b] = [edges[i]!, edges[i + 1]!];
    const given = means?.[i];
    const top = !Number.isFinite(b);
    const m = given !== undefined && given >= a && (top || given <= b) && given > 0 ? given : top ? 1.5 * a : (a + b) / 2;
    if (top) bands.push({ lo: a, hi: Math.max(a, 2 * m - a), share });
    else if (m >= (a + b) / 2) bands.push({ lo: 2 * m - b, hi: b, share });
    else bands.push({ lo: a, hi: 2 * m - a, share });
  }
  return { bands, error };
}

/** Share of a band at table depth ≥ x. */
function fractionAbove(b: Band, x: number): number {
  if (x <= b.lo) return 1;
  if (x >= b.hi) return 0;
  return (b.hi - x) / (b.hi - b.lo);
}

/** Share of the zone's people at true depth ≥ `depthM`. */
export function shareAtOrAbove(p: BandProfile, depthM: number): number {
  const x = depthM / p.error;
  let s = 0;
  for (const b of p.bands) s += b.share * fractionAbove(b, x);
  return s;
}

/** Σ over bands of (share of the band at true depth ≥ `fromM`) × f(their mean true depth). */
export function sumOverBands(p: BandProfile, fromM: number, f: (depthM: number) => number): number {
  const x = fromM / p.error;
  let total = 0;
  for (const b of p.bands) {
    const part = b.share * fractionAbove(b, x);
    if (part > 0) total += part * f(((Math.max(b.lo, x) + b.hi) / 2) * p.error);
  }
  return total;
}

/** Direct loss fraction of a sector's value: Σ bands share × JRC damage at the band's mean depth. */
export function bandDamage(p: BandProfile, sector: Sector): number {
  return sumOverBands(p, 0, (d) => damageFraction(sector, d));
}

/**
 * Urban fire growth and its consequences as a function of response time.
 *
 * - Growth: the t-squared design fire Q(t) = α t² (kW, t in s since ignition; NFPA 204 / NFPA 72
 *   growth classes: slow 0.00293, medium 0.01172, fast 0.0469, ultra-fast 0.1876 kW/s²).
 * - Burned area when the fire is brought under control at t_c = detection + response + control:
 *   A = min(A_max, Q(t_c) / q″), with q″ the heat release rate per unit floor area (EN 1991-1-2
 *   Annex E, Table E.5: dwellings 250 kW/m²). Direct loss = A × value per m².
 * - Life risk: whether the fire reached flashover (Q ≥ Q_fo; ≈1 MW for a room after Thomas's
 *   criterion) before the first engine arrived; the death probability is the scenario's, before
 *   and after flashover. So loss and death risk both rise with the time to first engine.
 */
export interface FireDraw {
  readonly detectionMinutes: number;
  readonly alphaKwPerS2: number;
  readonly controlMinutes: number;
  readonly maxAreaM2: number;
  /** Uniform draw deciding death (compared with the death probability). */
  readonly deathU: number;
}

export interface FireParams {
  readonly hrrPerAreaKwM2: number;
  readonly valueCnyPerM2: number;
  readonly flashoverKw: number;
  readonly deathBeforeFlashover: number;
  readonly deathAfterFlashover: number;
}

/** Heat release rate (kW) of a t-squared fire `minutes` after ignition. */
export function tSquaredKw(alphaKwPerS2: number, minutes: number): number {
  const s = minutes * 60;
  return alphaKwPerS2 * s * s;
}

export function fireOutcome(
  p: FireParams,
  f: FireDraw,
  responseMinutes: number,
): { areaM2: number; lossCny: number; flashover: boolean; death: boolean } {
  const atArrival = tSquaredKw(f.alphaKwPerS2, f.detectionMinutes + responseMinutes);
  const atControl = tSquaredKw(f.alphaKwPerS2, f.detectionMinutes + responseMinutes + f.controlMinutes);
  const areaM2 = Math.min(f.maxAreaM2, atControl / p.hrrPerAreaKwM2);
  const flashover = atArrival >= p.flashoverKw;
  const death = f.deathU < (flashover ? p.deathAfterFlashover : p.deathBeforeFlashover);
  return { areaM2, lossCny: areaM2 * p.valueCnyPerM2, flashover, death };
}

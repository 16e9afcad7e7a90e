/**
 * Wildfire spread after McArthur's fire danger meters, in the equation form of Noble, Bary & Gill
 * (1980, Australian Journal of Ecology 5:201–203):
 *
 *   grassland (reed beds): GFDI = 2 exp(−23.6 + 5.01 ln C + 0.0281 T − 0.226 √RH + 0.633 √U)
 *                          R = 0.13 · GFDI km/h at the meter's standard 4.5 t/ha, scaled by W/4.5
 *   forest:                FFDI = 2 exp(−0.450 + 0.987 ln D − 0.0345 RH + 0.0338 T + 0.0234 U)
 *                          R = 0.0012 · FFDI · W km/h
 *
 * C degree of curing (%), T air temperature (°C), RH relative humidity (%), U 10-m wind (km/h),
 * D drought factor (0–10), W fuel load (t/ha). The fire grows as an ellipse with length D(t) and
 * length-to-breadth ratio LB = 1 + 8.729 (1 − e^{−0.030 U})^{2.155} (Alexander 1985); from a point
 * ignition it accelerates to its steady rate as R (1 − e^{−αt}) (the Canadian FBP System's build-up,
 * ST-X-3 eq. 70), so D(t) = R (t − (1 − e^{−αt})/α), and area and perimeter grow as D² and D (the
 * perimeter as BehavePlus computes an ellipse's: perimeterPerMetre).
 *
 * Suppression: each team builds fireline at a fixed rate from its arrival — directly at the fire's
 * edge when the head intensity allows it (Byram's I = H w R against the limits of Andrews &
 * Rothermel 1982), else indirect line at its own rate; the fire is contained when the line built
 * equals the perimeter (the containment condition of Fried & Fried 1996, Forest Science 42(3),
 * with constant production rates).
 */
export interface FireWeather {
  readonly temperatureC: number;
  readonly relativeHumidityPct: number;
  readonly windKmh: number;
  readonly curingPct: number;
  readonly droughtFactor: number;
}

export function grasslandFdi(w: FireWeather): number {
  const c = Math.max(1, Math.min(100, w.curingPct));
  return (
    2 *
    Math.exp(-23.6 + 5.01 * Math.log(c) + 0.0281 * w.temperatureC - 0.226 * Math.sqrt(w.relativeHumidityPct) + 0.633 * Math.sqrt(w.windKmh))
  );
}

export function forestFdi(w: FireWeather): number {
  const d = Math.max(0.1, Math.min(10, w.droughtFactor));
  return 2 * Math.exp(-0.45 + 0.987 * Math.log(d) - 0.0345 * w.relativeHumidityPct + 0.0338 * w.temperatureC + 0.0234 * w.windKmh);
}

/** Forward rate of spread, m/h. */
export function rateOfSpreadMPerH(fuel: 'grass' | 'forest', w: FireWeather, fuelLoadTPerHa: number): number {
  const kmh = fuel === 'grass' ? 0.13 * grasslandFdi(w) * (fuelLoadTPerHa / 4.5) : 0.0012 * forestFdi(w) * fuelLoadTPerHa;
  return kmh * 1000;
}

/** Length-to-breadth ratio of a wind-driven fire (Alexander 1985). */
export function lengthToBreadth(windKmh: number): number {
  return 1 + 8.729 * (1 - Math.exp(-0.03 * windKmh)) ** 2.155;
}

export interface FireShape {
  /** Forward spread at steady state, m/h. */
  readonly rateMPerH: number;
  readonly lb: number;
  /**
   * Build-up rate α (per hour) from a point ignition to steady spread: R(t) = R (1 − e^{−αt})
   * (Forestry Canada Fire Danger Group 1992, ST-X-3, eq. 70: α = 0.115 per minute for open fuels).
   * Absent: steady from ignition.
   */
  readonly accelPerH?: number;
}

/** Head distance (m) `hours` after ignition: R t, or R (t − (1 − e^{−αt})/α) with build-up. */
export function spreadM(s: FireShape, hours: number): number {
  if (!(hours > 0)) return 0;
  const a = s.accelPerH;
  if (a === undefined) return s.rateMPerH * hours;
  return s.rateMPerH * (hours - (1 - Math.exp(-a * hours)) / a);
}

/** Burned area (ha) after `hours`: an ellipse of length D(t) (spreadM) and breadth D(t) / LB. */
export function burnedHa(s: FireShape, hours: number): number {
  const l = spreadM(s, hours);
  return ((Math.PI / 4) * l * (l / s.lb)) / 10_000;
}

/** Hours for the ellipse to reach `ha` hectares (inverse of burnedHa). */
export function hoursToBurn(s: FireShape, ha: number): number {
  if (!(s.rateMPerH > 0)) return Infinity;
  const steady = Math.sqrt((ha * 10_000 * 4 * s.lb) / Math.PI) / s.rateMPerH;
  if (s.accelPerH === undefined) return steady;
  // D(t) ≥ R (t − 1/α): the answer lies in [steady, steady + 1/α]
  let lo = steady;
  let hi = steady + 1 / s.accelPerH;
  const target = steady * s.rateMPerH;
  for (let k = 0; k < 60; k++) {
    const mid = (lo + hi) / 2;
    if (spreadM(s, mid) < target) lo = mid;
    else hi = mid;
  }
  return (lo + hi) / 2;
}

/**
 * Perimeter per metre of head distance: an ellipse of length L and breadth L/LB, semi-axes
 * a = L/2 and b = L/(2 LB), has perimeter π (a + b)(1 + h/4 + h²/64), h = ((a − b)/(a + b))² —
 * the first three terms of Gauss–Kummer's series, as BehavePlus computes a fire's perimeter. Against
 * the exact integral it is 0.04% short at LB 5 and 0.13% at 9.73 (the largest Alexander's formula
 * gives); π (a + b) alone is 10% short at LB 5 and 15% at 9.73.
 */
export function perimeterPerMetre(lb: number): number {
  const h = ((lb - 1) / (lb + 1)) ** 2;
  return (Math.PI / 2) * (1 + 1 / lb) * (1 + h / 4 + (h * h) / 64);
}

/** Perimeter growth at steady spread, m/h. */
export function perimeterRateMPerH(s: FireShape): number {
  return perimeterPerMetre(s.lb) * s.rateMPerH;
}

/** Perimeter (m) `hours` after ignition. */
export function perimeterM(s: FireShape, hours: number): number {
  return perimeterPerMetre(s.lb) * spreadM(s, hours);
}

/** Heat of combustion of fine fuels, kJ/kg (Byram 1959). */
export const FUEL_HEAT_KJ_PER_KG = 18_000;

/**
 * Byram's fireline intensity at the head (kW/m) `hours` after ignition: I = H w R(t), w the fuel
 * consumed (kg/m², all fine fuel: t/ha × 0.1), R(t) the build-up spread rate in m/s.
 */
export function headIntensityKwPerM(s: FireShape, fuelLoadTPerHa: number, hours: number): number {
  const grow = s.accelPerH === undefined ? 1 : 1 - Math.exp(-s.accelPerH * Math.max(0, hours));
  return FUEL_HEAT_KJ_PER_KG * fuelLoadTPerHa * 0.1 * ((s.rateMPerH * grow) / 3600);
}

/** A crew on the fireline: when it starts (hours, absolute) and the line it builds (m/h). */
export interface Crew {
  readonly arrivalHours: number;
  readonly lineMPerHour: number;
}

/**
 * Containment time (absolute hours) of a fire ignited at `ignition`: the first time the line
 * built by the crews, Σ rate·(t − arrival)⁺, equals the perimeter (the containment condition of
 * Fried & Fried 1996, with constant production rates); Infinity when the line never catches up.
 * Between arrivals line − perimeter is concave in t (the perimeter accelerates, then grows
 * linearly), so each interval holds at most one upward crossing, found by bisection.
 */
export function containmentTime(ignition: number, s: FireShape, crews: readonly Crew[]): number {
  const c = [...crews].sort((x, y) => x.arrivalHours - y.arrivalHours);
  const k = perimeterPerMetre(s.lb);
  let rate = 0;
  let lineAt0 = 0; // line(t) = rate·t − lineAt0 on the current interval
  const gap = (t: number): number => rate * t - lineAt0 - k * spreadM(s, t - ignition);
  for (let j = 0; j < c.length; j++) {
    rate += c[j]!.lineMPerHour;
    lineAt0 += c[j]!.lineMPerHour * c[j]!.arrivalHours;
    const start = c[j]!.arrivalHours;
    let end = j + 1 < c.length ? c[j + 1]!.arrivalHours : Infinity;
    if (gap(start) >= 0) return start;
    // Where the gap stops rising: d/dt perimeter = k R (1 − e^{−α(t−t0)}) reaches the line rate.
    const steadyK = k * s.rateMPerH;
    let peak = Infinity;
    if (rate < steadyK) {
      if (s.accelPerH === undefined) continue; // the perimeter outruns the line from the start
      peak = ignition - Math.log(1 - rate / steadyK) / s.accelPerH;
    }
    if (end === Infinity) {
      if (peak === Infinity) {
        // rising for ever at a slope of at least rate − steadyK > 0 (or tending to it): bracket a root
        end = start + 1;
        while (gap(end) < 0 && end < start + 1e6) end = start + 2 * (end - start);
        if (gap(end) < 0) return Infinity;
      } else end = peak;
    } else end = Math.min(end, peak);
    if (end <= start || gap(end) < 0) continue;
    let lo = start;
    let hi = end;
    for (let it = 0; it < 100; it++) {
      const mid = (lo + hi) / 2;
      if (gap(mid) < 0) lo = mid;
      else hi = mid;
    }
    return hi;
  }
  return Infinity;
}

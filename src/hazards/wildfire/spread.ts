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
 * D drought factor (0–10), W fuel load (t/ha). The fire grows as an ellipse with length R·t and
 * length-to-breadth ratio LB = 1 + 8.729 (1 − e^{−0.030 U})^{2.155} (Alexander 1985), so area and
 * perimeter grow as t² and t.
 *
 * Suppression: each team builds fireline at a fixed rate from its arrival; the fire is contained
 * when the line built equals the perimeter (the containment condition of Fried & Fried 1996,
 * Forest Science 42(3), with constant production rates).
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
  /** Forward spread, m/h. */
  readonly rateMPerH: number;
  readonly lb: number;
}

/** Burned area (ha) after `hours`: an ellipse of length R t and breadth R t / LB. */
export function burnedHa(s: FireShape, hours: number): number {
  const l = s.rateMPerH * hours;
  return ((Math.PI / 4) * l * (l / s.lb)) / 10_000;
}

/** Hours for the ellipse to reach `ha` hectares (inverse of burnedHa). */
export function hoursToBurn(s: FireShape, ha: number): number {
  if (!(s.rateMPerH > 0)) return Infinity;
  return Math.sqrt((ha * 10_000 * 4 * s.lb) / Math.PI) / s.rateMPerH;
}

/** Perimeter growth, m/h: π (L + B) / 2 per hour of spread. */
export function perimeterRateMPerH(s: FireShape): number {
  return (Math.PI / 2) * s.rateMPerH * (1 + 1 / s.lb);
}

/**
 * Containment time (absolute, same unit as the inputs, hours) of a fire ignited at `ignition`
 * whose perimeter grows at `perimeterRate` (m/h), attacked by teams arriving at `arrivals` (hours)
 * that each build `lineRate` m/h; Infinity when the line never catches up.
 */
export function containmentTime(ignition: number, perimeterRate: number, arrivals: readonly number[], lineRate: number): number {
  const a = [...arrivals].sort((x, y) => x - y);
  let sum = 0;
  for (let j = 1; j <= a.length; j++) {
    sum += a[j - 1]!;
    const slope = lineRate * j - perimeterRate; // d/dt (line − perimeter) with j teams working
    if (slope <= 0) continue;
    // line − perimeter = lineRate (j t − sum) − perimeterRate (t − ignition) = 0
    const t = Math.max(a[j - 1]!, (lineRate * sum - perimeterRate * ignition) / slope);
    const next = j < a.length ? a[j]! : Infinity;
    if (t <= next) return t;
  }
  return Infinity;
}

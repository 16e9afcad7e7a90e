import { DsimError, ErrorCodes } from '../../errors.js';
import { MIN_WIND_M_S, type PlumeParams, STABILITY_CLASSES, type StabilityClass, threatZone } from '../../hazards/chemical/plume.js';
import { levelsOfConcern, SUBSTANCES } from '../../hazards/chemical/substances.js';
import { r7 } from '../../kpi/summary.js';
import { numberOption, parse } from '../args.js';
import { COMMAND_USAGE } from '../usage.js';

const USAGE = COMMAND_USAGE.plume;

function bad(message: string): never {
  throw new DsimError(ErrorCodes.RUN_OPTION, `${message}\nusage: ${USAGE}`);
}

/** Threat zones of a steady release at three levels of concern (Gaussian plume, Briggs σ). */
export function plumeCommand(args: string[]): number {
  const { values, positionals } = parse(
    args,
    {
      substance: { type: 'string' },
      'loc-mg-m3': { type: 'string' },
      'rate-g-s': { type: 'string' },
      'wind-m-s': { type: 'string' },
      stability: { type: 'string' },
      'height-m': { type: 'string' },
      terrain: { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  if (positionals.length > 0) bad(`unexpected argument "${positionals[0]}"`);
  let locs: number[];
  let label: string;
  if (values.substance !== undefined) {
    if (values['loc-mg-m3'] !== undefined) bad('give --substance or --loc-mg-m3, not both');
    const s = Object.hasOwn(SUBSTANCES, values.substance) ? SUBSTANCES[values.substance] : undefined;
    if (!s) bad(`--substance: unknown substance "${values.substance}"; known: ${Object.keys(SUBSTANCES).join(', ')}`);
    locs = levelsOfConcern(s);
    label = `${s.name} (AEGL-1/2/3, 60 min)`;
  } else if (values['loc-mg-m3'] !== undefined) {
    locs = values['loc-mg-m3'].split(',').map((v) => Number(v.trim()));
    if (locs.length !== 3 || locs.some((v) => !Number.isFinite(v) || v <= 0)) bad('--loc-mg-m3: expected three positive numbers A,B,C');
    label = 'levels of concern given';
  } else {
    bad('give --substance NAME or --loc-mg-m3 A,B,C');
  }
  const rate = numberOption('rate-g-s', values['rate-g-s'], 1e7) ?? bad('--rate-g-s is required');
  const wind = numberOption('wind-m-s', values['wind-m-s'], 50) ?? bad('--wind-m-s is required');
  if (wind < MIN_WIND_M_S) bad(`--wind-m-s: the Gaussian plume is not valid below ${MIN_WIND_M_S} m/s (as in ALOHA), got ${wind}`);
  const stability = (values.stability ?? bad('--stability is required')).toUpperCase();
  if (!(STABILITY_CLASSES as readonly string[]).includes(stability))
    bad(`--stability: expected one of A, B, C, D, E, F, got "${values.stability}"`);
  const heightRaw = values['height-m'];
  const height = heightRaw === undefined ? 0 : heightRaw.trim() === '' ? NaN : Number(heightRaw);
  if (!Number.isFinite(height) || height < 0 || height > 500) bad(`--height-m: expected a number from 0 to 500, got "${heightRaw}"`);
  const terrain = values.terrain ?? 'rural';
  if (terrain !== 'rural' && terrain !== 'urban') bad(`--terrain: expected rural or urban, got "${terrain}"`);
  const p: PlumeParams = { rateGPerS: rate, windMPerS: wind, stability: stability as StabilityClass, heightM: height, terrain };
  const zones = locs.map((loc, i) => ({ level: i + 1, ...threatZone(p, loc) }));
  if (values.json) {
    const out = {
      kind: 'dsim.plume',
      model: 'steady Gaussian plume, ground reflection, Briggs (1973) sigmas',
      input: p,
      zones: zones.map((z) => ({
        level: z.level,
        locMgM3: r7(z.locMgM3),
        distanceM: r7(z.distanceM),
        capped: z.capped,
        maxHalfWidthM: r7(z.maxHalfWidthM),
        atDistanceM: r7(z.atDistanceM),
        areaKm2: r7(z.areaM2 / 1e6),
      })),
      limits: 'neutrally buoyant gas; wind >= 1 m/s; flat terrain; distances capped at 10 km',
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const lines = [
    `Gaussian plume, ${terrain} Briggs sigmas: Q ${rate} g/s, u ${wind} m/s, class ${stability}, H ${height} m — ${label}`,
    'level  LOC (mg/m3)  downwind distance (m)  max half-width (m)  at (m)  area (km2)',
    ...zones.map((z) =>
      [
        `  ${z.level}  `,
        z.locMgM3.toPrecision(4).padStart(11),
        `${z.capped ? '>' : ''}${Math.round(z.distanceM)}`.padStart(22),
        String(Math.round(z.maxHalfWidthM)).padStart(19),
        String(Math.round(z.atDistanceM)).padStart(7),
        (z.areaM2 / 1e6).toFixed(3).padStart(11),
      ].join(''),
    ),
    'Limits: neutrally buoyant gas, steady wind >= 1 m/s, flat terrain; ">" marks zones capped at 10 km.',
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

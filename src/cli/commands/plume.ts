import { DsimError, ErrorCodes, type Params } from '../../errors.js';
import { type Lang, type MessageKey, t } from '../../i18n/messages.js';
import { r7 } from '../../kpi/summary.js';
import {
  type DispersionModel,
  denseBuoyantParams,
  densePlumeDispersion,
  densePuffDispersion,
  denserThanAirWhenFlashed,
  dispersionFor,
} from '../../physics/chemical/dense.js';
import { MIN_WIND_M_S, type PlumeParams, STABILITY_CLASSES, type StabilityClass, threatZone } from '../../physics/chemical/plume.js';
import { levelsOfConcern, SUBSTANCES, type Substance } from '../../physics/chemical/substances.js';
import { grid } from '../../report/table.js';
import { langOption, numberOption, parse } from '../args.js';
import { COMMAND_USAGE } from '../usage.js';

const USAGE = COMMAND_USAGE.plume;
const LIMITS =
  'steady wind >= 1 m/s, flat terrain, distances capped at 10 km; dense gas: a ground release flashing at its boiling point, no aerosol';

function bad(key: MessageKey, params: Params = {}): never {
  throw DsimError.of(ErrorCodes.RUN_OPTION, key, params, `\nusage: ${USAGE}`);
}

const MODELS: readonly DispersionModel[] = ['auto', 'gaussian', 'dense'];

/**
 * Threat zones of a steady release (or, with --mass-kg, an instantaneous one) at three levels of
 * concern: the Gaussian plume (Briggs σ), the dense-gas correlations, or auto (dense when the
 * workbook's criterion says the cloud is dense; needs --substance for the gas's density).
 */
export function plumeCommand(args: string[]): number {
  const { values, positionals } = parse(
    args,
    {
      substance: { type: 'string' },
      'loc-mg-m3': { type: 'string' },
      'rate-g-s': { type: 'string' },
      'mass-kg': { type: 'string' },
      model: { type: 'string' },
      'wind-m-s': { type: 'string' },
      stability: { type: 'string' },
      'height-m': { type: 'string' },
      terrain: { type: 'string' },
      json: { type: 'boolean' },
      lang: { type: 'string' },
    },
    USAGE,
  );
  const lang = langOption(values.lang);
  if (positionals.length > 0) bad('err.unexpectedArgument', { arg: positionals[0]! });
  let locs: number[];
  let label: string;
  let substance: Substance | undefined;
  if (values.substance !== undefined) {
    if (values['loc-mg-m3'] !== undefined) bad('err.substanceOrLoc');
    const id = substanceId(values.substance);
    const s = id === undefined ? undefined : SUBSTANCES[id];
    if (!s || id === undefined)
      bad('err.unknownSubstance', {
        name: values.substance,
        known: Object.keys(SUBSTANCES)
          .map((k) => `${k} (${t('zh', `substance.${k}` as MessageKey)})`)
          .join(', '),
      });
    locs = levelsOfConcern(s);
    substance = s;
    label = t(lang, 'plume.aegl', { substance: t(lang, `substance.${id}` as MessageKey) });
  } else if (values['loc-mg-m3'] !== undefined) {
    locs = values['loc-mg-m3'].split(',').map((v) => Number(v.trim()));
    if (locs.length !== 3 || locs.some((v) => !Number.isFinite(v) || v <= 0)) bad('err.locTriple');
    label = t(lang, 'plume.locGiven');
  } else {
    bad('err.substanceOrLocNeeded');
  }
  const model = (values.model ?? (substance ? 'auto' : 'gaussian')) as DispersionModel;
  if (!MODELS.includes(model)) bad('err.choiceOption', { name: 'model', choices: MODELS.join(', '), raw: String(values.model) });
  if (model !== 'gaussian' && substance === undefined) bad('err.modelNeedsSubstance', { model });
  if (model === 'dense' && substance && !denserThanAirWhenFlashed(substance)) bad('err.denseBuoyant', denseBuoyantParams(substance));
  if (values['rate-g-s'] !== undefined && values['mass-kg'] !== undefined) bad('err.rateOrMass');
  const massKg = numberOption('mass-kg', values['mass-kg'], 1e7);
  const rate =
    massKg !== undefined
      ? 0
      : (numberOption('rate-g-s', values['rate-g-s'], 1e7) ?? bad('err.optionRequired', { option: '--rate-g-s / --mass-kg' }));
  const wind = numberOption('wind-m-s', values['wind-m-s'], 50) ?? bad('err.optionRequired', { option: '--wind-m-s' });
  if (wind < MIN_WIND_M_S) bad('err.windTooLow', { min: MIN_WIND_M_S, wind });
  const stability = (values.stability ?? bad('err.optionRequired', { option: '--stability' })).toUpperCase();
  if (!(STABILITY_CLASSES as readonly string[]).includes(stability))
    bad('err.choiceOption', { name: 'stability', choices: 'A, B, C, D, E, F', raw: String(values.stability) });
  const heightRaw = values['height-m'];
  const height = heightRaw === undefined ? 0 : heightRaw.trim() === '' ? NaN : Number(heightRaw);
  if (!Number.isFinite(height) || height < 0 || height > 500)
    bad('err.numberRange', { name: 'height-m', min: 0, max: 500, raw: String(heightRaw) });
  const terrain = values.terrain ?? 'rural';
  if (terrain !== 'rural' && terrain !== 'urban') bad('err.choiceOption', { name: 'terrain', choices: 'rural, urban', raw: terrain });
  const p: PlumeParams = { rateGPerS: rate, windMPerS: wind, stability: stability as StabilityClass, heightM: height, terrain };
  const d = substance ? dispersionFor(substance, p, model, massKg) : dispersionFor(SUBSTANCES['chlorine']!, p, 'gaussian', massKg);
  const zones = locs.map((loc, i) => ({ level: i + 1, ...threatZone(d, loc) }));
  // The dense cloud's parameters, also when auto kept the Gaussian (so the user sees why).
  const cloud =
    substance && model !== 'gaussian' && denserThanAirWhenFlashed(substance)
      ? (massKg === undefined ? densePlumeDispersion(substance, p) : densePuffDispersion(substance, massKg, p)).cloud
      : undefined;
  const release = massKg === undefined ? t(lang, 'plume.rate', { rate }) : t(lang, 'plume.mass', { mass: massKg });
  const modelIn = (l: Lang): string => {
    const form = t(l, massKg === undefined ? 'plume.form.plume' : 'plume.form.puff');
    return d.model === 'dense'
      ? t(l, 'plume.dense', { form, from: Math.round(cloud!.passiveFromM) })
      : t(l, 'plume.gaussian', { form, terrain: t(l, `plume.terrain.${terrain}` as MessageKey) });
  };
  const modelText = modelIn('en');
  const why = !cloud
    ? substance && model !== 'gaussian'
      ? t(lang, 'plume.passive')
      : undefined
    : cloud.richardson === 0
      ? t(lang, 'plume.passive')
      : t(lang, 'plume.criterion', {
          value: cloud.richardson.toFixed(2),
          threshold: massKg === undefined ? '0.15' : '0.2',
          alpha: Number.isFinite(cloud.alpha) ? cloud.alpha.toFixed(2) : '-inf',
          extrapolated: cloud.extrapolated ? t(lang, 'plume.extrapolated') : '',
        });
  if (values.json) {
    const out = {
      kind: 'dsim.plume',
      model: modelText,
      dense: cloud
        ? {
            criterion: r7(cloud.richardson),
            alpha: Number.isFinite(cloud.alpha) ? r7(cloud.alpha) : null,
            used: d.model === 'dense',
            passiveFromM: r7(cloud.passiveFromM),
          }
        : null,
      input: { ...p, massKg: massKg ?? null, model },
      zones: zones.map((z) => ({
        level: z.level,
        locMgM3: r7(z.locMgM3),
        distanceM: r7(z.distanceM),
        capped: z.capped,
        maxHalfWidthM: r7(z.maxHalfWidthM),
        atDistanceM: r7(z.atDistanceM),
        areaKm2: r7(z.areaM2 / 1e6),
      })),
      limits: LIMITS,
    };
    process.stdout.write(`${JSON.stringify(out, null, 2)}\n`);
    return 0;
  }
  const header = (['plume.level', 'plume.loc', 'plume.distance', 'plume.halfWidth', 'plume.at', 'plume.area'] as const).map((k) =>
    t(lang, k),
  );
  const rows = zones.map((z) => [
    String(z.level),
    z.locMgM3.toPrecision(4),
    `${z.capped ? '>' : ''}${Math.round(z.distanceM)}`,
    String(Math.round(z.maxHalfWidthM)),
    String(Math.round(z.atDistanceM)),
    (z.areaM2 / 1e6).toFixed(3),
  ]);
  const lines = [
    t(lang, 'plume.line', { model: modelIn(lang), release, wind, stability, height, label }),
    ...(why ? [t(lang, 'plume.check', { why })] : []),
    grid(header, rows),
    t(lang, 'plume.limits'),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/** Other names a county office writes for a substance (液氯 is chlorine as stored, 液氨 ammonia). */
const ALIASES: Readonly<Record<string, string>> = {
  液氯: 'chlorine',
  氯: 'chlorine',
  氨气: 'ammonia',
  液氨: 'ammonia',
  硫化氢气体: 'hydrogen-sulfide',
};

/** A substance's id from its id, its English or Chinese name in the catalogue, or a common alias (case and spaces ignored). */
export function substanceId(name: string): string | undefined {
  const n = name.trim().toLowerCase().replace(/\s+/g, ' ');
  for (const id of Object.keys(SUBSTANCES)) {
    const key = `substance.${id}` as MessageKey;
    if ([id, t('en', key).toLowerCase(), t('zh', key)].includes(n)) return id;
  }
  return ALIASES[n];
}

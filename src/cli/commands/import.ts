/**
 * `dsim import`: a scenario from a county's own files (src/import/). Writes scenario.yaml,
 * import-manifest.json and import-report.zh.md / import-report.en.md into --out, and prints the
 * findings in the asked language.
 */
import { existsSync, mkdirSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join } from 'node:path';
import { DsimError, ErrorCodes, tell } from '../../errors.js';
import { encodingNamed } from '../../geo/text.js';
import { DEPTH_UNITS, type DepthUnit } from '../../import/depth.js';
import { importError } from '../../import/inputs.js';
import { type ImportOptions, resolveSpec, runImport } from '../../import/pipeline.js';
import { renderImportHtml, renderImportReport } from '../../import/qa.js';
import { writeSampleCounty } from '../../import/sample.js';
import type { ZoneFields } from '../../import/zones.js';
import { choiceError, langOption, parse } from '../args.js';
import { checkOutputTarget, writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

const USAGE = COMMAND_USAGE.import;

function fields(raw: string | undefined, option: string): ZoneFields {
  const out: ZoneFields = {};
  for (const part of (raw ?? '').split(',').filter((p) => p.trim() !== '')) {
    const m = /^\s*(code|name|population|households)\s*=\s*(.+?)\s*$/.exec(part);
    if (!m) throw choiceError(option, ['code=COLUMN', 'name=COLUMN', 'population=COLUMN', 'households=COLUMN'], part);
    out[m[1] as keyof ZoneFields] = m[2]!;
  }
  return out;
}

function depths(raw: string[] | undefined): NonNullable<ImportOptions['depth']> {
  return (raw ?? []).map((arg) => {
    const m = /^(\d+(?:\.\d+)?)=(.+?)(?::(m|cm|ft))?$/.exec(arg);
    const rp = m ? Number(m[1]) : Number.NaN;
    if (!m || !(rp > 1 && rp <= 1e6)) throw importError('imp.err.depthArg', { arg });
    return { returnPeriodYears: rp, file: m[2]!, ...(m[3] !== undefined && { unit: m[3] as DepthUnit }) };
  });
}

/** An import.yaml: the options as data, paths relative to its folder. */
function readSpec(path: string): ImportOptions {
  if (!existsSync(path) || !statSync(path).isFile()) throw importError('imp.err.noFile', { file: path });
  const dir = dirname(path);
  return resolveSpec(readFileSync(path, 'utf8'), path, (_field, p) => (isAbsolute(p) ? p : join(dir, p)));
}

export async function importCommand(args: string[]): Promise<number> {
  const { values } = parse(
    args,
    {
      template: { type: 'string' },
      zones: { type: 'string' },
      'zones-crs': { type: 'string' },
      'zone-fields': { type: 'string' },
      census: { type: 'string' },
      'census-fields': { type: 'string' },
      encoding: { type: 'string' },
      roads: { type: 'string' },
      depth: { type: 'string', multiple: true },
      'depth-unit': { type: 'string' },
      'depth-crs': { type: 'string' },
      'nodata-as-dry': { type: 'boolean' },
      population: { type: 'string' },
      'population-crs': { type: 'string' },
      facilities: { type: 'string' },
      'facilities-crs': { type: 'string' },
      out: { type: 'string', short: 'o' },
      inputs: { type: 'string' },
      sample: { type: 'string' },
      lang: { type: 'string' },
    },
    USAGE,
  );
  const lang = langOption(values.lang);
  if (values.sample !== undefined) {
    const dir = values.sample;
    if (existsSync(dir) && (!statSync(dir).isDirectory() || readdirSync(dir).length > 0))
      throw DsimError.of(ErrorCodes.OUTPUT, 'imp.err.sampleNotEmpty', { dir });
    let written: string[];
    try {
      written = writeSampleCounty(dir);
    } catch (e) {
      throw DsimError.of(ErrorCodes.OUTPUT, 'err.cannotWrite', { target: dir, reason: e instanceof Error ? e.message : String(e) });
    }
    for (const f of written) process.stdout.write(`${join(dir, f)}\n`);
    return 0;
  }
  const spec = values.inputs === undefined ? undefined : readSpec(values.inputs);
  const template = values.template ?? spec?.template;
  const zones = values.zones ?? spec?.zones;
  if (template === undefined)
    throw DsimError.of(ErrorCodes.USAGE, 'err.optionRequired', { option: '--template (or --inputs)' }, `\nusage: ${USAGE}`);
  if (zones === undefined)
    throw DsimError.of(ErrorCodes.USAGE, 'err.optionRequired', { option: '--zones (or --inputs)' }, `\nusage: ${USAGE}`);
  if (values.out === undefined) throw DsimError.of(ErrorCodes.USAGE, 'err.optionRequired', { option: '--out' }, `\nusage: ${USAGE}`);
  const encoding = values.encoding === undefined ? spec?.encoding : encodingNamed(values.encoding);
  if (values.encoding !== undefined && encoding === undefined) throw choiceError('encoding', ['utf-8', 'gbk'], values.encoding);
  const unit = values['depth-unit'] ?? spec?.depthUnit;
  if (unit !== undefined && !(unit in DEPTH_UNITS)) throw importError('imp.err.depthUnit', { unit });
  const out = values.out;
  if (!existsSync(out)) mkdirSync(out);
  const files = [
    'scenario.yaml',
    'import-manifest.json',
    'import-report.zh.md',
    'import-report.en.md',
    'import-report.zh.html',
    'import-report.en.html',
    'zones.geojson',
  ].map((f) => join(out, f));
  for (const f of files) checkOutputTarget(f);
  const given = <K extends keyof ImportOptions>(k: K, v: ImportOptions[K] | undefined) => (v === undefined ? {} : { [k]: v });
  const r = await runImport({
    ...spec,
    template,
    zones,
    ...given('zoneFields', values['zone-fields'] === undefined ? undefined : fields(values['zone-fields'], 'zone-fields')),
    ...given('censusFields', values['census-fields'] === undefined ? undefined : fields(values['census-fields'], 'census-fields')),
    ...given('depth', values.depth === undefined ? undefined : depths(values.depth)),
    ...given('nodataAsDry', values['nodata-as-dry']),
    ...given('zonesCrs', values['zones-crs']),
    ...given('census', values.census),
    ...given('encoding', encoding),
    ...given('roads', values.roads),
    ...given('depthUnit', unit as DepthUnit | undefined),
    ...given('depthCrs', values['depth-crs']),
    ...given('facilities', values.facilities),
    ...given('facilitiesCrs', values['facilities-crs']),
    ...given('population', values.population),
    ...given('populationCrs', values['population-crs']),
  });
  writeOutput(files[0]!, r.yaml);
  writeOutput(files[1]!, `${JSON.stringify(r.manifest, null, 2)}\n`);
  writeOutput(files[2]!, renderImportReport(r, 'zh'));
  writeOutput(files[3]!, renderImportReport(r, 'en'));
  writeOutput(files[4]!, renderImportHtml(r, 'zh'));
  writeOutput(files[5]!, renderImportHtml(r, 'en'));
  writeOutput(files[6]!, r.geometry);
  for (const f of r.log.findings) process.stderr.write(`${f.level === 'error' ? '✗' : '!'} ${f.code}: ${tell(lang, f.key, f.params)}\n`);
  process.stdout.write(`${files.join('\n')}\n`);
  return 0;
}

/**
 * `dsim import`: a scenario from a county's own files (src/import/). Writes scenario.yaml,
 * import-manifest.json and import-report.zh.md / import-report.en.md into --out, and prints the
 * findings in the asked language.
 */
import { join } from 'node:path';
import { DsimError, ErrorCodes, tell } from '../../errors.js';
import { encodingNamed } from '../../geo/text.js';
import { DEPTH_UNITS, type DepthUnit } from '../../import/depth.js';
import { importError } from '../../import/inputs.js';
import { type ImportOptions, runImport } from '../../import/pipeline.js';
import { renderImportReport } from '../../import/qa.js';
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
    const m = /^(\d+(?:\.\d+)?)=(.+)$/.exec(arg);
    const rp = m ? Number(m[1]) : Number.NaN;
    if (!m || !(rp > 1 && rp <= 1e6)) throw importError('imp.err.depthArg', { arg });
    return { returnPeriodYears: rp, file: m[2]! };
  });
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
      facilities: { type: 'string' },
      'facilities-crs': { type: 'string' },
      out: { type: 'string', short: 'o' },
      lang: { type: 'string' },
    },
    USAGE,
  );
  const lang = langOption(values.lang);
  for (const required of ['template', 'zones', 'out'] as const) {
    if (values[required] === undefined)
      throw DsimError.of(ErrorCodes.USAGE, 'err.optionRequired', { option: `--${required}` }, `\nusage: ${USAGE}`);
  }
  const encoding = values.encoding === undefined ? undefined : encodingNamed(values.encoding);
  if (values.encoding !== undefined && encoding === undefined) {
    throw choiceError('encoding', ['utf-8', 'gbk'], values.encoding);
  }
  const unit = values['depth-unit'];
  if (unit !== undefined && !(unit in DEPTH_UNITS)) throw importError('imp.err.depthUnit', { unit });
  const out = values.out!;
  const files = ['scenario.yaml', 'import-manifest.json', 'import-report.zh.md', 'import-report.en.md'].map((f) => join(out, f));
  for (const f of files) checkOutputTarget(f);
  const r = await runImport({
    template: values.template!,
    zones: values.zones!,
    zoneFields: fields(values['zone-fields'], 'zone-fields'),
    censusFields: fields(values['census-fields'], 'census-fields'),
    depth: depths(values.depth),
    nodataAsDry: values['nodata-as-dry'] === true,
    ...(values['zones-crs'] !== undefined && { zonesCrs: values['zones-crs'] }),
    ...(values.census !== undefined && { census: values.census }),
    ...(encoding !== undefined && { encoding }),
    ...(values.roads !== undefined && { roads: values.roads }),
    ...(unit !== undefined && { depthUnit: unit as DepthUnit }),
    ...(values['depth-crs'] !== undefined && { depthCrs: values['depth-crs'] }),
    ...(values.facilities !== undefined && { facilities: values.facilities }),
    ...(values['facilities-crs'] !== undefined && { facilitiesCrs: values['facilities-crs'] }),
  });
  writeOutput(files[0]!, r.yaml);
  writeOutput(files[1]!, `${JSON.stringify(r.manifest, null, 2)}\n`);
  writeOutput(files[2]!, renderImportReport(r, 'zh'));
  writeOutput(files[3]!, renderImportReport(r, 'en'));
  for (const f of r.log.findings) process.stderr.write(`${f.level === 'error' ? '✗' : '!'} ${f.code}: ${tell(lang, f.key, f.params)}\n`);
  process.stdout.write(`${files.join('\n')}\n`);
  return 0;
}

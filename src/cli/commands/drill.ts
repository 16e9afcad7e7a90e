/**
 * `dsim drill SCENARIO`: a drill script from one simulated replication (drill/build.ts), told by
 * drill/render.ts in the language, format and for the audience asked.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { buildDrill } from '../../drill/build.js';
import {
  AUDIENCES,
  type Audience,
  DRILL_FORMATS,
  DRILL_MODES,
  type DrillFormat,
  type DrillMode,
  drillSpanMinutes,
  MAX_COMPRESS,
  parseStart,
  renderDrill,
  renderPackage,
} from '../../drill/render.js';
import { DsimError, ErrorCodes } from '../../errors.js';
import { t as tr } from '../../i18n/messages.js';
import { EXEMPLAR_KPIS, type ExemplarKpi } from '../../kpi/accumulator.js';
import { SEVERITIES, type Severity } from '../../kpi/result.js';
import { WorkerPool } from '../../run/pool.js';
import { ThreadExecutor } from '../../run/thread.js';
import { loadScenario } from '../../scenario/load.js';
import { choiceOption, intOption, langOption, numberOption, parse } from '../args.js';
import { checkOutputTarget, writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

const USAGE = COMMAND_USAGE.drill;

export async function drillCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      severity: { type: 'string' },
      replication: { type: 'string', short: 'r' },
      hazard: { type: 'string' },
      kpi: { type: 'string' },
      lang: { type: 'string' },
      format: { type: 'string' },
      start: { type: 'string' },
      compress: { type: 'string' },
      duration: { type: 'string' },
      mode: { type: 'string' },
      package: { type: 'string' },
      audience: { type: 'string' },
      replications: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      'deadline-hours': { type: 'string' },
      workers: { type: 'string', short: 'w' },
      out: { type: 'string', short: 'o' },
    },
    USAGE,
  );
  const lang = langOption(values.lang);
  if (positionals.length !== 1) throw DsimError.of(ErrorCodes.USAGE, 'err.oneScenario', { command: 'drill' }, `\nusage: ${USAGE}`);
  const severity = choiceOption<Severity>('severity', values.severity, SEVERITIES);
  const replication = intOption('replication', values.replication, 0, 1e12);
  if (severity !== undefined && replication !== undefined) {
    throw DsimError.of(ErrorCodes.USAGE, 'err.severityOrReplication', {}, `\nusage: ${USAGE}`);
  }
  const kpi = choiceOption<ExemplarKpi>('kpi', values.kpi, EXEMPLAR_KPIS);
  const format = choiceOption<DrillFormat>('format', values.format, DRILL_FORMATS) ?? 'md';
  const audience = choiceOption<Audience>('audience', values.audience, AUDIENCES) ?? 'controller';
  const mode = choiceOption<DrillMode>('mode', values.mode, DRILL_MODES) ?? 'functional';
  if (values.compress !== undefined && values.duration !== undefined) throw DsimError.of(ErrorCodes.USAGE, 'err.compressOrDuration');
  const compressed = values.compress === undefined ? 1 : Number(values.compress);
  if (!(compressed >= 1 && compressed <= MAX_COMPRESS))
    throw DsimError.of(ErrorCodes.USAGE, 'err.compress', { raw: values.compress ?? '', max: MAX_COMPRESS });
  const duration = values.duration === undefined ? undefined : durationMinutes(values.duration);
  if (values.package !== undefined && (values.format !== undefined || values.out !== undefined))
    throw DsimError.of(ErrorCodes.USAGE, 'err.packageFormat');
  if (values.start !== undefined) parseStart(values.start);
  const out = values.out ?? '-';
  checkOutputTarget(out);
  const replications = intOption('replications', values.replications, 10, 10_000_000);
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER);
  const deadlineHours = numberOption('deadline-hours', values['deadline-hours'], 720);
  const workers = intOption('workers', values.workers, 1, 1024) ?? availableParallelism();
  const executor = workers > 1 ? new WorkerPool(workers) : new ThreadExecutor();
  try {
    const drill = await buildDrill(loadScenario(positionals[0]!).scenario, {
      executor,
      ...(severity !== undefined && { severity }),
      ...(replication !== undefined && { replication }),
      ...(values.hazard !== undefined && { hazard: values.hazard }),
      ...(kpi !== undefined && { kpi }),
      ...(replications !== undefined && { replications }),
      ...(seed !== undefined && { seed }),
      ...(deadlineHours !== undefined && { deadlineHours }),
    });
    // --duration: the compression that fits the drill's span into it (never slower than real time)
    const compress =
      duration === undefined ? compressed : Math.min(MAX_COMPRESS, Math.max(1, Math.round((drillSpanMinutes(drill) / duration) * 10) / 10));
    const view = { lang, compress, mode, ...(values.start !== undefined && { start: values.start }) };
    if (values.package !== undefined) {
      mkdirSync(values.package, { recursive: true });
      const files = renderPackage(drill, view);
      for (const [name, text] of Object.entries(files)) writeFileSync(join(values.package, name), text);
      process.stderr.write(`${tr(lang, 'drill.packaged', { files: Object.keys(files).length, dir: values.package })}\n`);
    } else writeOutput(out, renderDrill(drill, format, { ...view, audience }));
  } finally {
    await executor.close();
  }
  return 0;
}

/** `3h`, `90m`, `1.5h` as minutes (1 minute to 30 days), or a usage error naming the option. */
function durationMinutes(raw: string): number {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(h|m|min|小时|分钟)\s*$/i.exec(raw);
  const minutes = m ? Number(m[1]) * (m[2]!.toLowerCase() === 'h' || m[2] === '小时' ? 60 : 1) : Number.NaN;
  if (!(minutes >= 1 && minutes <= 30 * 24 * 60)) throw DsimError.of(ErrorCodes.USAGE, 'err.duration', { raw });
  return minutes;
}

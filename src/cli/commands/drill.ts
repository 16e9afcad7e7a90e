/**
 * `dsim drill SCENARIO`: a drill script from one simulated replication (drill/build.ts), told by
 * drill/render.ts in the language, format and for the audience asked.
 */
import { availableParallelism } from 'node:os';
import { buildDrill } from '../../drill/build.js';
import { type Audience, COMPRESSIONS, DRILL_FORMATS, type DrillFormat, parseStart, renderDrill } from '../../drill/render.js';
import { DsimError, ErrorCodes } from '../../errors.js';
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
  const audience = choiceOption<Audience>('audience', values.audience, ['controller', 'players']) ?? 'controller';
  const compress = Number(choiceOption('compress', values.compress, COMPRESSIONS.map(String)) ?? 1);
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
    writeOutput(out, renderDrill(drill, format, { lang, audience, compress, ...(values.start !== undefined && { start: values.start }) }));
  } finally {
    await executor.close();
  }
  return 0;
}

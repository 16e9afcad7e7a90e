import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { DsimError, ErrorCodes } from '../../errors.js';
import { t } from '../../i18n/messages.js';
import { CSV_TABLES, csvTables, ensureCsvFolder } from '../../report/csv.js';
import { geometryOf, renderReport } from '../../report/html.js';
import { renderTable } from '../../report/table.js';
import { queueUrl, redisConnection } from '../../run/queue/url.js';
import { CI_KPIS, executeRun, resultOf } from '../../run/runner.js';
import { loadScenario } from '../../scenario/load.js';
import { findBinds } from '../../studies/binds.js';
import { intOption, langOption, modeOption, numberOption, parse } from '../args.js';
import { EXIT_CODES } from '../exit-codes.js';
import { checkOutputTarget, writeResult } from '../output.js';
import { progressBar, withBar } from '../progress.js';
import { COMMAND_USAGE } from '../usage.js';

const USAGE = COMMAND_USAGE.run;

export async function runCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      replications: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      'deadline-hours': { type: 'string' },
      mode: { type: 'string' },
      workers: { type: 'string', short: 'w' },
      'until-ci': { type: 'string' },
      'max-replications': { type: 'string' },
      'ci-kpis': { type: 'string' },
      queue: { type: 'string' },
      json: { type: 'string' },
      'no-timing': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      progress: { type: 'boolean' },
      lang: { type: 'string' },
      csv: { type: 'string' },
      report: { type: 'string' },
    },
    USAGE,
  );
  const lang = langOption(values.lang);
  if (values.csv !== undefined) {
    ensureCsvFolder(values.csv);
    for (const name of CSV_TABLES) checkOutputTarget(join(values.csv, name));
  }
  if (values.report !== undefined) checkOutputTarget(values.report);
  if (positionals.length !== 1) throw DsimError.of(ErrorCodes.USAGE, 'err.oneScenario', { command: 'run' }, `\nusage: ${USAGE}`);
  const replications = intOption('replications', values.replications, 1, 10_000_000);
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER);
  const deadlineHours = numberOption('deadline-hours', values['deadline-hours'], 720);
  const workers = intOption('workers', values.workers, 1, 1024) ?? availableParallelism();
  const untilCi = numberOption('until-ci', values['until-ci'], 1e12);
  const maxReplications = intOption('max-replications', values['max-replications'], 1, 100_000_000);
  const mode = modeOption(values.mode);
  if (untilCi === undefined && (maxReplications !== undefined || values['ci-kpis'] !== undefined)) {
    throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.untilCiOptions');
  }
  if (untilCi !== undefined && replications !== undefined) {
    throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.untilCiReplications');
  }
  const ciKpis = values['ci-kpis']?.split(',').map((k) => k.trim());
  for (const k of ciKpis ?? []) {
    if (!(k in CI_KPIS)) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.unknownCiKpi', { kpi: k, known: Object.keys(CI_KPIS).join(', ') });
  }
  const queue = values.queue === undefined ? undefined : queueUrl(values.queue);
  if (queue !== undefined) redisConnection(queue); // a clear error for a malformed URL before anything runs
  if (values.json !== undefined) checkOutputTarget(values.json);
  const { scenario, file } = loadScenario(positionals[0]!);
  // The report's map: the scenario's polygons when it names them, checked before the run.
  const geometry = values.report === undefined ? undefined : geometryOf(scenario, file);
  if (geometry?.problem) process.stderr.write(`dsim: ${t(lang, 'err.geometryUnread', geometry.problem)}\n`);
  const bar = progressBar(scenario.id, { lines: values.progress === true, lang });
  const abort = new AbortController();
  const onSigint = (): void => abort.abort(new Error('interrupted'));
  process.once('SIGINT', onSigint);
  let out: Awaited<ReturnType<typeof executeRun>>;
  try {
    out = await executeRun(scenario, {
      ...(queue !== undefined && { queue }),
      workers,
      ...(seed !== undefined && { seed }),
      ...(replications !== undefined && { replications }),
      ...(deadlineHours !== undefined && { deadlineHours }),
      ...(mode !== undefined && { mode }),
      ...(untilCi !== undefined && { untilCi }),
      ...(maxReplications !== undefined && { maxReplications }),
      ...(ciKpis !== undefined && { ciKpis }),
      onProgress: (p) => bar.update(p.done, p.total),
      signal: abort.signal,
    });
  } finally {
    process.off('SIGINT', onSigint);
    bar.end();
  }
  const result = resultOf(out, { timing: !values['no-timing'] });
  const json = values.json;
  // The table first: if the file cannot be written after all, the run's figures are still shown
  // (and the JSON is saved in the temporary folder, writeResult says where).
  if (json !== '-' && !values.quiet) process.stdout.write(renderTable(result, lang));
  if (json !== undefined) writeResult(json, `${JSON.stringify(result, null, 2)}\n`);
  if (values.csv !== undefined)
    for (const [name, text] of Object.entries(csvTables(result, lang))) writeResult(join(values.csv, name), text);
  if (values.report !== undefined) {
    // What binds relief, by counterfactual, for a run with people displaced (dsim binds, ≤ 400 replications: events or years).
    const binds =
      result.kpis.reliefWithinDeadline.mean !== null && !out.failure && !out.interrupted
        ? await withBar('binds', (onProgress, signal) =>
            findBinds(scenario, {
              replications: Math.min(result.replications, 400),
              seed: result.seed,
              ...(deadlineHours !== undefined && { deadlineHours }),
              onProgress,
              signal,
            }),
          )
        : undefined;
    writeResult(values.report, renderReport(result, lang, geometry, binds));
  }
  if (out.failure) {
    process.stderr.write(`dsim: ${out.failure.message}; the results above cover the ${out.replications} replications merged before\n`);
    return EXIT_CODES[out.failure.code];
  }
  if (out.interrupted) {
    process.stderr.write(`dsim: ${t(lang, 'run.interruptedAfter', { n: out.replications })}\n`);
    return 130;
  }
  return 0;
}

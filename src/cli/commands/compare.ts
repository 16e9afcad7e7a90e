/**
 * `dsim compare`, `dsim sweep`, `dsim size` and `dsim binds`: variants of a scenario on the same
 * replications (common random numbers), compared pairwise, over a grid, searched for the smallest
 * value that meets a target with a stated confidence, or relaxed one constraint at a time.
 */
import { readFileSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { DsimError, ErrorCodes, type Params } from '../../errors.js';
import { type Lang, type MessageKey, t } from '../../i18n/messages.js';
import { RunResult } from '../../kpi/result.js';
import { bindsAnswer, renderBinds } from '../../report/binds.js';
import { renderCheapest, renderComparison, renderSizing, renderSweep, sweepCsv, varyName } from '../../report/compare.js';
import { renderCheapestReport, renderComparisonReport, renderSizingReport, renderSweepReport } from '../../report/study-html.js';
import type { Executor } from '../../run/executor.js';
import { WorkerPool } from '../../run/pool.js';
import { ThreadExecutor } from '../../run/thread.js';
import { loadScenario, validateScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/schema.js';
import { applySets, numberAt, parseAssignment, parsePath } from '../../scenario/set.js';
import { findBinds } from '../../studies/binds.js';
import { comparePaired, compareStored, MAX_SWEEP_POINTS, runSweep, type Variant } from '../../studies/compare.js';
import { cheapestCombination, sizeReserve, withValue } from '../../studies/size.js';
import { intOption, langOption, numberOption, parse } from '../args.js';
import { checkOutputTarget, writeOutput } from '../output.js';
import { withBar } from '../progress.js';
import { COMMAND_USAGE } from '../usage.js';

const COMMON = {
  lang: { type: 'string' },
  replications: { type: 'string', short: 'n' },
  workers: { type: 'string', short: 'w' },
  seed: { type: 'string' },
  'deadline-hours': { type: 'string' },
  json: { type: 'string' },
  report: { type: 'string' },
} as const;

/** At most this many values in one range. */
const MAX_POINTS = MAX_SWEEP_POINTS;

function usage(command: 'compare' | 'sweep' | 'size' | 'binds', key: MessageKey, params: Params = {}): never {
  throw DsimError.of(ErrorCodes.RUN_OPTION, key, params, `\nusage: ${COMMAND_USAGE[command]}`);
}

function withSets(s: Scenario, sets: readonly string[]): Scenario {
  if (sets.length === 0) return s;
  return validateScenario(applySets(s, sets.map(parseAssignment)), `--set ${sets.join(' --set ')}`);
}

/** A worker pool for `--workers` above 1 (default: the machine's cores), else this thread. */
function executorFor(raw: string | undefined): Executor {
  const workers = intOption('workers', raw, 1, 1024) ?? availableParallelism();
  return workers > 1 ? new WorkerPool(workers) : new ThreadExecutor();
}

/** `dsim compare A [B…] [--set PATH=V…]`: each scenario a variant; `--set` adds the first with the changes. */
export async function compareCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { ...COMMON, set: { type: 'string', multiple: true }, results: { type: 'boolean' } },
    COMMAND_USAGE.compare,
  );
  if (values.results) return compareResultFiles(positionals, values.json, values.report, langOption(values.lang));
  if (positionals.length === 0) usage('compare', 'err.cmpOneScenario');
  const sets = values.set ?? [];
  if (positionals.length + (sets.length > 0 ? 1 : 0) < 2) usage('compare', 'err.cmpTwo');
  if (values.json !== undefined) checkOutputTarget(values.json);
  if (values.report !== undefined) checkOutputTarget(values.report);
  const deadlineHours = numberOption('deadline-hours', values['deadline-hours'], 720);
  const variants: Variant[] = positionals.map((name) => ({
    name,
    scenario: loadScenario(name).scenario,
    ...(deadlineHours !== undefined && { deadlineHours }),
  }));
  if (sets.length > 0) {
    variants.push({
      name: sets.join(' '),
      scenario: withSets(variants[0]!.scenario, sets),
      ...(deadlineHours !== undefined && { deadlineHours }),
    });
  }
  const replications = intOption('replications', values.replications, 1, 10_000_000) ?? variants[0]!.scenario.replications;
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER);
  const executor = executorFor(values.workers);
  const c = await withBar('compare', (onProgress, signal) =>
    comparePaired(variants, { replications, executor, ...(seed !== undefined && { seed }), onProgress, signal }),
  ).finally(() => executor.close());
  if (values.json !== undefined) writeOutput(values.json, `${JSON.stringify(c, null, 2)}\n`);
  if (values.report !== undefined) writeOutput(values.report, renderComparisonReport(c, langOption(values.lang)));
  if (values.json !== '-') process.stdout.write(`${renderComparison(c, langOption(values.lang))}\n`);
  return 0;
}

/** `FROM..TO:STEP` → the values, inclusive. */
export function rangeValues(spec: string, path: string): number[] {
  const m = /^\s*(-?[\d.e+]+)\s*\.\.\s*(-?[\d.e+]+)\s*(?::\s*([\d.e+]+)\s*)?$/i.exec(spec);
  const from = Number(m?.[1]);
  const to = Number(m?.[2]);
  const step = m?.[3] === undefined ? 1 : Number(m[3]);
  if (!m || !Number.isFinite(from) || !Number.isFinite(to) || !(step > 0) || to < from) {
    usage('sweep', 'err.sweepRange', { path, spec });
  }
  const n = Math.floor((to - from) / step + 1e-9) + 1;
  if (n > MAX_POINTS) usage('sweep', 'err.sweepTooMany', { path, spec, count: n, max: MAX_POINTS });
  return Array.from({ length: n }, (_, i) => Number((from + i * step).toPrecision(12)));
}

/** `dsim sweep SCENARIO --set PATH=FROM..TO:STEP [--set …]`: a grid on common random numbers. */
export async function sweepCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { ...COMMON, set: { type: 'string', multiple: true }, csv: { type: 'string' } },
    COMMAND_USAGE.sweep,
  );
  if (positionals.length !== 1) usage('sweep', 'err.oneScenario', { command: 'sweep' });
  const ranges: { path: string; values: number[] }[] = [];
  const fixed: string[] = [];
  for (const a of values.set ?? []) {
    const eq = a.indexOf('=');
    const spec = eq > 0 ? a.slice(eq + 1) : '';
    if (spec.includes('..')) {
      const path = a.slice(0, eq).trim();
      parsePath(path);
      ranges.push({ path, values: rangeValues(spec, path) });
    } else fixed.push(a);
  }
  if (ranges.length === 0) usage('sweep', 'err.sweepNoRange');
  if (values.json !== undefined) checkOutputTarget(values.json);
  if (values.csv !== undefined) checkOutputTarget(values.csv);
  if (values.report !== undefined) checkOutputTarget(values.report);
  const base = withSets(loadScenario(positionals[0]!).scenario, fixed);
  for (const r of ranges) numberAt(base, r.path);
  const deadlineHours = numberOption('deadline-hours', values['deadline-hours'], 720);
  const replications = intOption('replications', values.replications, 1, 10_000_000) ?? base.replications;
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER);
  const executor = executorFor(values.workers);
  const c = await withBar('sweep', (onProgress, signal) =>
    runSweep(base, ranges, {
      executor,
      replications,
      set: fixed.map(parseAssignment),
      ...(seed !== undefined && { seed }),
      ...(deadlineHours !== undefined && { deadlineHours }),
      onProgress,
      signal,
    }),
  ).finally(() => executor.close());
  if (values.csv !== undefined) writeOutput(values.csv, sweepCsv(c));
  if (values.report !== undefined) writeOutput(values.report, renderSweepReport(c, langOption(values.lang)));
  if (values.json !== undefined) writeOutput(values.json, `${JSON.stringify(c, null, 2)}\n`);
  if (values.json !== '-' && values.csv !== '-') process.stdout.write(`${renderSweep(c, langOption(values.lang))}\n`);
  return 0;
}

/** `dsim size SCENARIO --vary PATH --target ID [--confidence P] [--min A] [--max B]`. */
export async function sizeCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      ...COMMON,
      set: { type: 'string', multiple: true },
      vary: { type: 'string', multiple: true },
      cost: { type: 'string', multiple: true },
      target: { type: 'string' },
      confidence: { type: 'string' },
      min: { type: 'string' },
      max: { type: 'string' },
    },
    COMMAND_USAGE.size,
  );
  if (positionals.length !== 1) usage('size', 'err.oneScenario', { command: 'size' });
  const varies = values.vary ?? usage('size', 'err.varyRequired');
  const target = values.target ?? usage('size', 'err.targetRequired');
  if (values.json !== undefined) checkOutputTarget(values.json);
  if (values.report !== undefined) checkOutputTarget(values.report);
  const scenario = withSets(loadScenario(positionals[0]!).scenario, values.set ?? []);
  if (varies.length > 1 || values.cost !== undefined) return cheapestCommand(scenario, varies, values);
  const path = varies[0]!;
  const current = numberAt(scenario, path);
  const confidence = numberOption('confidence', values.confidence, 1) ?? 0.9;
  const num = (name: 'min' | 'max', raw: string | undefined): number | undefined => {
    if (raw === undefined) return undefined;
    const v = Number(raw);
    if (raw.trim() === '' || !Number.isFinite(v) || v < 0 || v > 1e12) usage('size', 'err.sizeNumber', { name, raw });
    return v;
  };
  const min = num('min', values.min) ?? 0;
  const max = num('max', values.max) ?? (current > 0 ? current * 4 : usage('size', 'err.maxRequired', { path }));
  const integer = Number.isInteger(current) && Number.isInteger(min) && Number.isInteger(max);
  const replications = intOption('replications', values.replications, 10, 10_000_000) ?? scenario.replications;
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER);
  const deadlineHours = numberOption('deadline-hours', values['deadline-hours'], 720);
  const executor = executorFor(values.workers);
  try {
    const s = await sizeReserve(scenario, {
      set: (values.set ?? []).map(parseAssignment),
      path,
      target,
      confidence,
      min,
      max,
      integer,
      replications,
      executor,
      ...(seed !== undefined && { seed }),
      ...(deadlineHours !== undefined && { deadlineHours }),
      onProbe: (p) => process.stderr.isTTY && process.stderr.write(`  ${path}=${p.value}: P(met) ${p.pMet ?? '—'}\n`),
    });
    // Not reached on relief: what else binds at the largest value tried (dsim binds there).
    const last = s.probes[s.probes.length - 1];
    const binds =
      s.answer === null && target === 'relief-within-deadline' && last
        ? await findBinds(withValue(scenario, path, last.value), {
            replications: Math.min(replications, 400),
            ...(seed !== undefined && { seed }),
            ...(deadlineHours !== undefined && { deadlineHours }),
          })
        : undefined;
    if (values.json !== undefined) writeOutput(values.json, `${JSON.stringify(binds ? { ...s, bindsAtMax: binds } : s, null, 2)}\n`);
    if (values.report !== undefined) writeOutput(values.report, renderSizingReport(s, langOption(values.lang)));
    if (values.json !== '-') {
      const lang = langOption(values.lang);
      const why = binds
        ? `\n${t(lang, 'size.bindsElsewhere', { path: varyName(s, path, lang), value: last!.value })} ${bindsAnswer(binds, lang)}`
        : '';
      process.stdout.write(`${renderSizing(s, lang)}${why}\n`);
    }
  } finally {
    await executor.close();
  }
  return 0;
}

/** `dsim size … --vary PATH=FROM..TO:STEP --vary … --cost PATH=CNY …`: the cheapest combination on the grid. */
async function cheapestCommand(
  scenario: Scenario,
  varies: readonly string[],
  values: {
    lang?: string;
    set?: string[];
    cost?: string[];
    confidence?: string;
    replications?: string;
    seed?: string;
    workers?: string;
    json?: string;
    report?: string;
    'deadline-hours'?: string;
    target?: string;
  },
): Promise<number> {
  const costs = new Map<string, number>();
  for (const c of values.cost ?? []) {
    const { path, value } = parseAssignment(c);
    if (typeof value !== 'number' || !(value >= 0)) usage('size', 'err.costForm', { arg: c });
    costs.set(path, value);
  }
  const ranges = varies.map((v) => {
    const eq = v.indexOf('=');
    if (eq <= 0 || !v.includes('..')) usage('size', 'err.varyForm', { arg: v });
    const path = v.slice(0, eq).trim();
    numberAt(scenario, path);
    const cost = costs.get(path) ?? usage('size', 'err.costRequired', { path });
    return { path, values: rangeValues(v.slice(eq + 1), path), costPerUnit: cost };
  });
  const executor = executorFor(values.workers);
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER);
  const deadlineHours = numberOption('deadline-hours', values['deadline-hours'], 720);
  try {
    const r = await cheapestCombination(scenario, {
      set: (values.set ?? []).map(parseAssignment),
      ranges,
      target: values.target!,
      confidence: numberOption('confidence', values.confidence, 1) ?? 0.9,
      replications: intOption('replications', values.replications, 10, 10_000_000) ?? scenario.replications,
      executor,
      ...(seed !== undefined && { seed }),
      ...(deadlineHours !== undefined && { deadlineHours }),
    });
    if (values.json !== undefined) writeOutput(values.json, `${JSON.stringify(r, null, 2)}\n`);
    if (values.report !== undefined) writeOutput(values.report, renderCheapestReport(r, langOption(values.lang)));
    if (values.json !== '-') process.stdout.write(`${renderCheapest(r, langOption(values.lang))}\n`);
  } finally {
    await executor.close();
  }
  return 0;
}

/** `dsim compare --results A.json B.json …`: stored results of the same seed, unpaired. */
function compareResultFiles(files: readonly string[], json: string | undefined, report: string | undefined, lang: Lang): number {
  if (files.length < 2) usage('compare', 'err.resultsTwo');
  const results = files.map((f) => {
    let data: unknown;
    try {
      data = JSON.parse(readFileSync(f, 'utf8'));
    } catch (e) {
      throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.resultUnreadable', { file: f, reason: (e as Error).message });
    }
    const parsed = RunResult.safeParse(data);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.notAResult', { file: f, path: i.path.join('.') || '(top level)', reason: i.message });
    }
    return { name: f, result: parsed.data };
  });
  if (json !== undefined) checkOutputTarget(json);
  if (report !== undefined) checkOutputTarget(report);
  const c = compareStored(results);
  if (json !== undefined) writeOutput(json, `${JSON.stringify(c, null, 2)}\n`);
  if (report !== undefined) writeOutput(report, renderComparisonReport(c, lang));
  if (json !== '-') process.stdout.write(`${renderComparison(c, lang)}\n`);
  return 0;
}

/** `dsim binds SCENARIO [--set PATH=VALUE…] [-n N] [--seed S] [--json FILE]`: what binds relief, by counterfactual. */
export async function bindsCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      lang: COMMON.lang,
      replications: COMMON.replications,
      seed: COMMON.seed,
      json: COMMON.json,
      'deadline-hours': COMMON['deadline-hours'],
      set: { type: 'string', multiple: true },
    },
    COMMAND_USAGE.binds,
  );
  if (positionals.length !== 1) usage('binds', 'err.oneScenario', { command: 'binds' });
  if (values.json !== undefined) checkOutputTarget(values.json);
  const scenario = withSets(loadScenario(positionals[0]!).scenario, values.set ?? []);
  const replications = intOption('replications', values.replications, 2, 1_000_000) ?? Math.max(scenario.replications, 400);
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER);
  const deadlineHours = numberOption('deadline-hours', values['deadline-hours'], 720);
  const b = await withBar('binds', (onProgress, signal) =>
    findBinds(scenario, {
      replications,
      ...(seed !== undefined && { seed }),
      ...(deadlineHours !== undefined && { deadlineHours }),
      set: (values.set ?? []).map(parseAssignment),
      onProgress,
      signal,
    }),
  );
  if (values.json !== undefined) writeOutput(values.json, `${JSON.stringify(b, null, 2)}\n`);
  if (values.json !== '-') process.stdout.write(`${renderBinds(b, langOption(values.lang))}\n`);
  return 0;
}

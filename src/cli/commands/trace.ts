import { availableParallelism } from 'node:os';
import { DsimError, ErrorCodes } from '../../errors.js';
import { EXEMPLAR_KPIS, type ExemplarKpi } from '../../kpi/accumulator.js';
import { SEVERITIES, type Severity } from '../../kpi/summary.js';
import { evaluatedTargets, type Overrides, withOverrides } from '../../run/local.js';
import { executeRun, resultOf } from '../../run/runner.js';
import { traceReplication } from '../../run/trace.js';
import { compile } from '../../scenario/compile.js';
import { loadScenario } from '../../scenario/load.js';
import { intOption, modeOption, parse } from '../args.js';
import { writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

const USAGE = COMMAND_USAGE.trace;

/** Day d, hh:mm of simulated minutes. */
function clock(minutes: number): string {
  const m = Math.floor(minutes);
  const d = Math.floor(m / 1440);
  const hh = String(Math.floor((m % 1440) / 60)).padStart(2, '0');
  const mm = String(m % 60).padStart(2, '0');
  return `${d > 0 ? `d${d} ` : ''}${hh}:${mm}`;
}

/** Prints one replication's timeline: replication N exactly as the run simulated it. */
export async function traceCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      replication: { type: 'string', short: 'r' },
      severity: { type: 'string' },
      kpi: { type: 'string' },
      replications: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      mode: { type: 'string' },
      json: { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length !== 1) throw DsimError.of(ErrorCodes.USAGE, 'err.oneScenario', { command: 'trace' }, `\nusage: ${USAGE}`);
  let replication = intOption('replication', values.replication, 0, 1e12);
  const severity = values.severity;
  if ((replication === undefined) === (severity === undefined)) {
    throw new DsimError(ErrorCodes.USAGE, `give either --replication or --severity\nusage: ${USAGE}`);
  }
  if (severity !== undefined && !(SEVERITIES as readonly string[]).includes(severity)) {
    throw new DsimError(ErrorCodes.RUN_OPTION, `--severity: expected ${SEVERITIES.join(', ')}, got "${severity}"`);
  }
  const kpi = values.kpi ?? 'reliefShare';
  if (!(EXEMPLAR_KPIS as readonly string[]).includes(kpi)) {
    throw new DsimError(ErrorCodes.RUN_OPTION, `--kpi: expected ${EXEMPLAR_KPIS.join(', ')}, got "${kpi}"`);
  }
  const replications = intOption('replications', values.replications, 1, 10_000_000);
  const mode = modeOption(values.mode);
  const { scenario } = loadScenario(positionals[0]!);
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER) ?? scenario.seed;
  const overrides: Overrides = {
    ...(mode && { mode }),
    seed,
    ...(replications !== undefined && { replications }),
  };
  if (severity !== undefined) {
    // the run first (same seed and count as `dsim run`), then its representative replication
    const run = resultOf(await executeRun(scenario, { ...overrides, workers: availableParallelism() }));
    const picked = run.representativeReplications[kpi as ExemplarKpi][severity as Severity];
    if (picked === null) throw new DsimError(ErrorCodes.RUN_OPTION, `--kpi ${kpi}: no replication of this run has a value for it`);
    replication = picked;
    process.stderr.write(`dsim: replication ${picked} is the ${severity} of ${kpi} over ${run.replications} replications\n`);
  }
  const model = compile(withOverrides(scenario, overrides));
  const targets = evaluatedTargets(model, overrides);
  const t = traceReplication(model, seed, replication!, targets);
  if (values.json !== undefined) {
    writeOutput(values.json, `${JSON.stringify(t, null, 2)}\n`);
    if (values.json === '-') return 0;
  }
  const f = t.facts;
  const lines = [
    `${scenario.name} (${t.scenario.id}), seed ${seed}, replication ${replication}: ${t.events.length} events`,
    `displaced ${Math.round(f.displaced)}, relieved ${Math.round(f.relieved)} (${Math.round(f.relievedByDeadline)} within ${targets.reliefDeadlineHours} h), rescue responses ${f.responses}, direct loss ${f.lossCny.toExponential(3)} CNY`,
    '',
    ...t.events.map((e) => {
      const detail = [
        e.incident !== undefined ? `incident ${e.incident}` : '',
        e.responseMinutes !== undefined ? `response ${e.responseMinutes.toFixed(1)} min` : '',
        e.people !== undefined && e.people > 0 ? `${Math.round(e.people)} people` : '',
        e.areaHa !== undefined ? `${e.areaHa.toFixed(1)} ha burned` : '',
        e.items
          ? Object.entries(e.items)
              .map(([k, u]) => `${k} ${u}`)
              .join(', ')
          : '',
      ].filter((x) => x !== '');
      return `${clock(e.minutes).padStart(9)}  ${e.kind.padEnd(20)} ${e.entity.padEnd(28)} ${(e.zone ?? '').padEnd(6)} ${detail.join('; ')}`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

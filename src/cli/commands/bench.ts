import { readFileSync } from 'node:fs';
import { type BenchReport, compareBench } from '../../bench/compare.js';
import { runMmc } from '../../bench/mmc.js';
import { runSuite } from '../../bench/suite.js';
import { DsimError, ErrorCodes } from '../../errors.js';
import { intOption, numberOption, parse } from '../args.js';
import { checkOutputTarget, writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

const USAGE = COMMAND_USAGE.bench;

/** Runs the benchmark suite; with --compare, exits 6 when a task regressed beyond the bound. */
export async function benchCommand(args: string[]): Promise<number> {
  if (args[0] === 'mmc') return mmcCommand(args.slice(1));
  const { values, positionals } = parse(
    args,
    {
      json: { type: 'string' },
      compare: { type: 'string' },
      'max-regression': { type: 'string' },
      filter: { type: 'string' },
      time: { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length > 0) throw new DsimError(ErrorCodes.USAGE, `unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const maxRegression = numberOption('max-regression', values['max-regression'], 1e6) ?? 10;
  const timeMs = intOption('time', values.time, 10, 600_000);
  let filter: RegExp | undefined;
  try {
    filter = values.filter === undefined ? undefined : new RegExp(values.filter);
  } catch {
    throw new DsimError(ErrorCodes.RUN_OPTION, `--filter: not a regular expression: ${values.filter}`);
  }
  let baseline: BenchReport | undefined;
  if (values.compare !== undefined) baseline = readBaseline(values.compare);
  if (values.json !== undefined) checkOutputTarget(values.json);
  const report = await runSuite({ ...(timeMs !== undefined && { timeMs }), ...(filter && { filter }) });
  if (values.json !== undefined) writeOutput(values.json, `${JSON.stringify(report, null, 2)}\n`);
  const lines = report.tasks.map(
    (t) => `${t.task.padEnd(20)} ${t.meanMs.toFixed(4).padStart(10)} ms ±${t.rmePct.toFixed(2)}%  ${String(t.opsPerSec).padStart(8)}/s`,
  );
  if (values.json !== '-')
    process.stdout.write(
      `${lines.join('\n')}\nmachine: ${String(report.machine['cpu'])}, ${String(report.machine['cores'])} cores, node ${String(report.machine['node'])}\n`,
    );
  if (!baseline) return 0;
  const { rows, missing } = compareBench(report, baseline, maxRegression);
  const out = rows.map(
    (r) =>
      `${r.regressed ? 'SLOWER' : 'ok    '} ${r.task.padEnd(20)} ${r.baselineMs.toFixed(4)} -> ${r.currentMs.toFixed(4)} ms (${r.changePct >= 0 ? '+' : ''}${r.changePct.toFixed(1)}%)`,
  );
  const stream = values.json === '-' ? process.stderr : process.stdout;
  stream.write(`compared with ${values.compare} (max regression ${maxRegression}%):\n${out.join('\n')}\n`);
  if (missing.length > 0) stream.write(`not compared (in one run only): ${missing.join(', ')}\n`);
  const slower = rows.filter((r) => r.regressed);
  if (slower.length === 0) return 0;
  process.stderr.write(
    `dsim: ${slower.length} benchmark(s) slower than the baseline by more than ${maxRegression}%: ${slower.map((r) => r.task).join(', ')}\n`,
  );
  return 6;
}

function readBaseline(file: string): BenchReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw new DsimError(ErrorCodes.RUN_OPTION, `--compare: cannot read ${file}: ${e instanceof Error ? e.message : String(e)}`);
  }
  const r = data as Partial<BenchReport>;
  const ok =
    r &&
    r.kind === 'dsim.bench' &&
    Array.isArray(r.tasks) &&
    r.tasks.every((t) => typeof t?.task === 'string' && typeof t?.meanMs === 'number' && t.meanMs > 0);
  if (!ok)
    throw new DsimError(
      ErrorCodes.RUN_OPTION,
      `--compare: ${file} is not a dsim bench report (expected kind "dsim.bench" and tasks[].task, tasks[].meanMs > 0)`,
    );
  return r as BenchReport;
}

function mmcCommand(args: string[]): number {
  const { values, positionals } = parse(
    args,
    {
      lambda: { type: 'string' },
      mu: { type: 'string' },
      servers: { type: 'string' },
      customers: { type: 'string' },
      seed: { type: 'string' },
      json: { type: 'boolean' },
    },
    USAGE,
  );
  if (positionals.length > 0) throw new DsimError(ErrorCodes.USAGE, `unexpected argument "${positionals[0]}"\nusage: ${USAGE}`);
  const need = <T>(name: string, v: T | undefined): T =>
    v ??
    (() => {
      throw new DsimError(ErrorCodes.RUN_OPTION, `--${name} is required\nusage: ${USAGE}`);
    })();
  const lambda = need('lambda', numberOption('lambda', values.lambda, 1e6));
  const mu = need('mu', numberOption('mu', values.mu, 1e6));
  const servers = need('servers', intOption('servers', values.servers, 1, 100_000));
  const customers = need('customers', intOption('customers', values.customers, 1, 100_000_000));
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER) ?? 1;
  if (lambda >= servers * mu)
    throw new DsimError(ErrorCodes.RUN_OPTION, `unstable queue: lambda ${lambda} >= servers x mu = ${servers * mu}`);
  const r = runMmc({ lambda, mu, servers, customers, seed });
  process.stdout.write(
    values.json
      ? `${JSON.stringify(r)}\n`
      : `customers ${r.customers}  events ${r.events}  ${r.wallMs} ms  ${r.eventsPerSec} events/s  mean wait ${r.meanWait}\n`,
  );
  return 0;
}

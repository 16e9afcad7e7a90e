import { readFileSync } from 'node:fs';
import { resolve } from 'node:path';
import { z } from 'zod';
import { type BenchReport, compareAgainst, compareBench, DEFAULT_MAX_REGRESSION, NOISE_FACTOR, undecided } from '../../bench/compare.js';
import { missingEngineFiles } from '../../bench/measure.js';
import { runMmc } from '../../bench/mmc.js';
import { runPeers } from '../../bench/peers.js';
import { runSuite } from '../../bench/suite.js';
import { DsimError, ErrorCodes } from '../../errors.js';
import { intOption, numberOption, parse } from '../args.js';
import { checkOutputTarget, writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

const USAGE = COMMAND_USAGE.bench;

/** What a baseline must hold (a file crosses a process boundary: checked, not trusted). */
const BaselineSchema = z.object({
  kind: z.literal('dsim.bench'),
  schemaVersion: z.literal(3),
  tasks: z.array(
    z.object({
      task: z.string().min(1).max(200),
      meanMs: z.number().positive().finite(),
      ratio: z.number().positive().finite(),
      noisePct: z.number().nonnegative().finite(),
    }),
  ),
});

/**
 * Runs the benchmark suite; with --compare (ratios to the calibration against a stored baseline)
 * or --against (this build against another build, measured in turn in the same processes), exits
 * 6 when a task regressed beyond the bound.
 */
export async function benchCommand(args: string[]): Promise<number> {
  if (args[0] === 'mmc') return mmcCommand(args.slice(1));
  if (args[0] === 'peers') return peersCommand(args.slice(1));
  const { values, positionals } = parse(
    args,
    {
      json: { type: 'string' },
      compare: { type: 'string' },
      against: { type: 'string' },
      'max-regression': { type: 'string' },
      filter: { type: 'string' },
      time: { type: 'string' },
      rounds: { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length > 0) throw DsimError.of(ErrorCodes.USAGE, 'err.unexpectedArgument', { arg: positionals[0]! }, `\nusage: ${USAGE}`);
  const maxRegression = numberOption('max-regression', values['max-regression'], 1e6) ?? DEFAULT_MAX_REGRESSION;
  const timeMs = intOption('time', values.time, 10, 600_000);
  const rounds = intOption('rounds', values.rounds, 1, 100);
  // DSIM_BENCH_SLOWDOWN=0.25: every task does a quarter more trials (proves the gate catches it)
  const rawSlowdown = process.env['DSIM_BENCH_SLOWDOWN'];
  const slowdown = rawSlowdown === undefined || rawSlowdown === '' ? undefined : Number(rawSlowdown);
  if (slowdown !== undefined && !(slowdown >= 0 && slowdown <= 100)) {
    throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.slowdown', { raw: rawSlowdown ?? '' });
  }
  let filter: RegExp | undefined;
  try {
    filter = values.filter === undefined ? undefined : new RegExp(values.filter);
  } catch {
    throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.notRegExp', { raw: values.filter ?? '' });
  }
  let baseline: BenchReport | undefined;
  if (values.compare !== undefined && values.against !== undefined) throw DsimError.of(ErrorCodes.USAGE, 'err.benchAgainstCompare', {});
  if (values.compare !== undefined) baseline = readBaseline(values.compare);
  const against = values.against === undefined ? undefined : resolve(values.against);
  if (against !== undefined) {
    const missing = missingEngineFiles(against);
    if (missing.length > 0) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.benchAgainst', { dir: against, missing: missing.join(', ') });
  }
  if (values.json !== undefined) checkOutputTarget(values.json);
  const gated = baseline !== undefined || against !== undefined;
  const judge = (r: BenchReport) => (baseline ? compareBench(r, baseline, maxRegression) : compareAgainst(r, maxRegression));
  const report = await runSuite({
    // a gate measures a task whose first rounds read near its bound for as many rounds again
    ...(gated && {
      recheck: (first: BenchReport) =>
        judge(first)
          .rows.filter((r) => undecided(r, maxRegression))
          .map((r) => r.task),
    }),
    ...(timeMs !== undefined && { timeMs }),
    ...(filter && { filter }),
    ...(rounds !== undefined && { rounds }),
    ...(slowdown !== undefined && { slowdown }),
    ...(against !== undefined && { against }),
  });
  if (values.json !== undefined) writeOutput(values.json, `${JSON.stringify(report, null, 2)}\n`);
  const lines = report.tasks.map(
    (t) =>
      `${t.task.padEnd(20)} ${t.meanMs.toFixed(4).padStart(10)} ms CPU ${(t.wallMs?.toFixed(4) ?? '-').padStart(10)} ms wall ${String(t.opsPerSec).padStart(8)}/s  ${t.ratio
        .toPrecision(4)
        .padStart(9)} × ${against === undefined ? 'calibration' : 'that build'} ±${t.noisePct.toFixed(1)}%${
        t.rounds === undefined ? '' : ` (${t.rounds} rounds: measured again: too near the bound or too spread to judge)`
      }`,
  );
  if (values.json !== '-')
    process.stdout.write(
      `${lines.join('\n')}\n${against === undefined ? `calibration ${report.calibrationMs.toFixed(3)} ms CPU` : `against the build in ${against}`}, ${report.rounds} rounds${
        report.slowdown ? `, slowed by ${report.slowdown * 100}% on purpose` : ''
      }; machine: ${String(report.machine['cpu'])}, ${String(report.machine['cores'])} cores, node ${String(report.machine['node'])}\n`,
    );
  if (!gated) return 0;
  const { rows, missing } = judge(report);
  const out = rows.map(
    (r) =>
      `${r.regressed ? 'SLOWER' : 'ok    '} ${r.task.padEnd(20)} ratio ${r.baselineRatio.toPrecision(4)} -> ${r.currentRatio.toPrecision(4)} (${
        r.changePct >= 0 ? '+' : ''
      }${r.changePct.toFixed(1)}%, bound ${r.boundPct.toFixed(1)}%)`,
  );
  const stream = values.json === '-' ? process.stderr : process.stdout;
  stream.write(
    baseline
      ? `compared with ${values.compare} (ratios to the calibration; bound: the larger of ${maxRegression}% and ${NOISE_FACTOR} × both runs' noise):\n${out.join('\n')}\n`
      : `compared with the build in ${against} (CPU per replication, this build over that one, in the same processes; bound: the larger of ${maxRegression}% and ${NOISE_FACTOR} × the noise):\n${out.join('\n')}\n`,
  );
  if (missing.length > 0) stream.write(`not compared (in one run only): ${missing.join(', ')}\n`);
  const slower = rows.filter((r) => r.regressed);
  if (slower.length === 0) return 0;
  process.stderr.write(
    `dsim: ${slower.length} benchmark(s) slower than ${baseline ? 'the baseline' : 'the build in --against'} by more than ${maxRegression}%: ${slower.map((r) => r.task).join(', ')}\n`,
  );
  return 6;
}

function readBaseline(file: string): BenchReport {
  let data: unknown;
  try {
    data = JSON.parse(readFileSync(file, 'utf8'));
  } catch (e) {
    throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.baselineUnreadable', { file, reason: e instanceof Error ? e.message : String(e) });
  }
  const parsed = BaselineSchema.safeParse(data);
  if (!parsed.success) {
    const i = parsed.error.issues[0]!;
    const where = i.path.join('.') || '(top level)';
    throw new DsimError(
      ErrorCodes.RUN_OPTION,
      `--compare: ${file} is not a dsim bench report with calibration ratios (${where}: ${i.message}); refresh it with \`dsim bench --json ${file}\``,
    );
  }
  return data as BenchReport;
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
  if (positionals.length > 0) throw DsimError.of(ErrorCodes.USAGE, 'err.unexpectedArgument', { arg: positionals[0]! }, `\nusage: ${USAGE}`);
  const need = <T>(name: string, v: T | undefined): T =>
    v ??
    (() => {
      throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.optionRequired', { option: `--${name}` }, `\nusage: ${USAGE}`);
    })();
  const lambda = need('lambda', numberOption('lambda', values.lambda, 1e6));
  const mu = need('mu', numberOption('mu', values.mu, 1e6));
  const servers = need('servers', intOption('servers', values.servers, 1, 100_000));
  const customers = need('customers', intOption('customers', values.customers, 1, 100_000_000));
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER) ?? 1;
  if (lambda >= servers * mu) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.unstableQueue', { lambda, capacity: servers * mu });
  const r = runMmc({ lambda, mu, servers, customers, seed });
  process.stdout.write(
    values.json
      ? `${JSON.stringify(r)}\n`
      : `customers ${r.customers}  events ${r.events}  ${r.wallMs} ms  ${r.eventsPerSec} events/s  mean wait ${r.meanWait}\n`,
  );
  return 0;
}

/** `dsim bench peers`: dsim, SimPy, C and the JavaScript floor on the same M/M/c, interleaved; their ratios. */
async function peersCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    { customers: { type: 'string' }, rounds: { type: 'string' }, seed: { type: 'string' }, json: { type: 'string' } },
    USAGE,
  );
  if (positionals.length > 0) throw DsimError.of(ErrorCodes.USAGE, 'err.unexpectedArgument', { arg: positionals[0]! }, `\nusage: ${USAGE}`);
  if (values.json !== undefined) checkOutputTarget(values.json);
  const customers = intOption('customers', values.customers, 1000, 100_000_000) ?? 2_000_000;
  const rounds = intOption('rounds', values.rounds, 1, 100) ?? 3;
  const seed = intOption('seed', values.seed, 0, 2 ** 31) ?? 1;
  const r = await runPeers({ lambda: 0.9, mu: 0.1, servers: 10, customers, seed }, rounds);
  if (values.json !== undefined) writeOutput(values.json, `${JSON.stringify(r, null, 2)}\n`);
  if (values.json === '-') return 0;
  const lines = r.runs.map((x) =>
    x.wallMs === null
      ? `${x.engine.padEnd(6)} missing: ${x.missing}`
      : `${x.engine.padEnd(6)} ${x.wallMs.toFixed(0).padStart(8)} ms (median of ${x.wallMsByRound.map((w) => w.toFixed(0)).join(', ')})  mean wait ${x.meanWait!.toFixed(4)} h, ${x.customers} customers`,
  );
  process.stdout.write(
    `M/M/c λ 0.9, μ 0.1, c 10, ${customers.toLocaleString('en-US')} customers, seed ${seed}, ${rounds} interleaved rounds; Erlang C mean wait ${r.erlangCWait.toFixed(4)} h\n${lines.join('\n')}\n` +
      `dsim is ${r.simpyOverDsim === null ? '—' : `${r.simpyOverDsim.toFixed(1)}× faster than SimPy`} and ${r.dsimOverC === null ? '—' : `${r.dsimOverC.toFixed(2)}× the C loop's time`}` +
      `${r.jsOverC === null ? '' : `; the same loop in JavaScript takes ${r.jsOverC.toFixed(2)}× C's`}\n`,
  );
  return 0;
}

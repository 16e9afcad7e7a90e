import { DsimError, ErrorCodes } from '../../errors.js';
import { withOverrides } from '../../run/local.js';
import { traceReplication } from '../../run/trace.js';
import { compile } from '../../scenario/compile.js';
import { loadScenario } from '../../scenario/load.js';
import { intOption, parse } from '../args.js';
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
export function traceCommand(args: string[]): number {
  const { values, positionals } = parse(
    args,
    { replication: { type: 'string', short: 'r' }, seed: { type: 'string' }, mode: { type: 'string' }, json: { type: 'string' } },
    USAGE,
  );
  if (positionals.length !== 1) throw new DsimError(ErrorCodes.USAGE, `trace takes one scenario\nusage: ${USAGE}`);
  const replication = intOption('replication', values.replication, 0, 1e12);
  if (replication === undefined) throw new DsimError(ErrorCodes.USAGE, `--replication is required\nusage: ${USAGE}`);
  const mode = values.mode;
  if (mode !== undefined && mode !== 'event' && mode !== 'annual')
    throw new DsimError(ErrorCodes.RUN_OPTION, `--mode: expected event or annual, got "${mode}"`);
  const { scenario } = loadScenario(positionals[0]!);
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER) ?? scenario.seed;
  const t = traceReplication(compile(withOverrides(scenario, mode ? { mode } : {})), seed, replication);
  if (values.json !== undefined) {
    writeOutput(values.json, `${JSON.stringify(t, null, 2)}\n`);
    if (values.json === '-') return 0;
  }
  const f = t.facts;
  const lines = [
    `${scenario.name} (${t.scenario.id}), seed ${seed}, replication ${replication}: ${t.events.length} events`,
    `displaced ${Math.round(f.displaced)}, relieved ${Math.round(f.relieved)} (${Math.round(f.relievedByDeadline)} within ${scenario.targets.reliefDeadlineHours} h), rescue responses ${f.responses}, direct loss ${f.lossCny.toExponential(3)} CNY`,
    '',
    ...t.events.map((e) => {
      const detail = [
        e.incident !== undefined ? `incident ${e.incident}` : '',
        e.responseMinutes !== undefined ? `response ${e.responseMinutes.toFixed(1)} min` : '',
        e.people !== undefined && e.people > 0 ? `${Math.round(e.people)} people` : '',
        e.items
          ? Object.entries(e.items)
              .map(([k, u]) => `${k} ${u}`)
              .join(', ')
          : '',
      ].filter((x) => x !== '');
      return `${clock(e.minutes).padStart(9)}  ${e.kind.padEnd(18)} ${e.entity.padEnd(28)} ${(e.zone ?? '').padEnd(6)} ${detail.join('; ')}`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

import { fileURLToPath } from 'node:url';
import { type BacktestRow, backtest, loadEvents } from '../../run/backtest.js';
import { intOption, parse } from '../args.js';
import { checkOutputTarget, writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

/** The back-test events that ship with dsim. */
export const BUNDLED_EVENTS = fileURLToPath(new URL('../../../validation/historical/events.json', import.meta.url));

const fmt = (x: number): string =>
  Math.abs(x) >= 1000 ? Math.round(x).toLocaleString('en-US') : Math.abs(x) >= 1 ? x.toFixed(1) : x.toPrecision(3);

/** Runs each historical event and places what was observed in dsim's predictive distribution. */
export function backtestCommand(args: string[]): number {
  const { values, positionals } = parse(
    args,
    { events: { type: 'string' }, replications: { type: 'string' }, json: { type: 'string' } },
    COMMAND_USAGE.backtest,
  );
  const file = values.events ?? positionals[0] ?? BUNDLED_EVENTS;
  const replications = intOption('replications', values.replications, 10, 100_000);
  if (values.json !== undefined) checkOutputTarget(values.json);
  const rows: BacktestRow[] = loadEvents(file).flatMap((ev) => backtest(ev, replications));
  if (values.json !== undefined) {
    writeOutput(values.json, `${JSON.stringify({ kind: 'dsim.backtest', schemaVersion: 1, events: file, rows }, null, 2)}\n`);
    if (values.json === '-') return 0;
  }
  const header = ['event', 'observation', 'observed', 'dsim p5', 'p50', 'p95', 'percentile', 'verdict'];
  const body = rows.map((r) => [
    r.event,
    r.label,
    fmt(r.observed),
    fmt(r.p05),
    fmt(r.p50),
    fmt(r.p95),
    `${(r.percentile * 100).toFixed(1)}%`,
    r.verdict,
  ]);
  const widths = header.map((h, i) => Math.max(h.length, ...body.map((b) => b[i]!.length)));
  const line = (cells: string[]) =>
    cells
      .map((c, i) => (i >= 2 && i <= 6 ? c.padStart(widths[i]!) : c.padEnd(widths[i]!)))
      .join('  ')
      .trimEnd();
  process.stdout.write(
    `${[line(header), widths.map((w) => '-'.repeat(w)).join('  '), ...body.map(line)].join('\n')}\n` +
      'percentile: where the observation falls among the simulated replications (mid-rank).\n',
  );
  return 0;
}

import { fileURLToPath } from 'node:url';
import { formatMoney } from '../../i18n/format.js';
import { t } from '../../i18n/messages.js';
import { grid } from '../../report/table.js';
import { type BacktestRow, backtest, loadEvents } from '../../studies/backtest.js';
import { intOption, langOption, parse } from '../args.js';
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
    { events: { type: 'string' }, replications: { type: 'string' }, json: { type: 'string' }, lang: { type: 'string' } },
    COMMAND_USAGE.backtest,
  );
  const file = values.events ?? positionals[0] ?? BUNDLED_EVENTS;
  const replications = intOption('replications', values.replications, 10, 100_000);
  const lang = langOption(values.lang);
  if (values.json !== undefined) checkOutputTarget(values.json);
  const rows: BacktestRow[] = loadEvents(file).flatMap((ev) => backtest(ev, replications));
  if (values.json !== undefined) {
    writeOutput(values.json, `${JSON.stringify({ kind: 'dsim.backtest', schemaVersion: 1, events: file, rows }, null, 2)}\n`);
    if (values.json === '-') return 0;
  }
  const verdicts = {
    'inside the central 90%': 'bt.inside',
    'below the 5th percentile': 'bt.below',
    'above the 95th percentile': 'bt.above',
  } as const;
  const header = (['bt.event', 'bt.observation', 'bt.observed', 'bt.p5', 'bt.p50', 'bt.p95', 'bt.percentile', 'bt.verdict'] as const).map(
    (k) => t(lang, k),
  );
  // money in 万元/亿元 in Chinese (CNY in English), as every other table
  const money = (r: BacktestRow) => r.metric === 'lossCny' || r.metric === 'fire.lossPerFire';
  const value = (r: BacktestRow, x: number) => (money(r) && lang === 'zh' ? formatMoney(lang, x) : fmt(x));
  const body = rows.map((r) => [
    lang === 'zh' && r.eventNameZh !== undefined ? r.eventNameZh : r.event,
    lang === 'zh' && r.labelZh !== undefined ? r.labelZh : r.label,
    value(r, r.observed),
    value(r, r.p05),
    value(r, r.p50),
    value(r, r.p95),
    `${(r.percentile * 100).toFixed(1)}%`,
    t(lang, verdicts[r.verdict]),
  ]);
  process.stdout.write(`${grid(header, body, [0, 1, 7])}\n${t(lang, 'bt.note')}\n`);
  return 0;
}

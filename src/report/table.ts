/**
 * The readable KPI table `dsim run` prints: each KPI with its mean, 95% confidence interval and
 * quantiles, then each target with the probability it is met, then the zones.
 */
import stringWidth from 'string-width';
import type { RunResult } from '../kpi/result.js';
import type { RowFormat } from '../perils/peril.js';
import { allSlicedPerils } from '../perils/registry.js';
import type { DistStat, MeanStat } from '../stats/summary-stat.js';

export type Row = (string | number | null)[];

export function fmt(x: unknown, digits = 3): string {
  if (x === null || x === undefined) return '—';
  if (typeof x !== 'number') return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e7 || a < 1e-3)) return x.toExponential(2);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
}

export function pct(x: unknown): string {
  return typeof x === 'number' ? `${(x * 100).toFixed(1)}%` : '—';
}

/** A table: the first column left-aligned, the rest right-aligned, by display width. */
export function grid(header: string[], rows: Row[]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'string' ? c : fmt(c))))];
  // Columns by display width, so Chinese names (two columns a character) line up.
  const widths = header.map((_, j) => Math.max(...cells.map((r) => stringWidth(r[j] ?? ''))));
  const pad = (c: string, w: number, left: boolean): string => {
    const fill = ' '.repeat(Math.max(0, w - stringWidth(c)));
    return left ? c + fill : fill + c;
  };
  return cells
    .map((r, i) => {
      const line = r.map((c, j) => pad(c, widths[j]!, j === 0)).join('  ');
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

function ci(s: MeanStat, f: (x: unknown) => string = fmt): string {
  return s.n > 1 ? `[${f(s.ci95[0])}, ${f(s.ci95[1])}]` : '—';
}

function distRow(label: string, s: DistStat, f: (x: unknown) => string = fmt): Row {
  return [label, String(s.n), f(s.mean), ci(s, f), f(s.p50), f(s.p90), f(s.p95), f(s.p99)];
}

/** Relief: the people-weighted share with its CI, then the quantiles of the per-replication shares. */
function reliefRow(r: RunResult['kpis']['reliefWithinDeadline']): Row {
  const q = r.perReplication;
  const ci = r.replications > 1 ? `[${pct(r.ci95[0])}, ${pct(r.ci95[1])}]` : '—';
  return [
    `Share of displaced relieved within ${r.deadlineHours} h`,
    String(r.replications),
    pct(r.mean),
    ci,
    pct(q.p50),
    pct(q.p90),
    pct(q.p95),
    pct(q.p99),
  ];
}

export function renderTable(r: RunResult): string {
  const k = r.kpis;
  const out: string[] = [];
  out.push(`${r.scenario.name}  (${r.scenario.id}, scenario hash ${r.scenario.hash})`);
  const stop = r.stopping;
  out.push(
    `${r.replications} replications, seed ${r.seed}` +
      (stop
        ? ` — stopped on precision: 95% CI half-widths ${Object.entries(stop.halfWidths)
            .map(([k, v]) => `${k} ${fmt(v)}`)
            .join(', ')} ${stop.met ? '<=' : 'still above'} ${stop.bound}`
        : '') +
      (r.interrupted ? ' — INTERRUPTED' : ''),
  );
  out.push('');
  out.push(
    grid(
      ['KPI', 'n', 'mean', '95% CI of mean', 'p50', 'p90', 'p95', 'p99'],
      [
        distRow('Response time, alarm to first team (min)', k.responseTimeMinutes),
        reliefRow(k.reliefWithinDeadline),
        distRow('Time to relieve everyone (h)', k.timeToRelieveAllHours),
        distRow('Direct loss / annual GDP', k.lossRatio, pct),
        distRow('Displaced people', k.displacedPeople),
        distRow('Flood return period (years)', k.hazard.returnPeriodYears),
      ],
    ),
  );
  const extra = hazardRows(r);
  if (extra.length > 0) {
    out.push('');
    out.push(
      grid(['Fires, forest fires, chemical releases, whole years', 'n', 'mean', '95% CI of mean', 'p50', 'p90', 'p95', 'p99'], extra),
    );
  }
  const annual = k.annualLossRatio;
  if (annual) {
    out.push('');
    out.push('Annual loss / GDP exceedance (return period: loss ratio)');
    out.push(`  ${annual.exceedance.map((e) => `${e.returnPeriod} y: ${pct(e.value)}${e.extrapolated ? '*' : ''}`).join('   ')}`);
    if (annual.exceedance.some((e) => e.extrapolated)) {
      out.push('  * beyond the largest return period the flood tables give: depths extrapolated along the severity distribution');
    }
  }
  out.push('');
  out.push(
    grid(
      ['Target', 'estimate', 'P(met)', '95% CI'],
      r.targets.map((t) => [
        t.description,
        t.value === undefined
          ? ''
          : `${t.unit === 'share' || t.unit === 'ratio' ? pct(t.value) : t.unit === 'permille' ? `${fmt(t.value)}‰` : fmt(t.value)} ${t.met ? 'met' : 'NOT met'}`,
        pct(t.pMet),
        `[${pct(t.ci95[0])}, ${pct(t.ci95[1])}]`,
      ]),
    ),
  );
  const short = Object.entries(k.stockouts).filter(([, v]) => (v.pStockout ?? 0) > 0);
  out.push('');
  out.push(
    short.length === 0
      ? 'Stock-outs: none (stock plus mutual aid covers the need over each item’s days in every replication)'
      : grid(
          ['Stock-out (item)', 'days', 'P(short)', 'mean shortfall', 'p50', 'p90', 'runs out on day (p50)'],
          short.map(([item, v]) => [
            item,
            v.days,
            pct(v.pStockout),
            fmt(v.meanShortfallUnits),
            fmt(v.shortfallP50),
            fmt(v.shortfallP90),
            v.runsOutDayP50 === null ? '—' : fmt(v.runsOutDayP50),
          ]),
        ),
  );
  const w = k.reliefWaiting;
  if (w.waitingPeople !== null && w.causes.length > 0) {
    const named = (c: string): string =>
      c.startsWith('stock:')
        ? `${c.slice(6)} out of stock`
        : c === 'trucks'
          ? 'trucks not there yet'
          : c === 'roads'
            ? 'shelter cut off by roads'
            : 'relief not started';
    out.push(
      `What binds relief at ${w.deadlineHours} h (${fmt(w.waitingPeople)} people waiting on average): ${w.causes
        .map((c) => `${named(c.cause)} ${pct(c.share)}`)
        .join(', ')}`,
    );
  }
  out.push(`Utilisation over the horizon: vehicles ${pct(k.vehicleUtilisation.mean)}, teams ${pct(k.teamUtilisation.mean)}`);
  out.push('');
  const columns = allSlicedPerils().flatMap((p) => {
    const section = k[p.kpis!.key];
    return section === undefined ? [] : (p.kpis!.zoneColumns?.(section) ?? []);
  });
  out.push(
    grid(
      ['Zone', 'displaced from', 'sheltered in', 'relieved in deadline', 'loss (CNY)', 'response (min)', ...columns.map((c) => c.header)],
      r.zones.map((z) => [
        `${z.id} ${z.name}`,
        fmt(z.displacedMean),
        fmt(z.shelterPeopleMean),
        pct(z.reliefWithinDeadline),
        fmt(z.lossCnyMean),
        fmt(z.responseTimeMinutesMean),
        ...columns.map((c) => (c.format === 'percent' ? pct : fmt)(c.byZone[z.id] ?? null)),
      ]),
    ),
  );
  return `${out.join('\n')}\n`;
}

const ROW_FORMAT: RowFormat = { number: fmt, percent: pct };

/** Rows for whole years and for each peril's section, where the run has them. */
function hazardRows(r: RunResult): Row[] {
  const k = r.kpis;
  const rows: Row[] = [];
  if (k.annualLossRatio && k.deathsPerMillion && k.affectedPer100k) {
    rows.push(distRow('Annual direct loss / GDP', k.annualLossRatio, pct));
    rows.push(distRow('Disaster deaths per million per year', k.deathsPerMillion));
    rows.push(distRow('Affected person-times per 100,000 per year', k.affectedPer100k));
  }
  for (const p of allSlicedPerils()) {
    const section = k[p.kpis!.key];
    if (section === undefined) continue;
    for (const row of p.kpis!.rows(section, ROW_FORMAT)) rows.push(distRow(row.label, row.stat, row.format === 'percent' ? pct : fmt));
  }
  return rows;
}

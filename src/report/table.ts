/**
 * The readable KPI table `dsim run` prints: each KPI with its mean, 95% confidence interval and
 * quantiles, then each target with the probability it is met, then the zones.
 */
import stringWidth from 'string-width';
import type { DistStat, MeanStat, RunResult } from '../kpi/summary.js';

type Row = (string | number | null)[];

function fmt(x: unknown, digits = 3): string {
  if (x === null || x === undefined) return '—';
  if (typeof x !== 'number') return String(x);
  const a = Math.abs(x);
  if (a !== 0 && (a >= 1e7 || a < 1e-3)) return x.toExponential(2);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  return Number(x.toPrecision(digits)).toString();
}

function pct(x: unknown): string {
  return typeof x === 'number' ? `${(x * 100).toFixed(1)}%` : '—';
}

function grid(header: string[], rows: Row[]): string {
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

export function renderTable(r: RunResult): string {
  const k = r.kpis;
  const kpi = k as unknown as Record<string, DistStat>;
  const out: string[] = [];
  out.push(`${r.scenario.name}  (${r.scenario.id}, scenario hash ${r.scenario.hash})`);
  const stop = r.stopping as { bound: number; met: boolean; halfWidths: Record<string, number | null> } | undefined;
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
        distRow(`Share relieved within ${k.reliefWithinDeadline.deadlineHours} h`, k.reliefWithinDeadline, pct),
        distRow('Time to relieve everyone (h)', kpi['timeToRelieveAllHours']!),
        distRow('Direct loss / annual GDP', k.lossRatio, pct),
        distRow('Displaced people', kpi['displacedPeople']!),
        distRow('Flood return period (years)', (kpi['hazard'] as unknown as { returnPeriodYears: DistStat }).returnPeriodYears),
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
  const annual = k['annualLossRatio'] as (DistStat & { exceedance: { returnPeriod: number; value: number | null }[] }) | undefined;
  if (annual) {
    out.push('');
    out.push('Annual loss / GDP exceedance (return period: loss ratio)');
    out.push(`  ${annual.exceedance.map((e) => `${e.returnPeriod} y: ${pct(e.value)}`).join('   ')}`);
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
  const stock = kpi['stockouts'] as unknown as Record<string, { pStockout: number | null; meanShortfallUnits: number | null }>;
  const short = Object.entries(stock).filter(([, v]) => (v.pStockout ?? 0) > 0);
  out.push('');
  out.push(
    short.length === 0
      ? 'Stock-outs: none (stock plus mutual aid covers day-1 need in every replication)'
      : grid(
          ['Stock-out (item)', 'P(short)', 'mean shortfall (units)'],
          short.map(([item, v]) => [item, pct(v.pStockout), fmt(v.meanShortfallUnits)]),
        ),
  );
  const util = (x: unknown): string => pct((x as MeanStat).mean);
  out.push(`Utilisation over the horizon: vehicles ${util(kpi['vehicleUtilisation'])}, teams ${util(kpi['teamUtilisation'])}`);
  out.push('');
  out.push(
    grid(
      ['Zone', 'displaced from', 'sheltered in', 'relieved in deadline', 'loss (CNY)', 'response (min)'],
      r.zones.map((z) => [
        `${String(z['id'])} ${String(z['name'])}`,
        fmt(z['displacedMean']),
        fmt(z['shelterPeopleMean']),
        pct(z['reliefWithinDeadline']),
        fmt(z['lossCnyMean']),
        fmt(z['responseTimeMinutesMean']),
      ]),
    ),
  );
  return `${out.join('\n')}\n`;
}

/** Rows for the KPIs of issue-3 hazards and whole years, where the run has them. */
function hazardRows(r: RunResult): Row[] {
  // biome-ignore lint/suspicious/noExplicitAny: the hazard sections of kpis are untyped until RunResult gets its zod schema
  const k = r.kpis as Record<string, any>;
  const rows: Row[] = [];
  if (k['annualLossRatio']) {
    rows.push(distRow('Annual direct loss / GDP', k['annualLossRatio'], pct));
    rows.push(distRow('Disaster deaths per million per year', k['deathsPerMillion']));
    rows.push(distRow('Affected person-times per 100,000 per year', k['affectedPer100k']));
  }
  if (k['fire']) {
    const f = k['fire'];
    rows.push(distRow(`Fire: alarm to first engine (min); ${pct(f.withinCircleShare)} within ${f.circleMinutes} min`, f.responseMinutes));
    rows.push(distRow('Fire deaths per 100,000', f.deathsPer100k));
  }
  if (k['forestFire']) {
    const f = k['forestFire'];
    rows.push(distRow(`Forest fire burned area (‰ of forest); ${pct(f.outWithin24hShare)} out within 24 h`, f.burnedPermille));
  }
  if (k['chemical']) {
    const c = k['chemical'];
    rows.push(distRow(`Chemical release: AEGL-2 zone evacuated (h); deaths/replication ${fmt(c.deaths.mean)}`, c.evacuationHours));
  }
  return rows;
}

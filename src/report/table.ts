/**
 * The readable KPI table `dsim run` prints: each KPI with its mean, 95% confidence interval and
 * quantiles, then each target with the probability it is met, then the zones.
 */
import stringWidth from 'string-width';
import { formatMoney, formatNumber, formatPercent } from '../i18n/format.js';
import { itemName, type Lang, localName, type MessageKey, t as tr } from '../i18n/messages.js';
import { FEW_JUDGED, RELIEF_COVERAGE } from '../kpi/coverage.js';
import { LOSS_BIAS } from '../kpi/loss-bias.js';
import type { RunResult } from '../kpi/result.js';
import type { RowFormat } from '../perils/peril.js';
import { allSlicedPerils } from '../perils/registry.js';
import type { DistStat, MeanStat } from '../stats/summary-stat.js';

export type Row = (string | number | null)[];

/** A number as the tables show it: never scientific notation (i18n/format.ts). */
export const fmt = formatNumber;
export const pct = formatPercent;

/** `text` padded with spaces to `width` display columns (a Chinese character takes two), on the right or the left. */
export function padToWidth(text: string, width: number, left = true): string {
  const fill = ' '.repeat(Math.max(0, width - stringWidth(text)));
  return left ? text + fill : fill + text;
}

/**
 * A table aligned by display width: the first column (or the columns named in `left`, for words)
 * left-aligned, the rest right-aligned.
 */
export function grid(header: string[], rows: Row[], left: readonly number[] = [0]): string {
  const cells = [header, ...rows.map((r) => r.map((c) => (typeof c === 'string' ? c : fmt(c))))];
  // Columns by display width, so Chinese names (two columns a character) line up.
  const widths = header.map((_, j) => Math.max(...cells.map((r) => stringWidth(r[j] ?? ''))));
  return cells
    .map((r, i) => {
      const line = r
        .map((c, j) => padToWidth(c, widths[j]!, left.includes(j)))
        .join('  ')
        .trimEnd();
      return i === 0 ? `${line}\n${widths.map((w) => '-'.repeat(w)).join('  ')}` : line;
    })
    .join('\n');
}

function ci(s: MeanStat, f: (x: unknown) => string = fmt): string {
  return s.n > 1 && s.ci95[0] !== null ? `[${f(s.ci95[0])}, ${f(s.ci95[1])}]` : '—';
}

function distRow(label: string, s: DistStat, f: (x: unknown) => string = fmt): Row {
  return [label, String(s.n), f(s.mean), ci(s, f), f(s.p50), f(s.p90), f(s.p95), f(s.p99)];
}

/** A time censored at the horizon: a quantile among the censored replications reads "> 72". */
function censoredRow(label: string, s: RunResult['kpis']['timeToRelieveAllHours']): Row {
  return distRow(label, s, (x) => censoredText(x, s));
}

/** A value of a censored time as the tables show it: "> horizon" where it fell among the censored. */
export function censoredText(x: unknown, s: RunResult['kpis']['timeToRelieveAllHours']): string {
  return x === null && s.pWithinHorizon !== null ? `> ${fmt(s.censoredAtHours)}` : fmt(x);
}

/** Relief: the people-weighted share with its CI, then the quantiles of the per-replication shares. */
function reliefRow(r: RunResult['kpis']['reliefWithinDeadline'], lang: Lang): Row {
  const q = r.perReplication;
  const ci = r.replications > 1 ? `[${pct(r.ci95[0])}, ${pct(r.ci95[1])}]` : '—';
  return [
    tr(lang, 'kpi.relief', { hours: r.deadlineHours }),
    String(r.replications),
    pct(r.mean),
    ci,
    pct(q.p50),
    pct(q.p90),
    pct(q.p95),
    pct(q.p99),
  ];
}

/** A target's sentence in `lang`: the plans' wording for the targets dsim knows, its own otherwise. */
export function targetText(lang: Lang, t: RunResult['targets'][number], annual: boolean): string {
  if (lang === 'en') return t.description;
  const key = `target.${t.id}` as MessageKey;
  if (!(key in ROWS_KNOWN)) return t.description;
  const share = pct(t.required);
  const max = t.unit === 'share' || t.unit === 'ratio' ? pct(t.threshold) : fmt(t.threshold);
  return tr(lang, key, {
    hours: fmt(t.threshold),
    minutes: fmt(t.threshold),
    share,
    max,
    scope: tr(lang, annual ? 'scope.year' : 'scope.event'),
  });
}

/** Target ids the catalogue words (others keep the description their peril gives). */
const ROWS_KNOWN: Record<string, true> = Object.fromEntries(
  [
    'relief-within-deadline',
    'response-time',
    'loss-ratio',
    'average-annual-loss',
    'deaths-per-million',
    'affected-per-100k',
    'fire-circle',
    'fire-deaths-per-100k',
    'forest-fire-24h',
    'forest-burned',
    'production-safety-deaths',
  ].map((id) => [`target.${id}`, true]),
);

/** A table as data: its header and rows, in `lang`; the terminal aligns it (grid), the report draws it (html.ts). */
export interface TableData {
  readonly head: string[];
  readonly rows: Row[];
}

/** The KPI table's header: the KPI, replications, mean, 95% CI, quantiles. */
function kpiHead(lang: Lang): string[] {
  return [tr(lang, 'col.kpi'), tr(lang, 'col.n'), tr(lang, 'col.mean'), tr(lang, 'col.ci'), 'p50', 'p90', 'p95', 'p99'];
}

/** The core KPIs of every run: response, relief, time to relieve, loss, displaced, return period. */
export function kpiTable(r: RunResult, lang: Lang): TableData {
  const k = r.kpis;
  const T = (key: MessageKey) => tr(lang, key);
  return {
    head: kpiHead(lang),
    rows: [
      distRow(T('kpi.response'), k.responseTimeMinutes),
      reliefRow(k.reliefWithinDeadline, lang),
      censoredRow(T('kpi.timeToRelieve'), k.timeToRelieveAllHours),
      distRow(T('kpi.lossRatio'), k.lossRatio, pct),
      distRow(T('kpi.displaced'), k.displacedPeople),
      distRow(T('kpi.returnPeriod'), k.hazard.returnPeriodYears),
    ],
  };
}

/** The plan's targets: sentence, the run's estimate where the plan states one, P(met) and its interval. */
export function targetsTable(r: RunResult, lang: Lang): TableData {
  const T = (key: MessageKey) => tr(lang, key);
  return {
    head: [T('col.target'), T('col.estimate'), T('col.pmet'), T('col.ci95')],
    rows: r.targets.map((t) => [
      targetText(lang, t, r.mode === 'annual'),
      t.value === undefined
        ? ''
        : `${t.unit === 'share' || t.unit === 'ratio' ? pct(t.value) : t.unit === 'permille' ? `${fmt(t.value)}‰` : fmt(t.value)} ${T(t.met ? 'target.met' : 'target.notMet')}`,
      pct(t.pMet),
      `[${pct(t.ci95[0])}, ${pct(t.ci95[1])}]`,
    ]),
  };
}

/** Items that ran short in some replication (null when none did): days of need covered, P(short), shortfall, the day it runs out. */
export function stockoutTable(r: RunResult, lang: Lang): TableData | null {
  const T = (key: MessageKey) => tr(lang, key);
  const short = Object.entries(r.kpis.stockouts).filter(([, v]) => (v.pStockout ?? 0) > 0);
  if (short.length === 0) return null;
  return {
    head: [T('col.stockout'), T('col.days'), T('col.pshort'), T('col.meanShortfall'), 'p50', 'p90', T('col.runsOut')],
    rows: short.map(([item, v]) => [
      itemName(lang, item),
      v.days,
      pct(v.pStockout),
      fmt(v.meanShortfallUnits),
      fmt(v.shortfallP50),
      fmt(v.shortfallP90),
      v.runsOutDayP50 === null ? '—' : fmt(v.runsOutDayP50),
    ]),
  };
}

/** The diagnostic line: the first blocking cause of the people still waiting at the deadline (null when none wait). */
export function waitingLine(r: RunResult, lang: Lang): string | null {
  const w = r.kpis.reliefWaiting;
  if (w.waitingPeople === null || w.causes.length === 0) return null;
  return tr(lang, 'binds.line', {
    hours: w.deadlineHours,
    people: fmt(w.waitingPeople),
    causes: w.causes.map((c) => `${causeName(lang, c.cause)} ${pct(c.share)}`).join(lang === 'zh' ? '，' : ', '),
  });
}

/** A first blocking cause in words. */
export function causeName(lang: Lang, cause: string): string {
  return cause.startsWith('stock:')
    ? tr(lang, 'binds.stock', { item: itemName(lang, cause.slice(6)) })
    : tr(lang, cause === 'trucks' ? 'binds.trucks' : cause === 'roads' ? 'binds.roads' : 'binds.activation');
}

/** The zone breakdown, with the columns each peril adds. */
export function zoneTable(r: RunResult, lang: Lang): TableData {
  const T = (key: MessageKey) => tr(lang, key);
  const k = r.kpis;
  const format = rowFormat(lang, r.mode === 'annual');
  const columns = allSlicedPerils().flatMap((p) => {
    const section = k[p.kpis!.key];
    return section === undefined ? [] : (p.kpis!.zoneColumns?.(section, format) ?? []);
  });
  return {
    head: [
      T('col.zone'),
      T('col.displacedFrom'),
      T('col.shelteredIn'),
      T('col.relievedInDeadline'),
      `${T('col.loss')}${lang === 'zh' ? '' : ' (CNY)'}`,
      T('col.response'),
      T('col.responseSame'),
      ...columns.map((c) => c.header),
    ],
    rows: r.zones.map((z) => [
      `${z.id} ${localName(lang, z)}`,
      fmt(z.displacedMean),
      fmt(z.shelterPeopleMean),
      pct(z.reliefWithinDeadline),
      lang === 'zh' ? formatMoney(lang, z.lossCnyMean) : fmt(z.lossCnyMean),
      fmt(z.responseTimeMinutesMean),
      fmt(z.sameReplicationsResponseMinutesMean),
      ...columns.map((c) => (c.format === 'percent' ? pct : fmt)(c.byZone[z.id] ?? null)),
    ]),
  };
}

/**
 * An annual run that judged relief in fewer than FEW_JUDGED years says its relief interval
 * undercovers, with what was measured (kpi/coverage.ts); null otherwise.
 */
export function fewJudgedLine(r: RunResult, lang: Lang): string | null {
  const judged = r.kpis.reliefWithinDeadline.replications;
  if (r.mode !== 'annual' || judged === 0 || judged >= FEW_JUDGED) return null;
  const sep = lang === 'zh' ? '，' : ', ';
  const measured = RELIEF_COVERAGE.map((c) =>
    tr(lang, 'relief.coverageAt', { judged: c.judged, coverage: `${Math.round(c.coverage * 100)}%` }),
  ).join(sep);
  return tr(lang, 'relief.fewJudged', { judged, min: FEW_JUDGED, measured });
}

/** The KPI table `dsim run` prints, in `lang` (labels, targets, units; scenario names as written). */
export function renderTable(r: RunResult, lang: Lang = 'en'): string {
  const T = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => tr(lang, key, params);
  const k = r.kpis;
  const out: string[] = [];
  const table = (d: TableData) => grid(d.head, d.rows);
  out.push(`${localName(lang, r.scenario)}  (${r.scenario.id}, ${T('run.hash')} ${r.scenario.hash})`);
  const stop = r.stopping;
  out.push(
    T('run.header', { replications: r.replications, seed: r.seed }) +
      (stop
        ? T('run.stopped', {
            widths: Object.entries(stop.halfWidths)
              .map(([key, v]) => `${key} ${fmt(v)}`)
              .join(', '),
            verdict: T(stop.met ? 'run.stopped.met' : 'run.stopped.above'),
            bound: stop.bound,
          })
        : '') +
      (r.interrupted ? T('run.interrupted') : ''),
  );
  out.push('');
  out.push(table(kpiTable(r, lang)));
  const few = fewJudgedLine(r, lang);
  if (few !== null) out.push(few);
  out.push(T('loss.bias', LOSS_BIAS));
  const extra = hazardTables(r, lang).flatMap((h) => h.rows);
  if (extra.length > 0) {
    out.push('');
    out.push(grid([T('col.hazards'), ...kpiHead(lang).slice(1)], extra));
  }
  const annual = k.annualLossRatio;
  if (annual) {
    out.push('');
    out.push(T('exceedance.title'));
    out.push(
      `  ${annual.exceedance.map((e) => T('exceedance.item', { years: e.returnPeriod, value: `${pct(e.value)}${e.extrapolated ? '*' : ''}` })).join('   ')}`,
    );
    out.push(T('exceedance.oep'));
    out.push(
      `  ${annual.occurrenceExceedance.map((e) => T('exceedance.item', { years: e.returnPeriod, value: `${pct(e.value)}${e.extrapolated ? '*' : ''}` })).join('   ')}`,
    );
    if (annual.exceedance.some((e) => e.extrapolated)) out.push(`  ${T('exceedance.note')}`);
  }
  out.push('');
  out.push(table(targetsTable(r, lang)));
  const short = stockoutTable(r, lang);
  out.push('');
  out.push(short === null ? T('stockouts.none') : table(short));
  const waiting = waitingLine(r, lang);
  if (waiting !== null) out.push(waiting);
  out.push(T('utilisation', { vehicles: pct(k.vehicleUtilisation.mean), teams: pct(k.teamUtilisation.mean) }));
  out.push('');
  out.push(table(zoneTable(r, lang)));
  out.push(T('zones.responseNote'));
  return `${out.join('\n')}\n`;
}

/** What a peril's rows and columns need to speak: number formats and the catalogue. */
export function rowFormat(lang: Lang, annual = false): RowFormat {
  return { number: fmt, percent: pct, lang, annual, t: (key, params) => tr(lang, key, params) };
}

/** A table of rows for whole years (annual runs) and one per peril's section present: its key and its rows. */
export function hazardTables(r: RunResult, lang: Lang): { readonly key: string; readonly head: string[]; readonly rows: Row[] }[] {
  const k = r.kpis;
  const head = kpiHead(lang);
  const out: { key: string; head: string[]; rows: Row[] }[] = [];
  if (k.annualLossRatio && k.deathsPerMillion && k.affectedPer100k)
    out.push({
      key: 'year',
      head,
      rows: [
        distRow(tr(lang, 'kpi.annualLoss'), k.annualLossRatio, pct),
        distRow(tr(lang, 'kpi.deathsPerMillion'), k.deathsPerMillion),
        distRow(tr(lang, 'kpi.affected'), k.affectedPer100k),
      ],
    });
  const format = rowFormat(lang, r.mode === 'annual');
  for (const p of allSlicedPerils()) {
    const section = k[p.kpis!.key];
    if (section === undefined) continue;
    out.push({
      key: p.kpis!.key,
      head,
      rows: p.kpis!.rows(section, format).map((row) => distRow(row.label, row.stat, row.format === 'percent' ? pct : fmt)),
    });
  }
  return out;
}

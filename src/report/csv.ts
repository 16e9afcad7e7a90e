/**
 * The run's tables as CSV a planner opens in a spreadsheet: KPIs, targets, zones and stock-outs,
 * UTF-8 with a byte-order mark (so Excel reads Chinese correctly), labels in the chosen language,
 * numbers unrounded and unformatted (the spreadsheet formats them).
 */
import { existsSync, mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { DsimError, ErrorCodes } from '../errors.js';
import { itemName, type Lang, localName, t } from '../i18n/messages.js';
import type { RunResult } from '../kpi/result.js';
import { allSlicedPerils } from '../perils/registry.js';
import type { DistStat } from '../stats/summary-stat.js';
import { rowFormat, targetText } from './table.js';

const BOM = '\ufeff';

/** A number as text: what a cell that starts with - or + may be and still not be a formula. */
const PLAIN_NUMBER = /^[-+]?\d[\d,]*(\.\d+)?([eE][-+]?\d+)?%?$/;

/**
 * One CSV cell, quoted where it must be (RFC 4180) and never a formula: text that a spreadsheet
 * would run — starting with =, +, -, @, a tab or a carriage return — gets a leading single quote
 * (OWASP's rule against CSV injection), so a unit named `=HYPERLINK(…)` shows as text. Numbers
 * dsim writes (numbers, and text that is a plain number such as "-3.5") are left as they are.
 */
export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  let s = String(v);
  if (typeof v !== 'number' && /^[=+\-@\t\r]/.test(s) && !PLAIN_NUMBER.test(s)) s = `'${s}`;
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/**
 * Every CSV file dsim writes: UTF-8 with a byte-order mark (so Excel reads Chinese correctly),
 * CRLF line ends, each cell through csvCell.
 */
export function csvDocument(rows: readonly (readonly unknown[])[]): string {
  return `${BOM}${rows.map((r) => r.map(csvCell).join(',')).join('\r\n')}\r\n`;
}

function csv(header: readonly string[], rows: readonly (readonly unknown[])[]): string {
  return csvDocument([header, ...rows]);
}

/** The `--csv` folder, made when missing (one level: its parent must exist, so a typo is an error before the run). */
export function ensureCsvFolder(dir: string): void {
  if (existsSync(dir)) {
    if (!statSync(dir).isDirectory()) throw DsimError.of(ErrorCodes.OUTPUT, 'err.csvNotFolder', { dir });
    return;
  }
  // The folder is made, one level only: a parent that is not there is a typo, not a tree to build.
  const parent = dirname(resolve(dir));
  if (!existsSync(parent) || !statSync(parent).isDirectory()) throw DsimError.of(ErrorCodes.OUTPUT, 'err.csvNoFolder', { dir, parent });
  try {
    mkdirSync(dir);
  } catch (e) {
    throw DsimError.of(ErrorCodes.OUTPUT, 'err.cannotWrite', { target: dir, reason: e instanceof Error ? e.message : String(e) });
  }
}

/** The files `csvTables` writes, checked before a run. */
export const CSV_TABLES = ['kpis.csv', 'targets.csv', 'zones.csv', 'stockouts.csv'] as const;

/** File name → CSV text. */
export function csvTables(r: RunResult, lang: Lang): Record<(typeof CSV_TABLES)[number], string> {
  const k = r.kpis;
  const stat = (label: string, s: DistStat) => [label, s.n, s.mean, s.ci95[0], s.ci95[1], s.p50, s.p90, s.p95, s.p99];
  const rows: unknown[][] = [
    stat(t(lang, 'kpi.response'), k.responseTimeMinutes),
    [
      t(lang, 'kpi.relief', { hours: k.reliefWithinDeadline.deadlineHours }),
      k.reliefWithinDeadline.replications,
      k.reliefWithinDeadline.mean,
      k.reliefWithinDeadline.ci95[0],
      k.reliefWithinDeadline.ci95[1],
      k.reliefWithinDeadline.perReplication.p50,
      k.reliefWithinDeadline.perReplication.p90,
      k.reliefWithinDeadline.perReplication.p95,
      k.reliefWithinDeadline.perReplication.p99,
    ],
    // censored quantiles as "> 72" (text: the time is beyond the horizon, not missing)
    stat(t(lang, 'kpi.timeToRelieve'), k.timeToRelieveAllHours).map((x, i) =>
      i >= 5 && x === null && k.timeToRelieveAllHours.pWithinHorizon !== null ? `>${k.timeToRelieveAllHours.censoredAtHours}` : x,
    ),
    stat(t(lang, 'kpi.lossRatio'), k.lossRatio),
    stat(t(lang, 'kpi.displaced'), k.displacedPeople),
  ];
  if (k.annualLossRatio) rows.push(stat(t(lang, 'kpi.annualLoss'), k.annualLossRatio));
  if (k.deathsPerMillion) rows.push(stat(t(lang, 'kpi.deathsPerMillion'), k.deathsPerMillion));
  const format = rowFormat(lang, r.mode === 'annual');
  for (const p of allSlicedPerils()) {
    const section = k[p.kpis!.key];
    if (section !== undefined) for (const row of p.kpis!.rows(section, format)) rows.push(stat(row.label, row.stat));
  }
  const kpiHead = [
    t(lang, 'col.kpi'),
    t(lang, 'col.n'),
    t(lang, 'col.mean'),
    t(lang, 'col.ciLow'),
    t(lang, 'col.ciHigh'),
    'p50',
    'p90',
    'p95',
    'p99',
  ];
  return {
    'kpis.csv': csv(kpiHead, rows),
    'targets.csv': csv(
      [
        t(lang, 'col.id'),
        t(lang, 'col.target'),
        t(lang, 'col.threshold'),
        t(lang, 'col.required'),
        t(lang, 'col.judged'),
        t(lang, 'col.pmet'),
        t(lang, 'col.ciLow'),
        t(lang, 'col.ciHigh'),
        t(lang, 'col.estimate'),
        t(lang, 'col.met'),
      ],
      r.targets.map((x) => [
        x.id,
        targetText(lang, x, r.mode === 'annual'),
        x.threshold,
        x.required,
        x.judged,
        x.pMet,
        x.ci95[0],
        x.ci95[1],
        x.value,
        x.met === undefined ? null : t(lang, x.met ? 'target.yes' : 'target.no'),
      ]),
    ),
    'zones.csv': csv(
      [
        t(lang, 'col.id'),
        t(lang, 'col.zone'),
        t(lang, 'col.displacedFrom'),
        t(lang, 'col.shelteredIn'),
        t(lang, 'col.relievedInDeadline'),
        `${t(lang, 'col.loss')} (${t(lang, 'unit.cny')})`,
        t(lang, 'col.response'),
        t(lang, 'col.responseSame'),
      ],
      r.zones.map((z) => [
        z.id,
        localName(lang, z),
        z.displacedMean,
        z.shelterPeopleMean,
        z.reliefWithinDeadline,
        z.lossCnyMean,
        z.responseTimeMinutesMean,
        z.sameReplicationsResponseMinutesMean,
      ]),
    ),
    'stockouts.csv': csv(
      [
        t(lang, 'col.id'),
        t(lang, 'col.stockout'),
        t(lang, 'col.days'),
        t(lang, 'col.pshort'),
        t(lang, 'col.meanShortfall'),
        'p50',
        'p90',
        t(lang, 'col.runsOut'),
      ],
      Object.entries(k.stockouts).map(([item, v]) => [
        item,
        itemName(lang, item),
        v.days,
        v.pStockout,
        v.meanShortfallUnits,
        v.shortfallP50,
        v.shortfallP90,
        v.runsOutDayP50,
      ]),
    ),
  };
}

/**
 * A drill (script.ts, built by build.ts) told in Chinese or English, for the controller (everything: expected
 * actions, response levels, the model's answer key, the evaluation sheet) or the players (the
 * injects as they arrive), as Markdown, HTML (one file, printable to A4), JSON or CSV (UTF-8 with
 * a byte-order mark, so Excel opens Chinese). Every format is built from the same rendered rows,
 * so they cannot disagree; nothing depends on the clock or the machine, so the same arguments give
 * the same bytes.
 */
import { DsimError, ErrorCodes } from '../errors.js';
import { formatMoney, formatNumber, formatPercent } from '../i18n/format.js';
import { itemName, type Lang, localName, type MessageKey, t, teamTypeName } from '../i18n/messages.js';
import { csvDocument } from '../report/csv.js';
import { escapeHtml, page } from '../report/html.js';
import { targetText } from '../report/table.js';
import type { Drill, EvaluationRow, Inject, RoleRef } from './script.js';

export const DRILL_FORMATS = ['md', 'html', 'json', 'csv'] as const;
export type DrillFormat = (typeof DRILL_FORMATS)[number];
export type Audience = 'controller' | 'players';
export const COMPRESSIONS = [1, 2, 4] as const;

export interface DrillView {
  readonly lang: Lang;
  readonly audience: Audience;
  /** Wall-clock start of the drill, `YYYY-MM-DD HH:mm`; absent: T+ times. */
  readonly start?: string;
  /** Simulated minutes per drill minute. */
  readonly compress: number;
}

/** Minutes since 1970 of `YYYY-MM-DD HH:mm` (a calendar date and time, no time zone), or a DsimError naming the option. */
export function parseStart(raw: string): number {
  const m = /^(\d{4})-(\d{2})-(\d{2})[ T](\d{2}):(\d{2})$/.exec(raw.trim());
  const ms = m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]), Number(m[4]), Number(m[5])) : Number.NaN;
  const back = Number.isFinite(ms) ? new Date(ms).toISOString().slice(0, 16).replace('T', ' ') : '';
  if (!m || back !== `${m[1]}-${m[2]}-${m[3]} ${m[4]}:${m[5]}`) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.start', { raw });
  return ms / 60_000;
}

const clockOf = (minutes: number): string => new Date(Math.round(minutes) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
/** T+hh:mm (hours beyond 24 kept: T+26:30). */
const relative = (minutes: number): string => {
  const m = Math.round(minutes);
  return `T+${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** One inject as the script shows it, every cell told in the view's language. */
export interface InjectRow {
  readonly n: number;
  /** Drill time (wall clock or T+, compressed). */
  readonly at: string;
  /** Simulated time since the replication began. */
  readonly sim: string;
  readonly from: string;
  readonly to: string;
  readonly message: string;
  readonly action: string;
  readonly level: string;
  readonly key: string;
  readonly answer: string;
}

export interface Rendered {
  readonly title: string;
  readonly lines: readonly string[];
  readonly roles: readonly { role: string; unit: string; injects: string }[];
  readonly injects: readonly InjectRow[];
  readonly evaluation: readonly { criterion: string; achieved: string; district: string }[];
}

/** The drill's text in the view's language: header lines, participants, injects, evaluation. */
export function renderDrillRows(d: Drill, v: DrillView): Rendered {
  const T = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => t(v.lang, key, params);
  const zoneName = (id: string): string => {
    const z = d.zones.find((x) => x.id === id);
    return z ? `${id} ${localName(v.lang, z)}` : id;
  };
  /** A station's, warehouse's, fleet's or mutual aid's name in the view's language, else its id. */
  const unitName = (id: string): string => {
    const u = d.units.find((x) => x.id === id);
    return (v.lang === 'zh' ? (u?.nameZh ?? u?.name) : u?.name) ?? id;
  };
  const unitOf = (r: RoleRef): string =>
    r.unit === undefined
      ? ''
      : r.role === 'town'
        ? zoneName(r.unit)
        : r.unit
            .split(', ')
            .map(unitName)
            .join(v.lang === 'zh' ? '、' : ', ');
  const label = (r: RoleRef): string => {
    const unit = unitOf(r);
    if (r.role === 'town' && unit !== '') return unit;
    return unit === ''
      ? T(`role.${r.role}` as MessageKey)
      : v.lang === 'zh'
        ? `${T(`role.${r.role}` as MessageKey)}（${unit}）`
        : `${T(`role.${r.role}` as MessageKey)} (${unit})`;
  };
  const list = (xs: readonly string[]): string => xs.join(v.lang === 'zh' ? '、' : ', ');
  const start = v.start === undefined ? undefined : parseStart(v.start);
  const onset = d.injects[0]?.minutes ?? 0;
  const at = (minutes: number): string => {
    const drill = (minutes - onset) / v.compress;
    return start === undefined ? relative(drill) : clockOf(start + drill);
  };
  const name = localName(v.lang, d.scenario);
  const percentOf = (x: number | null | undefined) => (x === null || x === undefined ? '—' : formatPercent(x));
  const kpiValue =
    d.choice.kpi === 'reliefShare' || d.choice.kpi === 'lossRatio' ? percentOf(d.choice.value) : formatNumber(d.choice.value);
  const flood = d.choice.returnPeriodYears !== undefined ? T('drill.why.flood', { years: Math.round(d.choice.returnPeriodYears) }) : '';
  const why =
    d.choice.by === 'severity'
      ? T('drill.why.severity', {
          severity: d.choice.severity === 'worst' ? T('drill.worst') : (d.choice.severity ?? ''),
          kpi: T(`drill.kpi.${d.choice.kpi}` as MessageKey),
          replications: d.replications.toLocaleString('en-US'),
          flood,
          replication: d.replication,
          value: kpiValue,
          worse: percentOf(d.choice.worseThan),
        })
      : T('drill.why.index', {
          replication: d.replication,
          replications: d.replications.toLocaleString('en-US'),
          flood,
          kpi: T(`drill.kpi.${d.choice.kpi}` as MessageKey),
          value: kpiValue,
          worse: percentOf(d.choice.worseThan),
        });
  const f = d.facts;
  const lines = [
    ...(v.audience === 'controller'
      ? [
          why,
          T('drill.summary', {
            displaced: formatNumber(Math.round(f.displaced)),
            relieved: formatNumber(Math.round(f.relieved)),
            byDeadline: formatNumber(Math.round(f.relievedByDeadline)),
            hours: d.deadlineHours,
            responses: f.responses,
            deaths: f.deaths,
            loss: formatMoney(v.lang, f.lossCny),
          }),
        ]
      : []),
    start === undefined
      ? T('drill.clock.relative', { compress: v.compress })
      : T('drill.clock', { start: v.start!.trim(), compress: v.compress }),
    T('drill.provenance', {
      id: d.scenario.id,
      hash: d.scenario.hash,
      hazard: d.hazard.id,
      seed: d.seed,
      replication: d.replication,
      replications: d.replications.toLocaleString('en-US'),
      engine: d.engineVersion,
    }),
  ];
  const threshold = d.evaluation.find((e) => e.id === 'response-time')?.target?.threshold ?? 120;
  const fireCircle = d.evaluation.find((e) => e.id === 'fire-circle')?.target?.threshold ?? 5;
  const injects = d.injects.map((x) =>
    injectRow(x, { T, list, label, at, zoneName, unitName, lang: v.lang, minutes: x.kind === 'fire' ? fireCircle : threshold }),
  );
  const roles = d.roles.map((r) => ({
    role: T(`role.${r.role}` as MessageKey),
    unit: unitOf(r),
    injects: d.injects
      .filter((x) => [x.from, ...x.to].some((y) => y.role === r.role && y.unit === r.unit))
      .map((x) => x.n)
      .join(', '),
  }));
  const evaluation = v.audience === 'controller' ? d.evaluation.map((e) => evaluationRow(e, v.lang)) : [];
  return { title: T(v.audience === 'controller' ? 'drill.title' : 'drill.players', { name }), lines, roles, injects, evaluation };
}

interface RowContext {
  readonly T: (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;
  readonly list: (xs: readonly string[]) => string;
  readonly label: (r: RoleRef) => string;
  readonly at: (minutes: number) => string;
  readonly zoneName: (id: string) => string;
  readonly unitName: (id: string) => string;
  readonly lang: Lang;
  /** The response target the inject's calls are judged by, minutes. */
  readonly minutes: number;
}

/** Recipients of one role as one: the role with its units listed (消防救援大队（fire-maqiao、fire-suozhen）). */
function byRole(refs: readonly RoleRef[]): RoleRef[] {
  const out: RoleRef[] = [];
  for (const r of refs) {
    const same = out.findIndex((o) => o.role === r.role && o.role !== 'town' && o.unit !== undefined && r.unit !== undefined);
    if (same >= 0) out[same] = { role: r.role, unit: `${out[same]!.unit}, ${r.unit}` };
    else out.push(r);
  }
  return out;
}

/** Teams (`STATION/TYPE#k`) counted by station and type: `fire-maqiao/water-rescue ×2`, the station by its name. */
function teamsByStation(units: readonly string[], unitName: (id: string) => string, lang: Lang): string[] {
  const counts = new Map<string, number>();
  for (const u of units) {
    const key = u.split('#')[0]!;
    counts.set(key, (counts.get(key) ?? 0) + 1);
  }
  return [...counts].map(([k, n]) => {
    const [station = '', type = ''] = k.split('/');
    return `${unitName(station)}/${teamTypeName(lang, type)} ×${n}`;
  });
}

function injectRow(x: Inject, c: RowContext): InjectRow {
  const { T, list } = c;
  const facts = x.facts;
  const a = x.answer ?? {};
  const num = (v: unknown): string => (typeof v === 'number' ? formatNumber(v) : v === null || v === undefined ? '—' : String(v));
  const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
  const params: Record<string, string | number> = {
    minutes: c.minutes,
    level: x.level ?? '',
    zone: x.zone !== undefined ? c.zoneName(x.zone) : '',
  };
  for (const [k, v] of Object.entries(facts)) params[k] = Array.isArray(v) ? list(v.map(String)) : num(v);
  if (facts['items'] !== undefined) params['items'] = list(strings(facts['items']).map((i) => itemName(c.lang, i)));
  if (facts['substance'] !== undefined) params['substance'] = T(`substance.${String(facts['substance'])}` as MessageKey);
  params['warehouse'] = c.unitName(x.from.unit ?? '');
  params['aid'] = c.unitName(x.from.unit ?? '');
  let answer = '';
  if (x.kind === 'rescue-calls' || x.kind === 'fire' || x.kind === 'wildfire-crews') {
    answer = T(`inject.${x.kind}.answer` as MessageKey, {
      units: list(teamsByStation(strings(a['units']), c.unitName, c.lang)),
      reached: num(a['reached']),
      fastest: num(a['fastestMinutes']),
      slowest: num(a['slowestMinutes']),
      late: num(a['late']),
      minutes: c.minutes,
    });
  } else if (x.kind === 'release') {
    answer = T('inject.release.answer', { deaths: num(a['deaths']) });
  }
  return {
    n: x.n,
    at: c.at(x.minutes),
    sim: relative(x.minutes),
    from: c.label(x.from),
    to: list(byRole(x.to).map(c.label)),
    message: T(`inject.${x.kind}` as MessageKey, params),
    action: T(`inject.${x.kind}.action` as MessageKey, params),
    level: x.level !== undefined ? T('drill.level', { level: x.level }) : '',
    key: x.decisive ? '★' : '',
    answer,
  };
}

function evaluationRow(e: EvaluationRow, lang: Lang): { criterion: string; achieved: string; district: string } {
  const value = (x: number | null | undefined): string =>
    x === null || x === undefined ? t(lang, 'drill.none') : e.unit === 'share' || e.unit === 'ratio' ? formatPercent(x) : formatNumber(x);
  if (e.target) {
    const verdict = e.met === null ? t(lang, 'drill.notJudged') : t(lang, e.met ? 'drill.met' : 'drill.notMet');
    return {
      criterion: targetText(lang, e.target, false),
      achieved: e.met === null ? verdict : `${value(e.achieved)} ${verdict}`,
      district: t(lang, 'drill.pmet', {
        p: formatPercent(e.target.pMet),
        lo: formatPercent(e.target.ci95[0]),
        hi: formatPercent(e.target.ci95[1]),
      }),
    };
  }
  return {
    criterion: t(lang, `obs.${e.id.slice('obs:'.length)}` as MessageKey),
    achieved: value(e.achieved),
    district: t(lang, 'drill.mean', { mean: value(e.runMean), lo: value(e.runCi95?.[0]), hi: value(e.runCi95?.[1]) }),
  };
}

/** The columns of the injects table for an audience. */
function injectColumns(v: DrillView): { head: string; cell: (r: InjectRow) => string }[] {
  const T = (key: MessageKey) => t(v.lang, key);
  const all: { head: string; cell: (r: InjectRow) => string; controller?: true }[] = [
    { head: T('drill.col.n'), cell: (r) => String(r.n) },
    { head: T('drill.col.at'), cell: (r) => r.at },
    { head: T('drill.col.sim'), cell: (r) => r.sim, controller: true },
    { head: T('drill.col.from'), cell: (r) => r.from },
    { head: T('drill.col.to'), cell: (r) => r.to },
    { head: T('drill.col.message'), cell: (r) => r.message },
    { head: T('drill.col.action'), cell: (r) => r.action, controller: true },
    { head: T('drill.col.level'), cell: (r) => r.level, controller: true },
    { head: T('drill.col.key'), cell: (r) => r.key, controller: true },
    { head: T('drill.col.answer'), cell: (r) => r.answer, controller: true },
  ];
  return all.filter((c) => v.audience === 'controller' || !c.controller);
}

/** The drill in `format`. */
export function renderDrill(d: Drill, format: DrillFormat, v: DrillView): string {
  const r = renderDrillRows(d, v);
  const T = (key: MessageKey) => t(v.lang, key);
  const cols = injectColumns(v);
  const roleHead = [T('drill.col.role'), T('drill.col.unit'), T('drill.col.injects')];
  const evalHead = [T('drill.col.criterion'), T('drill.col.achieved'), T('drill.col.district')];
  const roleRows = r.roles.map((x) => [x.role, x.unit, x.injects]);
  const injectRows = r.injects.map((x) => cols.map((c) => c.cell(x)));
  const evalRows = r.evaluation.map((x) => [x.criterion, x.achieved, x.district]);
  switch (format) {
    case 'md': {
      const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
      const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
        [
          `| ${head.map(cell).join(' | ')} |`,
          `|${head.map(() => '---').join('|')}|`,
          ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
        ].join('\n');
      return `${[
        `# ${r.title}`,
        '',
        ...r.lines.flatMap((l) => [l, '']),
        `## ${T('drill.roles')}`,
        '',
        table(roleHead, roleRows),
        '',
        `## ${T('drill.msel')}`,
        '',
        table(
          cols.map((c) => c.head),
          injectRows,
        ),
        ...(v.audience === 'controller'
          ? ['', `## ${T('drill.evaluation')}`, '', T('drill.evaluationNote'), '', table(evalHead, evalRows)]
          : []),
      ].join('\n')}\n`;
    }
    case 'html': {
      const table = (head: readonly string[], rows: readonly (readonly string[])[], cls = 'left') =>
        `<table class="${cls}"><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>${rows
          .map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
          .join('')}</table>`;
      const body = `<h1>${escapeHtml(r.title)}</h1>
${r.lines.map((l) => `<p class="provenance">${escapeHtml(l)}</p>`).join('\n')}
<h2>${escapeHtml(T('drill.roles'))}</h2>
${table(roleHead, roleRows)}
<h2>${escapeHtml(T('drill.msel'))}</h2>
${table(
  cols.map((c) => c.head),
  injectRows,
  'left msel',
)}
${v.audience === 'controller' ? `<h2>${escapeHtml(T('drill.evaluation'))}</h2>\n<p>${escapeHtml(T('drill.evaluationNote'))}</p>\n${table(evalHead, evalRows)}` : ''}`;
      return page(v.lang, r.title, body, null, '', true);
    }
    case 'csv': {
      return csvDocument([cols.map((c) => c.head), ...injectRows]);
    }
    case 'json': {
      const rendered = r.injects.map((x) => {
        const base = { n: x.n, at: x.at, from: x.from, to: x.to, message: x.message };
        return v.audience === 'controller' ? { ...base, sim: x.sim, action: x.action, level: x.level, key: x.key, answer: x.answer } : base;
      });
      const out =
        v.audience === 'controller'
          ? {
              ...d,
              lang: v.lang,
              audience: v.audience,
              clock: { start: v.start ?? null, compress: v.compress },
              text: { ...r, injects: rendered },
            }
          : {
              kind: 'dsim.drill.handout',
              schemaVersion: 1,
              scenario: d.scenario,
              lang: v.lang,
              clock: { start: v.start ?? null, compress: v.compress },
              title: r.title,
              lines: r.lines,
              roles: r.roles,
              injects: rendered,
            };
      return `${JSON.stringify(out, null, 2)}\n`;
    }
  }
}

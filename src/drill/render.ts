/**
 * A drill (script.ts, built by build.ts) told in Chinese or English as the three documents the
 * 2009 guide and HSEEP split it into: the controller's guide (演练控制指南: the full MSEL with phases,
 * delivery, the model's answer key, state cards and contingency injects, the capability annex),
 * the evaluator's guide (演练评估指南: critical tasks with what to observe, the standard and the
 * model's reference, blank cells to fill, strengths, gaps, sign-off and the report templates) and
 * the players' message slips (演练消息单: world injects only, one per slip, each marked as an
 * exercise) — as Markdown, HTML (printable), JSON or CSV (UTF-8 with a byte-order mark, so Excel
 * opens Chinese). Every format is built from the same rendered rows, so they cannot disagree;
 * nothing depends on the clock or the machine, so the same arguments give the same bytes.
 */
import { DsimError, ErrorCodes } from '../errors.js';
import { formatMoney, formatNumber, formatPercent } from '../i18n/format.js';
import { EN, itemName, type Lang, localName, type MessageKey, t, teamTypeName } from '../i18n/messages.js';
import { LOSS_BIAS } from '../kpi/loss-bias.js';
import { csvDocument } from '../report/csv.js';
import { escapeHtml, page } from '../report/html.js';
import { targetText } from '../report/table.js';
import { type CriticalTask, type Drill, type EvaluationRow, type Inject, PHASES, type RoleRef } from './script.js';

export const DRILL_FORMATS = ['md', 'html', 'json', 'csv'] as const;
export type DrillFormat = (typeof DRILL_FORMATS)[number];
export const AUDIENCES = ['controller', 'evaluator', 'players'] as const;
export type Audience = (typeof AUDIENCES)[number];
/** The largest compression: a year of simulated time in a day's drill. */
export const MAX_COMPRESS = 365;

export interface DrillView {
  readonly lang: Lang;
  readonly audience: Audience;
  /** Wall-clock start of the drill, `YYYY-MM-DD HH:mm`; absent: T+ times. */
  readonly start?: string;
  /** Simulated minutes per drill minute. */
  readonly compress: number;
  /**
   * A functional drill (injects on a clock, the default), a tabletop exercise (phases, time jumps,
   * questions) or a demonstration drill (the functional script with its narration and dialogue).
   */
  readonly mode?: DrillMode;
}

export const DRILL_MODES = ['functional', 'tabletop', 'demonstration'] as const;
export type DrillMode = (typeof DRILL_MODES)[number];
/** Minutes of discussion per tabletop question (an estimate: HSEEP asks for a stated maximum). */
export const DISCUSSION_MINUTES = 15;

/** Simulated minutes from the drill's first inject to its last (what --duration fits into the drill's length). */
export const drillSpanMinutes = (d: Drill): number => (d.injects.at(-1)?.minutes ?? 0) - (d.injects[0]?.minutes ?? 0);

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
  const m = Math.abs(Math.round(minutes));
  return `T${minutes < -0.5 ? '−' : '+'}${String(Math.floor(m / 60)).padStart(2, '0')}:${String(m % 60).padStart(2, '0')}`;
};

/** One inject as the script shows it, every cell told in the view's language. */
export interface InjectRow {
  readonly n: number;
  readonly origin: Inject['origin'];
  readonly phase: string;
  readonly type: string;
  readonly delivery: string;
  readonly objective: string;
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
  /** The technical note at the end: scenario, hash, hazard, seed, replication, engine. */
  readonly footer: readonly string[];
  /** The terms explained once (controller and evaluators): inject, state card, severity, AEGL for releases. */
  readonly glossary: readonly string[];
  readonly roles: readonly { role: string; unit: string; injects: string }[];
  /** The controller's: every inject; the players': world injects only; the evaluators': none. */
  readonly injects: readonly InjectRow[];
  /** The controller's contingency injects, one per outcome inject that has one. */
  readonly contingencies: readonly string[];
  /** The capability annex (controller and evaluators). */
  readonly evaluation: readonly { criterion: string; achieved: string; district: string }[];
  /** The evaluators' critical tasks. */
  readonly tasks: readonly { objective: string; point: string; standard: string; reference: string }[];
  /** A demonstration drill's script (the controller's copy): per inject, the narrator's words and the lines spoken. */
  readonly script?: readonly ScriptLine[];
}

/**
 * One inject of a demonstration drill (示范演练) as performed: the narration (解说词) read to the
 * audience, with each phase announced when the script first enters it, and the commands and dialogue (指令与对白):
 * the sender reports, the first recipient answers with the expected action, and what the model did
 * is shown as the scripted response. In a demonstration the model's handling is the script.
 */
export interface ScriptLine {
  readonly n: number;
  readonly at: string;
  readonly narration: string;
  readonly dialogue: readonly string[];
}

/** A demonstration drill's script from the controller's rows (the first recipient answers for all). */
function demonstrationScript(rows: readonly InjectRow[], firstTo: readonly string[], T: RowContext['T']): ScriptLine[] {
  return rows.map((x, i) => {
    const to = firstTo[i]!;
    // the phase announced when the script first enters it (phases overlap on the clock)
    const phase = rows.findIndex((y) => y.phase === x.phase) === i ? `${T('demo.phase', { phase: x.phase })} ` : '';
    const dialogue =
      x.origin === 'outcome'
        ? [T('demo.report', { from: x.from, to, message: x.message }), T('demo.ack', { to })]
        : [
            T('demo.report', { from: x.from, to, message: x.message }),
            T('demo.reply', { to, action: x.action }),
            ...(x.answer !== '' ? [T('demo.shown', { answer: x.answer })] : []),
          ];
    return { n: x.n, at: x.at, narration: phase + T('demo.narration', { sim: x.sim, message: x.message }), dialogue };
  });
}

/** The drill's text in the view's language: header lines, participants, injects, evaluation. */
export function renderDrillRows(d: Drill, v: DrillView): Rendered {
  const T = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => t(v.lang, key, params);
  // zones and roads by name, never by their codes (a road "Z1-Z3" reads 索镇街道（县城）—起凤镇（马踏湖畔）)
  const zoneName = (id: string): string => {
    const z = d.zones.find((x) => x.id === id);
    return z ? localName(v.lang, z) : id;
  };
  const linkName = (link: string): string => {
    const road = d.roads?.find((r) => r.id === link);
    const named = v.lang === 'zh' ? (road?.nameZh ?? road?.name) : road?.name;
    if (named !== undefined) return named;
    for (let i = link.indexOf('-'); i > 0; i = link.indexOf('-', i + 1)) {
      const [a, b] = [link.slice(0, i), link.slice(i + 1)];
      if (d.zones.some((z) => z.id === a) && d.zones.some((z) => z.id === b)) return `${zoneName(a)}—${zoneName(b)}`;
    }
    return link;
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
  /** The plan's own body for a role, when it names one: the hazard's headquarters, the alarm centre. */
  const planned = (r: RoleRef): { name: string; nameZh?: string | undefined } | undefined =>
    r.role === 'hq' ? d.plan?.headquarters?.[d.hazard.type] : r.role === 'alarm' ? d.plan?.alarmCentre : undefined;
  const label = (r: RoleRef): string => {
    const own = planned(r);
    if (own) return v.lang === 'zh' ? (own.nameZh ?? own.name) : own.name;
    const unit = unitOf(r);
    if ((r.role === 'town' || r.role === 'enterprise') && unit !== '') return unit;
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
  // worse than none: the replication ties with the many of the same value (a fire that cost nothing)
  const rank = () =>
    d.choice.worseThan !== null && d.choice.worseThan < 0.005 ? T('drill.tied') : T('drill.rank', { worse: percentOf(d.choice.worseThan) });
  const why =
    d.choice.by === 'severity'
      ? T('drill.why.severity', {
          severity: T(`drill.sev.${d.choice.severity ?? 'p90'}` as MessageKey),
          kpi: T(`drill.kpi.${d.choice.kpi}` as MessageKey),
          replications: d.replications.toLocaleString('en-US'),
          flood,
          replication: d.replication + 1,
          value: kpiValue,
          rank: rank(),
        })
      : T('drill.why.index', {
          replication: d.replication + 1,
          replications: d.replications.toLocaleString('en-US'),
          flood,
          kpi: T(`drill.kpi.${d.choice.kpi}` as MessageKey),
          value: kpiValue,
          rank: rank(),
        });
  const planName = planTitle(d, v.lang);
  const levelsDefined = d.levelsDefined;
  const lines = [
    ...(v.audience === 'evaluator' ? [T('eval.note')] : []),
    ...(v.audience === 'controller'
      ? [
          why,
          summaryOf(d, v.lang),
          ...(levelsDefined ? [] : [T('drill.levelsNone', { plan: planName })]),
          ...(v.mode === 'demonstration' ? [T('demo.note')] : []),
        ]
      : []),
    start === undefined
      ? T('drill.clock.relative', { compress: v.compress })
      : T('drill.clock', { start: v.start!.trim(), compress: v.compress }),
  ];
  // ids and hashes only in the technical note at the end (the players' slips have none)
  const footer =
    v.audience === 'players'
      ? []
      : [
          T('drill.provenance', {
            id: d.scenario.id,
            hash: d.scenario.hash,
            hazard: d.hazard.id,
            seed: d.seed,
            replication: d.replication + 1,
            replications: d.replications.toLocaleString('en-US'),
            engine: d.engineVersion,
          }),
          // the losses this drill states are the model's: what the back-tests measured of them
          T('loss.bias', LOSS_BIAS),
        ];
  const threshold = d.evaluation.find((e) => e.id === 'response-time')?.target?.threshold ?? 120;
  const fireCircle = d.evaluation.find((e) => e.id === 'fire-circle')?.target?.threshold ?? 5;
  const gov = T(`gov.${d.plan?.government ?? 'unknown'}` as MessageKey);
  const shown = v.audience === 'players' ? d.injects.filter((x) => x.origin === 'world') : v.audience === 'controller' ? d.injects : [];
  const injects = shown.map((x) =>
    injectRow(x, {
      T,
      list,
      label,
      at,
      zoneName,
      linkName,
      unitName,
      lang: v.lang,
      gov,
      levelBlank: !levelsDefined && (x.kind === 'flood' || x.kind === 'release' || x.kind === 'wildfire' || x.kind === 'fire'),
      minutes: x.kind === 'fire' ? fireCircle : threshold,
    }),
  );
  // the players' participants: the roles their messages come from and go to, without which inject reaches whom
  const roleRefs =
    v.audience === 'players'
      ? d.roles.filter((r) => shown.some((x) => [x.from, ...x.to].some((y) => y.role === r.role && y.unit === r.unit)))
      : d.roles;
  const roles = (v.audience === 'evaluator' ? [] : roleRefs).map((r) => ({
    role: T(`role.${r.role}` as MessageKey),
    unit: planned(r) ? label(r) : unitOf(r),
    injects:
      v.audience === 'controller'
        ? d.injects
            .filter((x) => [x.from, ...x.to].some((y) => y.role === r.role && y.unit === r.unit))
            .map((x) => x.n)
            .join(', ')
        : '',
  }));
  const contingencies =
    v.audience === 'controller'
      ? d.injects
          // the first outcome of each kind: if the players have not got there by then
          .filter(
            (x, i, all) =>
              x.origin === 'outcome' && `contingency.${x.kind}.expected` in EN && all.findIndex((y) => y.kind === x.kind) === i,
          )
          .map((x) =>
            T('drill.contingency', {
              at: at(x.minutes),
              expected: T(`contingency.${x.kind}.expected` as MessageKey),
              inject: T(`contingency.${x.kind}.inject` as MessageKey),
            }),
          )
      : [];
  const evaluation = v.audience === 'players' ? [] : d.evaluation.map((e) => evaluationRow(e, v.lang, d.facts));
  const tasks = v.audience === 'evaluator' ? d.tasks.map((x) => taskRow(x, v.lang)) : [];
  const title = T(v.audience === 'controller' ? 'drill.title' : v.audience === 'evaluator' ? 'drill.evaluatorTitle' : 'drill.players', {
    name,
  });
  const glossary =
    v.audience === 'players'
      ? []
      : [T('glossary.world'), T('glossary.outcome'), T('glossary.severity'), ...(d.hazard.type === 'chemical' ? [T('glossary.aegl')] : [])];
  const script =
    v.mode === 'demonstration' && v.audience === 'controller'
      ? demonstrationScript(
          injects,
          shown.map((x) => label(x.to[0] ?? { role: 'hq' })),
          T,
        )
      : undefined;
  return { title, lines, footer, glossary, roles, injects, contingencies, evaluation, tasks, ...(script && { script }) };
}

/** The plan exercised, as its title reads (《…》 in Chinese), or "the plan". */
function planTitle(d: Drill, lang: Lang): string {
  return d.plan?.nameZh !== undefined && lang === 'zh' ? `《${d.plan.nameZh}》` : (d.plan?.name ?? t(lang, 'drill.planUnknown'));
}

/** What happens in the replication, in the hazard's own terms (a release displaces no one: its people above AEGL-2 and evacuated). */
function summaryOf(d: Drill, lang: Lang): string {
  const f = d.facts;
  const loss = formatMoney(lang, f.lossCny);
  if (d.hazard.type === 'chemical') {
    const release = d.injects.find((x) => x.kind === 'release');
    const done = d.injects.find((x) => x.kind === 'evacuation-completed');
    return t(lang, 'drill.summary.chemical', {
      aegl2: formatNumber(Number(release?.facts['aegl2'] ?? 0)),
      evacuated: formatNumber(Number(done?.facts['people'] ?? 0)),
      deaths: f.deaths,
      loss,
    });
  }
  if (d.fire) {
    const zone = d.zones.find((z) => z.id === d.fire!.zone);
    return t(lang, 'drill.summary.urbanFire', {
      fires: formatNumber(d.fire.fires),
      loss,
      deaths: f.deaths,
      zone: zone ? localName(lang, zone) : (d.fire.zone ?? ''),
      fireLoss: formatMoney(lang, d.fire.lossCny),
      fireDeaths: d.fire.deaths,
    });
  }
  if (d.hazard.type === 'wildfire' || d.hazard.type === 'urban-fire') {
    const area = d.injects.reduce((a, x) => a + (x.kind === 'wildfire-contained' ? Number(x.facts['areaHa'] ?? 0) : 0), 0);
    return t(lang, 'drill.summary.fire', { responses: f.responses, area: formatNumber(area), deaths: f.deaths, loss });
  }
  return t(lang, 'drill.summary', {
    displaced: formatNumber(Math.round(f.displaced)),
    relieved: formatNumber(Math.round(f.relieved)),
    byDeadline: formatNumber(Math.round(f.relievedByDeadline)),
    hours: d.deadlineHours,
    responses: f.responses,
    deaths: f.deaths,
    loss,
  });
}

/** A critical task in words: its objective, what to observe, the standard and the model's reference. */
function taskRow(x: CriticalTask, lang: Lang): { objective: string; point: string; standard: string; reference: string } {
  const calls = x.task === 'rescue' || x.task === 'fire-circle' || x.task === 'wildfire-crews';
  const params = Object.fromEntries(Object.entries(x.params).map(([k, v]) => [k, typeof v === 'number' ? formatNumber(v) : v]));
  return {
    objective: t(lang, `objective.${x.objective}` as MessageKey),
    point: t(lang, `task.${x.task}` as MessageKey),
    standard: t(lang, `task.${x.task}.standard` as MessageKey, params),
    reference: t(lang, `${calls ? 'task.calls' : `task.${x.task}`}.ref.${x.reference}` as MessageKey, params),
  };
}

interface RowContext {
  readonly T: (key: MessageKey, params?: Readonly<Record<string, string | number>>) => string;
  readonly list: (xs: readonly string[]) => string;
  readonly label: (r: RoleRef) => string;
  readonly at: (minutes: number) => string;
  readonly zoneName: (id: string) => string;
  readonly linkName: (id: string) => string;
  readonly unitName: (id: string) => string;
  readonly lang: Lang;
  /** The government reported to (县政府, 市政府, 区政府, 管委会). */
  readonly gov: string;
  /** The level cell says "per the plan" (the plan defines no levels; the hazard's onset). */
  readonly levelBlank: boolean;
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
    gov: c.gov,
  };
  for (const [k, v] of Object.entries(facts)) params[k] = Array.isArray(v) ? list(v.map(String)) : num(v);
  if (facts['links'] !== undefined) params['links'] = list(strings(facts['links']).map(c.linkName));
  if (facts['items'] !== undefined) params['items'] = list(strings(facts['items']).map((i) => itemName(c.lang, i)));
  if (facts['substance'] !== undefined) params['substance'] = T(`substance.${String(facts['substance'])}` as MessageKey);
  params['warehouse'] = c.unitName(x.from.unit ?? '');
  if (x.kind === 'casualties' || x.kind === 'hospital-arrivals') params['site'] = c.unitName(String(facts['siteUnit'] ?? ''));
  if (x.kind === 'release') {
    params['site'] = c.unitName(x.from.unit ?? '');
    // the wind from its direction, and where downwind is; else measured on site
    const from = String(facts['windFrom'] ?? '');
    params['direction'] =
      from === ''
        ? T('drill.windOnSite')
        : T('drill.windFrom', { from: T(`compass.${from}` as MessageKey), to: T(`compass.${String(facts['windTo'])}` as MessageKey) });
  }
  params['aid'] = c.unitName(x.from.unit ?? '');
  // a wildfire that burned out at water and breaks is not "put out"
  const key = x.kind === 'wildfire-contained' && facts['putOut'] === 0 ? 'wildfire-burnedout' : x.kind;
  let answer = '';
  if (x.kind === 'rescue-calls' || x.kind === 'fire' || x.kind === 'wildfire-crews') {
    const [fastest, slowest, late] = [a['fastestMinutes'], a['slowestMinutes'], Number(a['late'] ?? 0)];
    answer = T(`inject.${x.kind}.answer` as MessageKey, {
      units: list(teamsByStation(strings(a['units']), c.unitName, c.lang)),
      reached: num(a['reached']),
      // "in 41 min" when one time, "in 20–129 min" for a range; "all within" when none is late
      time:
        typeof fastest !== 'number' || typeof slowest !== 'number'
          ? T('drill.time.none')
          : fastest === slowest
            ? T('drill.time.one', { a: fastest })
            : T('drill.time.range', { a: fastest, b: slowest }),
      late: late === 0 ? T('drill.late.none', { minutes: c.minutes }) : T('drill.late.some', { late, minutes: c.minutes }),
    });
  } else if (x.kind === 'release') {
    answer = T('inject.release.answer', { deaths: num(a['deaths']) });
  } else if (x.kind === 'fire-controlled' && a['lossCny'] !== undefined) {
    answer = T('inject.fire-controlled.answer', { loss: formatMoney(c.lang, Number(a['lossCny'])), deaths: num(a['deaths']) });
  }
  return {
    n: x.n,
    origin: x.origin,
    phase: T(`phase.${x.phase}` as MessageKey),
    type: T(`origin.${x.origin}` as MessageKey),
    delivery: T(`delivery.${x.delivery}` as MessageKey),
    objective: x.objective?.startsWith('task:') ? T(`task.${x.objective.slice(5)}` as MessageKey) : '',
    at: c.at(x.minutes),
    sim: relative(x.minutes),
    from: c.label(x.from),
    to: list(byRole(x.to).map(c.label)),
    message: T(`inject.${key}` as MessageKey, params),
    action: T(`inject.${key}.action` as MessageKey, params),
    level: x.level !== undefined ? T('drill.level', { level: x.level }) : c.levelBlank ? T('drill.levelBlank') : '',
    key: x.decisive ? '★' : '',
    answer,
  };
}

function evaluationRow(e: EvaluationRow, lang: Lang, f: Drill['facts']): { criterion: string; achieved: string; district: string } {
  // nothing to judge is "not applicable", not "not reached": no calls, or people still waiting at the end
  const none =
    e.id === 'obs:response-mean' && f.responses === 0
      ? t(lang, 'drill.noCalls')
      : e.id === 'obs:all-relieved'
        ? t(lang, 'drill.unfinished', { left: formatNumber(Math.round(f.displaced - f.relieved)) })
        : t(lang, 'drill.none');
  const value = (x: number | null | undefined): string =>
    x === null || x === undefined ? none : e.unit === 'share' || e.unit === 'ratio' ? formatPercent(x) : formatNumber(x);
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

/** The columns of the injects table: the controller's MSEL (blank columns to fill in during the drill), the players' slips. */
function injectColumns(v: DrillView): { head: string; cell: (r: InjectRow) => string }[] {
  const T = (key: MessageKey) => t(v.lang, key);
  const blank = () => '';
  if (v.audience === 'players')
    return [
      { head: T('drill.col.n'), cell: (r) => String(r.n) },
      { head: T('drill.col.at'), cell: (r) => r.at },
      { head: T('drill.col.from'), cell: (r) => r.from },
      { head: T('drill.col.to'), cell: (r) => r.to },
      { head: T('drill.col.delivery'), cell: (r) => r.delivery },
      { head: T('drill.col.message'), cell: (r) => r.message },
    ];
  return [
    { head: T('drill.col.n'), cell: (r) => String(r.n) },
    { head: T('drill.col.at'), cell: (r) => r.at },
    { head: T('drill.col.sim'), cell: (r) => r.sim },
    { head: T('drill.col.phase'), cell: (r) => r.phase },
    { head: T('drill.col.origin'), cell: (r) => r.type },
    { head: T('drill.col.from'), cell: (r) => r.from },
    { head: T('drill.col.to'), cell: (r) => r.to },
    { head: T('drill.col.delivery'), cell: (r) => r.delivery },
    { head: T('drill.col.message'), cell: (r) => (r.origin === 'outcome' ? T('drill.stateCard') + r.message : r.message) },
    { head: T('drill.col.action'), cell: (r) => r.action },
    { head: T('drill.col.objective'), cell: (r) => r.objective },
    { head: T('drill.col.level'), cell: (r) => r.level },
    { head: T('drill.col.key'), cell: (r) => r.key },
    { head: T('drill.col.answer'), cell: (r) => r.answer },
    { head: T('drill.col.controller'), cell: blank },
    { head: T('drill.col.actual'), cell: blank },
    { head: T('drill.col.record'), cell: blank },
  ];
}

/** Rows of blank cells to write in (the evaluation templates). */
const blankRows = (columns: number, rows: number): string[][] =>
  Array.from({ length: rows }, () => Array.from({ length: columns }, () => ''));

/** The drill in `format`, for the view's audience. */
export function renderDrill(d: Drill, format: DrillFormat, v: DrillView): string {
  if (v.mode === 'tabletop' && v.audience !== 'evaluator') return renderTabletop(d, format, v);
  const r = renderDrillRows(d, v);
  const T = (key: MessageKey) => t(v.lang, key);
  const T2 = (key: MessageKey, params: Readonly<Record<string, string | number>>) => t(v.lang, key, params);
  const cols = injectColumns(v);
  const roleHead =
    v.audience === 'controller'
      ? [T('drill.col.role'), T('drill.col.unit'), T('drill.col.injects')]
      : [T('drill.col.role'), T('drill.col.unit')];
  const evalHead = [T('drill.col.criterion'), T('drill.col.achieved'), T('drill.col.district')];
  const taskHead = [
    T('eval.col.objective'),
    T('eval.col.point'),
    T('eval.col.standard'),
    T('eval.col.reference'),
    T('eval.col.time'),
    T('eval.col.record'),
    T('eval.col.rating'),
    T('eval.col.score'),
  ];
  const planHead = T('eval.planCols').split(' | ');
  const scriptHead = [T('drill.col.n'), T('drill.col.at'), T('demo.col.narration'), T('demo.col.dialogue')];
  const roleRows = r.roles.map((x) => (v.audience === 'controller' ? [x.role, x.unit, x.injects] : [x.role, x.unit]));
  const injectRows = r.injects.map((x) => cols.map((c) => c.cell(x)));
  const evalRows = r.evaluation.map((x) => [x.criterion, x.achieved, x.district]);
  const taskRows = r.tasks.map((x) => [x.objective, x.point, x.standard, x.reference, '', '', '', '']);
  switch (format) {
    case 'md': {
      const cell = (s: string) => s.replace(/\|/g, '\\|').replace(/\n/g, ' ');
      const table = (head: readonly string[], rows: readonly (readonly string[])[]) =>
        [
          `| ${head.map(cell).join(' | ')} |`,
          `|${head.map(() => '---').join('|')}|`,
          ...rows.map((row) => `| ${row.map(cell).join(' | ')} |`),
        ].join('\n');
      // the capability annex and the technical note end the controller's and the evaluators' copies
      const annex = [
        `## ${T('drill.evaluation')}`,
        '',
        T('drill.evaluationNote'),
        '',
        table(evalHead, evalRows),
        '',
        `## ${T('drill.technical')}`,
        '',
        ...r.footer,
      ];
      const head = [
        `# ${r.title}`,
        '',
        ...r.lines.flatMap((l) => [l, '']),
        ...(r.glossary.length > 0 ? [`## ${T('drill.glossary')}`, '', ...r.glossary.map((g) => `- ${g}`), ''] : []),
      ];
      if (v.audience === 'players') {
        const slips = r.injects.flatMap((x) => [
          `## ${T('drill.marker')} ${t(v.lang, 'drill.slip', { n: x.n })}`,
          '',
          `- ${T('drill.col.at')}: ${x.at}`,
          `- ${T('drill.col.from')}: ${x.from}`,
          `- ${T('drill.col.to')}: ${x.to}`,
          `- ${T('drill.col.delivery')}: ${x.delivery}`,
          '',
          `${T('drill.marker')} ${x.message}`,
          '',
          `*${T('drill.slipFooter')}*`,
          '',
        ]);
        return `${[...head, `## ${T('drill.roles')}`, '', table(roleHead, roleRows), '', ...slips].join('\n')}`;
      }
      if (v.audience === 'evaluator') {
        const section = (key: MessageKey) => [`## ${T(key)}`, '', '1. ', '2. ', '3. ', ''];
        return `${[
          ...head,
          `## ${T('eval.tasks')}`,
          '',
          table(taskHead, taskRows),
          '',
          ...section('eval.strengths'),
          ...section('eval.gaps'),
          ...section('eval.suggestions'),
          T('eval.signoff'),
          '',
          `## ${T('eval.reportTitle')}`,
          '',
          ...T('eval.reportHeads')
            .split(' | ')
            .flatMap((h) => [`### ${h}`, '']),
          `## ${T('eval.summaryTitle')}`,
          '',
          ...T('eval.summaryHeads')
            .split(' | ')
            .flatMap((h) => [`### ${h}`, '']),
          `## ${T('eval.planTitle')}`,
          '',
          table(planHead, blankRows(planHead.length, 5)),
          '',
          ...annex,
        ].join('\n')}\n`;
      }
      return `${[
        ...head,
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
        '',
        ...(r.script
          ? [
              `## ${T('demo.title')}`,
              '',
              table(
                scriptHead,
                r.script.map((x) => [String(x.n), x.at, x.narration, x.dialogue.join('<br>')]),
              ),
              '',
            ]
          : []),
        `## ${T('drill.contingencies')}`,
        '',
        ...r.contingencies.map((c) => `- ${c}`),
        '',
        ...annex,
      ].join('\n')}\n`;
    }
    case 'html': {
      const table = (head: readonly string[], rows: readonly (readonly string[])[], cls = 'left') =>
        `<table class="${cls}"><thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${rows
          .map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(c)}</td>`).join('')}</tr>`)
          .join('')}</tbody></table>`;
      const h2 = (text: string) => `<h2>${escapeHtml(text)}</h2>`;
      // a cover for the controller's and evaluators' copies (编制/审核/批准), then the document
      const cover =
        v.audience === 'players'
          ? ''
          : `<section class="cover"><h1>${escapeHtml(r.title)}</h1><p>${escapeHtml(T2('drill.cover.basis', { plan: planTitle(d, v.lang) }))}</p><p>${escapeHtml(
              T2('drill.cover.date', { date: v.start !== undefined ? v.start.trim().slice(0, 10) : T('drill.cover.dateBlank') }),
            )}</p><p class="signoff">${escapeHtml(T('drill.cover.prepared'))}</p></section>\n`;
      const glossary =
        r.glossary.length > 0
          ? `\n<section class="keep glossary"><h2>${escapeHtml(T('drill.glossary'))}</h2><ul>${r.glossary.map((g) => `<li>${escapeHtml(g)}</li>`).join('')}</ul></section>`
          : '';
      const head = `${cover}<h1>${escapeHtml(r.title)}</h1>\n${r.lines.map((l) => `<p class="provenance">${escapeHtml(l)}</p>`).join('\n')}${glossary}`;
      const annex = `<section class="keep">${h2(T('drill.evaluation'))}<p>${escapeHtml(T('drill.evaluationNote'))}</p>${table(evalHead, evalRows)}</section>`;
      const foot =
        r.footer.length > 0
          ? `\n<section class="keep">${h2(T('drill.technical'))}${r.footer.map((l) => `<p class="provenance">${escapeHtml(l)}</p>`).join('')}</section>`
          : '';
      // headings kept with what follows; short columns on one line; slips one per page
      // page numbers and a running header in the page margins (CSS paged media, as Chromium prints it)
      const pageOf = t(v.lang, 'drill.pageOf', { page: '" counter(page) "', pages: '" counter(pages) "' });
      const style = `<style>
  @page { @top-right { content: "${T(`drill.running.${v.audience}` as MessageKey)}"; font-size: 9px; color: #667; } @bottom-center { content: "${pageOf}"; font-size: 9px; color: #667; } }
  section.cover { page-break-after: always; padding-top: 60mm; text-align: center; } section.cover p { margin: 10mm 0; } p.signoff { margin-top: 40mm !important; }
  section.keep { page-break-inside: avoid; }
  table.msel td:nth-child(8), table.msel td:nth-child(12), table.msel td:nth-child(13),
  table.msel th:nth-child(8), table.msel th:nth-child(12), table.msel th:nth-child(13) { white-space: nowrap; }
  table.msel { font-size: 9.5px; } table.msel th:nth-child(4), table.msel th:nth-child(5) { min-width: 9mm; }
  table.msel th:nth-child(6), table.msel th:nth-child(7) { min-width: 15mm; } table.msel th:nth-child(11) { min-width: 18mm; }
  table.msel th:nth-child(9) { min-width: 36mm; } table.msel th:nth-child(10), table.msel th:nth-child(14) { min-width: 25mm; }
  table.msel th:nth-child(n+15) { min-width: 11mm; }
  table.script td:nth-child(3) { width: 40%; } table.script td:nth-child(2) { white-space: nowrap; }
  td.write { height: 28px; }
  .slip { border: 2px solid #1d2733; padding: 10mm; margin: 8mm 0; page-break-after: always; page-break-inside: avoid; min-height: 110mm; }
  .slip .marker { color: #c0392b; font-weight: bold; font-size: 16px; } .slip .text { font-size: 15px; margin: 8mm 0; }
</style>`;
      let body: string;
      if (v.audience === 'players') {
        body = `${style}\n${head}\n${h2(T('drill.roles'))}\n${table(roleHead, roleRows)}\n${r.injects
          .map(
            (x) => `<div class="slip"><div class="marker">${escapeHtml(`${T('drill.marker')} ${t(v.lang, 'drill.slip', { n: x.n })}`)}</div>
<table class="left"><tbody>${[
              [T('drill.col.at'), x.at],
              [T('drill.col.from'), x.from],
              [T('drill.col.to'), x.to],
              [T('drill.col.delivery'), x.delivery],
            ]
              .map(([k, val]) => `<tr><th>${escapeHtml(k!)}</th><td>${escapeHtml(val!)}</td></tr>`)
              .join('')}</tbody></table>
<p class="text">${escapeHtml(`${T('drill.marker')} ${x.message}`)}</p>
<p class="note">${escapeHtml(T('drill.slipFooter'))}</p></div>`,
          )
          .join('\n')}`;
      } else if (v.audience === 'evaluator') {
        const write = (key: MessageKey) =>
          `<section class="keep">${h2(T(key))}<table class="left"><tbody>${'<tr><td class="write"></td></tr>'.repeat(3)}</tbody></table></section>`;
        const heads = (key: MessageKey) =>
          T(key)
            .split(' | ')
            .map((x) => `<h3>${escapeHtml(x)}</h3><p class="note">&#160;</p>`)
            .join('');
        body = `${style}\n${head}\n${h2(T('eval.tasks'))}\n${table(taskHead, taskRows, 'left tasks')}
${write('eval.strengths')}\n${write('eval.gaps')}\n${write('eval.suggestions')}
<p>${escapeHtml(T('eval.signoff'))}</p>
<section class="keep">${h2(T('eval.reportTitle'))}${heads('eval.reportHeads')}</section>
<section class="keep">${h2(T('eval.summaryTitle'))}${heads('eval.summaryHeads')}</section>
<section class="keep">${h2(T('eval.planTitle'))}${table(planHead, blankRows(planHead.length, 5))}</section>
${annex}`;
      } else {
        body = `${style}\n${head}\n${h2(T('drill.roles'))}\n${table(roleHead, roleRows)}\n${h2(T('drill.msel'))}\n${table(
          cols.map((c) => c.head),
          injectRows,
          'left msel',
        )}
${
  r.script
    ? `${h2(T('demo.title'))}<table class="left script"><thead><tr>${scriptHead.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead><tbody>${r.script
        .map(
          (x) =>
            `<tr><td>${x.n}</td><td>${escapeHtml(x.at)}</td><td>${escapeHtml(x.narration)}</td><td>${x.dialogue.map(escapeHtml).join('<br>')}</td></tr>`,
        )
        .join('')}</tbody></table>`
    : ''
}
<section class="keep">${h2(T('drill.contingencies'))}<ul>${r.contingencies.map((c) => `<li>${escapeHtml(c)}</li>`).join('')}</ul></section>
${annex}`;
      }
      return page(v.lang, r.title, body + foot, null, '', v.audience === 'controller');
    }
    case 'csv': {
      if (v.audience === 'evaluator') return csvDocument([taskHead, ...taskRows]);
      // a demonstration drill's narration and dialogue as the last two columns
      if (r.script)
        return csvDocument([
          [...cols.map((c) => c.head), T('demo.col.narration'), T('demo.col.dialogue')],
          ...injectRows.map((row, i) => [...row, r.script![i]!.narration, r.script![i]!.dialogue.join('\n')]),
        ]);
      return csvDocument([cols.map((c) => c.head), ...injectRows]);
    }
    case 'json': {
      const clock = { start: v.start ?? null, compress: v.compress };
      if (v.audience === 'players')
        return `${JSON.stringify(
          {
            kind: 'dsim.drill.slips',
            schemaVersion: 2,
            scenario: d.scenario,
            lang: v.lang,
            clock,
            title: r.title,
            lines: r.lines,
            roles: r.roles.map((x) => ({ role: x.role, unit: x.unit })),
            slips: r.injects.map((x) => ({ n: x.n, at: x.at, from: x.from, to: x.to, delivery: x.delivery, message: x.message })),
          },
          null,
          2,
        )}\n`;
      if (v.audience === 'evaluator')
        return `${JSON.stringify(
          {
            kind: 'dsim.drill.evaluation',
            schemaVersion: 1,
            scenario: d.scenario,
            lang: v.lang,
            title: r.title,
            lines: r.lines,
            tasks: r.tasks,
            capability: r.evaluation,
          },
          null,
          2,
        )}\n`;
      return `${JSON.stringify({ ...d, lang: v.lang, audience: v.audience, clock, text: r }, null, 2)}\n`;
    }
  }
}

/** What `--package DIR` writes: the three documents in every format, and an index, by file name. */
export function renderPackage(d: Drill, v: Omit<DrillView, 'audience'>): Record<string, string> {
  const files: Record<string, string> = {};
  const rows: string[][] = [];
  for (const audience of AUDIENCES) {
    const view = { ...v, audience };
    const title = renderDrillRows(d, view).title;
    for (const format of DRILL_FORMATS) files[`${audience}.${format}`] = renderDrill(d, format, view);
    rows.push([title, t(v.lang, `drill.for.${audience}` as MessageKey), ...DRILL_FORMATS.map((f) => `${audience}.${f}`)]);
  }
  const head = t(v.lang, 'drill.index');
  files['index.md'] = `# ${head}\n\n${rows
    .map(
      (r) =>
        `- **${r[0]}** — ${r[1]}: ${r
          .slice(2)
          .map((f) => `[${f}](${f})`)
          .join(' · ')}`,
    )
    .join('\n')}\n`;
  files['index.html'] = page(
    v.lang,
    head,
    `<h1>${escapeHtml(head)}</h1>\n<ul>${rows
      .map(
        (r) =>
          `<li><b>${escapeHtml(r[0]!)}</b> — ${escapeHtml(r[1]!)}: ${r
            .slice(2)
            .map((f) => `<a href="${f}">${f}</a>`)
            .join(' · ')}</li>`,
      )
      .join('')}</ul>`,
    null,
    '',
  );
  return files;
}

/** One phase of a tabletop exercise: the time jump, the situation, the questions, the facilitator's reference. */
export interface TabletopPhase {
  readonly phase: string;
  readonly jump: string;
  readonly situation: readonly string[];
  readonly questions: readonly string[];
  /** The model's outcomes in the phase (the controller's copy only). */
  readonly reference: readonly string[];
}

/**
 * A tabletop exercise from the same replication (issue 25 item 5): per phase, the exercise jumps to
 * the phase's first inject with the situation the players would have heard by then (its world
 * injects), then 2–4 questions drawn from the plan's expected actions for the hazard and phase, each
 * with a discussion time; the controller's copy adds what the model did next as a reference.
 */
export function tabletopRows(d: Drill, v: DrillView): { title: string; lines: string[]; phases: TabletopPhase[]; footer: string[] } {
  const rows = renderDrillRows(d, { ...v, audience: 'controller' });
  const T = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => t(v.lang, key, params);
  const onset = d.injects.find((x) => x.phase === 'activation')?.minutes ?? d.injects[0]?.minutes ?? 0;
  const planName = planTitle(d, v.lang);
  const threshold = d.evaluation.find((e) => e.id === 'response-time')?.target?.threshold ?? 120;
  const params = { plan: planName, minutes: threshold, hours: d.deadlineHours };
  const hazard = ['flood', 'chemical', 'wildfire', 'urban-fire'].includes(d.hazard.type) ? d.hazard.type : 'incidents';
  const phases: TabletopPhase[] = [];
  for (const phase of PHASES) {
    const here = d.injects.map((x, i) => ({ x, row: rows.injects[i]! })).filter(({ x }) => x.phase === phase);
    if (here.length === 0) continue;
    const questions = [1, 2, 3, 4]
      .map((k) => `tabletop.${hazard}.${phase}.${k}`)
      .filter((k) => k in EN)
      .map((k) => T(k as MessageKey, params));
    const first = here[0]!;
    const hours = Math.round(Math.abs(first.x.minutes - onset) / 6) / 10;
    phases.push({
      phase: T(`phase.${phase}` as MessageKey),
      jump: T(first.x.minutes < onset ? 'tabletop.jumpBefore' : 'tabletop.jump', { at: first.row.at, hours: formatNumber(hours) }),
      situation: here.filter(({ x }) => x.origin === 'world').map(({ row }) => row.message),
      questions,
      reference: v.audience === 'controller' ? here.filter(({ x }) => x.origin === 'outcome').map(({ row }) => row.message) : [],
    });
  }
  return {
    title: T('tabletop.title', { name: localName(v.lang, d.scenario) }),
    lines: v.audience === 'controller' ? [...rows.lines] : rows.lines.slice(-1),
    phases,
    footer: v.audience === 'controller' ? [...rows.footer] : [],
  };
}

function renderTabletop(d: Drill, format: DrillFormat, v: DrillView): string {
  const r = tabletopRows(d, v);
  const T = (key: MessageKey, params?: Readonly<Record<string, string | number>>) => t(v.lang, key, params);
  const discuss = T('tabletop.questions', { minutes: DISCUSSION_MINUTES });
  const flat = r.phases.flatMap((p) => [
    ...p.situation.map((text) => [p.phase, p.jump, T('tabletop.kind.situation'), text]),
    ...p.questions.map((text) => [p.phase, p.jump, T('tabletop.kind.question'), text]),
    ...p.reference.map((text) => [p.phase, p.jump, T('tabletop.kind.reference'), text]),
  ]);
  switch (format) {
    case 'md':
      return `${[
        `# ${r.title}`,
        '',
        ...r.lines.flatMap((l) => [l, '']),
        ...r.phases.flatMap((p) => [
          `## ${p.phase}`,
          '',
          p.jump,
          '',
          ...p.situation.map((s) => `- ${s}`),
          '',
          ...(p.questions.length > 0 ? [`### ${discuss}`, '', ...p.questions.map((q, i) => `${i + 1}. ${q}`), ''] : []),
          ...(p.reference.length > 0 ? [`*${T('tabletop.reference')}*`, '', ...p.reference.map((s) => `- ${s}`), ''] : []),
        ]),
        ...(r.footer.length > 0 ? [`## ${T('drill.technical')}`, '', ...r.footer] : []),
      ].join('\n')}\n`;
    case 'html': {
      const list = (xs: readonly string[], tag = 'ul') =>
        xs.length === 0 ? '' : `<${tag}>${xs.map((x) => `<li>${escapeHtml(x)}</li>`).join('')}</${tag}>`;
      const body = `<h1>${escapeHtml(r.title)}</h1>
${r.lines.map((l) => `<p class="provenance">${escapeHtml(l)}</p>`).join('\n')}
${r.phases
  .map(
    (p) =>
      `<section class="keep"><h2>${escapeHtml(p.phase)}</h2><p><b>${escapeHtml(p.jump)}</b></p>${list(p.situation)}${
        p.questions.length > 0 ? `<h3>${escapeHtml(discuss)}</h3>${list(p.questions, 'ol')}` : ''
      }${p.reference.length > 0 ? `<p class="note">${escapeHtml(T('tabletop.reference'))}</p>${list(p.reference)}` : ''}</section>`,
  )
  .join('\n')}
${r.footer.length > 0 ? `<h2>${escapeHtml(T('drill.technical'))}</h2>${r.footer.map((l) => `<p class="provenance">${escapeHtml(l)}</p>`).join('')}` : ''}`;
      return page(v.lang, r.title, `<style>section.keep { page-break-inside: avoid; }</style>\n${body}`, null, '');
    }
    case 'csv':
      return csvDocument([[T('tabletop.col.phase'), T('tabletop.col.at'), T('tabletop.col.kind'), T('tabletop.col.text')], ...flat]);
    case 'json':
      return `${JSON.stringify(
        {
          kind: 'dsim.drill.tabletop',
          schemaVersion: 1,
          scenario: d.scenario,
          lang: v.lang,
          audience: v.audience,
          discussionMinutes: DISCUSSION_MINUTES,
          ...r,
        },
        null,
        2,
      )}\n`;
  }
}

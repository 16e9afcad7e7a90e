/**
 * Drill scripts from the simulation (issue 13): one replication of a scenario, chosen by severity
 * or by index, turned into a Master Scenario Events List (HSEEP's MSEL; 情景注入 in AQ/T 9007-2019
 * and the 突发事件应急演练指南): numbered injects with the simulated time, who sends the message to
 * whom, the response level it triggers and, for the controller, what the model did next. An
 * evaluation sheet sets what this replication achieved against each plan target beside what the
 * district achieves across all replications.
 *
 * Everything here is language-free data: report/drill.ts tells it in Chinese or English. Every
 * inject names the trace events it stands for (`events`: indexes into the replication's trace),
 * and its time is the first of them, so the script can be checked against `dsim trace`.
 */
import { DsimError, ErrorCodes } from '../errors.js';
import type { ExemplarKpi } from '../kpi/accumulator.js';
import type { RunResult, Severity } from '../kpi/result.js';
import type { TraceEvent } from '../response/trace.js';
import { scenarioHash } from '../scenario/compile.js';
import type { Scenario } from '../scenario/schema.js';
import type { Executor } from './executor.js';
import { evaluatedTargets } from './local.js';
import { executeRun, resultOf } from './runner.js';
import { type ReplicationTrace, traceReplication } from './trace.js';

/** The participants of a drill: the plans' command and working groups, the units that act, the message sources. */
export const ROLES = [
  'hq', // 县应急指挥部 / 防汛抗旱指挥部 (004 L134, 000 L142)
  'control', // 导调组: the exercise control cell
  'weather', // 气象、水文部门: warnings and forecasts
  'town', // 乡镇政府（街道）: the zone's government, its village heads
  'fire', // 消防救援大队: the fire stations' teams
  'forest', // 森林消防队伍
  'rescue', // 乡镇及社会救援队伍
  'supplies', // 物资保障组: warehouses and convoys
  'transport', // 交通运输组: roads (004 L252: 县交警大队, 县交通运输局)
  'resettlement', // 转移安置组: the displaced, the shelters
  'medical', // 医疗救护组
  'enterprise', // 企业: a plant or park's operator
  'aid', // 上级及外部支援: mutual aid
] as const;
export type Role = (typeof ROLES)[number];

/** A role, and the unit of it when one is meant (a station, a warehouse, a zone, a site). */
export interface RoleRef {
  readonly role: Role;
  readonly unit?: string;
}

export const INJECT_KINDS = [
  'flood',
  'roads-closed',
  'roads-reopened',
  'rescue-calls',
  'fire',
  'fire-controlled',
  'wildfire',
  'wildfire-crews',
  'wildfire-contained',
  'release',
  'shelter-ordered',
  'evacuation-started',
  'evacuation-progress',
  'release-stopped',
  'evacuation-completed',
  'first-relief',
  'stock-out',
  'mutual-aid',
  'deadline',
] as const;
export type InjectKind = (typeof INJECT_KINDS)[number];

export type ResponseLevel = 'I' | 'II' | 'III' | 'IV';

export interface Inject {
  /** 1, 2, … in time order. */
  readonly n: number;
  /** Simulated minutes since the replication began: the first of its events. */
  readonly minutes: number;
  readonly kind: InjectKind;
  readonly from: RoleRef;
  readonly to: readonly RoleRef[];
  /** The zone it concerns. */
  readonly zone?: string;
  /** The response level the situation triggers (on the inject that first shows it). */
  readonly level?: ResponseLevel;
  /** A turning point the players must not miss (first stock-out, a road cut, aid arriving, the deadline). */
  readonly decisive: boolean;
  /** Indexes of the trace events it stands for. */
  readonly events: readonly number[];
  /** What the message says, as numbers and ids (the renderer words it). */
  readonly facts: Readonly<Record<string, string | number | null | readonly string[]>>;
  /** What the model did next (the controller's answer key), as numbers and ids. */
  readonly answer?: Readonly<Record<string, string | number | null | readonly string[]>>;
}

export interface EvaluationRow {
  /** The target's id (kpi/targets.ts), or an observation's (`obs:…`). */
  readonly id: string;
  /** The run's target entry (its description, threshold, pMet and interval); absent for observations. */
  readonly target?: RunResult['targets'][number];
  /** What this replication achieved, in the target's unit; null where it does not judge it. */
  readonly achieved: number | null;
  readonly met: boolean | null;
  /** Observations: the mean across replications and its interval. */
  readonly runMean?: number | null;
  readonly runCi95?: readonly [number | null, number | null];
  readonly unit: string;
}

export interface Drill {
  readonly kind: 'dsim.drill';
  readonly schemaVersion: 1;
  readonly engineVersion: string;
  readonly scenario: { readonly id: string; readonly name: string; readonly nameZh?: string; readonly hash: string };
  /** The hazard drilled (its type and id). */
  readonly hazard: { readonly id: string; readonly type: string };
  readonly seed: number;
  readonly replications: number;
  readonly replication: number;
  /** Why this replication: by severity of a KPI, or as asked; its value and how it ranks. */
  readonly choice: {
    readonly by: 'severity' | 'index';
    readonly severity?: Severity;
    readonly kpi: ExemplarKpi;
    /** The KPI's value in this replication. */
    readonly value: number | null;
    /** The share of replications better than this one (≈1% bins). */
    readonly worseThan: number | null;
    /** The flood's return period in this replication, years (floods). */
    readonly returnPeriodYears?: number;
  };
  readonly deadlineHours: number;
  /** The district's zones, for their names. */
  readonly zones: readonly { readonly id: string; readonly name: string; readonly nameZh?: string }[];
  /** Stations, warehouses, fleets and mutual aid that have names, for showing them instead of ids. */
  readonly units: readonly { readonly id: string; readonly name?: string; readonly nameZh?: string }[];
  readonly roles: readonly RoleRef[];
  readonly injects: readonly Inject[];
  readonly evaluation: readonly EvaluationRow[];
  /** The replication's facts (trace), for the script's header. */
  readonly facts: ReplicationTrace['facts'];
}

export interface DrillOptions {
  readonly severity?: Severity;
  readonly replication?: number;
  /** The hazard to drill (required when the scenario has several). */
  readonly hazard?: string;
  /** The KPI whose severity picks the replication (default: by hazard type). */
  readonly kpi?: ExemplarKpi;
  readonly replications?: number;
  readonly seed?: number;
  readonly executor?: Executor;
  readonly deadlineHours?: number;
}

/** Most injects a script holds: beyond it, rescue calls and fires are grouped over longer windows. */
export const MAX_INJECTS = 60;

/** The KPI that says how severe an occurrence of each hazard is. */
const SEVERITY_KPI: Record<string, ExemplarKpi> = {
  flood: 'reliefShare',
  chemical: 'deaths',
  'urban-fire': 'lossRatio',
  wildfire: 'lossRatio',
  incidents: 'responseTimeMinutes',
};

/**
 * County flood response levels by people displaced. The plans size relief reserves for the
 * evacuees of a Level II response (000 L93, 003 L173) and count them at 5,000 people (002 L320;
 * 004 L231: 5,000–7,000): Level II from 5,000. The others are estimates around it (the plans give
 * no thresholds, 001.md §4): Level I from 10,000, III from 1,000, IV below.
 */
const FLOOD_LEVELS: readonly [number, ResponseLevel][] = [
  [10_000, 'I'],
  [5_000, 'II'],
  [1_000, 'III'],
  [0, 'IV'],
];
/** Accidents by deaths (生产安全事故报告和调查处理条例, 国务院令第493号, art. 3): ≥30 特别重大, 10–29 重大, 3–9 较大, else 一般. */
const DEATH_LEVELS: readonly [number, ResponseLevel][] = [
  [30, 'I'],
  [10, 'II'],
  [3, 'III'],
  [0, 'IV'],
];
/** Forest fires by area burned (森林防火条例 art. 40): ≥1,000 ha 特别重大, 100–1,000 重大, 1–100 较大, else 一般. */
const FOREST_LEVELS: readonly [number, ResponseLevel][] = [
  [1000, 'I'],
  [100, 'II'],
  [1, 'III'],
  [0, 'IV'],
];
const levelOf = (table: readonly [number, ResponseLevel][], x: number): ResponseLevel => table.find(([from]) => x >= from)![1];

/** The scenario a drill runs: event mode (one occurrence), the hazard drilled alone. */
export function drillScenario(s: Scenario, hazard: string | undefined): Scenario {
  const ids = s.hazards.map((h) => h.id);
  if (hazard !== undefined && !ids.includes(hazard)) {
    throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.noHazard', { id: hazard, known: ids.join(', ') });
  }
  if (hazard === undefined && s.hazards.length > 1) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.whichHazard', { known: ids.join(', ') });
  const hazards = hazard === undefined ? s.hazards : s.hazards.filter((h) => h.id === hazard);
  return { ...s, mode: 'event', hazards };
}

/**
 * The role of a team (`STATION/TYPE#k`): forest-fire crews are the forest firefighting teams, fire
 * engines the fire brigade; other teams (boats, rescue) belong to the brigade when their station is a
 * fire station, else to the town and volunteer teams.
 */
function teamRole(entity: string): Role {
  const [station = '', rest = ''] = entity.split('/');
  const type = rest.split('#')[0];
  if (type === 'forest-fire' || /forest/i.test(station)) return 'forest';
  if (type === 'fire' || /fire/i.test(station)) return 'fire';
  return 'rescue';
}

const stationOf = (entity: string): string => entity.split('/')[0]!;

/** Simulated minutes as hours to one decimal, as the messages give them. */
const hoursOf = (minutes: number): number => Math.round(minutes / 6) / 10;

/** Builds the drill: runs the scenario, picks the replication, traces it, groups its events into injects. */
export async function buildDrill(scenario: Scenario, o: DrillOptions = {}): Promise<Drill> {
  const s = drillScenario(scenario, o.hazard);
  const hazard = s.hazards[0]!; // the schema asks for one at least, drillScenario leaves exactly one
  const replications = o.replications ?? s.replications;
  const seed = o.seed ?? s.seed;
  const out = await executeRun(s, {
    replications,
    seed,
    ...(o.executor && { executor: o.executor }),
    ...(o.deadlineHours !== undefined && { deadlineHours: o.deadlineHours }),
  });
  const run = resultOf(out);
  const kpi = o.kpi ?? SEVERITY_KPI[hazard.type] ?? 'lossRatio';
  let replication: number;
  if (o.replication !== undefined) {
    if (o.replication >= replications) {
      throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.replicationRange', { replication: o.replication, replications });
    }
    replication = o.replication;
  } else {
    const severity = o.severity ?? 'p90';
    const picked = run.representativeReplications[kpi][severity];
    if (picked === null) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.noSeverity', { kpi });
    replication = picked;
  }
  const model = out.model;
  const targets = evaluatedTargets(model, o.deadlineHours !== undefined ? { deadlineHours: o.deadlineHours } : {});
  const trace = traceReplication(model, seed, replication, targets);
  const f = trace.facts;
  const value =
    kpi === 'reliefShare'
      ? f.displaced > 0
        ? f.relievedByDeadline / f.displaced
        : null
      : kpi === 'lossRatio'
        ? f.lossRatio
        : kpi === 'deaths'
          ? f.deaths
          : f.responseMeanMinutes;
  const flood = trace.events.find((e) => e.kind === 'flood');
  return {
    kind: 'dsim.drill',
    schemaVersion: 1,
    engineVersion: run.engineVersion,
    scenario: { ...run.scenario, hash: scenarioHash(s) },
    hazard: { id: hazard.id, type: hazard.type },
    seed,
    replications: run.replications,
    replication,
    choice: {
      by: o.replication !== undefined ? 'index' : 'severity',
      ...(o.replication === undefined && { severity: o.severity ?? 'p90' }),
      kpi,
      value,
      worseThan: value === null ? null : out.acc.exemplars[kpi].shareBetter(value),
      ...(flood?.returnPeriodYears !== undefined && { returnPeriodYears: flood.returnPeriodYears }),
    },
    deadlineHours: targets.reliefDeadlineHours,
    zones: s.district.zones.map((z) => ({ id: z.id, name: z.name, ...(z.nameZh !== undefined && { nameZh: z.nameZh }) })),
    units: [...s.resources.stations, ...s.resources.warehouses, ...s.resources.fleet, ...s.resources.mutualAid]
      .filter((u) => u.name !== undefined || u.nameZh !== undefined)
      .map((u) => ({ id: u.id, ...(u.name !== undefined && { name: u.name }), ...(u.nameZh !== undefined && { nameZh: u.nameZh }) })),
    ...scriptOf(s, trace, targets.responseTimeMinutes),
    evaluation: evaluationOf(run, trace),
    facts: f,
  };
}

/** The rows of the evaluation sheet: every target the run evaluates, then observations for the hazard. */
function evaluationOf(run: RunResult, trace: ReplicationTrace): EvaluationRow[] {
  // targets no replication of the drill's hazard can judge (no flood, no rescue call) are left out
  const rows: EvaluationRow[] = run.targets
    .filter((t) => t.pMet !== null)
    .map((t) => {
      const mine = trace.targets.find((x) => x.id === t.id);
      // a target with a time threshold is judged on the share reached within it
      const unit = t.unit === 'hours' || t.unit === 'minutes' ? 'share' : t.unit;
      return { id: t.id, target: t, achieved: mine?.value ?? null, met: mine?.met ?? null, unit };
    });
  const k = run.kpis;
  const f = trace.facts;
  if (k.responseTimeMinutes.n > 0) {
    rows.push({
      id: 'obs:response-mean',
      achieved: f.responseMeanMinutes,
      met: null,
      runMean: k.responseTimeMinutes.mean,
      runCi95: k.responseTimeMinutes.ci95,
      unit: 'minutes',
    });
  }
  if (f.displaced > 0 && k.timeToRelieveAllHours.n > 0) {
    const all = trace.events.filter((e) => e.kind === 'convoy-delivered').at(-1);
    const done = f.relieved >= f.displaced - 0.5 && all !== undefined;
    rows.push({
      id: 'obs:all-relieved',
      achieved: done ? all.minutes / 60 : null,
      met: null,
      runMean: k.timeToRelieveAllHours.mean,
      runCi95: k.timeToRelieveAllHours.ci95,
      unit: 'hours',
    });
  }
  const chemical = k.chemical;
  if (chemical) {
    const evac = trace.events.find((e) => e.kind === 'evacuation-completed');
    rows.push({
      id: 'obs:aegl2-evacuation',
      achieved: evac ? evac.minutes / 60 : null,
      met: null,
      runMean: chemical.evacuationHours.mean,
      runCi95: chemical.evacuationHours.ci95,
      unit: 'hours',
    });
    rows.push({
      id: 'obs:deaths',
      achieved: f.deaths,
      met: null,
      runMean: chemical.deaths.mean,
      runCi95: chemical.deaths.ci95,
      unit: 'number',
    });
  }
  return rows;
}

interface Script {
  readonly roles: RoleRef[];
  readonly injects: Inject[];
}

/** The trace's events grouped into injects, with rescue calls grouped over the shortest window that keeps the script within MAX_INJECTS. */
function scriptOf(s: Scenario, trace: ReplicationTrace, responseMinutes: number): Script {
  let best: Script | undefined;
  for (let window = 120; ; window *= 2) {
    best = injectsOf(s, trace, window, responseMinutes);
    if (best.injects.length <= MAX_INJECTS || window > 7 * 24 * 60) return best;
  }
}

function injectsOf(s: Scenario, trace: ReplicationTrace, window: number, responseMinutes: number): Script {
  const events = trace.events;
  const shelterZones = new Set(s.district.zones.filter((z) => z.shelterPlaces > 0).map((z) => z.id));
  const draft: Omit<Inject, 'n'>[] = [];
  // incidents: their dispatches and on-scene events, for the answer key
  const byIncident = new Map<number, { dispatch?: TraceEvent; onScene?: TraceEvent }>();
  for (const e of events) {
    if (e.incident === undefined) continue;
    const x = byIncident.get(e.incident) ?? {};
    if (e.kind === 'dispatch' && x.dispatch === undefined) x.dispatch = e;
    if (e.kind === 'on-scene' && x.onScene === undefined) x.onScene = e;
    byIncident.set(e.incident, x);
  }
  const firstOnsetMinutes = events.find(
    (e) => e.kind === 'flood' || e.kind === 'release' || e.kind === 'wildfire-ignited' || e.kind === 'fire-ignited',
  )?.minutes;
  /** Open groups: events of one kind (and zone) within `span` minutes of the group's first. */
  const open = new Map<string, { inject: Omit<Inject, 'n'>; idx: number[]; until: number }>();
  const close = (key: string): void => {
    const g = open.get(key);
    if (!g) return;
    open.delete(key);
    draft.push(finish(g.inject, g.idx));
  };
  const finish = (inject: Omit<Inject, 'n'>, idx: number[]): Omit<Inject, 'n'> => {
    const evs = idx.map((i) => events[i]!);
    if (inject.kind === 'roads-closed' || inject.kind === 'roads-reopened') {
      const links = evs.map((e) => e.entity);
      const cut = links.some((l) => l.split('-').some((z) => shelterZones.has(z)));
      return {
        ...inject,
        events: idx,
        facts: { links, count: links.length, hours: hoursOf(inject.minutes - (firstOnsetMinutes ?? 0)) },
        // the first closures, and any that cut a zone with shelters (re-judged in time order below)
        decisive: inject.kind === 'roads-closed' && cut,
      };
    }
    if (inject.kind === 'rescue-calls' || inject.kind === 'fire' || inject.kind === 'wildfire-crews') {
      const incidents = evs.map((e) => e.incident).filter((n): n is number => n !== undefined);
      const answers = incidents.map((n) => byIncident.get(n) ?? {});
      const units = [...new Set(answers.map((a) => a.dispatch?.entity).filter((u): u is string => u !== undefined))];
      const times = answers.map((a) => a.onScene?.responseMinutes).filter((x): x is number => x !== undefined);
      const late = answers.filter((a) => a.onScene?.responseMinutes === undefined || a.onScene.responseMinutes > responseMinutes).length;
      const stations = new Map(units.map((u) => [stationOf(u), teamRole(u)]));
      const to = units.length > 0 ? [...stations].map(([unit, role]) => ({ role, unit })) : inject.to;
      return {
        ...inject,
        to,
        events: idx,
        facts: {
          calls: evs.length,
          people: evs.reduce((a, e) => a + (e.people ?? 0), 0),
        },
        answer: {
          units,
          reached: times.length,
          fastestMinutes: times.length > 0 ? Math.round(Math.min(...times)) : null,
          slowestMinutes: times.length > 0 ? Math.round(Math.max(...times)) : null,
          late,
        },
        decisive: false, // the first calls and the first ones answered late (judged in time order below)
      };
    }
    if (inject.kind === 'stock-out') {
      const items = [...new Set(evs.map((e) => e.item ?? ''))];
      return { ...inject, events: idx, facts: { ...inject.facts, items }, decisive: idx.some((i) => firstStockOut.has(i)) };
    }
    return { ...inject, events: idx, facts: { ...inject.facts, calls: evs.length } };
  };
  const group = (key: string, span: number, i: number, make: () => Omit<Inject, 'n'>): void => {
    const e = events[i]!;
    const g = open.get(key);
    if (g && e.minutes <= g.until) {
      g.idx.push(i);
      return;
    }
    close(key);
    open.set(key, { inject: make(), idx: [i], until: e.minutes + span });
  };
  const relievedZones = new Set<string>();
  const stockedOut = new Set<string>();
  /** The trace events where an item first ran out anywhere. */
  const firstStockOut = new Set<number>();
  let levelShown = false;
  events.forEach((e, i) => {
    const zone = e.zone;
    const at = { minutes: e.minutes, ...(zone !== undefined && { zone }) };
    const single = (inject: Omit<Inject, 'n' | 'events' | 'minutes'>): void => {
      draft.push({ ...at, ...inject, events: [i] });
    };
    switch (e.kind) {
      case 'flood': {
        single({
          kind: 'flood',
          from: { role: 'weather' },
          to: [{ role: 'hq' }, { role: 'resettlement' }],
          level: levelOf(FLOOD_LEVELS, e.people ?? 0),
          decisive: true,
          facts: { people: e.people ?? 0, years: Math.round(e.returnPeriodYears ?? 0) },
        });
        levelShown = true;
        break;
      }
      case 'road-closed':
      case 'road-reopened': {
        const kind = e.kind === 'road-closed' ? 'roads-closed' : 'roads-reopened';
        group(kind, kind === 'roads-closed' ? 60 : 6 * 60, i, () => ({
          minutes: e.minutes,
          kind,
          from: { role: 'transport' },
          to: [{ role: 'hq' }, { role: 'supplies' }],
          decisive: false,
          events: [],
          facts: {},
        }));
        break;
      }
      case 'alarm': {
        // what the call is, by the team sent to it: a fire, forest-fire crews, else a rescue
        const type = e.incident === undefined ? undefined : byIncident.get(e.incident)?.dispatch?.entity.split('/')[1]?.split('#')[0];
        const kind: InjectKind = type === 'fire' ? 'fire' : type === 'forest-fire' ? 'wildfire-crews' : 'rescue-calls';
        group(`${kind}:${zone}`, window, i, () => ({
          minutes: e.minutes,
          ...(zone !== undefined && { zone }),
          kind,
          from: kind === 'wildfire-crews' ? { role: 'hq' } : { role: 'town', ...(zone !== undefined && { unit: zone }) },
          to: [{ role: kind === 'wildfire-crews' ? 'forest' : 'fire' }],
          decisive: false,
          events: [],
          facts: {},
        }));
        break;
      }
      case 'fire-controlled':
        group(`fire-controlled:${zone}`, window, i, () => ({
          minutes: e.minutes,
          ...(zone !== undefined && { zone }),
          kind: 'fire-controlled',
          from: { role: 'fire' },
          to: [{ role: 'hq' }],
          decisive: false,
          events: [],
          facts: {},
        }));
        break;
      case 'wildfire-ignited':
        single({
          kind: 'wildfire',
          from: { role: 'town', ...(zone !== undefined && { unit: zone }) },
          to: [{ role: 'forest' }, { role: 'hq' }],
          decisive: true,
          facts: {},
        });
        break;
      case 'wildfire-contained': {
        const level = levelOf(FOREST_LEVELS, e.areaHa ?? 0);
        single({
          kind: 'wildfire-contained',
          from: { role: 'forest' },
          to: [{ role: 'hq' }],
          decisive: true,
          ...(!levelShown && { level }),
          facts: { areaHa: Math.round((e.areaHa ?? 0) * 10) / 10, hours: hoursOf(e.minutes) },
        });
        levelShown = true;
        break;
      }
      case 'release': {
        const exposed = e.exposed ?? [];
        single({
          kind: 'release',
          from: { role: 'enterprise', unit: e.entity },
          to: [{ role: 'hq' }, { role: 'fire' }, { role: 'medical' }, { role: 'resettlement' }],
          level: levelOf(DEATH_LEVELS, e.deaths ?? 0),
          decisive: true,
          facts: {
            substance: e.substance ?? '',
            site: e.entity.split('/').slice(1).join('/'),
            wind: e.plume?.windMPerS ?? 0,
            stability: e.plume?.stability ?? '',
            distance: e.plume?.aegl2DistanceM ?? 0,
            aegl1: exposed[0] ?? 0,
            aegl2: exposed[1] ?? 0,
            aegl3: exposed[2] ?? 0,
          },
          answer: { deaths: e.deaths ?? 0 },
        });
        levelShown = true;
        break;
      }
      case 'shelter-ordered':
        single({
          kind: 'shelter-ordered',
          from: { role: 'hq' },
          to: [{ role: 'town', ...(zone !== undefined && { unit: zone }) }, { role: 'resettlement' }],
          decisive: true,
          facts: { people: e.people ?? 0, hours: hoursOf(e.minutes) },
        });
        break;
      case 'evacuation-started':
        single({
          kind: 'evacuation-started',
          from: { role: 'resettlement' },
          to: [{ role: 'hq' }, { role: 'town', ...(zone !== undefined && { unit: zone }) }],
          decisive: false,
          facts: { people: e.people ?? 0, hours: hoursOf(e.minutes) },
        });
        break;
      case 'evacuation-progress':
        single({
          kind: 'evacuation-progress',
          from: { role: 'resettlement' },
          to: [{ role: 'hq' }],
          decisive: false,
          facts: { people: e.people ?? 0, hours: hoursOf(e.minutes) },
        });
        break;
      case 'release-stopped':
        single({
          kind: 'release-stopped',
          from: { role: 'enterprise', unit: e.entity },
          to: [{ role: 'hq' }, { role: 'fire' }],
          decisive: false,
          facts: { hours: hoursOf(e.minutes) },
        });
        break;
      case 'evacuation-completed':
        single({
          kind: 'evacuation-completed',
          from: { role: 'resettlement' },
          to: [{ role: 'hq' }],
          decisive: true,
          facts: { people: e.people ?? 0, hours: hoursOf(e.minutes) },
        });
        break;
      case 'convoy-delivered':
        if (zone !== undefined && !relievedZones.has(zone)) {
          relievedZones.add(zone);
          single({
            kind: 'first-relief',
            from: { role: 'supplies', unit: e.entity.split('#')[0]! },
            to: [{ role: 'resettlement' }, { role: 'town', unit: zone }],
            decisive: false,
            facts: { people: Math.round(e.people ?? 0), hours: hoursOf(e.minutes), items: Object.keys(e.items ?? {}) },
          });
        }
        break;
      case 'stock-out': {
        const item = e.item ?? '';
        if (!stockedOut.has(item)) firstStockOut.add(i);
        stockedOut.add(item);
        group(`stock:${e.entity}`, 60, i, () => ({
          minutes: e.minutes,
          kind: 'stock-out',
          from: { role: 'supplies', unit: e.entity },
          to: [{ role: 'hq' }],
          decisive: false,
          events: [],
          facts: { hours: hoursOf(e.minutes) },
        }));
        break;
      }
      case 'mutual-aid-arrived':
        single({
          kind: 'mutual-aid',
          from: { role: 'aid', unit: e.entity },
          to: [{ role: 'hq' }, { role: 'supplies' }],
          decisive: true,
          facts: { hours: hoursOf(e.minutes) },
        });
        break;
      case 'deadline':
        single({
          kind: 'deadline',
          from: { role: 'control' },
          to: [{ role: 'hq' }],
          decisive: true,
          facts: { relieved: e.people ?? 0, displaced: Math.round(trace.facts.displaced), hours: hoursOf(e.minutes) },
        });
        break;
      default:
        // dispatch, on-scene, finished, convoy-departed: what the players do (the answer key), not injects
        break;
    }
  });
  for (const key of [...open.keys()]) close(key);
  // the first calls of each kind, and the first answered late, are turning points
  const seenCalls = new Set<InjectKind>();
  const seenLate = new Set<InjectKind>();
  let closures = 0;
  const injects = draft
    .map((d, k) => ({ d, k }))
    .sort((a, b) => a.d.minutes - b.d.minutes || a.d.events[0]! - b.d.events[0]! || a.k - b.k)
    .map(({ d }, k) => {
      let decisive = d.decisive;
      if (d.kind === 'rescue-calls' || d.kind === 'fire') {
        const isLate = Number(d.answer?.['late'] ?? 0) > 0;
        decisive = !seenCalls.has(d.kind) || (isLate && !seenLate.has(d.kind));
        seenCalls.add(d.kind);
        if (isLate) seenLate.add(d.kind);
      }
      if (d.kind === 'roads-closed') decisive = closures++ === 0 || d.decisive;
      return { n: k + 1, ...d, decisive };
    });
  const seen = new Map<string, RoleRef>();
  for (const x of injects) for (const r of [x.from, ...x.to]) seen.set(`${r.role}:${r.unit ?? ''}`, r);
  const roles = [...seen.values()].sort(
    (a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || (a.unit ?? '').localeCompare(b.unit ?? ''),
  );
  return { roles, injects };
}

/**
 * A replication's trace turned into injects: each trace event, or a group of rescue calls and
 * fires over a window, becomes a message from one role to another, tagged world or outcome (what
 * happens whatever the players do, or what the model's own decisions produced), with its phase,
 * delivery method, the response level the plan's rules give it (levels.ts; none when the plan
 * defines none) and what the model did next (for the controller). Calls for help are addressed
 * to the alarm centre, never to the units the model later sent (that is the answer).
 */
import type { TraceEvent } from '../response/trace.js';
import { streamRng } from '../rng/stream.js';
import { COMPASS } from '../scenario/hazards/chemical.js';
import type { Scenario } from '../scenario/schema.js';
import type { ReplicationTrace } from '../studies/trace.js';
import { type FirstAssessment, planLevel } from './levels.js';
import {
  ACCIDENT_REPORT_MINUTES,
  type Delivery,
  type Inject,
  type InjectKind,
  MAX_INJECTS,
  type Origin,
  type Phase,
  ROLES,
  type Role,
  type RoleRef,
} from './script.js';

/** Each kind's origin and phase: world injects go to the players, outcome injects are the controller's state cards. */
const KIND: Record<InjectKind, { origin: Origin; phase: Phase; objective?: string }> = {
  warning: { origin: 'world', phase: 'warning', objective: 'task:evacuation-order' },
  'water-level': { origin: 'world', phase: 'warning', objective: 'task:evacuation-order' },
  flood: { origin: 'world', phase: 'activation', objective: 'task:activation' },
  release: { origin: 'world', phase: 'activation', objective: 'task:accident-report' },
  'report-due': { origin: 'world', phase: 'activation', objective: 'task:accident-report' },
  'report-asked': { origin: 'world', phase: 'activation', objective: 'task:report' },
  wildfire: { origin: 'world', phase: 'activation', objective: 'task:wildfire-attack' },
  'roads-closed': { origin: 'world', phase: 'rescue', objective: 'task:roads' },
  'rescue-calls': { origin: 'world', phase: 'rescue', objective: 'task:rescue' },
  fire: { origin: 'world', phase: 'rescue', objective: 'task:fire-circle' },
  'wildfire-crews': { origin: 'world', phase: 'rescue', objective: 'task:wildfire-attack' },
  'release-stopped': { origin: 'world', phase: 'rescue', objective: 'task:monitoring' },
  casualties: { origin: 'world', phase: 'rescue', objective: 'task:casualties' },
  'hospital-arrivals': { origin: 'world', phase: 'rescue', objective: 'task:casualties' },
  'shelter-check': { origin: 'world', phase: 'relief', objective: 'task:relief' },
  'stock-out': { origin: 'world', phase: 'relief', objective: 'task:stock' },
  'mutual-aid': { origin: 'world', phase: 'relief', objective: 'task:relief' },
  end: { origin: 'world', phase: 'recovery' },
  'fire-controlled': { origin: 'outcome', phase: 'rescue' },
  'wildfire-contained': { origin: 'outcome', phase: 'rescue', objective: 'task:wildfire-attack' },
  'shelter-ordered': { origin: 'outcome', phase: 'rescue', objective: 'task:protective-action' },
  'evacuation-started': { origin: 'outcome', phase: 'rescue', objective: 'task:protective-action' },
  'evacuation-progress': { origin: 'outcome', phase: 'rescue', objective: 'task:protective-action' },
  'evacuation-completed': { origin: 'outcome', phase: 'rescue', objective: 'task:protective-action' },
  'roads-reopened': { origin: 'outcome', phase: 'relief', objective: 'task:roads' },
  'first-relief': { origin: 'outcome', phase: 'relief', objective: 'task:relief' },
  deadline: { origin: 'outcome', phase: 'relief', objective: 'task:relief' },
};

/** How a sender delivers its message, by default (HSEEP MSEL delivery method; 注入方式). */
const DELIVERY: Record<Role, Delivery> = {
  hq: 'video',
  alarm: 'phone',
  control: 'slip',
  weather: 'fax',
  town: 'phone',
  fire: 'radio',
  forest: 'radio',
  rescue: 'radio',
  supplies: 'phone',
  transport: 'radio',
  resettlement: 'radio',
  medical: 'phone',
  enterprise: 'phone',
  aid: 'phone',
  hospital: 'phone',
};

/** An inject's tags from its kind and sender. */
const tagsOf = (kind: InjectKind, from: RoleRef) => {
  const k = KIND[kind];
  return { origin: k.origin, phase: k.phase, delivery: DELIVERY[from.role], ...(k.objective !== undefined && { objective: k.objective }) };
};

/**
 * When the first calls about poisoned people come after a release (an estimate: the plans give no
 * time; the cloud reaches the nearest homes in minutes, symptoms and calls follow).
 */
const CASUALTY_CALLS_MINUTES = 20;

/**
 * When the designated hospitals report the people who came on their own (an estimate: the plans
 * give no time; an hour after the release, the walk-ins of the first calls have arrived).
 */
const HOSPITAL_REPORT_MINUTES = 60;

/**
 * When the first displaced people reach a shelter on their own after a flood's onset (an estimate:
 * the plans give no time; a walk of a few kilometres with belongings).
 */
const SHELTER_ARRIVALS_MINUTES = 180;

/** When the drill asks for a flood's first disaster report (an estimate; the plans give no time). */
const DISASTER_REPORT_PROMPT_MINUTES = 60;

/** A direction drawn from a wind rose's weights (in compass order). */
function drawDirection(rose: Partial<Record<(typeof COMPASS)[number], number>>, rng: () => number): string {
  const total = COMPASS.reduce((a, d) => a + (rose[d] ?? 0), 0);
  if (!(total > 0)) return '';
  let u = rng() * total;
  for (const d of COMPASS) {
    u -= rose[d] ?? 0;
    if (u < 0) return d;
  }
  return COMPASS.filter((d) => (rose[d] ?? 0) > 0).at(-1)!;
}

/** Simulated minutes as hours to one decimal, as the messages give them. */
export const hoursOf = (minutes: number): number => Math.round(minutes / 6) / 10;

/** An inject before it is numbered and tagged. */
type Draft = Omit<Inject, 'n' | 'origin' | 'phase' | 'delivery' | 'objective'>;

export interface Script {
  readonly roles: RoleRef[];
  readonly injects: Inject[];
}

/**
 * The trace's events grouped into injects, with rescue calls grouped over the shortest window that
 * keeps the script within MAX_INJECTS. `only` keeps the events a drill is about (one fire of a
 * replication's many); injects still name events by their index in the whole trace.
 */
export function scriptOf(s: Scenario, trace: ReplicationTrace, responseMinutes: number, only?: (e: TraceEvent) => boolean): Script {
  let best: Script | undefined;
  for (let window = 120; ; window *= 2) {
    best = injectsOf(s, trace, window, responseMinutes, only ?? (() => true));
    if (best.injects.length <= MAX_INJECTS || window > 7 * 24 * 60) return best;
  }
}

function injectsOf(
  s: Scenario,
  trace: ReplicationTrace,
  window: number,
  responseMinutes: number,
  only: (e: TraceEvent) => boolean,
): Script {
  const events = trace.events;
  const shelterZones = new Set(s.district.zones.filter((z) => z.shelterPlaces > 0).map((z) => z.id));
  const draft: Draft[] = [];
  // incidents: their dispatches and on-scene events, for the answer key
  const byIncident = new Map<number, { dispatch?: TraceEvent; onScene?: TraceEvent }>();
  for (const e of events) {
    if (e.incident === undefined) continue;
    const x = byIncident.get(e.incident) ?? {};
    if (e.kind === 'dispatch' && x.dispatch === undefined) x.dispatch = e;
    if (e.kind === 'on-scene' && x.onScene === undefined) x.onScene = e;
    byIncident.set(e.incident, x);
  }
  // the onset: the hazard's first event, else (one fire of many, whose ignition no one saw) the first kept
  const firstOnsetMinutes = (
    events.find(
      (e) => only(e) && (e.kind === 'flood' || e.kind === 'release' || e.kind === 'wildfire-ignited' || e.kind === 'fire-ignited'),
    ) ?? events.find(only)
  )?.minutes;
  /** Open groups: events of one kind (and zone) within `span` minutes of the group's first. */
  const open = new Map<string, { inject: Draft; idx: number[]; until: number }>();
  const close = (key: string): void => {
    const g = open.get(key);
    if (!g) return;
    open.delete(key);
    draft.push(finish(g.inject, g.idx));
  };
  const finish = (inject: Draft, idx: number[]): Draft => {
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
      return {
        ...inject,
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
    if (inject.kind === 'fire-controlled') {
      // what the fires cost, in the model: the controller's answer, never the players'
      const lossCny = evs.reduce((a, e) => a + (e.lossCny ?? 0), 0);
      const deaths = evs.reduce((a, e) => a + (e.deaths ?? 0), 0);
      return { ...inject, events: idx, facts: { calls: evs.length }, answer: { lossCny, deaths } };
    }
    if (inject.kind === 'stock-out') {
      const items = [...new Set(evs.map((e) => e.item ?? ''))];
      return { ...inject, events: idx, facts: { ...inject.facts, items }, decisive: idx.some((i) => firstStockOut.has(i)) };
    }
    return { ...inject, events: idx, facts: { ...inject.facts, calls: evs.length } };
  };
  const group = (key: string, span: number, i: number, make: () => Draft): void => {
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
  // the level the plan's rules give the first assessment (none when the plan defines none)
  const level = (hazard: string, a: FirstAssessment) => {
    const l = planLevel(s.plan, hazard, a);
    return l === undefined ? {} : { level: l };
  };
  events.forEach((e, i) => {
    if (!only(e)) return;
    const zone = e.zone;
    const at = { minutes: e.minutes, ...(zone !== undefined && { zone }) };
    const single = (inject: Omit<Draft, 'events' | 'minutes'>): void => {
      draft.push({ ...at, ...inject, events: [i] });
    };
    switch (e.kind) {
      case 'flood': {
        // before the onset, the warning and the water over its warning level (world injects of the
        // warning phase): at the flood's sampled lead time, and halfway to the onset (an estimate:
        // the plans give no timing); the evacuation order they call for is the players' to give
        const lead = e.warningLeadHours ?? 0;
        if (lead > 0) {
          draft.push({
            minutes: e.minutes - lead * 60,
            kind: 'warning',
            from: { role: 'weather' },
            to: [{ role: 'hq' }],
            decisive: true,
            events: [i],
            facts: { lead: hoursOf(lead * 60), years: Math.round(e.returnPeriodYears ?? 0) },
          });
          draft.push({
            minutes: e.minutes - lead * 30,
            kind: 'water-level',
            from: { role: 'weather' },
            to: [{ role: 'hq' }],
            decisive: false,
            events: [i],
            facts: { lead: hoursOf(lead * 30) },
          });
        }
        // the first arrivals at the largest shelter, on their own (world: people flee the water
        // whatever the players order); registering and caring for them is the players' task
        const shelter = [...s.district.zones].filter((z) => z.shelterPlaces > 0).sort((a, b) => b.shelterPlaces - a.shelterPlaces)[0];
        if (shelter && (e.people ?? 0) > 0) {
          draft.push({
            minutes: e.minutes + SHELTER_ARRIVALS_MINUTES,
            zone: shelter.id,
            kind: 'shelter-check',
            from: { role: 'town', unit: shelter.id },
            to: [{ role: 'resettlement' }, { role: 'medical' }],
            decisive: false,
            events: [i],
            facts: { places: shelter.shelterPlaces },
          });
        }
        // the first disaster report asked for an hour after the onset (an estimate: the plans set no time;
        // the evaluators judge it by the plan's own reporting rules)
        draft.push({
          minutes: e.minutes + DISASTER_REPORT_PROMPT_MINUTES,
          kind: 'report-asked',
          from: { role: 'control' },
          to: [{ role: 'hq' }],
          decisive: false,
          events: [i],
          facts: { minutes: DISASTER_REPORT_PROMPT_MINUTES },
        });
        single({
          kind: 'flood',
          from: { role: 'weather' },
          to: [{ role: 'hq' }, { role: 'resettlement' }],
          ...level('flood', { displaced: e.people ?? 0 }),
          decisive: true,
          facts: { people: e.people ?? 0, years: Math.round(e.returnPeriodYears ?? 0) },
        });
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
          // a call for help reaches the alarm centre (统一接报警, 004 L277), whoever is later sent
          from: { role: 'town', ...(zone !== undefined && { unit: zone }) },
          to: [{ role: 'alarm' }],
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
        single({
          kind: 'wildfire-contained',
          from: { role: 'forest' },
          to: [{ role: 'hq' }],
          decisive: true,
          // hours since ignition; put out by the line (1) or burned out at the block's edge (0)
          facts: {
            areaHa: Math.round((e.areaHa ?? 0) * 10) / 10,
            hours: hoursOf(e.minutes - (firstOnsetMinutes ?? 0)),
            putOut: e.putOut === false ? 0 : 1,
          },
        });
        break;
      }
      case 'release': {
        const exposed = e.exposed ?? [];
        // the wind's direction, drawn from the hazard's wind rose on a stream of its own (the plume
        // model does not use it, so the replication is unchanged); none given: taken on site
        const hazard = s.hazards.find((h) => h.id === e.entity.split('/')[0]);
        const rose = hazard?.type === 'chemical' ? hazard.weather.windFrom : undefined;
        const windFrom = rose ? drawDirection(rose, streamRng(trace.seed, trace.replication, `drill:wind:${hazard!.id}`)) : '';
        single({
          kind: 'release',
          from: { role: 'enterprise', unit: e.entity },
          to: [{ role: 'hq' }, { role: 'fire' }, { role: 'medical' }, { role: 'resettlement' }],
          ...level('chemical', { exposed: exposed[1] ?? 0 }),
          decisive: true,
          facts: {
            substance: e.substance ?? '',
            site: e.entity.split('/').slice(1).join('/'),
            wind: e.plume?.windMPerS ?? 0,
            windFrom,
            // downwind: the opposite point of the compass
            windTo: windFrom === '' ? '' : COMPASS[(COMPASS.indexOf(windFrom as (typeof COMPASS)[number]) + 4) % COMPASS.length]!,
            stability: e.plume?.stability ?? '',
            distance: e.plume?.aegl2DistanceM ?? 0,
            aegl1: exposed[0] ?? 0,
            aegl2: exposed[1] ?? 0,
            aegl3: exposed[2] ?? 0,
          },
          answer: { deaths: e.deaths ?? 0 },
        });
        // calls about poisoned people (world: who is in the cloud's reach, not what the players did),
        // by severity as the exposure bands give it (above AEGL-3: critical; AEGL-2 to -3: serious;
        // AEGL-1 to -2: mild), then the hospitals' report of those who came on their own; the
        // triage, the ambulances' staging and where each goes are the players' to decide
        if ((exposed[0] ?? 0) > 0) {
          const [above1 = 0, above2 = 0, above3 = 0] = exposed;
          const severity = { critical: above3, serious: above2 - above3, mild: above1 - above2 };
          const about = { siteUnit: e.entity, substance: e.substance ?? '' };
          draft.push({
            minutes: e.minutes + CASUALTY_CALLS_MINUTES,
            ...(zone !== undefined && { zone }),
            kind: 'casualties',
            from: { role: 'town', ...(zone !== undefined && { unit: zone }) },
            to: [{ role: 'alarm' }, { role: 'medical' }],
            decisive: true,
            events: [i],
            facts: { ...about, ...severity, aegl2: above2, aegl3: above3 },
          });
          draft.push({
            minutes: e.minutes + HOSPITAL_REPORT_MINUTES,
            kind: 'hospital-arrivals',
            from: { role: 'hospital' },
            to: [{ role: 'medical' }, { role: 'hq' }],
            decisive: false,
            events: [i],
            facts: { ...about, ...severity },
          });
        }
        // the report limit (the plan's, else 1 h: 生产安全事故报告和调查处理条例 art. 9) as a prompt from above
        const limit = s.plan?.reportWithinMinutes ?? ACCIDENT_REPORT_MINUTES;
        draft.push({
          minutes: e.minutes + limit,
          kind: 'report-due',
          from: { role: 'control' },
          to: [{ role: 'hq' }],
          decisive: true,
          events: [i],
          facts: { minutes: limit },
        });
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
  // every script ends: the stand-down an hour after the last inject (or at the end of the trace)
  const last = Math.max(...draft.map((d) => d.minutes), events.filter(only).at(-1)?.minutes ?? 0);
  draft.push({
    minutes: last + 60,
    kind: 'end',
    from: { role: 'control' },
    to: [{ role: 'hq' }],
    decisive: true,
    events: [],
    facts: { hours: hoursOf(last + 60 - (firstOnsetMinutes ?? 0)) },
  });
  // the first calls of each kind, and the first answered late, are turning points
  const seenCalls = new Set<InjectKind>();
  const seenLate = new Set<InjectKind>();
  let closures = 0;
  const injects = draft
    .map((d, k) => ({ d, k }))
    .sort((a, b) => a.d.minutes - b.d.minutes || (a.d.events[0] ?? Infinity) - (b.d.events[0] ?? Infinity) || a.k - b.k)
    .map(({ d }, k) => {
      let decisive = d.decisive;
      if (d.kind === 'rescue-calls' || d.kind === 'fire') {
        const isLate = Number(d.answer?.['late'] ?? 0) > 0;
        decisive = !seenCalls.has(d.kind) || (isLate && !seenLate.has(d.kind));
        seenCalls.add(d.kind);
        if (isLate) seenLate.add(d.kind);
      }
      if (d.kind === 'roads-closed') decisive = closures++ === 0 || d.decisive;
      return { n: k + 1, ...d, ...tagsOf(d.kind, d.from), decisive };
    });
  const seen = new Map<string, RoleRef>();
  for (const x of injects) for (const r of [x.from, ...x.to]) seen.set(`${r.role}:${r.unit ?? ''}`, r);
  const roles = [...seen.values()].sort(
    (a, b) => ROLES.indexOf(a.role) - ROLES.indexOf(b.role) || (a.unit ?? '').localeCompare(b.unit ?? ''),
  );
  return { roles, injects };
}

/**
 * Drill scripts from the simulation (issue 13): one replication of a scenario, chosen by severity
 * or by index, turned into a Master Scenario Events List (HSEEP's MSEL; 情景注入 in AQ/T 9007-2019
 * and the 突发事件应急演练指南): numbered injects with the simulated time, who sends the message to
 * whom, the response level it triggers and, for the controller, what the model did next. An
 * evaluation sheet sets what this replication achieved against each plan target beside what the
 * district achieves across all replications.
 *
 * Everything here is language-free data: render.ts tells it in Chinese or English. Every
 * inject names the trace events it stands for (`events`: indexes into the replication's trace),
 * and its time is the first of them, so the script can be checked against `dsim trace`.
 */
import { DsimError, ErrorCodes } from '../errors.js';
import { type Lang, localName, type MessageKey, t } from '../i18n/messages.js';
import type { ExemplarKpi } from '../kpi/accumulator.js';
import type { RunResult, Severity } from '../kpi/result.js';
import type { TraceEvent } from '../response/trace.js';
import type { Executor } from '../run/executor.js';
import { evaluatedTargets } from '../run/local.js';
import { executeRun, resultOf } from '../run/runner.js';
import { scenarioHash } from '../scenario/compile.js';
import type { Scenario } from '../scenario/schema.js';
import { type ReplicationTrace, traceReplication } from '../studies/trace.js';
import { tasksOf } from './evaluation.js';
import { scriptOf } from './injects.js';
import { planDefinesLevels } from './levels.js';
import type { Drill, EvaluationRow } from './script.js';

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
  /** Stops the drill's run (its client went away): buildDrill then throws DRILL_CANCELLED's message. */
  readonly signal?: AbortSignal;
  /** Replications done of the run the drill is chosen from. */
  readonly onProgress?: (done: number, total: number) => void;
}

/** The trace events that start a hazard. */
const ONSETS = new Set(['flood', 'release', 'wildfire-ignited', 'fire-ignited']);

/** The KPI that says how severe an occurrence of each hazard is. */
const SEVERITY_KPI: Record<string, ExemplarKpi> = {
  flood: 'reliefShare',
  chemical: 'deaths',
  'urban-fire': 'lossRatio',
  // by the area burned: reed and grass fires cost nothing, so a ranking by loss ties at 0
  wildfire: 'burnedHa',
  incidents: 'responseTimeMinutes',
};

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
    ...(o.signal && { signal: o.signal }),
    ...(o.onProgress && { onProgress: (p: { done: number; total: number }) => o.onProgress!(p.done, p.total) }),
  });
  if (o.signal?.aborted) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.drillCancelled');
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
          : kpi === 'burnedHa'
            ? trace.events.reduce((a, e) => a + (e.kind === 'wildfire-contained' ? (e.areaHa ?? 0) : 0), 0)
            : f.responseMeanMinutes;
  const flood = trace.events.find((e) => e.kind === 'flood');
  const fire = hazard.type === 'urban-fire' ? largestFire(trace) : undefined;
  const script = scriptOf(s, trace, targets.responseTimeMinutes, fire && ((e) => e.incident === fire.incident));
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
    roads: s.roads.links
      .filter((l) => l.name !== undefined || l.nameZh !== undefined)
      .map((l) => ({
        id: `${l.from}-${l.to}`,
        ...(l.name !== undefined && { name: l.name }),
        ...(l.nameZh !== undefined && { nameZh: l.nameZh }),
      })),
    zones: s.district.zones.map((z) => ({ id: z.id, name: z.name, ...(z.nameZh !== undefined && { nameZh: z.nameZh }) })),
    units: [
      ...[...s.resources.stations, ...s.resources.warehouses, ...s.resources.fleet, ...s.resources.mutualAid]
        .filter((u) => u.name !== undefined || u.nameZh !== undefined)
        .map((u) => ({ id: u.id, ...(u.name !== undefined && { name: u.name }), ...(u.nameZh !== undefined && { nameZh: u.nameZh }) })),
      ...chemicalSites(s),
    ],
    ...script,
    evaluation: evaluationOf(run, trace),
    tasks: tasksOf(hazard.type, script.injects, targets, {
      reportWithinMinutes: s.plan?.reportWithinMinutes,
      onsetMinutes: trace.events.find((e) => ONSETS.has(e.kind))?.minutes ?? 0,
    }),
    ...(s.plan !== undefined && { plan: s.plan }),
    levelsDefined: planDefinesLevels(s.plan, hazard.type),
    ...(fire && {
      fire: { fires: fire.fires, lossCny: fire.lossCny, deaths: fire.deaths, ...(fire.zone !== undefined && { zone: fire.zone }) },
    }),
    facts: f,
  };
}

/**
 * The replication's worst building fire, by deaths then direct loss (the first of equals): an
 * urban-fire hazard lights fires all through the scenario's horizon, and a drill exercises one.
 */
function largestFire(
  trace: ReplicationTrace,
): { incident: number; fires: number; lossCny: number; deaths: number; zone?: string } | undefined {
  const fires = trace.events.filter((e) => e.kind === 'fire-controlled' && e.incident !== undefined);
  let worst: TraceEvent | undefined;
  for (const e of fires) {
    const [d, l] = [e.deaths ?? 0, e.lossCny ?? 0];
    if (!worst || d > (worst.deaths ?? 0) || (d === (worst.deaths ?? 0) && l > (worst.lossCny ?? 0))) worst = e;
  }
  if (!worst) return undefined;
  return {
    incident: worst.incident!,
    fires: trace.events.filter((e) => e.kind === 'fire-ignited').length,
    lossCny: worst.lossCny ?? 0,
    deaths: worst.deaths ?? 0,
    ...(worst.zone !== undefined && { zone: worst.zone }),
  };
}

/**
 * Chemical sites by name (their trace entity `HAZARD/SITE`): the scenario's, else the zone, the
 * kind and the substance ("马桥镇（石化）化工园区（氯气）"), never the id.
 */
function chemicalSites(s: Scenario): { id: string; name: string; nameZh: string }[] {
  return s.hazards.flatMap((h) => {
    if (h.type !== 'chemical') return [];
    return h.sites.map((site) => {
      const zone = s.district.zones.find((z) => z.id === site.zone);
      const named = (lang: Lang) =>
        t(lang, 'site.fallback', {
          zone: zone ? localName(lang, zone) : site.zone,
          kind: t(lang, `siteKind.${site.kind}` as MessageKey),
          substance: t(lang, `substance.${site.substance}` as MessageKey),
        });
      return { id: `${h.id}/${site.id}`, name: site.name ?? named('en'), nameZh: site.nameZh ?? named('zh') };
    });
  });
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
  if (f.displaced > 0) {
    // the headline share relieved within the deadline: people relieved / people displaced over all
    // replications, the figure run, compare, sweep and the reports print (issue 24 item 2)
    rows.push({
      id: 'obs:relief-share',
      achieved: f.relievedByDeadline / f.displaced,
      met: null,
      runMean: k.reliefWithinDeadline.mean,
      runCi95: k.reliefWithinDeadline.ci95,
      unit: 'share',
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

/**
 * The run result: accumulated statistics → the JSON document `dsim run --json` writes and the
 * table prints. Numbers are rounded to 7 significant digits; the document holds nothing that
 * varies between runs of the same scenario and seed except under `timing`.
 */
import type { CompiledModel } from '../scenario/compile.js';
import type { Hazard, Scenario } from '../scenario/schema.js';
import { meanCi95, wilsonCi95 } from '../stats/interval.js';
import type { Moments } from '../stats/moments.js';
import { SKETCH_RELATIVE_ERROR } from '../stats/sketch.js';
import { type Distribution, EXEMPLAR_KPIS, type ExemplarKpi, type KpiAccumulator } from './accumulator.js';

export const ENGINE_VERSION = '0.3.0';

type Num = number | null;

/** Rounds to 7 significant digits; non-finite numbers become null (JSON has no NaN). */
export function r7(x: number): Num {
  return Number.isFinite(x) ? Number(x.toPrecision(7)) : null;
}

export interface MeanStat {
  n: number;
  mean: Num;
  ci95: [Num, Num];
}
export interface DistStat extends MeanStat {
  p50: Num;
  p90: Num;
  p95: Num;
  p99: Num;
  min: Num;
  max: Num;
}

function meanStat(m: Moments): MeanStat {
  const [lo, hi] = meanCi95(m.mean, m.variance, m.count);
  return { n: m.count, mean: r7(m.mean), ci95: [r7(lo), r7(hi)] };
}

function distStat(d: Distribution): DistStat {
  const q = (p: number): Num => r7(d.quantile(p));
  return {
    ...meanStat(d.moments),
    p50: q(0.5),
    p90: q(0.9),
    p95: q(0.95),
    p99: q(0.99),
    min: r7(d.moments.min),
    max: r7(d.moments.max),
  };
}

function probability(k: number, n: number): { p: Num; ci95: [Num, Num] } {
  const [lo, hi] = wilsonCi95(k, n);
  return { p: n > 0 ? r7(k / n) : null, ci95: [r7(lo), r7(hi)] };
}

/**
 * A plan target: `pMet` is the share of replications (events or years) meeting it; `value` is the
 * run's estimate of the quantity itself where the plan states an average or a share over all
 * incidents (average annual loss, the 5-minute share), with `met` comparing it to the threshold.
 */
export interface Target {
  id: string;
  description: string;
  threshold: number;
  required: number;
  pMet: Num;
  ci95: [Num, Num];
  value?: Num;
  met?: boolean;
  /** How threshold and value read: a share (0–1), a ratio to GDP, or a plain number. */
  unit: 'share' | 'ratio' | 'number' | 'minutes' | 'hours' | 'permille';
}

/** Return periods of the exceedance-probability curve, years. */
export const RETURN_PERIODS = [2, 5, 10, 20, 50, 100, 200, 500, 1000] as const;

export interface RunResult {
  kind: 'dsim.result';
  schemaVersion: 1;
  engineVersion: string;
  mode: 'event' | 'annual';
  scenario: { id: string; name: string; hash: string };
  seed: number;
  replications: number;
  kpis: Record<string, unknown> & {
    responseTimeMinutes: DistStat & { responses: number; pooledMean: Num; withinThresholdShare: Num; unansweredMean: Num };
    reliefWithinDeadline: DistStat & { deadlineHours: number; pTargetMet: Num; pTargetMetCi95: [Num, Num] };
    lossRatio: DistStat;
  };
  /** Replication indexes to trace (`dsim trace --severity`), by KPI and severity. */
  representativeReplications: Record<ExemplarKpi, Record<Severity, number | null>>;
  targets: Target[];
  zones: Record<string, unknown>[];
  notes: string[];
  /** Present on precision-stopped runs (--until-ci). */
  stopping?: unknown;
  /** True when the run was interrupted; the statistics cover the replications merged by then. */
  interrupted?: boolean;
  timing?: { wallMs: number; replicationsPerSecond: number; workers?: number };
}

export function summarise(m: CompiledModel, acc: KpiAccumulator, seed: number, timing?: { wallMs: number; workers?: number }): RunResult {
  const s = m.scenario;
  const t = s.targets;
  const n = acc.replications;
  const response = acc.responseMinutes;
  const reliefP = probability(acc.reliefTargetMet, n);
  const result: RunResult = {
    kind: 'dsim.result',
    schemaVersion: 1,
    engineVersion: ENGINE_VERSION,
    mode: s.mode,
    scenario: { id: s.id, name: s.name, hash: m.hash },
    seed,
    replications: n,
    kpis: {
      // Responses within a replication are correlated (they share the queue), so the mean and its
      // interval come from the replication means, which are independent; quantiles are pooled.
      responseTimeMinutes: {
        ...distStat(response),
        ...meanStat(acc.responseMeanByReplication),
        responses: response.moments.count,
        pooledMean: r7(response.moments.mean),
        withinThresholdShare: r7(response.sketch.count > 0 ? response.sketch.shareAtMost(t.responseTimeMinutes) : NaN),
        unansweredMean: r7(acc.unanswered.mean),
      },
      reliefWithinDeadline: {
        deadlineHours: t.reliefDeadlineHours,
        ...distStat(acc.reliefShare),
        pTargetMet: reliefP.p,
        pTargetMetCi95: reliefP.ci95,
      },
      reliefCurve: reliefCurve(acc),
      timeToRelieveAllHours: {
        ...distStat(acc.allRelievedHours),
        pWithinHorizon: r7(n > 0 ? acc.allRelievedHours.moments.count / n : NaN),
      },
      lossRatio: distStat(acc.lossRatio),
      directLossCny: meanStat(acc.lossCny),
      displacedPeople: distStat(acc.displaced),
      strandedPeople: meanStat(acc.stranded),
      stockouts: Object.fromEntries(
        m.items.map((item, i) => [
          item,
          { pStockout: r7(n > 0 ? acc.stockoutReplications[i]! / n : NaN), meanShortfallUnits: r7(acc.shortfall[i]!.mean) },
        ]),
      ),
      vehicleUtilisation: meanStat(acc.vehicleUtilisation),
      teamUtilisation: meanStat(acc.teamUtilisation),
      hazard: {
        returnPeriodYears: distStat(acc.returnPeriodYears),
        severityMean: r7(acc.severity.mean),
      },
      ...hazardKpis(m, acc),
    },
    representativeReplications: representatives(acc),
    targets: targets(m, acc),
    zones: m.zones.map((z, i) => {
      const zs = acc.zones[i]!;
      const people = zs.shelterPeople.sum;
      return {
        id: z.id,
        name: z.name,
        displacedMean: r7(zs.displaced.mean),
        shelterPeopleMean: r7(zs.shelterPeople.mean),
        reliefWithinDeadline: people > 0 ? r7(zs.relievedByDeadline.sum / people) : null,
        lossCnyMean: r7(zs.lossCny.mean),
        responseTimeMinutesMean: r7(zs.responseMinutes.mean),
        responses: zs.responseMinutes.count,
      };
    }),
    notes: [
      `quantiles come from a log-binned sketch with relative error <= ${(SKETCH_RELATIVE_ERROR * 100).toFixed(2)}%`,
      'reliefWithinDeadline is 1 in replications where nobody is displaced',
      s.mode === 'annual'
        ? 'each replication is one simulated year; lossRatio is the annual direct loss / GDP'
        : 'the loss-ratio target here is per event; the plans\u2019 1% ceiling is an annual average (run with --mode annual)',
    ],
  };
  if (timing) {
    result.timing = {
      wallMs: Math.round(timing.wallMs),
      replicationsPerSecond: Math.round((n / timing.wallMs) * 1000),
      ...(timing.workers !== undefined && { workers: timing.workers }),
    };
  }
  return result;
}

/**
 * The share relieved within h hours of onset for every whole hour of the horizon: mean and 95% CI
 * over replications. `mean[h]` equals reliefWithinDeadline.mean of a run with --deadline-hours h.
 */
function reliefCurve(acc: KpiAccumulator): { hours: number[]; mean: Num[]; ci95Low: Num[]; ci95High: Num[] } {
  const stats = acc.reliefCurve.map(meanStat);
  return {
    hours: stats.map((_, h) => h),
    mean: stats.map((s) => s.mean),
    ci95Low: stats.map((s) => s.ci95[0]),
    ci95High: stats.map((s) => s.ci95[1]),
  };
}

/** Severity levels of representative replications: p90 is worse than 90% of replications. */
export const SEVERITIES = ['p50', 'p90', 'p99', 'worst'] as const;
export type Severity = (typeof SEVERITIES)[number];

/**
 * For each main KPI, the replication nearest its median, p90 and p99 by severity (for the share
 * relieved, where lower is worse, the 10% and 1% quantiles) and the worst one: indexes to trace.
 */
function representatives(acc: KpiAccumulator): Record<ExemplarKpi, Record<Severity, number | null>> {
  const out = {} as Record<ExemplarKpi, Record<Severity, number | null>>;
  for (const k of EXEMPLAR_KPIS) {
    const ex = acc.exemplars[k];
    out[k] = {
      p50: ex.atSeverity(0.5),
      p90: ex.atSeverity(0.9),
      p99: ex.atSeverity(0.99),
      worst: ex.worstReplication >= 0 ? ex.worstReplication : null,
    };
  }
  return out;
}

function hasHazard(s: Scenario, type: Hazard['type']): boolean {
  return s.hazards.some((h) => h.type === type);
}

/** KPIs of fires, wildfires and chemical releases, and of whole years; present when relevant. */
function hazardKpis(m: CompiledModel, acc: KpiAccumulator): Record<string, unknown> {
  const s = m.scenario;
  const n = acc.replications;
  const out: Record<string, unknown> = {};
  const has = (type: Hazard['type']): boolean => hasHazard(s, type);
  if (s.mode === 'annual') {
    const lr = acc.lossRatio;
    out['annualLossRatio'] = {
      ...distStat(lr),
      exceedance: RETURN_PERIODS.map((T) => ({ returnPeriod: T, value: n >= T ? r7(lr.quantile(1 - 1 / T)) : null })),
    };
    out['deathsPerMillion'] = distStat(acc.deathsPerMillion);
    out['affectedPer100k'] = distStat(acc.affectedPer100k);
  }
  if (has('urban-fire')) {
    out['fire'] = {
      fires: acc.fires,
      firesPerReplication: r7(n > 0 ? acc.fires / n : NaN),
      circleMinutes: s.targets.fireResponseMinutes ?? 5,
      withinCircleShare: r7(acc.fires > 0 ? acc.firesWithinCircle / acc.fires : NaN),
      byMutualAidShare: r7(acc.fires > 0 ? acc.firesByMutualAid / acc.fires : NaN),
      responseMinutes: distStat(acc.fireResponseMinutes),
      lossCny: meanStat(acc.fireLossCny),
      deathsPer100k: distStat(acc.fireDeathsPer100k),
    };
  }
  if (has('wildfire')) {
    out['forestFire'] = {
      fires: acc.wildfires,
      firesPerReplication: r7(n > 0 ? acc.wildfires / n : NaN),
      outWithin24hShare: r7(acc.wildfires > 0 ? acc.wildfiresOutWithin24h / acc.wildfires : NaN),
      burnedPermille: distStat(acc.burnedPermille),
    };
  }
  if (has('chemical')) {
    out['chemical'] = {
      releases: acc.releases,
      releasesPerReplication: r7(n > 0 ? acc.releases / n : NaN),
      evacuationHours: distStat(acc.evacuationHours),
      exposedAboveAegl: acc.chemicalExposed.map((x) => r7(x.mean)),
      deaths: meanStat(acc.chemicalDeaths),
    };
  }
  return out;
}

function targets(m: CompiledModel, acc: KpiAccumulator): Target[] {
  const s = m.scenario;
  const t = s.targets;
  const n = acc.replications;
  const target = (
    id: string,
    unit: Target['unit'],
    description: string,
    threshold: number,
    required: number,
    k: number,
    extra: Partial<Target> = {},
  ): Target => {
    const p = probability(k, n);
    return { id, description, threshold, required, pMet: p.p, ci95: p.ci95, unit, ...extra };
  };
  const per = s.mode === 'annual' ? 'year' : 'event';
  const list: Target[] = [
    target(
      'relief-within-deadline',
      'hours',
      `share of displaced people relieved within ${t.reliefDeadlineHours} h >= ${t.reliefShare} (every flood of the ${per})`,
      t.reliefDeadlineHours,
      t.reliefShare,
      acc.reliefTargetMet,
    ),
    target(
      'response-time',
      'minutes',
      `share of rescue calls reached within ${t.responseTimeMinutes} min >= ${t.responseShare}`,
      t.responseTimeMinutes,
      t.responseShare,
      acc.responseTargetMet,
    ),
  ];
  if (s.mode === 'annual') {
    const mean = acc.lossRatio.moments.mean;
    list.push(
      target(
        'average-annual-loss',
        'ratio',
        `average annual direct loss / GDP <= ${t.lossRatioMax} (pMet: share of years within it)`,
        t.lossRatioMax,
        1,
        acc.lossTargetMet,
        { value: r7(mean), met: mean <= t.lossRatioMax },
      ),
    );
    if (t.deathsPerMillion !== undefined) {
      const v = acc.deathsPerMillion.moments.mean;
      list.push(
        target(
          'deaths-per-million',
          'number',
          `disaster deaths per million per year <= ${t.deathsPerMillion}`,
          t.deathsPerMillion,
          1,
          acc.deathsTargetMet,
          { value: r7(v), met: v <= t.deathsPerMillion },
        ),
      );
    }
    if (t.affectedPer100k !== undefined) {
      const v = acc.affectedPer100k.moments.mean;
      list.push(
        target(
          'affected-per-100k',
          'number',
          `affected person-times per 100,000 per year <= ${t.affectedPer100k}`,
          t.affectedPer100k,
          1,
          acc.affectedTargetMet,
          { value: r7(v), met: v <= t.affectedPer100k },
        ),
      );
    }
  } else {
    list.push(target('loss-ratio', 'ratio', `event direct loss / annual GDP <= ${t.lossRatioMax}`, t.lossRatioMax, 1, acc.lossTargetMet));
  }
  const has = (type: Hazard['type']): boolean => hasHazard(s, type);
  if (has('urban-fire') && t.fireResponseMinutes !== undefined) {
    const share = acc.fires > 0 ? acc.firesWithinCircle / acc.fires : NaN;
    const need = t.fireResponseShare ?? 1;
    list.push(
      target(
        'fire-circle',
        'share',
        `share of fires reached within ${t.fireResponseMinutes} min >= ${need}`,
        t.fireResponseMinutes,
        need,
        acc.fireCircleTargetMet,
        { value: r7(share), met: share >= need },
      ),
    );
  }
  if (has('urban-fire') && t.fireDeathsPer100k !== undefined) {
    const v = acc.fireDeathsPer100k.moments.mean;
    list.push(
      target(
        'fire-deaths-per-100k',
        'number',
        `fire deaths per 100,000 < ${t.fireDeathsPer100k}`,
        t.fireDeathsPer100k,
        1,
        acc.fireDeathsTargetMet,
        { value: r7(v), met: v < t.fireDeathsPer100k },
      ),
    );
  }
  if (has('wildfire') && t.forestFireOutWithin24hShare !== undefined) {
    const share = acc.wildfires > 0 ? acc.wildfiresOutWithin24h / acc.wildfires : NaN;
    list.push(
      target(
        'forest-fire-24h',
        'share',
        `share of forest fires out within 24 h >= ${t.forestFireOutWithin24hShare}`,
        24,
        t.forestFireOutWithin24hShare,
        acc.wildfireTargetMet,
        { value: r7(share), met: share >= t.forestFireOutWithin24hShare },
      ),
    );
  }
  if (has('wildfire') && t.forestBurnedPermilleMax !== undefined) {
    const v = acc.burnedPermille.moments.mean;
    list.push(
      target(
        'forest-burned',
        'permille',
        `burned forest per year <= ${t.forestBurnedPermilleMax}\u2030 of forest area`,
        t.forestBurnedPermilleMax,
        1,
        acc.burnedTargetMet,
        { value: r7(v), met: v <= t.forestBurnedPermilleMax },
      ),
    );
  }
  return list;
}

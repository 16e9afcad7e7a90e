/**
 * The run result: accumulated statistics → the JSON document `dsim run --json` writes and the
 * table prints. Numbers are rounded to 7 significant digits; the document holds nothing that
 * varies between runs of the same scenario and seed except under `timing`.
 */
import type { CompiledModel } from '../scenario/compile.js';
import type { Distribution, KpiAccumulator } from './accumulator.js';
import type { Moments } from '../stats/moments.js';
import { meanCi95, wilsonCi95 } from '../stats/interval.js';
import { SKETCH_RELATIVE_ERROR } from '../stats/sketch.js';

export const ENGINE_VERSION = '0.1.0';

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

export interface RunResult {
  kind: 'dsim.result';
  schemaVersion: 1;
  engineVersion: string;
  mode: 'event';
  scenario: { id: string; name: string; hash: string };
  seed: number;
  replications: number;
  kpis: Record<string, unknown> & {
    responseTimeMinutes: DistStat & { responses: number; pooledMean: Num; withinThresholdShare: Num; unansweredMean: Num };
    reliefWithinDeadline: DistStat & { deadlineHours: number; pTargetMet: Num; pTargetMetCi95: [Num, Num] };
    lossRatio: DistStat;
  };
  targets: { id: string; description: string; threshold: number; required: number; pMet: Num; ci95: [Num, Num] }[];
  zones: Record<string, unknown>[];
  notes: string[];
  timing?: { wallMs: number; replicationsPerSecond: number };
}

export function summarise(m: CompiledModel, acc: KpiAccumulator, seed: number, timing?: { wallMs: number }): RunResult {
  const s = m.scenario;
  const t = s.targets;
  const n = acc.replications;
  const response = acc.responseMinutes;
  const reliefP = probability(acc.reliefTargetMet, n);
  const responseP = probability(acc.responseTargetMet, n);
  const lossP = probability(acc.lossTargetMet, n);
  const result: RunResult = {
    kind: 'dsim.result',
    schemaVersion: 1,
    engineVersion: ENGINE_VERSION,
    mode: 'event',
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
    },
    targets: [
      {
        id: 'relief-within-deadline',
        description: `share of displaced people relieved within ${t.reliefDeadlineHours} h >= ${t.reliefShare}`,
        threshold: t.reliefDeadlineHours,
        required: t.reliefShare,
        pMet: reliefP.p,
        ci95: reliefP.ci95,
      },
      {
        id: 'response-time',
        description: `share of incidents reached within ${t.responseTimeMinutes} min >= ${t.responseShare}`,
        threshold: t.responseTimeMinutes,
        required: t.responseShare,
        pMet: responseP.p,
        ci95: responseP.ci95,
      },
      {
        id: 'loss-ratio',
        description: `event direct loss / annual GDP <= ${t.lossRatioMax}`,
        threshold: t.lossRatioMax,
        required: 1,
        pMet: lossP.p,
        ci95: lossP.ci95,
      },
    ],
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
      'the loss-ratio target here is per event; the plans\u2019 1% ceiling is an annual average',
    ],
  };
  if (timing) {
    result.timing = { wallMs: Math.round(timing.wallMs), replicationsPerSecond: Math.round((n / timing.wallMs) * 1000) };
  }
  return result;
}

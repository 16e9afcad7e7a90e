/**
 * The run result: accumulated statistics → the document `dsim run --json` writes and the table
 * prints, of the shape kpi/result.ts declares. Numbers are rounded to 7 significant digits; the
 * document holds nothing that varies between runs of the same scenario and seed except under
 * `timing`.
 */

import { WAIT_CAUSES } from '../response/relief-event.js';
import type { CompiledModel } from '../scenario/compile.js';
import type { CompiledFlood } from '../scenario/hazards/flood.js';
import { SKETCH_RELATIVE_ERROR } from '../stats/sketch.js';
import { censoredDistStat, distStat, meanStat, probability, quantilesOnly, r7, ratio, UNIT } from '../stats/summary-stat.js';
import type { Distribution, ExemplarKpi, KpiAccumulator } from './accumulator.js';
import type { Kpis, RunResult, Severity, Target } from './result.js';

export { type DistStat, type MeanStat, r7 } from '../stats/summary-stat.js';
export type { Kpis, RunResult, Severity, Stopping, Target } from './result.js';
export { SEVERITIES } from './result.js';

export const ENGINE_VERSION = '0.14.1';

/** Return periods of the exceedance-probability curve, years. */
export const RETURN_PERIODS = [2, 5, 10, 20, 50, 100, 200, 500, 1000] as const;

export function summarise(m: CompiledModel, acc: KpiAccumulator, seed: number, timing?: { wallMs: number; workers?: number }): RunResult {
  const t = acc.evaluated;
  const n = acc.replications;
  const response = acc.responseMinutes;
  const reliefTarget = acc.targets.findIndex((d) => d.id === 'relief-within-deadline');
  const reliefP = probability(acc.targetMet[reliefTarget]!, acc.targetJudged[reliefTarget]!);
  const [reliefLo, reliefHi] = acc.reliefPeople.ci95([0, 1]);
  const calls = acc.calls;
  const result: RunResult = {
    kind: 'dsim.result',
    schemaVersion: 1,
    engineVersion: ENGINE_VERSION,
    mode: m.mode,
    scenario: { id: m.id, name: m.name, ...(m.scenario.nameZh !== undefined && { nameZh: m.scenario.nameZh }), hash: m.hash },
    seed,
    replications: n,
    kpis: {
      // Responses within a replication are correlated (they share the queue), so the mean and its
      // interval come from the replication means, which are independent; quantiles are pooled.
      responseTimeMinutes: {
        ...distStat(response),
        ...meanStat(acc.responseMeanByReplication),
        responses: response.moments.count,
        calls,
        censoredShare: ratio(acc.censoredCalls, calls),
        pooledMean: r7(response.moments.mean),
        withinThresholdShare: r7(calls > 0 ? (response.sketch.shareAtMost(t.responseTimeMinutes) * response.sketch.count) / calls : NaN),
        unansweredMean: r7(acc.unanswered.mean),
      },
      reliefWithinDeadline: {
        deadlineHours: t.reliefDeadlineHours,
        replications: acc.replicationsWithDisplaced,
        mean: r7(acc.reliefPeople.ratio),
        ci95: [r7(reliefLo), r7(reliefHi)],
        perReplication: distStat(acc.reliefShare, UNIT),
        pTargetMet: reliefP.p,
        pTargetMetCi95: reliefP.ci95,
      },
      reliefCurve: reliefCurve(acc),
      timeToRelieveAllHours: {
        ...censoredDistStat(acc.allRelievedHours, acc.replicationsWithDisplaced - acc.allRelievedHours.moments.count, m.horizonHours),
        pWithinHorizon: ratio(acc.allRelievedHours.moments.count, acc.replicationsWithDisplaced),
        censoredAtHours: m.horizonHours,
      },
      lossRatio: distStat(acc.lossRatio),
      directLossCny: meanStat(acc.lossCny),
      displacedPeople: distStat(acc.displaced),
      strandedPeople: meanStat(acc.stranded),
      stockouts: Object.fromEntries(
        m.items.map((item, i) => [
          item,
          {
            pStockout: ratio(acc.stockoutReplications[i]!, n),
            meanShortfallUnits: r7(acc.shortfall[i]!.moments.mean),
            days: m.days[i]!,
            shortfallP50: quantileOrNull(acc.shortfall[i]!, 0.5),
            shortfallP90: quantileOrNull(acc.shortfall[i]!, 0.9),
            runsOutDayP50: quantileOrNull(acc.runsOutDay[i]!, 0.5),
          },
        ]),
      ),
      reliefWaiting: reliefWaiting(m, acc),
      vehicleUtilisation: meanStat(acc.vehicleUtilisation, UNIT),
      teamUtilisation: meanStat(acc.teamUtilisation, UNIT),
      hazard: {
        returnPeriodYears: quantilesOnly(acc.returnPeriodYears),
        severityMean: r7(acc.severity.mean),
        extrapolatedShare: ratio(acc.extrapolatedReplications, n),
      },
      ...annualKpis(m, acc),
      ...perilKpis(m, acc),
    },
    representativeReplications: representatives(acc),
    targets: targets(acc),
    zones: m.zones.map((z, i) => {
      const zs = acc.zones[i]!;
      const people = zs.shelterPeople.sum;
      return {
        id: z.id,
        name: z.name,
        ...(z.nameZh !== undefined && { nameZh: z.nameZh }),
        displacedMean: r7(zs.displaced.mean),
        shelterPeopleMean: r7(zs.shelterPeople.mean),
        reliefWithinDeadline: people > 0 ? r7(zs.relievedByDeadline.sum / people) : null,
        lossCnyMean: r7(zs.lossCny.mean),
        responseTimeMinutesMean: r7(zs.responseMinutes.mean),
        responses: zs.responseMinutes.count,
        replicationsWithCalls: zs.sameReplicationsCalls.count,
        sameReplicationsResponseMinutesMean: r7(
          zs.sameReplicationsCalls.sum > 0 ? zs.sameReplicationsMinutes.sum / zs.sameReplicationsCalls.sum : NaN,
        ),
      };
    }),
    notes: [
      `quantiles come from a log-binned sketch with relative error <= ${(SKETCH_RELATIVE_ERROR * 100).toFixed(2)}%`,
      'relief is judged only in replications with displaced people: reliefWithinDeadline.mean is people relieved / people displaced over them (perReplication: each one\u2019s own share); a target no replication could judge has pMet null',
      'rescue calls and fires not reached within the horizon are censored: they count as outside every response-time threshold',
      m.mode === 'annual'
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
 * For every whole hour h of the horizon: the share relieved within h hours of onset (mean and 95%
 * CI over replications) and P(every flood meets the relief share within h hours). `mean[h]` and
 * `pTargetMet[h]` equal reliefWithinDeadline's mean and pTargetMet of a run with --deadline-hours h.
 */
function reliefCurve(acc: KpiAccumulator): Kpis['reliefCurve'] {
  const ci = acc.reliefCurve.map((r) => r.ci95([0, 1]));
  const met = acc.reliefMetByHour.map((k) => probability(k, acc.replicationsWithDisplaced));
  return {
    hours: acc.reliefCurve.map((_, h) => h),
    mean: acc.reliefCurve.map((r) => r7(r.ratio)),
    ci95Low: ci.map((c) => r7(c[0])),
    ci95High: ci.map((c) => r7(c[1])),
    pTargetMet: met.map((p) => p.p),
    pTargetMetCi95Low: met.map((p) => p.ci95[0]),
    pTargetMetCi95High: met.map((p) => p.ci95[1]),
  };
}

/**
 * For each main KPI, the replication nearest its median, p90 and p99 by severity (for the share
 * relieved, where lower is worse, the 10% and 1% quantiles) and the worst one: indexes to trace.
 */
function representatives(acc: KpiAccumulator): RunResult['representativeReplications'] {
  const at = (k: ExemplarKpi): Record<Severity, number | null> => {
    const ex = acc.exemplars[k];
    return {
      p50: ex.atSeverity(0.5),
      p90: ex.atSeverity(0.9),
      p99: ex.atSeverity(0.99),
      worst: ex.worstReplication >= 0 ? ex.worstReplication : null,
    };
  };
  return {
    reliefShare: at('reliefShare'),
    lossRatio: at('lossRatio'),
    responseTimeMinutes: at('responseTimeMinutes'),
    deaths: at('deaths'),
    burnedHa: at('burnedHa'),
  };
}

/** Whole years: the annual loss ratio with its exceedance curve, deaths and affected people. */
function annualKpis(m: CompiledModel, acc: KpiAccumulator): Pick<Kpis, 'annualLossRatio' | 'deathsPerMillion' | 'affectedPer100k'> {
  if (m.mode !== 'annual') return {};
  const n = acc.replications;
  const lr = acc.lossRatio;
  // Return periods beyond the shortest of the zones' flood tables rest on extrapolated depths.
  const floods = m.hazards.filter((h) => h.type === 'flood').map((h) => h.spec as CompiledFlood);
  const tabulated = Math.min(...floods.flatMap((f) => f.zones.map((z) => z.returnPeriodYears[z.returnPeriodYears.length - 1]!)));
  const curve = (d: Distribution) =>
    RETURN_PERIODS.map((T) => ({
      returnPeriod: T,
      value: n >= T ? r7(d.quantile(1 - 1 / T)) : null,
      extrapolated: T > tabulated,
    }));
  return {
    annualLossRatio: {
      ...distStat(lr),
      exceedance: curve(lr),
      occurrenceExceedance: curve(acc.maxEventLossRatio),
    },
    deathsPerMillion: distStat(acc.deathsPerMillion),
    affectedPer100k: distStat(acc.affectedPer100k),
  };
}

/** Each sliced peril's section, in registry order. */
function perilKpis(m: CompiledModel, acc: KpiAccumulator): Partial<Kpis> {
  const env = { m, targets: acc.evaluated };
  return Object.fromEntries(acc.slicedPerils.map((p, k) => [p.kpis!.key, p.kpis!.summary(acc.perils[k], acc.replications, env)]));
}

/** The targets of kpi/targets.ts with the probability each is met and, where stated, the run's estimate. */
function targets(acc: KpiAccumulator): Target[] {
  return acc.targets.map((d, k) => {
    const judged = acc.targetJudged[k]!;
    const p = probability(acc.targetMet[k]!, judged);
    const estimate = d.estimate?.(acc);
    return {
      id: d.id,
      description: d.description,
      threshold: d.threshold,
      required: d.required,
      judged,
      pMet: p.p,
      ci95: p.ci95,
      unit: d.unit,
      ...(estimate && { value: r7(estimate.value), met: estimate.met }),
    };
  });
}

/** What binds relief at the deadline: the causes of waiting, largest first. */
function reliefWaiting(m: CompiledModel, acc: KpiAccumulator): RunResult['kpis']['reliefWaiting'] {
  const names = [...WAIT_CAUSES, ...m.items.map((i) => `stock:${i}`)];
  const people = acc.waiting.map((w) => (w.count > 0 ? w.mean : 0));
  const total = people.reduce((a, b) => a + b, 0);
  return {
    deadlineHours: Math.min(acc.reliefCurve.length - 1, Math.floor(acc.evaluated.reliefDeadlineHours)),
    waitingPeople: acc.waiting[0]!.count > 0 ? r7(total) : null,
    causes: names
      .map((cause, c) => ({ cause, share: total > 0 ? r7(people[c]! / total) : null, people: r7(people[c]!) }))
      .filter((x) => (x.people ?? 0) > 0)
      .sort((a, b) => (b.people ?? 0) - (a.people ?? 0)),
  };
}

function quantileOrNull(d: KpiAccumulator['shortfall'][number], q: number): number | null {
  return d.moments.count > 0 ? r7(d.quantile(q)) : null;
}

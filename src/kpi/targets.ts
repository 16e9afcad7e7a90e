/**
 * The one table of plan targets. The simulation records facts (response minutes, relief
 * timelines, fire response minutes, burned area …); each target here says when one replication
 * meets it and, where the plan states an average or a share over all incidents, how the run's
 * estimate compares. The accumulator counts the replications meeting each target; the summary
 * reports them from the same table. A run may evaluate other targets than its scenario's (e.g.
 * `--deadline-hours`) without simulating anything differently.
 */
import { slicedPerilsOf } from '../perils/registry.js';
import type { TrialOutcome } from '../perils/trial.js';
import type { CompiledModel, Targets } from '../scenario/compile.js';
import type { Bag } from '../stats/bag.js';
import type { Distribution } from '../stats/distribution.js';
import type { ReliefAtDeadline } from './relief.js';

/** One replication as the targets read it. */
export interface ReplicationView {
  readonly o: TrialOutcome;
  /** Relief at the evaluated deadline. */
  readonly relief: ReliefAtDeadline;
  /** Responses (rescue calls, incidents) within the evaluated response time. */
  readonly responsesWithin: number;
}

/** What a target's run estimate reads from the accumulator. */
export interface EstimateSource {
  readonly lossRatio: Distribution;
  readonly deathsPerMillion: Distribution;
  readonly affectedPer100k: Distribution;
  /** Sliced perils' KPI slices, in slicedPerilsOf order. */
  readonly perils: readonly Bag[];
}

export type TargetUnit = 'share' | 'ratio' | 'number' | 'minutes' | 'hours' | 'permille';

export interface TargetDef {
  readonly id: string;
  readonly unit: TargetUnit;
  readonly description: string;
  readonly threshold: number;
  readonly required: number;
  /** Whether the replication can judge the target at all (absent: always); others are left out of pMet. */
  judged?(r: ReplicationView): boolean;
  /** Whether a judged replication meets it. */
  met(r: ReplicationView): boolean;
  /** What a judged replication achieved, in the target's unit: a share, a ratio, a count. */
  value(r: ReplicationView): number;
  estimate?(acc: EstimateSource): { value: number; met: boolean };
}

/** The targets a run of model `m` evaluates against `t`, in report order. */
export function targetsFor(m: CompiledModel, t: Targets): TargetDef[] {
  const annual = m.mode === 'annual';
  const per = annual ? 'year' : 'event';
  const list: TargetDef[] = [
    {
      id: 'relief-within-deadline',
      unit: 'hours',
      description: `share of displaced people relieved within ${t.reliefDeadlineHours} h >= ${t.reliefShare} (every flood of the ${per})`,
      threshold: t.reliefDeadlineHours,
      required: t.reliefShare,
      judged: (r) => r.o.displaced > 0,
      met: (r) => r.relief.everyFloodMet,
      value: (r) => r.relief.relieved / r.o.displaced,
    },
    {
      id: 'response-time',
      unit: 'minutes',
      description: `share of rescue calls reached within ${t.responseTimeMinutes} min >= ${t.responseShare} (calls not reached within the horizon count as missed)`,
      threshold: t.responseTimeMinutes,
      required: t.responseShare,
      judged: (r) => r.o.tally.calls > 0,
      met: (r) => r.responsesWithin / r.o.tally.calls >= t.responseShare - 1e-12,
      value: (r) => r.responsesWithin / r.o.tally.calls,
    },
  ];
  const average = (
    id: string,
    unit: TargetUnit,
    description: string,
    max: number,
    of: (a: EstimateSource) => Distribution,
    fact: (o: TrialOutcome) => number,
  ): TargetDef => ({
    id,
    unit,
    description,
    threshold: max,
    required: 1,
    met: (r) => fact(r.o) <= max,
    value: (r) => fact(r.o),
    estimate: (a) => {
      const v = of(a).moments.mean;
      return { value: v, met: v <= max };
    },
  });
  if (annual) {
    list.push(
      average(
        'average-annual-loss',
        'ratio',
        `average annual direct loss / GDP <= ${t.lossRatioMax} (pMet: share of years within it)`,
        t.lossRatioMax,
        (a) => a.lossRatio,
        (o) => o.lossRatio,
      ),
    );
    if (t.deathsPerMillion !== undefined) {
      list.push(
        average(
          'deaths-per-million',
          'number',
          `disaster deaths per million per year <= ${t.deathsPerMillion}`,
          t.deathsPerMillion,
          (a) => a.deathsPerMillion,
          (o) => o.deathsPerMillion,
        ),
      );
    }
    if (t.affectedPer100k !== undefined) {
      list.push(
        average(
          'affected-per-100k',
          'number',
          `affected person-times per 100,000 per year <= ${t.affectedPer100k}`,
          t.affectedPer100k,
          (a) => a.affectedPer100k,
          (o) => o.affectedPer100k,
        ),
      );
    }
  } else {
    list.push({
      id: 'loss-ratio',
      unit: 'ratio',
      description: `event direct loss / annual GDP <= ${t.lossRatioMax}`,
      threshold: t.lossRatioMax,
      required: 1,
      met: (r) => r.o.lossRatio <= t.lossRatioMax,
      value: (r) => r.o.lossRatio,
    });
  }
  const env = { m, targets: t };
  slicedPerilsOf(m).forEach((p, k) => {
    for (const pt of p.kpis!.targets) {
      if (!pt.applies(env)) continue;
      const estimate = pt.estimate;
      const judged = pt.judged;
      list.push({
        id: pt.id,
        unit: pt.unit,
        description: pt.describe(env),
        threshold: pt.threshold(env),
        required: pt.required(env),
        ...(judged && { judged: (r: ReplicationView) => judged(r.o.perilFacts[k], env) }),
        met: (r) => pt.met(r.o.perilFacts[k], env),
        value: (r) => pt.value(r.o.perilFacts[k], env),
        ...(estimate && { estimate: (a: EstimateSource) => estimate(a.perils[k], env) }),
      });
    }
  });
  return list;
}

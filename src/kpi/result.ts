/**
 * The run result's schema: one source for the `RunResult` type the summary builds, the JSON Schema
 * committed as schema/result.schema.json (`dsim schema --result`, checked for drift by a test) and
 * the API's response bodies. Sections of the bundled perils are typed here; a registered extra
 * peril's section appears under its own key (unknown to this schema).
 */
import { z } from 'zod';
import { ChemicalSection } from '../perils/chemical/index.js';
import { FireSection } from '../perils/urban-fire/index.js';
import { ForestFireSection } from '../perils/wildfire/index.js';
import { DistStat, Interval, MeanStat, Num } from '../stats/summary-stat.js';

export const TargetUnit = z.enum(['share', 'ratio', 'number', 'minutes', 'hours', 'permille']);

/**
 * A plan target: `pMet` is the share of replications (events or years) meeting it; `value` is the
 * run's estimate of the quantity itself where the plan states an average or a share over all
 * incidents (average annual loss, the 5-minute share), with `met` comparing it to the threshold.
 */
export const Target = z.object({
  id: z.string(),
  description: z.string(),
  threshold: z.number(),
  required: z.number(),
  judged: z
    .number()
    .int()
    .meta({ description: 'Replications that could judge the target (e.g. relief: those with displaced people); pMet is over these' }),
  pMet: Num,
  ci95: Interval,
  value: Num.optional(),
  met: z.boolean().optional(),
  unit: TargetUnit.meta({ description: 'How threshold and value read: a share (0–1), a ratio to GDP, or a plain number' }),
});
export type Target = z.infer<typeof Target>;

/** Severity levels of representative replications: p90 is worse than 90% of replications. */
export const SEVERITIES = ['p50', 'p90', 'p99', 'worst'] as const;
export type Severity = (typeof SEVERITIES)[number];
const Replication = z.number().int().nonnegative().nullable();
const Representatives = z.object({ p50: Replication, p90: Replication, p99: Replication, worst: Replication });

export const ReliefCurve = z
  .object({
    hours: z.array(z.number()),
    mean: z.array(Num),
    ci95Low: z.array(Num),
    ci95High: z.array(Num),
    pTargetMet: z.array(Num),
    pTargetMetCi95Low: z.array(Num),
    pTargetMetCi95High: z.array(Num),
  })
  .meta({
    description:
      'For h = 0 … horizon, over replications with displaced people: people relieved within h hours of onset / people displaced (ratio of sums, 95% CI), and the probability that every flood meets the relief share within h hours (Wilson 95% CI)',
  });

const ExceedancePoint = z.object({
  returnPeriod: z.number(),
  value: Num,
  extrapolated: z
    .boolean()
    .meta({ description: 'Beyond the smallest of the zones\u2019 largest tabulated return periods: rests on extrapolated depths' }),
});

const Kpis = z
  .object({
    responseTimeMinutes: DistStat.extend({
      responses: z.number().int(),
      calls: z.number().int().meta({ description: 'Calls raised, reached or not' }),
      censoredShare: Num.meta({
        description: 'Share of calls no team reached within the horizon (their response is at least the time left)',
      }),
      pooledMean: Num,
      withinThresholdShare: Num.meta({ description: 'Share of calls reached within the threshold (censored calls count as not)' }),
      unansweredMean: Num,
    }),
    reliefWithinDeadline: z
      .object({
        deadlineHours: z.number(),
        replications: z
          .number()
          .int()
          .meta({ description: 'Replications (events or years) with displaced people: the only ones relief is judged on' }),
        mean: Num.meta({
          description: 'People relieved by the deadline / people displaced, summed over those replications (the headline)',
        }),
        ci95: Interval,
        perReplication: DistStat.meta({ description: 'Each replication\u2019s own share relieved (secondary)' }),
        pTargetMet: Num,
        pTargetMetCi95: Interval,
      })
      .meta({ description: 'Relief within the deadline, people-weighted' }),
    reliefCurve: ReliefCurve,
    timeToRelieveAllHours: DistStat.extend({
      pWithinHorizon: Num.meta({ description: 'Over replications with displaced people' }),
      censoredAtHours: z.number().meta({
        description:
          'The horizon: replications with people still unrelieved then count as beyond it; a quantile among them is null (printed "> horizon"); mean and CI are of those relieved within it',
      }),
    }),
    lossRatio: DistStat,
    directLossCny: MeanStat,
    displacedPeople: DistStat,
    strandedPeople: MeanStat,
    stockouts: z.record(
      z.string(),
      z.object({
        pStockout: Num.meta({ description: 'Share of replications whose need over the item’s days exceeds stock plus mutual aid' }),
        meanShortfallUnits: Num,
        days: z.number().int().meta({ description: 'Days of need the reserve must cover (1: day 1 only)' }),
        shortfallP50: Num,
        shortfallP90: Num,
        runsOutDayP50: Num.meta({
          description: 'Median day on which the stock no longer covers the displaced, where it runs out (null: never)',
        }),
      }),
    ),
    reliefWaiting: z
      .object({
        deadlineHours: z.number(),
        waitingPeople: Num.meta({ description: 'People not yet relieved at the deadline, mean over replications with displaced people' }),
        causes: z.array(
          z.object({
            cause: z.string().meta({ description: 'activation, roads, trucks, or stock:ITEM (that item out of stock everywhere)' }),
            share: Num,
            people: Num,
          }),
        ),
      })
      .meta({
        description:
          'What binds relief: why the people not relieved by the deadline were waiting (relief not started, shelter cut off, an item out of stock, or trucks not there yet)',
      }),
    vehicleUtilisation: MeanStat,
    teamUtilisation: MeanStat,
    hazard: z.object({
      returnPeriodYears: DistStat.meta({
        description:
          'Quantiles of the worst return period of a replication; no mean (heavy-tailed: a 1-in-T flood has P(T > t) = 1/t, an infinite mean)',
      }),
      severityMean: Num,
      extrapolatedShare: Num.meta({
        description: 'Share of replications with a flood beyond a zone\u2019s largest tabulated return period (depths extrapolated)',
      }),
    }),
    annualLossRatio: DistStat.extend({
      exceedance: z.array(ExceedancePoint).meta({
        description: 'Aggregate exceedance (AEP): the year\u2019s total direct loss / GDP exceeded once in each return period',
      }),
      occurrenceExceedance: z.array(ExceedancePoint).meta({
        description:
          'Occurrence exceedance (OEP): the year\u2019s largest single event (a flood, a release, a building fire) direct loss / GDP exceeded once in each return period, as CLIMADA and Oasis give it beside the AEP',
      }),
    }).optional(),
    deathsPerMillion: DistStat.optional(),
    affectedPer100k: DistStat.optional(),
    fire: FireSection.optional(),
    forestFire: ForestFireSection.optional(),
    chemical: ChemicalSection.optional(),
  })
  .catchall(z.unknown().meta({ description: 'The section of a registered extra peril' }));
export type Kpis = z.infer<typeof Kpis>;

export const Zone = z.object({
  id: z.string(),
  name: z.string(),
  nameZh: z.string().optional().meta({ description: 'The name in Chinese, when the scenario gives one' }),
  displacedMean: Num,
  shelterPeopleMean: Num,
  reliefWithinDeadline: Num,
  lossCnyMean: Num,
  responseTimeMinutesMean: Num,
  responses: z.number().int(),
  replicationsWithCalls: z.number().int().meta({ description: 'Replications with at least one rescue call answered in the zone' }),
  sameReplicationsResponseMinutesMean: Num.meta({
    description:
      "Mean response of every call, all zones, in the replications where the zone had any: what the zone's own mean is read against (a zone whose calls come only in the worst replications waits long because those are slow everywhere)",
  }),
});

export const Stopping = z.object({
  rule: z.literal('until-ci'),
  bound: z.number(),
  halfWidths: z.record(z.string(), Num),
  met: z.boolean(),
  maxReplications: z.number().int(),
});
export type Stopping = z.infer<typeof Stopping>;

export const RunResult = z.object({
  kind: z.literal('dsim.result'),
  schemaVersion: z.literal(1),
  engineVersion: z.string(),
  mode: z.enum(['event', 'annual']),
  scenario: z.object({ id: z.string(), name: z.string(), nameZh: z.string().optional(), hash: z.string() }),
  seed: z.number().int(),
  replications: z.number().int(),
  kpis: Kpis,
  representativeReplications: z
    .object({
      reliefShare: Representatives,
      lossRatio: Representatives,
      responseTimeMinutes: Representatives,
      deaths: Representatives.meta({ description: 'By every death of the replication: disasters, fires, chemical releases' }),
      burnedHa: Representatives.meta({ description: 'By hectares burned by wildfires (forest, grass and reed)' }),
    })
    .meta({ description: 'Replication indexes to trace (`dsim trace --severity`), by KPI and severity' }),
  targets: z.array(Target),
  zones: z.array(Zone),
  notes: z.array(z.string()),
  stopping: Stopping.optional().meta({ description: 'Present on precision-stopped runs (--until-ci)' }),
  interrupted: z
    .boolean()
    .optional()
    .meta({ description: 'The run was interrupted; the statistics cover the replications merged by then' }),
  timing: z.object({ wallMs: z.number(), replicationsPerSecond: z.number(), workers: z.number().int().optional() }).optional(),
});
export type RunResult = z.infer<typeof RunResult>;

/** The JSON Schema of a result (committed as schema/result.schema.json). */
export function resultJsonSchema(): object {
  return z.toJSONSchema(RunResult, { io: 'output', target: 'draft-2020-12' });
}

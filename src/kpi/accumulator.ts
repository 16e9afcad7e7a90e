/**
 * KPI accumulation: folds replication outcomes into small mergeable statistics (never
 * per-replication arrays). Every field merges exactly and in any order (integer counts, exact
 * sums, histogram counts, min/max), so a run's statistics do not depend on how its replications
 * were split between batches or workers.
 */

import { z } from 'zod';
import type { AnyPeril } from '../perils/peril.js';
import { slicedPerilsOf } from '../perils/registry.js';
import type { ResponseSink, TrialOutcome } from '../perils/trial.js';
import { WAIT_CAUSES } from '../response/relief-event.js';
import type { CompiledModel, Targets } from '../scenario/compile.js';
import { type Bag, type BagData, bagToData, mergeBag, mergeBagData } from '../stats/bag.js';
import { BagDataSchema, DistributionDataSchema, ExemplarsDataSchema, MomentsDataSchema, RatioDataSchema } from '../stats/data-schema.js';
import { Distribution, type DistributionData } from '../stats/distribution.js';
import { Exemplars, type ExemplarsData } from '../stats/exemplars.js';
import { Moments, type MomentsData } from '../stats/moments.js';
import { type RatioData, RatioOfSums } from '../stats/ratio.js';
import { reliefAtDeadline, reliefCurve } from './relief.js';
import { type TargetDef, targetsFor } from './targets.js';

export { Distribution, type DistributionData } from '../stats/distribution.js';

/** One replication seen by the KPIs: the values a paired comparison differences (null: not judged). */
export interface ReplicationRow {
  readonly reliefShare: number | null;
  readonly responseMean: number | null;
  readonly lossRatio: number;
  readonly deathsPerMillion: number;
  readonly displaced: number;
  /** People relieved by the deadline (0 where nobody was displaced): with displaced, the headline's ratio of sums. */
  readonly relieved: number;
  /** Each target (in `targets` order): met 1, missed 0, null where the replication cannot judge it. */
  readonly met: readonly (0 | 1 | null)[];
  /** Each target's achieved value (TargetDef.value), null where the replication cannot judge it. */
  readonly achieved: readonly (number | null)[];
}

class ZoneStats {
  displaced = new Moments();
  shelterPeople = new Moments();
  relievedByDeadline = new Moments();
  lossCny = new Moments();
  responseMinutes = new Moments();
  /**
   * For each replication with a call in this zone, the summed response of every call of that
   * replication, all zones: what the zone's own mean is to be read against. A zone whose calls
   * come only in the worst replications (a county seat that floods only in the largest events)
   * has a long mean response because those replications are slow everywhere, not because its
   * calls are served last.
   */
  sameReplicationsMinutes = new Moments();
  /** The number of calls behind each of those sums (the ratio of the two is a call-weighted mean). */
  sameReplicationsCalls = new Moments();
  /** Calls answered in this zone in the replication under way (not merged: reset at its end). */
  callsNow = 0;

  static readonly KEYS = [
    'displaced',
    'shelterPeople',
    'relievedByDeadline',
    'lossCny',
    'responseMinutes',
    'sameReplicationsMinutes',
    'sameReplicationsCalls',
  ] as const;

  merge(o: ZoneStats): void {
    for (const k of ZoneStats.KEYS) this[k].merge(o[k]);
  }
}

/** Responses put into the statistics at a time (see KpiAccumulator.response). */
const RESPONSE_BATCH = 1024;

/** Hours the relief curve covers: the horizon, up to the longest deadline a scenario may set (720 h). */
export const MAX_CURVE_HOURS = 720;
function curveHours(m: CompiledModel): number {
  return Math.min(Math.floor(m.horizonHours), MAX_CURVE_HOURS);
}

/** KPIs whose representative replications a run keeps. */
export const EXEMPLAR_KPIS = ['reliefShare', 'lossRatio', 'responseTimeMinutes', 'deaths', 'burnedHa'] as const;
export type ExemplarKpi = (typeof EXEMPLAR_KPIS)[number];

export class KpiAccumulator implements ResponseSink {
  replications = 0;
  /** Every rescue / incident response time of every replication, minutes. */
  readonly responseMinutes = new Distribution();
  /** Each replication's mean response time (replications with at least one response). */
  readonly responseMeanByReplication = new Moments();
  readonly unanswered = new Moments();
  /** Calls raised, and calls never reached by a team within the horizon (censored), summed over replications. */
  calls = 0;
  censoredCalls = 0;
  /** Replications with a flood beyond a zone's tabulated return periods (depths extrapolated). */
  extrapolatedReplications = 0;
  /** People relieved by the deadline / people displaced, over replications with displaced people. */
  readonly reliefPeople = new RatioOfSums();
  /** Each replication's share relieved by the deadline (replications with displaced people). */
  readonly reliefShare = new Distribution();
  replicationsWithDisplaced = 0;
  /** Hours to relieve everyone, in replications with displaced people where that happened within the horizon. */
  readonly allRelievedHours = new Distribution();
  readonly lossRatio = new Distribution();
  /** Each replication's largest single event loss / GDP (annual mode: the OEP). */
  readonly maxEventLossRatio = new Distribution();
  readonly lossCny = new Moments();
  readonly displaced = new Distribution();
  readonly stranded = new Moments();
  readonly stockoutReplications: number[];
  readonly shortfall: Distribution[];
  /** The day each item runs out, over the replications where it does. */
  readonly runsOutDay: Distribution[];
  /** People still waiting at the deadline (replications with displaced people), by cause (response/relief.ts WAIT_CAUSES, then each item's stock). */
  readonly waiting: Moments[];
  readonly vehicleUtilisation = new Moments();
  readonly teamUtilisation = new Moments();
  readonly returnPeriodYears = new Distribution();
  readonly severity = new Moments();
  readonly deathsPerMillion = new Distribution();
  readonly affectedPer100k = new Distribution();
  /** People relieved within h hours of onset / people displaced, h = 0 … horizon: any deadline can be read from it. */
  readonly reliefCurve: RatioOfSums[];
  /** Replications with displaced people in which every flood met the relief share within h hours, h = 0 … horizon. */
  readonly reliefMetByHour: number[];
  /** Representative replications of the main KPIs (stats/exemplars.ts). */
  readonly exemplars = {
    reliefShare: new Exemplars(true),
    lossRatio: new Exemplars(false),
    responseTimeMinutes: new Exemplars(false),
    deaths: new Exemplars(false),
    burnedHa: new Exemplars(false),
  };
  readonly zones: ZoneStats[];
  /** The targets evaluated (kpi/targets.ts) and how many replications met each. */
  readonly targets: readonly TargetDef[];
  readonly targetMet: number[];
  /** Replications in which each target could be judged (e.g. the relief target: those with displaced people). */
  readonly targetJudged: number[];
  /** The sliced perils of the model and their KPI slices. */
  readonly slicedPerils: readonly AnyPeril[];
  readonly perils: Bag[];
  /** Responses of the current replication within the evaluated response time. */
  private responsesWithin = 0;
  /** Responses not yet in the statistics (see `response`) and their zones. */
  private readonly batch = new Float64Array(RESPONSE_BATCH);
  private readonly batchZones = new Int32Array(RESPONSE_BATCH);
  private batched = 0;
  /** The last replication's headline values and target verdicts (paired comparisons read them: run/paired.ts). */
  lastRow: ReplicationRow | undefined;

  constructor(
    private readonly m: CompiledModel,
    /** The targets evaluated: the scenario's unless the run asks for others. */
    readonly evaluated: Targets = m.targets,
  ) {
    this.stockoutReplications = m.items.map(() => 0);
    this.shortfall = m.items.map(() => new Distribution());
    this.runsOutDay = m.items.map(() => new Distribution());
    this.waiting = Array.from({ length: WAIT_CAUSES.length + m.items.length }, () => new Moments());
    this.zones = m.zones.map(() => new ZoneStats());
    this.reliefCurve = Array.from({ length: curveHours(m) + 1 }, () => new RatioOfSums());
    this.reliefMetByHour = this.reliefCurve.map(() => 0);
    this.targets = targetsFor(m, evaluated);
    this.targetMet = this.targets.map(() => 0);
    this.targetJudged = this.targets.map(() => 0);
    this.slicedPerils = slicedPerilsOf(m);
    this.perils = this.slicedPerils.map((p) => p.kpis!.slice(m));
  }

  // Values reported many times per replication use buffered sums, flushed at the end of the
  // replication (add), so results stay independent of batching. Responses are first kept in
  // `batch` and put into the statistics RESPONSE_BATCH at a time, in the order they came (the same
  // sums, sketch counts and extremes as one at a time), each statistic in a loop of its own.
  response(minutes: number, zone: number): void {
    const n = this.batched;
    this.batch[n] = minutes;
    this.batchZones[n] = zone;
    this.batched = n + 1;
    if (n + 1 === RESPONSE_BATCH) this.flushResponses();
  }

  private flushResponses(): void {
    const n = this.batched;
    if (n === 0) return;
    const xs = this.batch;
    const zs = this.batchZones;
    this.responseMinutes.addBuffered(xs, n);
    const limit = this.evaluated.responseTimeMinutes;
    const zones = this.zones;
    let within = 0;
    for (let i = 0; i < n; i++) {
      const x = xs[i]!;
      const z = zones[zs[i]!]!;
      z.responseMinutes.addBuffered(x);
      z.callsNow++;
      if (x <= limit) within++;
    }
    this.responsesWithin += within;
    this.batched = 0;
  }

  private flushReplication(): void {
    this.flushResponses();
    this.responseMinutes.moments.flush();
    for (const z of this.zones) z.responseMinutes.flush();
  }

  add(o: TrialOutcome): void {
    const row: {
      reliefShare: number | null;
      relieved: number;
      responseMean: number | null;
      met: (0 | 1 | null)[];
      achieved: (number | null)[];
    } = {
      reliefShare: null,
      relieved: 0,
      responseMean: null,
      met: [],
      achieved: [],
    };
    const m = this.m;
    const t = this.evaluated;
    const y = o.tally;
    this.flushReplication();
    this.replications++;
    if (y.responses > 0) {
      this.responseMeanByReplication.add(y.responseMinutesSum / y.responses);
      row.responseMean = y.responseMinutesSum / y.responses;
      this.exemplars.responseTimeMinutes.add(y.responseMinutesSum / y.responses, o.replication);
    }
    for (const z of this.zones) {
      if (z.callsNow > 0) {
        z.sameReplicationsMinutes.add(y.responseMinutesSum);
        z.sameReplicationsCalls.add(y.responses);
      }
      z.callsNow = 0;
    }
    this.unanswered.add(o.unanswered);
    this.calls += y.calls;
    if (y.extrapolated) this.extrapolatedReplications++;
    this.censoredCalls += y.calls - y.responses;
    const relief = reliefAtDeadline(y.floods, t.reliefDeadlineHours, t.reliefShare, m.zones.length);
    // Relief is judged where people were displaced: a year without a flood relieves nobody, it
    // does not relieve everyone.
    if (o.displaced > 0) {
      this.replicationsWithDisplaced++;
      const share = relief.relieved / o.displaced;
      row.reliefShare = share;
      row.relieved = relief.relieved;
      this.reliefPeople.add(relief.relieved, o.displaced);
      this.reliefShare.add(share);
      this.exemplars.reliefShare.add(share, o.replication);
      const curve = reliefCurve(y.floods, this.reliefCurve.length - 1, t.reliefShare);
      curve.relieved.forEach((x, h) => this.reliefCurve[h]!.add(x, o.displaced));
      curve.met.forEach((x, h) => (this.reliefMetByHour[h]! += x));
      const h = Math.min(this.reliefCurve.length - 1, Math.floor(t.reliefDeadlineHours));
      this.waiting.forEach((w, c) => w.add(y.floods.reduce((a, e) => a + (e.waiting[h * e.causes + c] ?? 0), 0)));
      if (Number.isFinite(o.allRelievedHours)) this.allRelievedHours.add(o.allRelievedHours);
    }
    this.exemplars.lossRatio.add(o.lossRatio, o.replication);
    this.exemplars.deaths.add(o.deaths, o.replication);
    this.exemplars.burnedHa.add(y.burnedHa, o.replication);
    this.lossRatio.add(o.lossRatio);
    this.maxEventLossRatio.add(o.maxEventLossRatio);
    this.lossCny.add(y.lossCny);
    this.displaced.add(o.displaced);
    this.stranded.add(y.stranded);
    o.shortfall.forEach((units, i) => {
      if (units > 0) this.stockoutReplications[i]!++;
      this.shortfall[i]!.add(units);
    });
    o.runsOutDay.forEach((day, i) => day !== null && this.runsOutDay[i]!.add(day));
    this.vehicleUtilisation.add(o.vehicleUtilisation);
    this.teamUtilisation.add(o.teamUtilisation);
    if (y.maxReturnPeriodYears > 0) {
      this.returnPeriodYears.add(y.maxReturnPeriodYears);
      this.severity.add(y.maxSeverity);
    }
    this.deathsPerMillion.add(o.deathsPerMillion);
    this.affectedPer100k.add(o.affectedPer100k);
    const env = { m, targets: t };
    this.slicedPerils.forEach((p, k) => p.kpis!.add(this.perils[k]!, o.perilFacts[k], env));
    const view = { o, relief, responsesWithin: this.responsesWithin };
    this.targets.forEach((d, k) => {
      row.met[k] = null;
      row.achieved[k] = null;
      if (d.judged && !d.judged(view)) return; // this replication says nothing about the target
      this.targetJudged[k]!++;
      const met = d.met(view);
      if (met) this.targetMet[k]!++;
      row.met[k] = met ? 1 : 0;
      row.achieved[k] = d.value(view);
    });
    this.lastRow = { ...row, lossRatio: o.lossRatio, deathsPerMillion: o.deathsPerMillion, displaced: o.displaced };
    this.responsesWithin = 0;
    this.zones.forEach((z, i) => {
      z.displaced.add(y.zoneDisplaced[i]!);
      z.shelterPeople.add(o.zoneShelterPeople[i]!);
      z.relievedByDeadline.add(relief.byZone[i]!);
      z.lossCny.add(y.zoneLossCny[i]!);
    });
  }

  /** Integer tallies, merged by addition. */
  private static readonly COUNTERS = [
    'replications',
    'replicationsWithDisplaced',
    'calls',
    'censoredCalls',
    'extrapolatedReplications',
  ] as const;
  private static readonly MOMENTS = [
    'responseMeanByReplication',
    'unanswered',
    'lossCny',
    'stranded',
    'vehicleUtilisation',
    'teamUtilisation',
    'severity',
  ] as const;
  private static readonly DISTRIBUTIONS = [
    'responseMinutes',
    'reliefShare',
    'allRelievedHours',
    'lossRatio',
    'maxEventLossRatio',
    'displaced',
    'returnPeriodYears',
    'deathsPerMillion',
    'affectedPer100k',
  ] as const;

  merge(o: KpiAccumulator): void {
    for (const k of KpiAccumulator.COUNTERS) this[k] += o[k];
    for (const k of KpiAccumulator.MOMENTS) this[k].merge(o[k]);
    for (const k of KpiAccumulator.DISTRIBUTIONS) this[k].merge(o[k]);
    o.stockoutReplications.forEach((c, i) => (this.stockoutReplications[i]! += c));
    o.shortfall.forEach((s, i) => this.shortfall[i]!.merge(s));
    o.runsOutDay.forEach((s, i) => this.runsOutDay[i]!.merge(s));
    o.waiting.forEach((s, i) => this.waiting[i]!.merge(s));
    o.targetMet.forEach((c, k) => (this.targetMet[k]! += c));
    o.targetJudged.forEach((c, k) => (this.targetJudged[k]! += c));
    this.perils.forEach((b, k) => mergeBag(b, o.perils[k]!));
    o.reliefCurve.forEach((s, h) => this.reliefCurve[h]!.merge(s));
    this.reliefPeople.merge(o.reliefPeople);
    o.reliefMetByHour.forEach((c, h) => (this.reliefMetByHour[h]! += c));
    for (const k of EXEMPLAR_KPIS) this.exemplars[k].merge(o.exemplars[k]);
    this.zones.forEach((z, i) => z.merge(o.zones[i]!));
  }

  /**
   * Plain, JSON-safe data: what a worker or a queue job sends back (a few kB, whatever the number
   * of replications). `fromData` on the receiving side restores an equal accumulator.
   */
  toData(): AccumulatorData {
    const c = KpiAccumulator;
    return {
      kind: 'dsim.accumulator',
      schemaVersion: 6,
      counters: Object.fromEntries(c.COUNTERS.map((k) => [k, this[k]])),
      moments: Object.fromEntries(c.MOMENTS.map((k) => [k, this[k].toData()])),
      distributions: Object.fromEntries(c.DISTRIBUTIONS.map((k) => [k, this[k].toData()])),
      stockoutReplications: [...this.stockoutReplications],
      shortfall: this.shortfall.map((x) => x.toData()),
      runsOutDay: this.runsOutDay.map((x) => x.toData()),
      waiting: this.waiting.map((x) => x.toData()),
      targetMet: [...this.targetMet],
      targetJudged: [...this.targetJudged],
      perils: this.perils.map(bagToData),
      reliefCurve: this.reliefCurve.map((x) => x.toData()),
      reliefPeople: this.reliefPeople.toData(),
      reliefMetByHour: [...this.reliefMetByHour],
      exemplars: Object.fromEntries(EXEMPLAR_KPIS.map((k) => [k, this.exemplars[k].toData()])),
      zones: this.zones.map((z) => Object.fromEntries(ZoneStats.KEYS.map((k) => [k, z[k].toData()]))),
    };
  }

  /**
   * Checks data that crossed a process boundary against the schema and this model's shape, then
   * restores it; throws an Error saying what is wrong.
   */
  static fromUntrusted(m: CompiledModel, raw: unknown, targets?: Targets): KpiAccumulator {
    const parsed = AccumulatorDataSchema.safeParse(raw);
    if (!parsed.success) {
      const i = parsed.error.issues[0]!;
      throw new Error(`${i.path.join('.') || '(top level)'}: ${i.message}`);
    }
    const d = parsed.data as AccumulatorData;
    const acc = new KpiAccumulator(m, targets);
    const sizes: [string, number, number][] = [
      ['stockoutReplications', d.stockoutReplications.length, acc.stockoutReplications.length],
      ['shortfall', d.shortfall.length, acc.shortfall.length],
      ['runsOutDay', d.runsOutDay.length, acc.runsOutDay.length],
      ['waiting', d.waiting.length, acc.waiting.length],
      ['reliefCurve', d.reliefCurve.length, acc.reliefCurve.length],
      ['reliefMetByHour', d.reliefMetByHour.length, acc.reliefMetByHour.length],
      ['zones', d.zones.length, acc.zones.length],
    ];
    for (const [k, got, want] of sizes) if (got !== want) throw new Error(`${k}: ${got} entries, expected ${want}`);
    const missing = [
      ...KpiAccumulator.MOMENTS.filter((k) => !(k in d.moments)),
      ...KpiAccumulator.DISTRIBUTIONS.filter((k) => !(k in d.distributions)),
      ...EXEMPLAR_KPIS.filter((k) => !(k in d.exemplars)),
    ];
    if (missing.length > 0) throw new Error(`missing statistics: ${missing.join(', ')}`);
    for (const z of d.zones) for (const k of ZoneStats.KEYS) if (!(k in z)) throw new Error(`zones: missing ${k}`);
    return KpiAccumulator.fromData(m, d, targets);
  }

  static fromData(m: CompiledModel, d: AccumulatorData, targets?: Targets): KpiAccumulator {
    const acc = new KpiAccumulator(m, targets);
    for (const k of KpiAccumulator.COUNTERS) acc[k] = d.counters[k] ?? 0;
    for (const k of KpiAccumulator.MOMENTS) acc[k].merge(Moments.fromData(d.moments[k]!));
    for (const k of KpiAccumulator.DISTRIBUTIONS) acc[k].merge(Distribution.fromData(d.distributions[k]!));
    d.stockoutReplications.forEach((c, i) => (acc.stockoutReplications[i] = c));
    d.shortfall.forEach((x, i) => acc.shortfall[i]!.merge(Distribution.fromData(x)));
    d.runsOutDay.forEach((x, i) => acc.runsOutDay[i]!.merge(Distribution.fromData(x)));
    d.waiting.forEach((x, i) => acc.waiting[i]!.merge(Moments.fromData(x)));
    if (
      d.targetMet.length !== acc.targetMet.length ||
      d.targetJudged.length !== acc.targetJudged.length ||
      d.perils.length !== acc.perils.length
    ) {
      throw new Error('accumulator data of another shape (targets or perils differ)');
    }
    d.targetMet.forEach((c, k) => (acc.targetMet[k] = c));
    d.targetJudged.forEach((c, k) => (acc.targetJudged[k] = c));
    d.perils.forEach((b, k) => mergeBagData(acc.perils[k]!, b));
    d.reliefCurve.forEach((x, h) => acc.reliefCurve[h]!.merge(RatioOfSums.fromData(x)));
    acc.reliefPeople.merge(RatioOfSums.fromData(d.reliefPeople));
    d.reliefMetByHour.forEach((c, h) => (acc.reliefMetByHour[h] = c));
    for (const k of EXEMPLAR_KPIS) acc.exemplars[k].merge(Exemplars.fromData(d.exemplars[k]!, acc.exemplars[k].lowerIsWorse));
    d.zones.forEach((z, i) => ZoneStats.KEYS.forEach((k) => acc.zones[i]![k].merge(Moments.fromData(z[k]!))));
    return acc;
  }
}

/** The schema of AccumulatorData: what a coordinator checks before merging a worker's result. */
export const AccumulatorDataSchema = z.strictObject({
  kind: z.literal('dsim.accumulator'),
  schemaVersion: z.literal(6),
  counters: z.record(z.string(), z.number().int().nonnegative().max(Number.MAX_SAFE_INTEGER)),
  moments: z.record(z.string(), MomentsDataSchema),
  distributions: z.record(z.string(), DistributionDataSchema),
  stockoutReplications: z.array(z.number().int().nonnegative()),
  shortfall: z.array(DistributionDataSchema),
  runsOutDay: z.array(DistributionDataSchema),
  waiting: z.array(MomentsDataSchema),
  reliefCurve: z.array(RatioDataSchema),
  reliefPeople: RatioDataSchema,
  reliefMetByHour: z.array(z.number().int().nonnegative()),
  targetMet: z.array(z.number().int().nonnegative()),
  targetJudged: z.array(z.number().int().nonnegative()),
  perils: z.array(BagDataSchema),
  exemplars: z.record(z.string(), ExemplarsDataSchema),
  zones: z.array(z.record(z.string(), MomentsDataSchema)),
});

export interface AccumulatorData {
  kind: 'dsim.accumulator';
  schemaVersion: 6;
  counters: Record<string, number>;
  moments: Record<string, MomentsData>;
  distributions: Record<string, DistributionData>;
  stockoutReplications: number[];
  shortfall: DistributionData[];
  runsOutDay: DistributionData[];
  waiting: MomentsData[];
  targetMet: number[];
  targetJudged: number[];
  perils: BagData[];
  reliefCurve: RatioData[];
  reliefPeople: RatioData;
  reliefMetByHour: number[];
  exemplars: Record<string, ExemplarsData>;
  zones: Record<string, MomentsData>[];
}

/**
 * KPI accumulation: folds replication outcomes into small mergeable statistics (never
 * per-replication arrays). Every field merges exactly and in any order (integer counts, exact
 * sums, histogram counts, min/max), so a run's statistics do not depend on how its replications
 * were split between batches or workers.
 */

import type { ResponseSink, TrialOutcome } from '../response/trial.js';
import type { CompiledModel } from '../scenario/compile.js';
import { Exemplars, type ExemplarsData } from '../stats/exemplars.js';
import { Moments, type MomentsData } from '../stats/moments.js';
import { QuantileSketch } from '../stats/sketch.js';

export interface DistributionData {
  moments: MomentsData;
  sketch: ReturnType<QuantileSketch['toData']>;
  atMin: number;
  atMax: number;
}

/**
 * A statistic with both moments and quantiles. Besides the sketch it counts exactly how often the
 * minimum and the maximum occur: KPIs like "share relieved" pile up at 0 and 1, and a quantile
 * that falls on such an atom is then reported exactly rather than as a sketch bin's midpoint.
 */
export class Distribution {
  readonly moments = new Moments();
  readonly sketch = new QuantileSketch();
  atMin = 0;
  atMax = 0;

  add(x: number, buffered = false): void {
    const m = this.moments;
    if (x < m.min) this.atMin = 1;
    else if (x === m.min) this.atMin++;
    if (x > m.max) this.atMax = 1;
    else if (x === m.max) this.atMax++;
    if (buffered) m.addBuffered(x);
    else m.add(x);
    this.sketch.add(x);
  }

  merge(o: Distribution): void {
    const m = this.moments;
    if (o.moments.count === 0) return;
    this.atMin = o.moments.min < m.min ? o.atMin : o.moments.min === m.min ? this.atMin + o.atMin : this.atMin;
    this.atMax = o.moments.max > m.max ? o.atMax : o.moments.max === m.max ? this.atMax + o.atMax : this.atMax;
    m.merge(o.moments);
    this.sketch.merge(o.sketch);
  }

  toData(): DistributionData {
    return { moments: this.moments.toData(), sketch: this.sketch.toData(), atMin: this.atMin, atMax: this.atMax };
  }

  static fromData(d: DistributionData): Distribution {
    const x = new Distribution();
    x.moments.merge(Moments.fromData(d.moments));
    x.sketch.merge(QuantileSketch.fromData(d.sketch));
    x.atMin = d.atMin;
    x.atMax = d.atMax;
    return x;
  }

  /** The q-quantile (lower nearest rank): exact on the min and max atoms, else from the sketch. */
  quantile(q: number): number {
    const n = this.moments.count;
    if (n === 0) return NaN;
    const rank = Math.max(1, Math.ceil(q * n));
    if (rank <= this.atMin) return this.moments.min;
    if (rank > n - this.atMax) return this.moments.max;
    return Math.min(this.moments.max, Math.max(this.moments.min, this.sketch.quantile(q)));
  }
}

class ZoneStats {
  displaced = new Moments();
  shelterPeople = new Moments();
  relievedByDeadline = new Moments();
  lossCny = new Moments();
  responseMinutes = new Moments();

  static readonly KEYS = ['displaced', 'shelterPeople', 'relievedByDeadline', 'lossCny', 'responseMinutes'] as const;

  merge(o: ZoneStats): void {
    this.displaced.merge(o.displaced);
    this.shelterPeople.merge(o.shelterPeople);
    this.relievedByDeadline.merge(o.relievedByDeadline);
    this.lossCny.merge(o.lossCny);
    this.responseMinutes.merge(o.responseMinutes);
  }
}

/** KPIs whose representative replications a run keeps. */
export const EXEMPLAR_KPIS = ['reliefShare', 'lossRatio', 'responseTimeMinutes'] as const;
export type ExemplarKpi = (typeof EXEMPLAR_KPIS)[number];

export class KpiAccumulator implements ResponseSink {
  replications = 0;
  /** Every rescue / incident response time of every replication, minutes. */
  readonly responseMinutes = new Distribution();
  /** Each replication's mean response time (replications with at least one response). */
  readonly responseMeanByReplication = new Moments();
  responseTargetMet = 0;
  readonly unanswered = new Moments();
  readonly reliefShare = new Distribution();
  reliefTargetMet = 0;
  replicationsWithDisplaced = 0;
  /** Hours to relieve everyone, in replications where that happened within the horizon. */
  readonly allRelievedHours = new Distribution();
  readonly lossRatio = new Distribution();
  lossTargetMet = 0;
  readonly lossCny = new Moments();
  readonly displaced = new Distribution();
  readonly stranded = new Moments();
  readonly stockoutReplications: number[];
  readonly shortfall: Moments[];
  readonly vehicleUtilisation = new Moments();
  readonly teamUtilisation = new Moments();
  readonly returnPeriodYears = new Distribution();
  readonly severity = new Moments();
  readonly deathsPerMillion = new Distribution();
  deathsTargetMet = 0;
  readonly affectedPer100k = new Distribution();
  affectedTargetMet = 0;
  /** Urban fires: alarm → first engine, minutes, every fire. */
  readonly fireResponseMinutes = new Distribution();
  fires = 0;
  firesWithinCircle = 0;
  firesByMutualAid = 0;
  readonly fireLossCny = new Moments();
  readonly fireDeathsPer100k = new Distribution();
  fireDeathsTargetMet = 0;
  fireCircleTargetMet = 0;
  wildfires = 0;
  wildfiresOutWithin24h = 0;
  readonly burnedPermille = new Distribution();
  wildfireTargetMet = 0;
  burnedTargetMet = 0;
  releases = 0;
  readonly chemicalDeaths = new Moments();
  readonly chemicalExposed = [new Moments(), new Moments(), new Moments()];
  readonly evacuationHours = new Distribution();
  /** Share relieved within h hours of onset, h = 0 … horizon: any deadline can be read from it. */
  readonly reliefCurve: Moments[];
  /** Representative replications of the main KPIs (stats/exemplars.ts). */
  readonly exemplars = {
    reliefShare: new Exemplars(true),
    lossRatio: new Exemplars(false),
    responseTimeMinutes: new Exemplars(false),
  };
  readonly zones: ZoneStats[];
  private readonly population: number;
  private readonly forestHa: number;

  constructor(private readonly m: CompiledModel) {
    this.stockoutReplications = m.items.map(() => 0);
    this.shortfall = m.items.map(() => new Moments());
    this.zones = m.zones.map(() => new ZoneStats());
    this.reliefCurve = Array.from({ length: m.scenario.response.horizonHours + 1 }, () => new Moments());
    this.population = m.zones.reduce((a, z) => a + z.population, 0);
    this.forestHa = m.scenario.hazards.reduce((a, h) => a + (h.type === 'wildfire' ? h.areas.reduce((b, x) => b + x.areaHa, 0) : 0), 0);
  }

  // Values reported many times per replication use buffered sums, flushed at the end of the
  // replication (add), so results stay independent of batching.
  response(minutes: number, zone: number): void {
    this.responseMinutes.add(minutes, true);
    this.zones[zone]!.responseMinutes.addBuffered(minutes);
  }

  fireResponse(minutes: number): void {
    this.fireResponseMinutes.add(minutes, true);
  }

  evacuation(hours: number): void {
    this.evacuationHours.add(hours, true);
  }

  private flushReplication(): void {
    this.responseMinutes.moments.flush();
    this.fireResponseMinutes.moments.flush();
    this.evacuationHours.moments.flush();
    for (const z of this.zones) z.responseMinutes.flush();
  }

  add(o: TrialOutcome): void {
    const t = this.m.scenario.targets;
    const y = o.tally;
    this.flushReplication();
    this.replications++;
    if (y.responses > 0) {
      this.responseMeanByReplication.add(y.responseMinutesSum / y.responses);
      this.exemplars.responseTimeMinutes.add(y.responseMinutesSum / y.responses, o.replication);
    }
    const answered = y.responses + o.unanswered;
    if (answered === 0 || y.responsesWithinTarget / answered >= t.responseShare - 1e-12) this.responseTargetMet++;
    this.unanswered.add(o.unanswered);
    const share = o.displaced > 0 ? o.relievedByDeadline / o.displaced : 1;
    if (o.displaced > 0) this.replicationsWithDisplaced++;
    this.reliefShare.add(share);
    this.exemplars.reliefShare.add(share, o.replication);
    this.exemplars.lossRatio.add(o.lossRatio, o.replication);
    o.reliefCurve.forEach((x, h) => this.reliefCurve[h]!.add(x));
    if (o.reliefTargetMet) this.reliefTargetMet++;
    if (Number.isFinite(o.allRelievedHours)) this.allRelievedHours.add(o.allRelievedHours);
    this.lossRatio.add(o.lossRatio);
    if (o.lossRatio <= t.lossRatioMax) this.lossTargetMet++;
    this.lossCny.add(y.lossCny);
    this.displaced.add(o.displaced);
    this.stranded.add(y.stranded);
    o.shortfall.forEach((units, i) => {
      if (units > 0) this.stockoutReplications[i]!++;
      this.shortfall[i]!.add(units);
    });
    this.vehicleUtilisation.add(o.vehicleUtilisation);
    this.teamUtilisation.add(o.teamUtilisation);
    if (y.maxReturnPeriodYears > 0) {
      this.returnPeriodYears.add(y.maxReturnPeriodYears);
      this.severity.add(y.maxSeverity);
    }
    this.deathsPerMillion.add(o.deathsPerMillion);
    if (t.deathsPerMillion === undefined || o.deathsPerMillion <= t.deathsPerMillion) this.deathsTargetMet++;
    this.affectedPer100k.add(o.affectedPer100k);
    if (t.affectedPer100k === undefined || o.affectedPer100k <= t.affectedPer100k) this.affectedTargetMet++;
    this.fires += y.fires;
    this.firesWithinCircle += y.firesWithinCircle;
    this.firesByMutualAid += y.firesByMutualAid;
    this.fireLossCny.add(y.fireLossCny);
    const fireDeaths = this.population > 0 ? (y.fireDeaths / this.population) * 1e5 : 0;
    this.fireDeathsPer100k.add(fireDeaths);
    if (t.fireDeathsPer100k === undefined || fireDeaths < t.fireDeathsPer100k) this.fireDeathsTargetMet++;
    if (y.fires === 0 || y.firesWithinCircle / y.fires >= (t.fireResponseShare ?? 1) - 1e-12) this.fireCircleTargetMet++;
    this.wildfires += y.wildfires;
    this.wildfiresOutWithin24h += y.wildfiresOutWithin24h;
    const permille = this.forestHa > 0 ? (y.burnedHa / this.forestHa) * 1000 : 0;
    this.burnedPermille.add(permille);
    if (y.wildfires === 0 || y.wildfiresOutWithin24h / y.wildfires >= (t.forestFireOutWithin24hShare ?? 0) - 1e-12)
      this.wildfireTargetMet++;
    if (t.forestBurnedPermilleMax === undefined || permille <= t.forestBurnedPermilleMax) this.burnedTargetMet++;
    this.releases += y.releases;
    this.chemicalDeaths.add(y.chemicalDeaths);
    y.chemicalExposed.forEach((n, i) => this.chemicalExposed[i]!.add(n));
    this.zones.forEach((z, i) => {
      z.displaced.add(y.zoneDisplaced[i]!);
      z.shelterPeople.add(o.zoneShelterPeople[i]!);
      z.relievedByDeadline.add(o.zoneRelievedByDeadline[i]!);
      z.lossCny.add(y.zoneLossCny[i]!);
    });
  }

  /** Integer tallies, merged by addition. */
  private static readonly COUNTERS = [
    'replications',
    'responseTargetMet',
    'reliefTargetMet',
    'replicationsWithDisplaced',
    'lossTargetMet',
    'deathsTargetMet',
    'affectedTargetMet',
    'fires',
    'firesWithinCircle',
    'firesByMutualAid',
    'fireDeathsTargetMet',
    'fireCircleTargetMet',
    'wildfires',
    'wildfiresOutWithin24h',
    'wildfireTargetMet',
    'burnedTargetMet',
    'releases',
  ] as const;
  private static readonly MOMENTS = [
    'responseMeanByReplication',
    'unanswered',
    'lossCny',
    'stranded',
    'vehicleUtilisation',
    'teamUtilisation',
    'severity',
    'fireLossCny',
    'chemicalDeaths',
  ] as const;
  private static readonly DISTRIBUTIONS = [
    'responseMinutes',
    'reliefShare',
    'allRelievedHours',
    'lossRatio',
    'displaced',
    'returnPeriodYears',
    'deathsPerMillion',
    'affectedPer100k',
    'fireResponseMinutes',
    'fireDeathsPer100k',
    'burnedPermille',
    'evacuationHours',
  ] as const;

  merge(o: KpiAccumulator): void {
    for (const k of KpiAccumulator.COUNTERS) this[k] += o[k];
    for (const k of KpiAccumulator.MOMENTS) this[k].merge(o[k]);
    for (const k of KpiAccumulator.DISTRIBUTIONS) this[k].merge(o[k]);
    o.stockoutReplications.forEach((c, i) => (this.stockoutReplications[i]! += c));
    o.shortfall.forEach((s, i) => this.shortfall[i]!.merge(s));
    o.chemicalExposed.forEach((s, i) => this.chemicalExposed[i]!.merge(s));
    o.reliefCurve.forEach((s, h) => this.reliefCurve[h]!.merge(s));
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
      schemaVersion: 1,
      counters: Object.fromEntries(c.COUNTERS.map((k) => [k, this[k]])),
      moments: Object.fromEntries(c.MOMENTS.map((k) => [k, this[k].toData()])),
      distributions: Object.fromEntries(c.DISTRIBUTIONS.map((k) => [k, this[k].toData()])),
      stockoutReplications: [...this.stockoutReplications],
      shortfall: this.shortfall.map((x) => x.toData()),
      chemicalExposed: this.chemicalExposed.map((x) => x.toData()),
      reliefCurve: this.reliefCurve.map((x) => x.toData()),
      exemplars: Object.fromEntries(EXEMPLAR_KPIS.map((k) => [k, this.exemplars[k].toData()])),
      zones: this.zones.map((z) => Object.fromEntries(ZoneStats.KEYS.map((k) => [k, z[k].toData()]))),
    };
  }

  static fromData(m: CompiledModel, d: AccumulatorData): KpiAccumulator {
    const acc = new KpiAccumulator(m);
    for (const k of KpiAccumulator.COUNTERS) acc[k] = d.counters[k] ?? 0;
    for (const k of KpiAccumulator.MOMENTS) acc[k].merge(Moments.fromData(d.moments[k]!));
    for (const k of KpiAccumulator.DISTRIBUTIONS) acc[k].merge(Distribution.fromData(d.distributions[k]!));
    d.stockoutReplications.forEach((c, i) => (acc.stockoutReplications[i] = c));
    d.shortfall.forEach((x, i) => acc.shortfall[i]!.merge(Moments.fromData(x)));
    d.chemicalExposed.forEach((x, i) => acc.chemicalExposed[i]!.merge(Moments.fromData(x)));
    d.reliefCurve.forEach((x, h) => acc.reliefCurve[h]!.merge(Moments.fromData(x)));
    for (const k of EXEMPLAR_KPIS) acc.exemplars[k].merge(Exemplars.fromData(d.exemplars[k]!, acc.exemplars[k].lowerIsWorse));
    d.zones.forEach((z, i) => ZoneStats.KEYS.forEach((k) => acc.zones[i]![k].merge(Moments.fromData(z[k]!))));
    return acc;
  }
}

export interface AccumulatorData {
  kind: 'dsim.accumulator';
  schemaVersion: 1;
  counters: Record<string, number>;
  moments: Record<string, MomentsData>;
  distributions: Record<string, DistributionData>;
  stockoutReplications: number[];
  shortfall: MomentsData[];
  chemicalExposed: MomentsData[];
  reliefCurve: MomentsData[];
  exemplars: Record<string, ExemplarsData>;
  zones: Record<string, MomentsData>[];
}

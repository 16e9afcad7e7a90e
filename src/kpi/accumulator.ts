/**
 * KPI accumulation: folds replication outcomes into small mergeable statistics (never
 * per-replication arrays). Every field merges exactly and in any order (integer counts, exact
 * sums, histogram counts, min/max), so a run's statistics do not depend on how its replications
 * were split between batches or workers.
 */
import type { CompiledModel } from '../scenario/compile.js';
import type { ResponseSink, TrialOutcome } from '../response/trial.js';
import { Moments } from '../stats/moments.js';
import { QuantileSketch } from '../stats/sketch.js';

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

  add(x: number): void {
    const m = this.moments;
    if (x < m.min) this.atMin = 1;
    else if (x === m.min) this.atMin++;
    if (x > m.max) this.atMax = 1;
    else if (x === m.max) this.atMax++;
    m.add(x);
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

  merge(o: ZoneStats): void {
    this.displaced.merge(o.displaced);
    this.shelterPeople.merge(o.shelterPeople);
    this.relievedByDeadline.merge(o.relievedByDeadline);
    this.lossCny.merge(o.lossCny);
    this.responseMinutes.merge(o.responseMinutes);
  }
}

export class KpiAccumulator implements ResponseSink {
  replications = 0;
  /** Every response time of every replication, minutes. */
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
  readonly zones: ZoneStats[];

  constructor(private readonly m: CompiledModel) {
    this.stockoutReplications = m.items.map(() => 0);
    this.shortfall = m.items.map(() => new Moments());
    this.zones = m.zones.map(() => new ZoneStats());
  }

  response(minutes: number, zone: number): void {
    this.responseMinutes.add(minutes);
    this.zones[zone]!.responseMinutes.add(minutes);
  }

  add(o: TrialOutcome): void {
    const t = this.m.scenario.targets;
    this.replications++;
    if (o.responses > 0) this.responseMeanByReplication.add(o.responseMinutesSum / o.responses);
    const answered = o.responses + o.unanswered;
    if (answered === 0 || (o.responsesWithinTarget / answered) >= t.responseShare - 1e-12) this.responseTargetMet++;
    this.unanswered.add(o.unanswered);
    const share = o.displaced > 0 ? o.relievedByDeadline / o.displaced : 1;
    if (o.displaced > 0) this.replicationsWithDisplaced++;
    this.reliefShare.add(share);
    if (share >= t.reliefShare - 1e-12) this.reliefTargetMet++;
    if (Number.isFinite(o.allRelievedHours)) this.allRelievedHours.add(o.allRelievedHours);
    this.lossRatio.add(o.lossRatio);
    if (o.lossRatio <= t.lossRatioMax) this.lossTargetMet++;
    this.lossCny.add(o.lossCny);
    this.displaced.add(o.displaced);
    this.stranded.add(o.stranded);
    o.shortfall.forEach((units, i) => {
      if (units > 0) this.stockoutReplications[i]!++;
      this.shortfall[i]!.add(units);
    });
    this.vehicleUtilisation.add(o.vehicleUtilisation);
    this.teamUtilisation.add(o.teamUtilisation);
    if (o.returnPeriodYears > 0) {
      this.returnPeriodYears.add(o.returnPeriodYears);
      this.severity.add(o.severity);
    }
    this.zones.forEach((z, i) => {
      z.displaced.add(o.zoneDisplaced[i]!);
      z.shelterPeople.add(o.zoneShelterPeople[i]!);
      z.relievedByDeadline.add(o.zoneRelievedByDeadline[i]!);
      z.lossCny.add(o.zoneLossCny[i]!);
    });
  }

  merge(o: KpiAccumulator): void {
    this.replications += o.replications;
    this.responseMinutes.merge(o.responseMinutes);
    this.responseMeanByReplication.merge(o.responseMeanByReplication);
    this.responseTargetMet += o.responseTargetMet;
    this.unanswered.merge(o.unanswered);
    this.reliefShare.merge(o.reliefShare);
    this.reliefTargetMet += o.reliefTargetMet;
    this.replicationsWithDisplaced += o.replicationsWithDisplaced;
    this.allRelievedHours.merge(o.allRelievedHours);
    this.lossRatio.merge(o.lossRatio);
    this.lossTargetMet += o.lossTargetMet;
    this.lossCny.merge(o.lossCny);
    this.displaced.merge(o.displaced);
    this.stranded.merge(o.stranded);
    o.stockoutReplications.forEach((c, i) => (this.stockoutReplications[i]! += c));
    o.shortfall.forEach((s, i) => this.shortfall[i]!.merge(s));
    this.vehicleUtilisation.merge(o.vehicleUtilisation);
    this.teamUtilisation.merge(o.teamUtilisation);
    this.returnPeriodYears.merge(o.returnPeriodYears);
    this.severity.merge(o.severity);
    this.zones.forEach((z, i) => z.merge(o.zones[i]!));
  }
}

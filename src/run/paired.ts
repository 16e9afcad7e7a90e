/**
 * Paired replications: K variants of a scenario run on the same replication indices, so they
 * draw the same random numbers (streams are named by content, rng/stream.ts), and the
 * per-replication differences from the first variant are accumulated. The unit of work of a
 * paired comparison, as runBatch's accumulator is of a run: the pool's workers run it
 * (workers/pool-worker.js) and send back its data; studies/compare.ts summarises it.
 */
import { z } from 'zod';
import { type AccumulatorData, KpiAccumulator, type ReplicationRow } from '../kpi/accumulator.js';
import { runTrial } from '../perils/trial.js';
import type { CompiledModel, Targets } from '../scenario/compile.js';
import { MomentsDataSchema } from '../stats/data-schema.js';
import { Moments, type MomentsData } from '../stats/moments.js';
import { PairedRatio, type PairedRatioData } from '../stats/paired-ratio.js';
import type { evaluatedTargets } from './local.js';

/** What is differenced, replication by replication. */
export const METRICS = [
  {
    id: 'reliefShare',
    label: 'Share of displaced relieved within the deadline (per replication)',
    short: 'relieved per rep.',
    unit: 'share',
  },
  { id: 'lossRatio', label: 'Direct loss / GDP', short: 'loss/GDP', unit: 'ratio' },
  { id: 'deathsPerMillion', label: 'Deaths per million', short: 'deaths/M', unit: 'number' },
  { id: 'responseMean', label: 'Response time, mean per replication (min)', short: 'response min', unit: 'minutes' },
] as const;
type MetricId = (typeof METRICS)[number]['id'];

const rowValue = (r: ReplicationRow, id: MetricId): number | null => r[id];

export interface PairedData {
  accs: AccumulatorData[];
  relief: PairedRatioData[];
  values: MomentsData[][];
  diffs: MomentsData[][];
  paired: MomentsData[][][];
}

const PairedRatioSchema = z.strictObject({
  n: z.number().int().nonnegative(),
  sums: z.record(z.string(), z.array(z.number())),
});

const PairedDataSchema = z.strictObject({
  accs: z.array(z.unknown()),
  relief: z.array(PairedRatioSchema),
  values: z.array(z.array(MomentsDataSchema)),
  diffs: z.array(z.array(MomentsDataSchema)),
  paired: z.array(z.array(z.array(MomentsDataSchema).length(2))),
});

/** The accumulators of K variants run on the same replications, and their paired differences. */
export class PairedAccumulator {
  readonly accs: KpiAccumulator[];
  /** Metric ids: the headline KPIs, then `target:ID` for targets every variant has. */
  readonly metricIds: string[];
  private readonly targetIndex: number[][];
  /** [variant][metric]: the variant's own values, and (k ≥ 1) its differences from variant 0. */
  readonly values: Moments[][];
  readonly diffs: Moments[][];
  readonly paired: Moments[][][];
  /**
   * [variant]: (people displaced, relieved by the deadline) of variant 0 and of this variant, per
   * replication, for the headline share (a ratio of sums) and its paired difference from variant 0.
   */
  readonly relief: PairedRatio[];

  /**
   * `references[k]`: the variant variant k is differenced from (default: 0 for every variant; a
   * study may difference "all but one" from "all", binds.ts). A reference must come before k.
   */
  constructor(
    readonly models: readonly CompiledModel[],
    targets: readonly ReturnType<typeof evaluatedTargets>[],
    readonly references: readonly number[] = models.map(() => 0),
  ) {
    if (references.length !== models.length || references.some((r, k) => !(r === 0 || (r >= 0 && r < k))))
      throw new Error('paired: each variant is differenced from one before it');
    this.accs = models.map((m, k) => new KpiAccumulator(m, targets[k]));
    const ids = this.accs.map((a) => a.targets.map((t) => t.id));
    const shared = ids[0]!.filter((id) => ids.every((l) => l.includes(id)));
    this.metricIds = [...METRICS.map((x) => x.id), ...shared.map((id) => `target:${id}`)];
    this.targetIndex = ids.map((l) => shared.map((id) => l.indexOf(id)));
    const grid = () => this.accs.map(() => this.metricIds.map(() => new Moments()));
    this.values = grid();
    this.diffs = grid();
    // [variant][metric][0: variant 0's values, 1: this variant's] over the replications both have
    this.paired = this.accs.map(() => this.metricIds.map(() => [new Moments(), new Moments()]));
    this.relief = this.accs.map(() => new PairedRatio());
  }

  private valuesOf(k: number): (number | null)[] {
    const row = this.accs[k]!.lastRow!;
    return [...METRICS.map((x) => rowValue(row, x.id)), ...this.targetIndex[k]!.map((i) => row.met[i] ?? null)];
  }

  /** Runs replications [from, to) of every variant. */
  addRange(seed: number, from: number, to: number): this {
    for (let r = from; r < to; r++) this.addReplication(seed, r);
    return this;
  }

  /** Merges another accumulator of the same variants (exactly: the order never matters). */
  merge(o: PairedAccumulator): void {
    this.accs.forEach((a, k) => a.merge(o.accs[k]!));
    const each = (a: Moments[][], b: Moments[][]) => a.forEach((row, k) => row.forEach((m, j) => m.merge(b[k]![j]!)));
    each(this.values, o.values);
    each(this.diffs, o.diffs);
    this.paired.forEach((row, k) => row.forEach((pair, j) => pair.forEach((m, x) => m.merge(o.paired[k]![j]![x]!))));
    this.relief.forEach((r, k) => r.merge(o.relief[k]!));
  }

  /** Plain, JSON-safe data (what a worker thread sends back). */
  toData(): PairedData {
    const grid = (a: Moments[][]) => a.map((row) => row.map((m) => m.toData()));
    return {
      accs: this.accs.map((a) => a.toData()),
      relief: this.relief.map((r) => r.toData()),
      values: grid(this.values),
      diffs: grid(this.diffs),
      paired: this.paired.map((row) => row.map((pair) => pair.map((m) => m.toData()))),
    };
  }

  /** Restores data that crossed a thread boundary, checking its shape against these variants. */
  static fromUntrusted(
    models: readonly CompiledModel[],
    targets: readonly Targets[],
    raw: unknown,
    references?: readonly number[],
  ): PairedAccumulator {
    const parsed = PairedDataSchema.safeParse(raw);
    if (!parsed.success) throw new Error(`paired batch: ${parsed.error.issues[0]!.path.join('.')}: ${parsed.error.issues[0]!.message}`);
    const d = parsed.data;
    const p = new PairedAccumulator(models, targets, references);
    const k = models.length;
    const j = p.metricIds.length;
    const shaped = (a: unknown[][]) => a.length === k && a.every((row) => row.length === j);
    if (d.accs.length !== k || d.relief.length !== k || !shaped(d.values) || !shaped(d.diffs) || !shaped(d.paired))
      throw new Error('paired batch: wrong shape');
    d.relief.forEach((r, i) => p.relief[i]!.merge(PairedRatio.fromData(r as PairedRatioData)));
    d.accs.forEach((a, i) => p.accs[i]!.merge(KpiAccumulator.fromUntrusted(models[i]!, a, targets[i])));
    const into = (a: Moments[][], b: MomentsData[][]) => a.forEach((row, x) => row.forEach((m, y) => m.merge(Moments.fromData(b[x]![y]!))));
    into(p.values, d.values as MomentsData[][]);
    into(p.diffs, d.diffs as MomentsData[][]);
    p.paired.forEach((row, x) =>
      row.forEach((pair, y) => pair.forEach((m, z) => m.merge(Moments.fromData(d.paired[x]![y]![z]! as MomentsData)))),
    );
    return p;
  }

  /** Runs replication r of every variant and records the differences. */
  addReplication(seed: number, r: number): void {
    this.accs.forEach((acc, k) => acc.add(runTrial(this.models[k]!, seed, r, acc)));
    this.accs.forEach((acc, k) => {
      const ref = this.accs[this.references[k]!]!.lastRow!;
      this.relief[k]!.add(ref.displaced, ref.relieved, acc.lastRow!.displaced, acc.lastRow!.relieved);
    });
    const values = this.accs.map((_, k) => this.valuesOf(k));
    this.accs.forEach((_, k) => {
      const v = values[k]!;
      const base = values[this.references[k]!]!;
      v.forEach((x, j) => {
        if (x !== null) this.values[k]![j]!.add(x);
        const b = base[j];
        if (k > 0 && x !== null && b !== null && b !== undefined) {
          this.diffs[k]![j]!.add(x - b);
          this.paired[k]![j]![0]!.add(b);
          this.paired[k]![j]![1]!.add(x);
        }
      });
    });
  }
}

/**
 * The contract of a hazard module (src/perils/<kind>/). A peril brings:
 * - its scenario part (`definition`: schema, reference checks, compile step; scenario layer);
 * - the events it schedules in one replication, which record facts (never targets) into the
 *   replication's facts record and the shared tally;
 * - optionally its KPI slice: an empty bag of mergeable statistics, how one replication's facts
 *   fold into it (targets are evaluated here, from the facts), its section of the result (with
 *   the zod schema of that section), its targets and its table rows.
 * The registry (registry.ts) lists them; the trial, the accumulator, the summary and the table
 * iterate it. README "Adding a hazard" walks through one.
 */
import type { z } from 'zod';
import type { Lang, MessageKey } from '../i18n/messages.js';
import type { TrialContext } from '../response/context.js';
import type { CompiledModel, Targets } from '../scenario/compile.js';
import type { HazardBase, HazardDefinition } from '../scenario/hazards/definition.js';
import type { Bag } from '../stats/bag.js';
import type { Moments } from '../stats/moments.js';
import type { DistStat } from '../stats/summary-stat.js';

/** Settles what can only be known when the replication ends (e.g. a fire's containment). */
export type Settle = () => void;

/** What folding and summarising see besides the statistics: the model and the targets evaluated. */
export interface PerilEnv {
  readonly m: CompiledModel;
  readonly targets: Targets;
}

/** How the table formats numbers inside row labels, and the catalogue it speaks (report/table.ts supplies it). */
export interface RowFormat {
  number(x: number | null): string;
  percent(x: number | null): string;
  readonly lang: Lang;
  /** Whether a replication is a whole year (per-replication figures are then per year). */
  readonly annual: boolean;
  /** A message of the catalogue (i18n/catalogue/); a peril outside it may write its own labels. */
  t(key: MessageKey, params?: Readonly<Record<string, string | number>>): string;
}

/** A row of the KPI table: a distribution statistic with its label. */
export interface KpiRow {
  readonly label: string;
  readonly stat: DistStat;
  readonly format: 'number' | 'percent';
}

/** A column of the zone breakdown contributed by a peril. */
export interface ZoneColumn {
  readonly header: string;
  readonly byZone: Readonly<Record<string, number | null>>;
  readonly format: 'number' | 'percent';
}

/** One of a peril's plan targets, evaluated from its facts (per replication) and its slice. */
export interface PerilTarget<F, S> {
  readonly id: string;
  readonly unit: 'share' | 'ratio' | 'number' | 'minutes' | 'hours' | 'permille';
  /** Whether the run's targets (or the hazard's own fields) ask for it at all. */
  applies(env: PerilEnv): boolean;
  describe(env: PerilEnv): string;
  threshold(env: PerilEnv): number;
  required(env: PerilEnv): number;
  /** Whether a replication can judge it at all (absent: always); others are left out of pMet. */
  judged?(facts: F, env: PerilEnv): boolean;
  /** Whether a judged replication (event or year) meets it. */
  met(facts: F, env: PerilEnv): boolean;
  /** What a judged replication achieved, in the target's unit (the drill's evaluation sheet shows it). */
  value(facts: F, env: PerilEnv): number;
  /** The run's estimate of the quantity where the plan states an average or a share. */
  estimate?(slice: S, env: PerilEnv): { value: number; met: boolean };
}

export interface PerilKpis<F, S extends Bag, Section> {
  /** A fresh facts record for one replication. */
  facts(m: CompiledModel): F;
  /** An empty slice. */
  slice(m: CompiledModel): S;
  /** Folds one replication's facts into the slice. */
  add(slice: S, facts: F, env: PerilEnv): void;
  /** The key of its section in the result's `kpis`, and the section's schema. */
  readonly key: string;
  readonly schema: z.ZodType<Section>;
  summary(slice: S, replications: number, env: PerilEnv): Section;
  readonly targets: readonly PerilTarget<F, S>[];
  rows(section: Section, f: RowFormat): KpiRow[];
  /** Columns it adds to the table's zone breakdown: a header and a value by zone id. */
  zoneColumns?(section: Section, f: RowFormat): ZoneColumn[];
  /** Moments a precision stop (--until-ci) may watch, by name. */
  readonly ci?: Readonly<Record<string, (slice: S) => Moments>>;
}

export interface Peril<H extends HazardBase = HazardBase, C = unknown, F = unknown, S extends Bag = Bag, Section = unknown> {
  readonly definition: HazardDefinition<H, C>;
  /** In event mode, does this hazard call mutual aid at onset (as floods do)? */
  readonly callsMutualAid?: boolean;
  /** Schedules one hazard's events in a replication; may return a settle step. */
  schedule(ctx: TrialContext, hazard: C, facts: F): Settle | undefined;
  readonly kpis?: PerilKpis<F, S, Section>;
}

/** Any peril, as the registry holds it. */
// biome-ignore lint/suspicious/noExplicitAny: the registry holds perils of every facts, slice and section type; each module is typed
export type AnyPeril = Peril<HazardBase, any, any, any, any>;

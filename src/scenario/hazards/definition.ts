/**
 * The scenario side of a hazard module (src/scenario/hazards/<kind>.ts): its part of the schema,
 * the references it checks after zod, and its compile step. The simulation side (events, KPI
 * slice, targets, table rows) is the Peril in src/perils/peril.ts.
 */
import type { z } from 'zod';
import type { ScenarioIssue } from '../../errors.js';
import type { MessageKey } from '../../i18n/messages.js';

/** The catalogue's name for a kind of thing with ids (`what.zone`, `what.site` …), told in duplicate-id messages. */
export type WhatKey = Extract<MessageKey, `what.${string}`>;

/** What every hazard has: the discriminating type and an id unique in the scenario. */
export interface HazardBase {
  readonly type: string;
  readonly id: string;
}

/** Reference checks a hazard asks of the scenario (each records an issue naming the field). */
export interface ReferenceChecker {
  /** `id` must be a zone of the district. */
  zone(path: string, id: string): void;
  /** Some station or mutual aid must have teams of this type. */
  teamType(path: string, type: string): void;
  /** The ids must be unique; `what` names them in the message. */
  unique(ids: readonly string[], path: (i: number) => string, what: WhatKey): void;
  /** The zone's record (undefined when no zone has the id), for checks of zone fields. */
  zoneRecord(id: string): { index: number; areaKm2?: number | undefined } | undefined;
  issue(i: ScenarioIssue): void;
  /** Residents of the zones named (all zones when none are). */
  population(zoneIds?: readonly string[]): number;
  /** Years one replication covers: 1 in annual mode, else the horizon in years (at least 1 for bounds). */
  readonly replicationYears: number;
}

/**
 * Most incidents one hazard may generate in a replication where each is kept until the
 * replication ends (rescue calls, fires): beyond it a replication would exhaust memory.
 */
export const MAX_INCIDENTS_PER_REPLICATION = 1_000_000;

/** What a hazard's compile step may look up: ids become indexes here, once. */
export interface CompileLookup {
  zone(id: string): number;
  readonly zoneCount: number;
}

export interface HazardDefinition<H extends HazardBase = HazardBase, C = unknown> {
  readonly type: H['type'];
  /** A strict zod object whose `type` is the literal `type`. */
  readonly schema: z.ZodType<H> & z.ZodObject;
  /** Checks beyond zod: the zones, team types and ids this hazard refers to. `at` is its path. */
  references(h: H, at: string, check: ReferenceChecker): void;
  /** The hazard with ids resolved to indexes and sets built: what its events read. */
  compile(h: H, lookup: CompileLookup): C;
}

/**
 * A validated scenario compiled into the indexed, read-only form the simulation uses: zones,
 * items and team types become array indices, and the scenario gets its content hash. Compiled
 * once per process (or worker), shared by all its replications.
 */
import { createHash } from 'node:crypto';
import type { RoadLink } from '../network/roads.js';
import type { CompileLookup } from './hazards/definition.js';
import { hazardDefinition } from './hazards/registry.js';
import type { Dist, Scenario, TeamSpec, VehicleSpec, Zone } from './schema.js';

export interface CompiledLink extends RoadLink {
  readonly closesAtDepthM: number;
  /** Water along the road by return period, when the scenario gives it (dsim import does). */
  readonly flood?: {
    readonly returnPeriodYears: readonly number[];
    readonly maxDepthM: readonly number[];
    readonly wetShare: readonly number[];
  };
}

export interface CompiledWarehouse {
  readonly id: string;
  readonly zone: number;
  /** Units by item index. */
  readonly stock: readonly number[];
}

export interface CompiledFleet extends VehicleSpec {
  readonly id: string;
  readonly warehouse: number;
  /** Trace ids of its trucks: `FLEET#k`. */
  readonly vehicleIds: readonly string[];
}

export interface CompiledStation {
  readonly id: string;
  readonly zone: number;
  readonly teams: readonly TeamSpec[];
  /** Trace ids of each team spec's units: `STATION/TYPE#k`. */
  readonly unitIds: readonly (readonly string[])[];
}

export interface CompiledMutualAid {
  readonly id: string;
  /** Warehouse that receives the stock; vehicles and teams start there. */
  readonly warehouse: number;
  readonly arrivesAfterHours: Dist;
  /** Units by item index. */
  readonly stock: readonly number[];
  readonly vehicles?: VehicleSpec;
  readonly vehicleIds: readonly string[];
  readonly teams: readonly (TeamSpec & { readonly unitIds: readonly string[] })[];
}

/** A hazard as its events read it: `spec` is its module's compiled form (ids resolved). */
export interface CompiledHazard {
  readonly type: string;
  readonly id: string;
  readonly spec: unknown;
}

export type Targets = Scenario['targets'];

/**
 * Everything the simulation, the KPIs and the summary read. Nothing after `compile` reads the raw
 * scenario or resolves an id: zones, warehouses, items and team types are indexes or frozen sets.
 */
export interface CompiledModel {
  /** The scenario as validated: provenance, and what executors send to workers. */
  readonly scenario: Scenario;
  readonly id: string;
  readonly name: string;
  readonly mode: 'event' | 'annual';
  readonly horizonHours: number;
  readonly gdpCnyPerYear: number;
  /** Residents of all zones. */
  readonly population: number;
  readonly floodSeasonMonths: readonly [number, number];
  readonly restockDays: number;
  readonly activationMinutes: Dist;
  readonly reliefDispatch: Scenario['response']['reliefDispatch'];
  /** The scenario's targets: what a run evaluates unless it is given others (kpi/targets.ts). */
  readonly targets: Targets;
  readonly hazards: readonly CompiledHazard[];
  readonly mutualAid: readonly CompiledMutualAid[];
  /** First 16 hex digits of SHA-256 over the canonical JSON of the normalised scenario. */
  readonly hash: string;
  readonly zones: readonly Zone[];
  readonly zoneIds: readonly string[];
  readonly zoneIndex: ReadonlyMap<string, number>;
  /** Straight-line distances between zone centres, km, row-major. */
  readonly crowKm: Float64Array;
  readonly links: readonly CompiledLink[];
  readonly items: readonly string[];
  readonly perPerson: readonly number[];
  readonly unitMassKg: readonly number[];
  /** Days of need the reserve must cover, by item. */
  readonly days: readonly number[];
  readonly coveredByShelter: readonly boolean[];
  /** Item indices, main needs first. */
  readonly itemPriority: readonly number[];
  readonly warehouses: readonly CompiledWarehouse[];
  readonly stations: readonly CompiledStation[];
  readonly fleet: readonly CompiledFleet[];
}

/** JSON with object keys sorted, so equal content gives equal text. */
export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) return v;
    const o = v as Record<string, unknown>;
    return Object.fromEntries(
      Object.keys(o)
        .sort()
        .map((k) => [k, o[k]]),
    );
  });
}

export function scenarioHash(s: Scenario): string {
  return createHash('sha256').update(canonicalJson(s)).digest('hex').slice(0, 16);
}

export function compile(s: Scenario): CompiledModel {
  const zoneIndex = new Map(s.district.zones.map((z, i) => [z.id, i]));
  const zi = (id: string): number => {
    const i = zoneIndex.get(id);
    if (i === undefined) throw new Error(`compile: unknown zone ${id} (references are checked on load)`);
    return i;
  };
  const items = Object.keys(s.reliefNorms);
  const norms = items.map((k) => s.reliefNorms[k]!);
  const stockVector = (st: Record<string, number> | undefined): number[] => items.map((k) => st?.[k] ?? 0);
  const warehouseIndex = new Map(s.resources.warehouses.map((w, i) => [w.id, i]));
  const zones = s.district.zones;
  const n = zones.length;
  const crowKm = new Float64Array(n * n);
  for (let a = 0; a < n; a++) {
    for (let b = 0; b < n; b++) {
      const pa = zones[a]!.position;
      const pb = zones[b]!.position;
      crowKm[a * n + b] = Math.hypot(pa.xKm - pb.xKm, pa.yKm - pb.yKm);
    }
  }
  const lookup: CompileLookup = { zone: zi, zoneCount: zones.length };
  const stationIds = (prefix: string, teams: readonly TeamSpec[]) => teams.map((t) => unitIds(`${prefix}/${t.type}`, t.count));
  return Object.freeze({
    scenario: s,
    hash: scenarioHash(s),
    id: s.id,
    name: s.name,
    mode: s.mode,
    horizonHours: s.response.horizonHours,
    gdpCnyPerYear: s.district.gdpCnyPerYear,
    population: zones.reduce((a, z) => a + z.population, 0),
    floodSeasonMonths: s.annual.floodSeasonMonths,
    restockDays: s.annual.restockDays,
    activationMinutes: s.response.activationMinutes,
    reliefDispatch: s.response.reliefDispatch,
    targets: s.targets,
    hazards: s.hazards.map((h) => ({ type: h.type, id: h.id, spec: hazardDefinition(h.type).compile(h, lookup) })),
    mutualAid: s.resources.mutualAid.map((aid) => ({
      id: aid.id,
      warehouse: warehouseIndex.get(aid.warehouse)!,
      arrivesAfterHours: aid.arrivesAfterHours,
      stock: stockVector(aid.stock),
      ...(aid.vehicles && { vehicles: aid.vehicles }),
      vehicleIds: unitIds(aid.id, aid.vehicles?.count ?? 0),
      teams: (aid.teams ?? []).map((t, j) => ({ ...t, unitIds: stationIds(aid.id, aid.teams ?? [])[j]! })),
    })),
    zones,
    zoneIds: zones.map((z) => z.id),
    zoneIndex,
    crowKm,
    links: s.roads.links.map((l) => ({
      from: zi(l.from),
      to: zi(l.to),
      lengthKm: l.lengthKm,
      speedKmh: l.speedKmh,
      closesAtDepthM: l.closesAtDepthM,
      ...(l.flood && { flood: { returnPeriodYears: l.flood.returnPeriodYears, maxDepthM: l.flood.maxDepthM, wetShare: l.flood.wetShare } }),
    })),
    items,
    perPerson: norms.map((r) => r.perPerson),
    unitMassKg: norms.map((r) => r.unitMassKg),
    days: norms.map((r) => r.days),
    coveredByShelter: norms.map((r) => r.coveredByShelterPlaces),
    itemPriority: s.response.itemPriority.map((k) => items.indexOf(k)),
    warehouses: s.resources.warehouses.map((w) => ({ id: w.id, zone: zi(w.zone), stock: stockVector(w.stock) })),
    stations: s.resources.stations.map((st) => ({
      id: st.id,
      zone: zi(st.zone),
      teams: st.teams,
      unitIds: stationIds(st.id, st.teams),
    })),
    fleet: s.resources.fleet.map((f) => ({ ...f, warehouse: warehouseIndex.get(f.depot)!, vehicleIds: unitIds(f.id, f.count) })),
  });
}

/** Trace ids of `count` units of one kind: `PREFIX#1` … `PREFIX#count`. */
export function unitIds(prefix: string, count: number): string[] {
  return Array.from({ length: count }, (_, k) => `${prefix}#${k + 1}`);
}

/**
 * Checks that zod cannot express on its own: ids are unique, and every zone, warehouse, item and
 * team type a scenario refers to exists. Each issue names the referring field and lists the
 * names that would have been valid.
 */
import { issue, type ScenarioIssue } from '../errors.js';
import type { ReferenceChecker, WhatKey } from './hazards/definition.js';
import { hazardDefinition } from './hazards/registry.js';
import type { Scenario } from './schema.js';

/** Distinct team types a scenario may use. */
export const MAX_TEAM_TYPES = 30;

function listing(names: Iterable<string>): string | { key: 'err.none' } {
  const all = [...names];
  return all.length === 0 ? { key: 'err.none' } : all.map((n) => `"${n}"`).join(', ');
}

/**
 * @param tolerant the scenario failed its schema: follow what can be followed, skip hazards of
 *   unknown types or shapes (their schema issues are reported already)
 */
export function checkReferences(s: Scenario, tolerant = false): ScenarioIssue[] {
  const issues: ScenarioIssue[] = [];
  const bad = (path: string, key: Parameters<typeof issue>[2], params: Parameters<typeof issue>[3] = {}): void => {
    issues.push(issue(path, 'unknown_reference', key, params));
  };
  const unique = (ids: readonly string[], path: (i: number) => string, what: WhatKey): Set<string> => {
    const seen = new Set<string>();
    ids.forEach((id, i) => {
      if (seen.has(id)) issues.push(issue(path(i), 'duplicate_id', 'err.duplicateId', { what: { key: what }, id }));
      seen.add(id);
    });
    return seen;
  };

  const zones = unique(
    s.district.zones.map((z) => z.id),
    (i) => `district.zones[${i}].id`,
    'what.zone',
  );
  const zone = (path: string, id: string): void => {
    if (!zones.has(id)) bad(path, 'err.unknownZone', { id, known: listing(zones) });
  };
  s.district.zones.forEach((z, i) => {
    if (z.builtUp && z.areaKm2 !== undefined && z.builtUp.areaKm2 > z.areaKm2) {
      issues.push(
        issue(`district.zones[${i}].builtUp.areaKm2`, 'too_big', 'err.builtUpTooBig', { builtUp: z.builtUp.areaKm2, zone: z.areaKm2 }),
      );
    }
  });
  const items = new Set(Object.keys(s.reliefNorms));
  const stock = (path: string, st: Record<string, number> | undefined): void => {
    for (const key of Object.keys(st ?? {})) {
      if (!items.has(key)) bad(`${path}.${key}`, 'err.unknownItem', { id: key, known: listing(items) });
    }
  };

  s.roads.links.forEach((l, i) => {
    zone(`roads.links[${i}].from`, l.from);
    zone(`roads.links[${i}].to`, l.to);
    if (l.from === l.to) bad(`roads.links[${i}].to`, 'err.linkSameZone');
  });

  const r = s.resources;
  unique(
    r.stations.map((x) => x.id),
    (i) => `resources.stations[${i}].id`,
    'what.station',
  );
  r.stations.forEach((st, i) => zone(`resources.stations[${i}].zone`, st.zone));
  const warehouses = unique(
    r.warehouses.map((x) => x.id),
    (i) => `resources.warehouses[${i}].id`,
    'what.warehouse',
  );
  r.warehouses.forEach((w, i) => {
    zone(`resources.warehouses[${i}].zone`, w.zone);
    stock(`resources.warehouses[${i}].stock`, w.stock);
  });
  const warehouse = (path: string, id: string): void => {
    if (!warehouses.has(id)) bad(path, 'err.unknownWarehouse', { id, known: listing(warehouses) });
  };
  unique(
    r.fleet.map((x) => x.id),
    (i) => `resources.fleet[${i}].id`,
    'what.fleet',
  );
  r.fleet.forEach((f, i) => warehouse(`resources.fleet[${i}].depot`, f.depot));
  unique(
    r.mutualAid.map((x) => x.id),
    (i) => `resources.mutualAid[${i}].id`,
    'what.mutualAid',
  );
  r.mutualAid.forEach((m, i) => {
    warehouse(`resources.mutualAid[${i}].warehouse`, m.warehouse);
    stock(`resources.mutualAid[${i}].stock`, m.stock);
  });

  const priority = s.response.itemPriority;
  priority.forEach((item, i) => {
    if (!items.has(item)) bad(`response.itemPriority[${i}]`, 'err.unknownItem', { id: item, known: listing(items) });
    if (priority.indexOf(item) !== i) bad(`response.itemPriority[${i}]`, 'err.itemTwice', { id: item });
  });
  for (const item of items) {
    if (!priority.includes(item)) bad('response.itemPriority', 'err.itemNotPrioritised', { id: item });
  }

  const teamTypes = new Set([
    ...r.stations.flatMap((st) => st.teams.map((t) => t.type)),
    ...r.mutualAid.flatMap((m) => (m.teams ?? []).map((t) => t.type)),
  ]);
  // The dispatcher keeps a bit per team type in a 32-bit mask (response/teams.ts).
  if (teamTypes.size > MAX_TEAM_TYPES) {
    issues.push(
      issue('resources', 'too_big', 'err.tooManyTeamTypes', { count: teamTypes.size, max: MAX_TEAM_TYPES, known: listing(teamTypes) }),
    );
  }
  const teamType = (path: string, type: string): void => {
    if (!teamTypes.has(type)) bad(path, 'err.unknownTeamType', { id: type, known: listing(teamTypes) });
  };

  unique(
    s.hazards.map((h) => h.id),
    (i) => `hazards[${i}].id`,
    'what.hazard',
  );
  const check: ReferenceChecker = {
    zone,
    teamType,
    unique: (ids, path, what) => void unique(ids, path, what),
    zoneRecord: (id) => {
      const index = s.district.zones.findIndex((z) => z.id === id);
      return index < 0 ? undefined : { index, areaKm2: s.district.zones[index]!.areaKm2 };
    },
    issue: (i) => void issues.push(i),
    population: (ids) =>
      s.district.zones
        .filter((z) => ids === undefined || ids.includes(z.id))
        .reduce((a, z) => a + (Number.isFinite(z.population) ? z.population : 0), 0),
    replicationYears:
      s.mode === 'annual' ? 1 + (s.response?.horizonHours ?? 0) / 8760 : Math.max(1, (s.response?.horizonHours ?? 0) / 8760),
  };
  s.hazards.forEach((h, i) => {
    if (!tolerant) return hazardDefinition(h.type).references(h, `hazards[${i}]`, check);
    try {
      hazardDefinition(h.type).references(h, `hazards[${i}]`, check);
    } catch {
      // a malformed hazard: its schema issues say what is wrong
    }
  });
  return issues;
}

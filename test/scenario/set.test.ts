/**
 * Overrides as assignments (scenario/set.ts leafAssignments): the leaves of a partial scenario
 * listed as `--set` paths, so a study's assumptions can name them in words. Applying them by
 * path gives the same scenario as laying the overrides over it (load.ts overlay).
 */
import { describe, expect, it } from 'vitest';
import { loadScenario, overlay } from '../../src/scenario/load.js';
import { applySets, leafAssignments } from '../../src/scenario/set.js';

describe('leafAssignments', () => {
  it('lists an override’s leaves by path, list items by id, and applying them equals the overlay', () => {
    const { scenario } = loadScenario('huantai/flood-50y');
    const overrides = {
      targets: { reliefDeadlineHours: 12 },
      resources: {
        warehouses: [{ id: 'county-reserve', stock: { bedding: 9000, medical: 1000 } }],
        fleet: [{ id: 'support-fleet', count: 40 }],
      },
    };
    const sets = leafAssignments(overrides);
    expect(sets).toEqual([
      { path: 'targets.reliefDeadlineHours', value: 12 },
      { path: 'resources.warehouses[county-reserve].stock.bedding', value: 9000 },
      { path: 'resources.warehouses[county-reserve].stock.medical', value: 1000 },
      { path: 'resources.fleet[support-fleet].count', value: 40 },
    ]);
    expect(applySets(scenario, sets)).toEqual(overlay(scenario, overrides));
  });
  it('keeps a list of plain values whole, indexes items without an id, and lists nothing for nothing', () => {
    expect(leafAssignments({ a: [1, 2], b: [{ x: 1 }, { y: [{ id: 'q', z: 2 }] }] })).toEqual([
      { path: 'a', value: [1, 2] },
      { path: 'b[0].x', value: 1 },
      { path: 'b[1].y[q].z', value: 2 },
    ]);
    expect([leafAssignments(undefined), leafAssignments({})]).toEqual([[], []]);
  });
});

import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { listBundled, loadScenario } from '../../src/scenario/load.js';
import { scenarioJsonSchema } from '../../src/scenario/schema.js';

const CITATION = /\d{3}_[0-9a-f]{16}\.txt L\d+|\bestimat|Sphere|anchors\.md|\d{3}\.md/;

/** Every `source` string anywhere in a value, with its path. */
function sources(v: unknown, path = ''): [string, string][] {
  if (Array.isArray(v)) return v.flatMap((x, i) => sources(x, `${path}[${i}]`));
  if (v && typeof v === 'object') {
    return Object.entries(v).flatMap(([k, x]) =>
      k === 'source' && typeof x === 'string' ? [[path, x] as [string, string]] : sources(x, path ? `${path}.${k}` : k),
    );
  }
  return [];
}

describe('bundled scenarios', () => {
  const names = listBundled();
  it('include a 50-year flood for each of the five seed districts and the two validation cases', () => {
    for (const d of ['zibo-hitech', 'linqing', 'yanzhou', 'taierzhuang', 'huantai']) expect(names).toContain(`${d}/flood-50y`);
    expect(names).toEqual(expect.arrayContaining(['validation/mmc', 'validation/one-truck']));
  });
  for (const name of names) {
    it(`${name} is valid`, () => {
      expect(() => loadScenario(name)).not.toThrow();
    });
    if (name.startsWith('validation/')) continue;
    it(`${name}: every source cites a seed line or says it is an estimate`, () => {
      const { scenario } = loadScenario(name);
      const found = sources(scenario);
      expect(found.length).toBeGreaterThan(10);
      for (const [path, src] of found) expect(src, `${name} ${path}`).toMatch(CITATION);
      // the district, every zone, station, warehouse, fleet, aid, norm, hazard and the targets have one
      const s = scenario;
      const objects: { source?: string | undefined }[] = [
        s.district,
        ...s.district.zones,
        ...s.resources.stations,
        ...s.resources.warehouses,
        ...s.resources.fleet,
        ...s.resources.mutualAid,
        ...Object.values(s.reliefNorms),
        s.targets,
        s.roads,
      ];
      for (const o of objects) expect(o.source, JSON.stringify(o).slice(0, 80)).toBeDefined();
    });
  }
  it('the committed JSON Schema is the one the zod schema generates (run `npm run schema`)', () => {
    const committed = JSON.parse(readFileSync('schema/scenario.schema.json', 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(scenarioJsonSchema())));
  });
});

describe('default relief norms', async () => {
  const { parse, stringify } = await import('yaml');
  const { parseScenario } = await import('../../src/scenario/load.js');
  const { DEFAULT_RELIEF_NORMS } = await import('../../src/scenario/defaults.js');
  it('a scenario without reliefNorms and itemPriority gets the cited defaults', () => {
    const s = parse(readFileSync('scenarios/huantai/flood-50y.yaml', 'utf8'));
    delete s.reliefNorms;
    delete s.response.itemPriority;
    const parsed = parseScenario(stringify(s), 'x.yaml');
    expect(parsed.reliefNorms).toEqual(DEFAULT_RELIEF_NORMS);
    expect(parsed.reliefNorms['food']!.perPerson).toBe(0.5);
    expect(parsed.response.itemPriority).toEqual(['water', 'food', 'tent', 'bedding', 'medical']);
    for (const n of Object.values(parsed.reliefNorms)) expect(n.source).toMatch(CITATION);
  });
});

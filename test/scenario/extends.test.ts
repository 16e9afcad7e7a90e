import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { loadScenario, overlay } from '../../src/scenario/load.js';

describe('scenario overlay (extends)', () => {
  it('merges objects key by key, lists with ids by id, and replaces other values', () => {
    const base = {
      a: 1,
      o: { x: 1, y: 2 },
      list: [
        { id: 'p', v: 1 },
        { id: 'q', v: 2 },
      ],
      plain: [1, 2],
    };
    const child = {
      o: { y: 3 },
      list: [
        { id: 'q', v: 5 },
        { id: 'r', v: 6 },
      ],
      plain: [9],
    };
    expect(overlay(base, child)).toEqual({
      a: 1,
      o: { x: 1, y: 3 },
      list: [
        { id: 'p', v: 1 },
        { id: 'q', v: 5 },
        { id: 'r', v: 6 },
      ],
      plain: [9],
    });
  });
  it("a new name without a Chinese one drops the parent's Chinese name (a zh table must not show the parent's)", () => {
    const base = { name: 'Huantai flood', nameZh: '桓台县洪水', zones: [{ id: 'Z1', name: 'Suozhen', nameZh: '索镇' }] };
    expect(overlay(base, { name: 'More quilts' })).toEqual({ name: 'More quilts', zones: base.zones });
    expect(overlay(base, { name: 'More quilts', nameZh: '增加衣被' })).toMatchObject({ name: 'More quilts', nameZh: '增加衣被' });
    expect(overlay(base, { zones: [{ id: 'Z1', name: 'Suozhen town' }] })).toEqual({
      name: 'Huantai flood',
      nameZh: '桓台县洪水',
      zones: [{ id: 'Z1', name: 'Suozhen town' }],
    });
    expect(overlay(base, { seed: 2 })).toMatchObject({ nameZh: '桓台县洪水' });
  });
  it('huantai/annual inherits the flood scenario and adds its hazards and zone areas', () => {
    const { scenario } = loadScenario('huantai/annual');
    expect(scenario.mode).toBe('annual');
    expect(scenario.hazards.map((h) => h.type)).toEqual(['flood', 'urban-fire', 'wildfire', 'chemical']);
    expect(scenario.district.zones.find((z) => z.id === 'Z4')).toMatchObject({ population: 55000, areaKm2: 84.3 });
    expect(scenario.resources.stations.map((s) => s.id)).toContain('matahu-fire-team');
  });
  const dir = mkdtempSync(join(tmpdir(), 'dsim-ext-'));
  const one = readFileSync('scenarios/validation/one-truck.yaml', 'utf8');
  it('a missing parent, a parent outside the folder and a cycle are errors naming `extends`', () => {
    writeFileSync(join(dir, 'missing.yaml'), 'extends: nope.yaml\n');
    expect(() => loadScenario(join(dir, 'missing.yaml'))).toThrow(/extends: "nope.yaml": no such file/);
    mkdirSync(join(dir, 'sub'));
    writeFileSync(join(dir, 'base.yaml'), one);
    writeFileSync(join(dir, 'sub', 'up.yaml'), 'extends: ../base.yaml\n');
    expect(() => loadScenario(join(dir, 'sub', 'up.yaml'))).toThrow(/extends: "..\/base.yaml" is outside this scenario's folder/);
    writeFileSync(join(dir, 'a.yaml'), 'extends: b.yaml\n');
    writeFileSync(join(dir, 'b.yaml'), 'extends: a.yaml\n');
    expect(() => loadScenario(join(dir, 'a.yaml'))).toThrow(/extends back to this file/);
  });
  it('a child that changes one number validates as a whole', () => {
    writeFileSync(join(dir, 'child.yaml'), 'extends: base.yaml\nid: child\nresources:\n  fleet:\n    - { id: truck, count: 2 }\n');
    const { scenario } = loadScenario(join(dir, 'child.yaml'));
    expect(scenario.resources.fleet[0]).toMatchObject({ id: 'truck', count: 2, payloadKg: 2000 });
  });
});

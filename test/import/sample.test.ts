import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runLocal } from '../../src/run/local.js';
import { loadScenario } from '../../src/scenario/load.js';
import { dsim } from '../helpers.js';

describe('示范县, the sample county', () => {
  it('is written in every form, imports with the findings it was built to raise, the same bytes each time, and runs', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dsim-sample-')), 'demo');
    const w = await dsim('import', '--sample', dir);
    expect(w.code).toBe(0);
    for (const f of [
      'townships.shp',
      'townships.dbf',
      'townships.prj',
      'townships.geojson',
      'townships.topojson',
      'census.csv',
      'census-gbk.csv',
      'roads.overpass.json',
      'roads.osm.pbf',
      'townships.zip',
      'census.xlsx',
      'facilities.xlsx',
      'depth-rp100-cm.tif',
      'facilities.csv',
      'template.yaml',
      'import.yaml',
    ]) {
      expect(w.out).toContain(join(dir, f));
    }
    const a = await dsim('import', '--inputs', join(dir, 'import.yaml'), '--out', join(dir, 'a'));
    expect(a.err).not.toMatch(/internal error/);
    expect(a.code).toBe(0);
    expect((await dsim('import', '--inputs', join(dir, 'import.yaml'), '--out', join(dir, 'b'))).code).toBe(0);
    for (const f of [
      'scenario.yaml',
      'import-manifest.json',
      'import-report.zh.md',
      'import-report.en.md',
      'import-report.zh.html',
      'zones.geojson',
    ]) {
      expect(readFileSync(join(dir, 'b', f), 'utf8')).toBe(
        readFileSync(join(dir, 'a', f), 'utf8').replaceAll(join(dir, 'a'), join(dir, 'b')),
      );
    }
    const manifest = JSON.parse(readFileSync(join(dir, 'a', 'import-manifest.json'), 'utf8'));
    expect([...new Set(manifest.findings.map((f: { code: string }) => f.code))].sort()).toEqual([
      'census-raster', // 西湖街道: its town's people on the lake shore fall partly in the lake (a hole)
      'coverage', // depth-rp5.tif misses 150 m of the east edge and 河口镇's exclave
      'encoding-fallback', // census-gbk.csv
      'facility-converted', // fire-hekou in GCJ-02
      'population-gap', // the raster's people in 西湖街道's lake, a hole no zone holds
      'roads-apart', // the hamlet of 小王村
      'roads-ignored', // the track
    ]);
    const { scenario } = loadScenario(join(dir, 'a', 'scenario.yaml'));
    // 河口镇 with its exclave: a MultiPolygon; 西湖街道 without its lake: a hole. Nine townships, 454,000 people.
    expect(scenario.district.zones).toHaveLength(9);
    expect(scenario.district.zones.reduce((s, z) => s + z.population, 0)).toBe(454_000);
    expect(scenario.resources.stations.find((s) => s.id === 'fire-hekou')!.zone).toBe('370999106');
    expect(runLocal(scenario, { replications: 20 }).replications).toBe(20);
    // The GeoJSON and TopoJSON forms give the same zones.
    const g = await dsim(
      'import',
      '--inputs',
      join(dir, 'import.yaml'),
      '--zones',
      join(dir, 'townships.geojson'),
      '--out',
      join(dir, 'g'),
    );
    expect(g.code).toBe(0);
    const zonesOf = (p: string) =>
      loadScenario(p).scenario.district.zones.map((z) => [
        z.id,
        z.population,
        Math.round(z.areaKm2! * 10),
        Math.round(z.position.xKm * 100),
      ]);
    expect(zonesOf(join(dir, 'g', 'scenario.yaml'))).toEqual(zonesOf(join(dir, 'a', 'scenario.yaml')));
    // The zipped Shapefile (GBK member names) with the census and facilities in Excel: the same scenario.
    const x = await dsim(
      'import',
      '--inputs',
      join(dir, 'import.yaml'),
      '--zones',
      join(dir, 'townships.zip'),
      '--census',
      join(dir, 'census.xlsx'),
      '--facilities',
      join(dir, 'facilities.xlsx'),
      '--out',
      join(dir, 'x'),
    );
    expect(x.code).toBe(0);
    const withoutSources = (d: string) =>
      JSON.parse(
        JSON.stringify(loadScenario(join(dir, d, 'scenario.yaml')).scenario, (k, v) => (k === 'source' || k === 'geo' ? undefined : v)),
      );
    expect(withoutSources('x')).toEqual(withoutSources('a'));
    const xm = JSON.parse(readFileSync(join(dir, 'x', 'import-manifest.json'), 'utf8'));
    expect(xm.inputs.map((i: { path: string; format: string }) => [i.path.slice(dir.length + 1), i.format]).slice(1, 6)).toEqual([
      ['townships.zip', 'ZIP archive'],
      ['townships.zip!/乡镇界/乡镇界.shp', 'ESRI Shapefile in townships.zip'],
      ['townships.zip!/乡镇界/乡镇界.dbf', 'dBASE (Shapefile attributes) in townships.zip'],
      ['townships.zip!/乡镇界/乡镇界.prj', 'WKT (.prj) in townships.zip'],
      ['census.xlsx', 'Excel workbook (.xlsx), first sheet'],
    ]);
    // The .osm.pbf form of the roads gives the same links, water along them and findings.
    const p = await dsim('import', '--inputs', join(dir, 'import.yaml'), '--roads', join(dir, 'roads.osm.pbf'), '--out', join(dir, 'p'));
    expect(p.code).toBe(0);
    expect(p.err.replaceAll('roads.osm.pbf', 'roads.overpass.json')).toBe(a.err);
    const roadsOf = (d: string) => {
      const sc = loadScenario(join(dir, d, 'scenario.yaml')).scenario as unknown as { roads: { source: string } };
      return { ...sc.roads, source: undefined };
    };
    expect(roadsOf('p')).toEqual(roadsOf('a'));
    const pm = JSON.parse(readFileSync(join(dir, 'p', 'import-manifest.json'), 'utf8'));
    expect(JSON.stringify(pm.findings).replaceAll('roads.osm.pbf', 'roads.overpass.json')).toBe(JSON.stringify(manifest.findings));
    expect(pm.inputs.find((i: { format: string }) => i.format === 'OSM PBF')).toBeDefined();
    // The run report reads the polygons beside the scenario; changed ones are refused, saying so,
    // and the schematic map is drawn instead.
    const report = join(dir, 'a', 'run.html');
    const ok = await dsim('run', join(dir, 'a', 'scenario.yaml'), '-n', '20', '--workers', '1', '--quiet', '--report', report);
    expect([ok.code, ok.err]).toEqual([0, '']);
    expect(readFileSync(report, 'utf8')).toContain('id="map-real"');
    writeFileSync(join(dir, 'a', 'zones.geojson'), readFileSync(join(dir, 'a', 'zones.geojson'), 'utf8').replace('西湖街道', '西湖'));
    const changed = await dsim('run', join(dir, 'a', 'scenario.yaml'), '-n', '20', '--workers', '1', '--quiet', '--report', report);
    expect(changed.code).toBe(0);
    expect(changed.err).toContain("zones.geojson: the zones' polygons cannot be used (its SHA-256 is not the one the scenario names");
    expect(readFileSync(report, 'utf8')).not.toContain('id="map-real"');
    // Not into a folder that holds something.
    const again = await dsim('import', '--sample', dir);
    expect([again.code, again.err]).toEqual([5, expect.stringContaining('not an empty folder')]);
    rmSync(dir, { recursive: true, force: true });
  });
});

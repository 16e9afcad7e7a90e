/**
 * The strongest oracle for the importer: a bundled district written out as the files a county
 * holds — its zones as squares around their positions (WGS84 GeoJSON), its census with
 * households and assets, its links as OSM ways of their length and speed, its depth tables
 * painted into Gauss–Krüger rasters, its stations, warehouses and shelters as a facility list —
 * and imported back. The imported scenario must reproduce the original's zones, travel times
 * and depth tables, and its run the original's KPIs.
 */
import { mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { crsFromEpsg, fromLonLat, localPlane } from '../../src/geo/crs.js';
import { type Area, mapArea } from '../../src/geo/polygon.js';
import { ZoneScan } from '../../src/geo/zonal.js';
import { summarise } from '../../src/kpi/summary.js';
import { runLocal } from '../../src/run/local.js';
import { loadScenario, parseYaml, resolveScenarioPath } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { SECTORS } from '../../src/scenario/schema.js';
import { dsim } from '../helpers.js';

const rpCount = (s: Scenario) =>
  (s.hazards.find((h) => h.type === 'flood') as unknown as { zones: FloodTable[] }).zones[0]!.returnPeriodYears.length;

type FloodTable = { zone: string; returnPeriodYears: number[]; depthM: number[]; floodedShare: number[] };
const CELL_M = 100;

function travelTimes(s: Pick<Scenario, 'district' | 'roads'>): number[][] {
  const ids = s.district.zones.map((z) => z.id);
  const n = ids.length;
  const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (const l of s.roads.links) {
    const i = ids.indexOf(l.from);
    const j = ids.indexOf(l.to);
    m[i]![j] = m[j]![i] = Math.min(m[i]![j]!, (l.lengthKm / l.speedKmh) * 60);
  }
  for (let k = 0; k < n; k++) for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) m[i]![j] = Math.min(m[i]![j]!, m[i]![k]! + m[k]![j]!);
  return m;
}

/** Writes `name`'s district as a county's files; returns the command line and what was painted. */
function writeDistrict(name: string) {
  const file = resolveScenarioPath(name);
  const { scenario } = loadScenario(name);
  const raw = parseYaml(readFileSync(file, 'utf8')).data as Record<string, any>;
  const dir = mkdtempSync(join(tmpdir(), 'dsim-roundtrip-'));
  const p = (f: string) => join(dir, f);
  const plane = localPlane(118, 36.9);
  const zones = scenario.district.zones;
  let side = 5;
  for (const a of zones)
    for (const b of zones)
      if (a !== b)
        side = Math.min(side, 0.9 * Math.max(Math.abs(a.position.xKm - b.position.xKm), Math.abs(a.position.yKm - b.position.yKm)));
  const squareKm = (x: number, y: number): Area => [
    [
      [
        [x - side / 2, y - side / 2],
        [x + side / 2, y - side / 2],
        [x + side / 2, y + side / 2],
        [x - side / 2, y + side / 2],
        [x - side / 2, y - side / 2],
      ],
    ],
  ];
  const lonlat = zones.map((z) => mapArea(squareKm(z.position.xKm, z.position.yKm), plane.fromKm));
  writeFileSync(
    p('zones.geojson'),
    JSON.stringify({
      type: 'FeatureCollection',
      crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:OGC:1.3:CRS84' } },
      features: zones.map((z, i) => ({
        type: 'Feature',
        properties: { code: z.id, name: z.nameZh ?? z.name },
        geometry: { type: 'Polygon', coordinates: lonlat[i]![0] },
      })),
    }),
  );
  writeFileSync(
    p('census.csv'),
    `code,name,population,households,${SECTORS.join(',')}\n${zones.map((z) => [z.id, z.nameZh ?? z.name, z.population, z.households, ...SECTORS.map((s) => z.assetsCny[s] ?? 0)].join(',')).join('\n')}\n`,
  );
  // Roads: one way per link, bent at its middle so that its length is the link's.
  const elements: object[] = zones.map((z, i) => {
    const [lon, lat] = plane.fromKm(z.position.xKm, z.position.yKm);
    return { type: 'node', id: i + 1, lon, lat };
  });
  scenario.roads.links.forEach((l, k) => {
    const a = zones.find((z) => z.id === l.from)!.position;
    const b = zones.find((z) => z.id === l.to)!.position;
    const d = Math.hypot(b.xKm - a.xKm, b.yKm - a.yKm);
    const h = l.lengthKm > d ? Math.sqrt((l.lengthKm / 2) ** 2 - (d / 2) ** 2) : 0;
    const [mx, my] = [(a.xKm + b.xKm) / 2 - (h * (b.yKm - a.yKm)) / d, (a.yKm + b.yKm) / 2 + (h * (b.xKm - a.xKm)) / d];
    const [lon, lat] = plane.fromKm(mx, my);
    elements.push({ type: 'node', id: 1000 + k, lon, lat });
    const ia = zones.findIndex((z) => z.id === l.from) + 1;
    const ib = zones.findIndex((z) => z.id === l.to) + 1;
    elements.push({ type: 'way', id: 5000 + k, nodes: [ia, 1000 + k, ib], tags: { highway: 'primary', maxspeed: String(l.speedKmh) } });
  });
  writeFileSync(p('roads.json'), JSON.stringify({ elements }));
  // Depth: for each return period, a raster in EPSG:4548 with the first share × N cells of each
  // zone (in scan order) at the table's depth.
  const gk = crsFromEpsg(4548)!;
  const inGk = lonlat.map((a) => mapArea(a, fromLonLat(gk)));
  const xs = inGk.flatMap((a) => a[0]![0]!.map((q) => q[0]));
  const ys = inGk.flatMap((a) => a[0]![0]!.map((q) => q[1]));
  const x0 = Math.floor(Math.min(...xs) / CELL_M) * CELL_M - 1000;
  const y1 = Math.ceil(Math.max(...ys) / CELL_M) * CELL_M + 1000;
  const width = Math.ceil((Math.max(...xs) + 1000 - x0) / CELL_M);
  const height = Math.ceil((y1 - Math.min(...ys) + 1000) / CELL_M);
  const grid = { width, height, originX: x0, originY: y1, cellX: CELL_M, cellY: -CELL_M };
  const scan = new ZoneScan(grid, inGk);
  const cells: number[][] = zones.map(() => []);
  for (let r = 0; r < height; r++)
    for (const run of scan.row(r)) for (let c = run.from; c < run.to; c++) cells[run.zone]!.push(r * width + c);
  const flood = scenario.hazards.find((h) => h.type === 'flood') as unknown as { zones: FloodTable[] };
  const rps = flood.zones[0]!.returnPeriodYears;
  const depthArgs: string[] = [];
  for (const [k, rp] of rps.entries()) {
    const v = new Float32Array(width * height);
    for (const t of flood.zones) {
      const zc = cells[zones.findIndex((z) => z.id === t.zone)]!;
      const wet = Math.round(t.floodedShare[k]! * zc.length);
      for (let i = 0; i < wet; i++) v[zc[i]!] = t.depthM[k]!;
    }
    writeFileSync(
      p(`depth-${rp}.tif`),
      Buffer.from(
        writeArrayBuffer(v, {
          width,
          height,
          ModelPixelScale: [CELL_M, CELL_M, 0],
          ModelTiepoint: [0, 0, 0, x0, y1, 0],
          ProjectedCSTypeGeoKey: 4548,
          GTModelTypeGeoKey: 1,
          GTRasterTypeGeoKey: 1,
        }),
      ),
    );
    depthArgs.push('--depth', `${rp}=${p(`depth-${rp}.tif`)}`);
  }
  // Facilities: each station and warehouse 300 m north-east of its zone's centre; a shelter per zone with places.
  const at = (zone: string) => {
    const q = zones.find((z) => z.id === zone)!.position;
    return plane.fromKm(q.xKm + 0.3, q.yKm + 0.3).map((v) => v.toFixed(8));
  };
  const rows = [
    ...scenario.resources.stations.map((s) => `${s.id},station,${s.name},${at(s.zone).join(',')},`),
    ...scenario.resources.warehouses.map((w) => `${w.id},warehouse,${w.name},${at(w.zone).join(',')},`),
    ...zones
      .filter((z) => z.shelterPlaces > 0)
      .map(
        (z) =>
          `shelter-${z.id},shelter,shelter,${plane
            .fromKm(z.position.xKm - 0.3, z.position.yKm)
            .map((v) => v.toFixed(8))
            .join(',')},${z.shelterPlaces}`,
      ),
  ];
  writeFileSync(p('facilities.csv'), `id,kind,name,lon,lat,places\n${rows.join('\n')}\n`);
  // The template: the scenario without its district's geography, with an import block.
  const template = structuredClone(raw);
  delete template.district.zones;
  template.roads = {};
  template.import = {
    assetsPerCapitaCny: {},
    closesAtDepthM: scenario.roads.links[0]!.closesAtDepthM,
    wetThresholdM: 0.01,
  };
  writeFileSync(p('template.yaml'), stringify(template));
  const out = join(dir, 'out');
  mkdirSync(out);
  const args = [
    'import',
    '--template',
    p('template.yaml'),
    '--zones',
    p('zones.geojson'),
    '--census',
    p('census.csv'),
    '--roads',
    p('roads.json'),
    ...depthArgs,
    '--facilities',
    p('facilities.csv'),
    '--out',
    out,
  ];
  return { scenario, args, out, cells: zones.map((z, i) => [z.id, cells[i]!.length] as const), side };
}

describe.each(['huantai/flood-50y', 'yanzhou/flood-50y'])('%s written out as county files and imported back', (name) => {
  it('reproduces its zones, travel times, depth tables and facilities, and its run', async () => {
    const d = writeDistrict(name);
    const r = await dsim(...d.args);
    expect(r.err).not.toMatch(/internal error|at .*\.ts:\d+/);
    expect(r.code).toBe(0);
    const { scenario: imported } = loadScenario(join(d.out, 'scenario.yaml'));
    const original = d.scenario;
    // Zones: the same figures; positions to 10 m; shelter places from the facility list.
    expect(imported.district.zones.map((z) => [z.id, z.population, z.households, z.assetsCny, z.shelterPlaces])).toEqual(
      original.district.zones.map((z) => [
        z.id,
        z.population,
        z.households,
        Object.fromEntries(SECTORS.map((s) => [s, z.assetsCny[s] ?? 0])),
        z.shelterPlaces,
      ]),
    );
    for (const [i, z] of imported.district.zones.entries()) {
      expect(Math.abs(z.position.xKm - original.district.zones[i]!.position.xKm)).toBeLessThan(0.01);
      expect(Math.abs(z.position.yKm - original.district.zones[i]!.position.yKm)).toBeLessThan(0.01);
      expect(z.areaKm2!).toBeCloseTo(d.side ** 2, 1);
    }
    // Travel times between every pair of zones over the links: within 1% of the original's.
    const a = travelTimes(original);
    const b = travelTimes(imported);
    for (let i = 0; i < a.length; i++)
      for (let j = 0; j < a.length; j++) if (i !== j) expect(Math.abs(b[i]![j]! - a[i]![j]!) / a[i]![j]!).toBeLessThan(0.01);
    // Depth tables: shares to one cell of the zone (rounded to 4 places), depths to 5 mm.
    const before = (original.hazards.find((h) => h.type === 'flood') as unknown as { zones: FloodTable[] }).zones;
    const after = new Map(
      (imported.hazards.find((h) => h.type === 'flood') as unknown as { zones: FloodTable[] }).zones.map((t) => [t.zone, t]),
    );
    for (const t of before) {
      const u = after.get(t.zone)!;
      const n = d.cells.find(([id]) => id === t.zone)![1];
      expect(u.returnPeriodYears).toEqual(t.returnPeriodYears);
      t.floodedShare.forEach((s, k) => expect(Math.abs(u.floodedShare[k]! - s)).toBeLessThanOrEqual(0.5 / n + 5e-5));
      t.depthM.forEach((v, k) => expect(Math.abs(u.depthM[k]! - v)).toBeLessThan(0.005));
    }
    expect(imported.resources.stations.map((s) => s.zone)).toEqual(original.resources.stations.map((s) => s.zone));
    expect(imported.resources.warehouses.map((w) => w.zone)).toEqual(original.resources.warehouses.map((w) => w.zone));
    // The runs: each KPI's mean inside the other's 95% interval widened by its own.
    const run = (s: Scenario) => {
      const o = runLocal(s, { replications: 400, seed: 11 });
      return summarise(o.model, o.acc, o.seed).kpis;
    };
    // The imported links carry the water along their roads; the painted rasters put a zone's water
    // in its first rows, not on its roads, so the runs are compared with the original's rule (links
    // closing by their end zones).
    expect(imported.roads.links.every((l) => l.flood?.returnPeriodYears.length === rpCount(original))).toBe(true);
    const ka = run(original);
    const kb = run({ ...imported, roads: { ...imported.roads, links: imported.roads.links.map(({ flood: _, ...l }) => l) } });
    for (const k of ['reliefWithinDeadline', 'lossRatio', 'responseTimeMinutes'] as const) {
      const [lo, hi] = ka[k].ci95 as [number, number];
      const [lo2, hi2] = kb[k].ci95 as [number, number];
      expect(Math.abs(kb[k].mean! - ka[k].mean!)).toBeLessThanOrEqual((hi - lo) / 2 + (hi2 - lo2) / 2 + 1e-9);
    }
  });
});

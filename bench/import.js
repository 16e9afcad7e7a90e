#!/usr/bin/env node
/**
 * `dsim import` speed and memory: the sample county (示范县) end to end, and the same county with
 * one depth raster of SIZE × SIZE Float32 cells (default 5,000: 100 MB of cells, tiled 512 and
 * deflated) to measure raster
 * streaming; with --county, the county-sized case of bench/county-gen.js (60 townships, a 75 MB
 * .osm.pbf, four 10,000 × 10,000 depth rasters; generating it takes about a minute). Each import
 * runs in a child process of its own, which reports its wall time and peak RSS.
 * Reproduce: `npm run build && node bench/import.js [--rounds 3] [--size 5000] [--county]`.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { cpus, tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';

const { values } = parseArgs({ options: { rounds: { type: 'string' }, size: { type: 'string' }, county: { type: 'boolean' } } });
const rounds = Number(values.rounds ?? 3);
const size = Number(values.size ?? 5000);
const dir = mkdtempSync(join(tmpdir(), 'dsim-bench-import-'));
execFileSync(process.execPath, ['bin/dsim.js', 'import', '--sample', join(dir, 'demo')]);

const child = `
import { runImport } from '${new URL('../dist/import/pipeline.js', import.meta.url).href}';
const spec = JSON.parse(process.argv[1]);
const t0 = performance.now();
const r = await runImport(spec);
const ms = performance.now() - t0;
process.stdout.write(JSON.stringify({ ms, maxRssMb: process.resourceUsage().maxRSS / 1024, zones: r.zones.length, findings: r.log.findings.length }));
`;
const run = (spec) =>
  JSON.parse(execFileSync(process.execPath, ['--input-type=module', '-e', child, JSON.stringify(spec)], { encoding: 'utf8' }));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

const d = (f) => join(dir, 'demo', f);
const sample = {
  template: d('template.yaml'),
  zones: d('townships.shp'),
  census: d('census-gbk.csv'),
  roads: d('roads.overpass.json'),
  population: d('population-3s.tif'),
  facilities: d('facilities.csv'),
  depth: [
    { returnPeriodYears: 5, file: d('depth-rp5.tif') },
    { returnPeriodYears: 20, file: d('depth-rp20.tif') },
    { returnPeriodYears: 50, file: d('depth-rp50.tif') },
    { returnPeriodYears: 100, file: d('depth-rp100-cm.tif'), unit: 'cm' },
  ],
};

// The large raster: the sample county's extent (EPSG:4548, x 584–606 km, y 4069–4089 km) at SIZE
// cells a side, tiled 512 × 512 and deflated as a 洪水风险图 export from GIS software usually is.
// Written by a child of its own: a child forked from a parent holding the cells would start with
// their pages in its peak RSS.
const large = join(dir, 'large.tif');
const writer = `
import { writeFileSync } from 'node:fs';
import { writeTiff } from '${new URL('../dist/geo/tiff-write.js', import.meta.url).href}';
const size = ${size};
const values = new Float32Array(size * size);
for (let r = 0; r < size; r++)
  for (let c = 0; c < size; c++) values[r * size + c] = Math.max(0, 1.2 - Math.abs(r / size - 0.3) * 6) * (c % 7 === 0 ? 1 : 0.9);
writeFileSync(${JSON.stringify(large)}, writeTiff(values, { width: size, height: size, originX: 584000, originY: 4089000, cellX: 22000 / size, cellY: -20000 / size, epsg: 4548, layout: { tiles: 512 }, deflate: true }));
`;
execFileSync(process.execPath, ['--input-type=module', '-e', writer]);

const cases = [];
if (values.county) {
  const c = (f) => join(dir, 'county', f);
  execFileSync(process.execPath, [new URL('county-gen.js', import.meta.url).pathname, join(dir, 'county')]);
  cases.push([
    'county: 60 townships, 75 MB .osm.pbf (8.5 M nodes, 2.1 M ways), four 10,000² Float32 depth rasters, facilities',
    {
      template: c('template.yaml'),
      zones: c('townships.geojson'),
      census: c('census.csv'),
      roads: c('roads.osm.pbf'),
      facilities: c('facilities.csv'),
      depth: [5, 20, 50, 100].map((rp) => ({ returnPeriodYears: rp, file: c(`depth-rp${rp}.tif`) })),
    },
  ]);
}
const results = [];
for (const [name, spec] of [
  ['sample county (9 townships, 4 depth rasters 440×400, population 3″, roads, facilities)', sample],
  [
    `one depth raster of ${size.toLocaleString('en')}² Float32 (${((size * size * 4) / 1e6).toFixed(0)} MB of cells, tiled, deflate)`,
    { ...sample, depth: [{ returnPeriodYears: 50, file: large }] },
  ],
  ...cases,
]) {
  const rs = Array.from({ length: rounds }, () => run(spec));
  results.push({ name, ms: median(rs.map((r) => r.ms)), maxRssMb: Math.max(...rs.map((r) => r.maxRssMb)) });
}
console.log(`dsim import, ${rounds} rounds each (median time, peak RSS), ${cpus()[0]?.model ?? 'unknown CPU'}, Node ${process.version}`);
for (const r of results) console.log(`  ${r.name}: ${(r.ms / 1000).toFixed(2)} s, ${r.maxRssMb.toFixed(0)} MB`);
rmSync(dir, { recursive: true, force: true });

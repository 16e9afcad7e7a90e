#!/usr/bin/env node
/**
 * A county-sized import case for bench/import.js, generated (no download): 60 townships (10 × 6
 * rectangles over 60 × 50 km of EPSG:4548 around the sample county, the sample's nine codes
 * among them so its template applies), their census, an .osm.pbf of about 8.3 M nodes and
 * 1.26 M ways (a 500 × 500 street lattice with four shape nodes a block, primary and secondary roads
 * through the townships' centres, plus 1.57 M buildings as closed ways, which the importer skips),
 * and four 10,000 × 10,000 Float32 depth rasters (tiled 512, deflate), each written by a child
 * of its own so no process holds two. Seeded: the same bytes every time.
 *   node bench/county-gen.js DIR            (after npm run build)
 */
import { execFileSync } from 'node:child_process';
import { copyFileSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const dist = (m) => new URL(`../dist/${m}`, import.meta.url).href;
const [dir, part, arg] = process.argv.slice(2);
if (!dir) {
  console.error('usage: node bench/county-gen.js DIR');
  process.exit(2);
}
const X0 = 560_000;
const Y0 = 4_040_000;
const W = 60_000;
const H = 50_000;

if (part === 'raster') {
  // One depth raster: a river band running north-east, deeper with the return period.
  const { writeTiff } = await import(dist('geo/tiff-write.js'));
  const rp = Number(arg);
  const size = 10_000;
  const values = new Float32Array(size * size);
  const peak = { 5: 0.6, 20: 1.2, 50: 1.8, 100: 2.4 }[rp];
  for (let r = 0; r < size; r++)
    for (let c = 0; c < size; c++) {
      const d = Math.abs(r / size - 0.25 - 0.5 * (c / size)) * 8;
      values[r * size + c] = Math.max(0, peak - d);
    }
  writeFileSync(
    join(dir, `depth-rp${rp}.tif`),
    writeTiff(values, {
      width: size,
      height: size,
      originX: X0,
      originY: Y0 + H,
      cellX: W / size,
      cellY: -H / size,
      epsg: 4548,
      layout: { tiles: 512 },
      deflate: true,
    }),
  );
  process.exit(0);
}

mkdirSync(dir, { recursive: true });
const { toLonLat, crsFromEpsg } = await import(dist('geo/crs.js'));
const { writeOsmPbf } = await import(dist('geo/osm-pbf.js'));
const { writeSampleCounty } = await import(dist('import/sample.js'));
const toWgs = toLonLat(crsFromEpsg(4548));
let seed = 20261203;
const rand = () => {
  seed = (seed + 0x6d2b79f5) >>> 0;
  let t = Math.imul(seed ^ (seed >>> 15), seed | 1);
  t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
  return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
};

// Townships: 10 columns × 6 rows; the sample's nine codes first, then 370999201….
const sampleDir = join(dir, 'sample');
writeSampleCounty(sampleDir);
const codes = ['370999101', '370999102', '370999103', '370999001', '370999002', '370999003', '370999104', '370999105', '370999106'];
for (let i = 201; codes.length < 60; i++) codes.push(`370999${i}`);
const features = [];
const census = ['代码,名称,常住人口,户数'];
for (let k = 0; k < 60; k++) {
  const [c, r] = [k % 10, Math.floor(k / 10)];
  const [x0, y0, x1, y1] = [X0 + c * 6000, Y0 + r * (H / 6), X0 + (c + 1) * 6000, Y0 + (r + 1) * (H / 6)];
  const ring = [
    [x0, y0],
    [x1, y0],
    [x1, y1],
    [x0, y1],
    [x0, y0],
  ].map(([x, y]) => toWgs(x, y).map((v) => Math.round(v * 1e7) / 1e7));
  features.push({
    type: 'Feature',
    properties: { code: codes[k], name: `乡镇${k + 1}` },
    geometry: { type: 'Polygon', coordinates: [ring] },
  });
  const people = 20_000 + Math.round(rand() * 40_000);
  census.push(`${codes[k]},乡镇${k + 1},${people},${Math.round(people / 2.8)}`);
}
writeFileSync(join(dir, 'townships.geojson'), JSON.stringify({ type: 'FeatureCollection', features }));
writeFileSync(join(dir, 'census.csv'), `${census.join('\n')}\n`);

// Roads: a lattice of N × N junctions, 4 shape nodes between neighbours; buildings beside.
const N = 500;
const M = 4;
const roadNodes = N * N + 2 * N * (N - 1) * M;
const BUILDINGS = 1_570_000;
const total = roadNodes + BUILDINGS * 4;
const id = new Float64Array(total);
const lon = new Float64Array(total);
const lat = new Float64Array(total);
let n = 0;
const node = (x, y) => {
  const [a, b] = toWgs(x, y);
  id[n] = n + 1;
  lon[n] = a;
  lat[n] = b;
  return ++n;
};
const [dx, dy] = [W / (N - 1), H / (N - 1)];
for (let r = 0; r < N; r++) for (let c = 0; c < N; c++) node(X0 + c * dx + (rand() - 0.5) * 10, Y0 + r * dy + (rand() - 0.5) * 10);
const junction = (r, c) => r * N + c + 1;
const mainCols = new Set(Array.from({ length: 10 }, (_, k) => Math.round((3000 + 6000 * k) / dx)));
const mainRows = new Set(Array.from({ length: 6 }, (_, k) => Math.round(((k + 0.5) * H) / 6 / dy)));
const segments = [];
for (let r = 0; r < N; r++)
  for (let c = 0; c < N; c++)
    for (const [r2, c2] of [
      [r, c + 1],
      [r + 1, c],
    ]) {
      if (r2 >= N || c2 >= N) continue;
      const [a, b] = [junction(r, c) - 1, junction(r2, c2) - 1];
      const refs = [a + 1];
      for (let k = 1; k <= M; k++) {
        const f = k / (M + 1);
        // Shape nodes in metres: back to the plane by the lattice's own spacing.
        const [x, y] = [X0 + (c + (c2 - c) * f) * dx + (rand() - 0.5) * 8, Y0 + (r + (r2 - r) * f) * dy + (rand() - 0.5) * 8];
        refs.push(node(x, y));
      }
      refs.push(b + 1);
      // The lattice lines nearest the townships' centre lines are their main roads (town
      // centres lie on them, as real ones do): primary east–west, secondary north–south.
      const highway = r2 === r ? (mainRows.has(r) ? 'primary' : 'residential') : mainCols.has(c) ? 'secondary' : 'residential';
      segments.push({ refs, highway });
    }
const buildings = [];
for (let k = 0; k < BUILDINGS; k++) {
  const [x, y] = [X0 + rand() * W, Y0 + rand() * H];
  const first = node(x, y);
  node(x + 12, y);
  node(x + 12, y + 9);
  node(x, y + 9);
  buildings.push(first);
}
function* ways() {
  let wid = 1;
  for (const s of segments) yield { id: wid++, refs: s.refs, tags: { highway: s.highway } };
  for (const b of buildings) yield { id: wid++, refs: [b, b + 1, b + 2, b + 3, b], tags: { building: 'yes' } };
}
writeFileSync(
  join(dir, 'roads.osm.pbf'),
  writeOsmPbf({ id: id.subarray(0, n), lon: lon.subarray(0, n), lat: lat.subarray(0, n) }, ways(), { info: true }),
);
copyFileSync(join(sampleDir, 'template.yaml'), join(dir, 'template.yaml'));
copyFileSync(join(sampleDir, 'facilities.csv'), join(dir, 'facilities.csv'));
for (const rp of [5, 20, 50, 100]) execFileSync(process.execPath, [new URL(import.meta.url).pathname, dir, 'raster', String(rp)]);
writeFileSync(
  join(dir, 'import.yaml'),
  `template: template.yaml\nzones: townships.geojson\ncensus: census.csv\nroads: roads.osm.pbf\nfacilities: facilities.csv\ndepth:\n${[
    5, 20, 50, 100,
  ]
    .map((rp) => `  - { returnPeriodYears: ${rp}, file: depth-rp${rp}.tif }`)
    .join('\n')}\n`,
);
console.log(
  `${dir}: 60 townships, ${n.toLocaleString('en')} nodes, ${(segments.length + buildings.length).toLocaleString('en')} ways, 4 rasters of 10,000²`,
);

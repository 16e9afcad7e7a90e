/**
 * A small county written from literals, in the forms offices hold: township squares of 5 km in
 * CGCS2000 Gauss–Krüger (EPSG:4548, declared the legacy GeoJSON way), a GBK census with
 * 12-digit codes, OSM roads as Overpass JSON, 100 m depth rasters (Float32 GeoTIFF, nodata
 * −9999) and a facility list with a BOM and one point in GCJ-02. Every expected figure is by hand.
 *
 *   C 370321103 起凤镇 [590–595 km E, 4090–4095 km N], a 1 km² hole at [591–592, 4091–4092]
 *   A 370321101 索镇街道 [590–595, 4085–4090]     B 370321102 少海街道 [595–600, 4085–4090]
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeArrayBuffer } from 'geotiff';
import { crsFromEpsg, fromLonLat, GCJ02, toLonLat } from '../../src/geo/crs.js';
import { encodeGbk } from '../geo/gbk.js';

const GK = crsFromEpsg(4548)!;
export const lonLatOf = (x: number, y: number): [number, number] => toLonLat(GK)(x, y);

const square = (x0: number, y0: number, s: number): number[][] => [
  [x0, y0],
  [x0 + s, y0],
  [x0 + s, y0 + s],
  [x0, y0 + s],
  [x0, y0],
];

export const ZONES = [
  { code: '370321101', name: '索镇街道', ring: [square(590_000, 4_085_000, 5000)] },
  { code: '370321102', name: '少海街道', ring: [square(595_000, 4_085_000, 5000)] },
  { code: '370321103', name: '起凤镇', ring: [square(590_000, 4_090_000, 5000), square(591_000, 4_091_000, 1000).reverse()] },
];

export function zonesGeoJson(order: number[] = [0, 1, 2]): string {
  return JSON.stringify({
    type: 'FeatureCollection',
    crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4548' } },
    features: order.map((i) => ({
      type: 'Feature',
      properties: { XZQDM: ZONES[i]!.code, XZQMC: ZONES[i]!.name },
      geometry: { type: 'Polygon', coordinates: ZONES[i]!.ring },
    })),
  });
}

export function censusGbk(reverse = false): Uint8Array {
  const rows = [
    '370321101000,索镇街道,100000,35000',
    '370321102000,少海街道,60000,21400',
    '370321103000,起凤镇,55000,19600',
    '370321199000,不存在镇,1000,400',
  ];
  return encodeGbk(`统计用区划代码,名称,常住人口,户数\n${(reverse ? rows.reverse() : rows).join('\n')}\n`);
}

/** Hubs are the zones' centroids; C's is pulled off its hole: (25·592.5 − 591.5)/24 km. */
export const HUBS_GK: [number, number][] = [
  [592_500, 4_087_500],
  [597_500, 4_087_500],
  [(25 * 592_500 - 591_500) / 24, (25 * 4_092_500 - 4_091_500) / 24],
];

export function overpassJson(): string {
  const node = (id: number, x: number, y: number) => {
    const [lon, lat] = lonLatOf(x, y);
    return { type: 'node', id, lon, lat };
  };
  const [a, b, c] = HUBS_GK;
  return JSON.stringify({
    elements: [
      node(1, a![0], a![1]),
      node(2, b![0], b![1]),
      node(3, c![0], c![1]),
      node(4, 595_000, 4_087_500),
      node(5, 593_000, 4_086_000),
      // A–B primary (60 km/h) through node 4: 5 km → 5 min.
      { type: 'way', id: 10, nodes: [1, 4, 2], tags: { highway: 'primary' } },
      // A–C secondary (50 km/h): the straight line between the hubs.
      { type: 'way', id: 11, nodes: [1, 3], tags: { highway: 'secondary' } },
      // B–C tertiary with maxspeed 20: 7.1 km at 20 km/h is slower than through A → no link.
      { type: 'way', id: 12, nodes: [2, 3], tags: { highway: 'tertiary', maxspeed: '20' } },
      // A track: not a road for trucks by default, reported.
      { type: 'way', id: 13, nodes: [1, 5], tags: { highway: 'track' } },
    ],
  });
}

/**
 * 100 × 100 cells of 100 m over [590, 600] × [4085, 4095] km (row 0 at the top, y 4095 km).
 * rp20: A's western 5 columns at 0.5 m (250 of its 2,500 cells).
 * rp50: A's western 10 columns at 1.0 m (500); B's columns 50–54 at 0.25 m (250), one B cell
 *       nodata; the cells of C's hole at 3 m (outside C: not counted); C else dry.
 */
export function depthTiff(rp: 20 | 50, opts: { dropC?: boolean } = {}): ArrayBuffer {
  const w = 100;
  const h = 100;
  const v = new Float32Array(w * h);
  for (let r = 0; r < h; r++)
    for (let c = 0; c < w; c++) {
      const inA = r >= 50 && c < 50;
      const inB = r >= 50 && c >= 50;
      const inHole = r >= 30 && r < 40 && c >= 10 && c < 20;
      let d = 0;
      if (inA && c < (rp === 20 ? 5 : 10)) d = rp === 20 ? 0.5 : 1.0;
      if (rp === 50 && inB && c < 55) d = 0.25;
      if (rp === 50 && inB && r === 99 && c === 99) d = -9999;
      if (inHole) d = 3;
      if (opts.dropC && r < 50 && c < 50) d = -9999;
      v[r * w + c] = d;
    }
  return writeArrayBuffer(v, {
    width: w,
    height: h,
    ModelPixelScale: [100, 100, 0],
    ModelTiepoint: [0, 0, 0, 590_000, 4_095_000, 0],
    ProjectedCSTypeGeoKey: 4548,
    GTModelTypeGeoKey: 1,
    GTRasterTypeGeoKey: 1,
    GDAL_NODATA: '-9999',
  });
}

export function facilitiesCsv(): string {
  const [a] = HUBS_GK;
  const at = (x: number, y: number) => lonLatOf(x, y).map((v) => v.toFixed(7));
  const gcj = fromLonLat(GCJ02)(...lonLatOf(593_000, 4_093_500)).map((v) => v.toFixed(7));
  const rows = [
    `fire-a,station,索镇消防救援站,${at(a![0] + 200, a![1] + 200).join(',')},,`,
    `store-1,warehouse,县应急物资储备中心,${at(597_000, 4_087_000).join(',')},,`,
    `shelter-c,避难场所,起凤镇中学,${at(593_500, 4_093_000).join(',')},,800`,
    `fire-x,station,起凤镇专职队,${gcj.join(',')},gcj02,`,
    `far-1,shelter,县外,${at(620_000, 4_087_000).join(',')},,50`,
  ];
  return `\ufeffid,kind,name,lon,lat,crs,places\n${rows.join('\n')}\n`;
}

export const TEMPLATE = `
schemaVersion: 1
id: demo-county-flood
name: "Demo county: a 50-year flood"
nameZh: "示范县：50年一遇洪水"
seed: 7
replications: 200
district:
  name: Demo county
  gdpCnyPerYear: 3.0e10
  source: "estimate: test template"
resources:
  stations:
    - { id: fire-a, name: "Suozhen fire station", zone: "370321103", teams: [{ type: water-rescue, count: 2, crew: 6, turnoutMinutes: 5 }] }
  warehouses:
    - { id: store-1, name: "County reserve", zone: "370321103", stock: { food: 20000, water: 20000, bedding: 5000, tent: 1000, medical: 200 } }
  fleet:
    - { id: trucks, name: "Trucks", depot: store-1, count: 5, payloadKg: 5000, speedKmh: 50, loadMinutes: 30, unloadMinutes: 20 }
response:
  activationMinutes: { dist: triangular, min: 30, mode: 60, max: 120 }
hazards:
  - type: flood
    id: river-50y
    severity: { distribution: gumbel, location: 600, scale: 250, unit: m3/s }
    event: { returnPeriodYears: 50 }
    warningLeadHours: { dist: uniform, min: 2, max: 6 }
    displacementDepthM: 0.5
    zones:
      - { zone: "370321101", returnPeriodYears: [50], depthM: [0], floodedShare: [0], evacuateTo: "370321103" }
    stranded: { shareWithoutWarning: 0.3, evacuationTimeConstantHours: 2, groupSize: 10, callWindowHours: 6 }
    rescue: { teamTypes: [water-rescue], workMinutes: { dist: lognormal, mean: 60, sd: 30 }, waterSpeedKmh: 8 }
    roadReopenHours: { dist: uniform, min: 6, max: 24 }
targets: { reliefDeadlineHours: 12, reliefShare: 1, responseTimeMinutes: 120, responseShare: 1, lossRatioMax: 0.01 }
import:
  householdSize: 2.8
  assetsPerCapitaCny: { residential: 150000, agriculture: 20000 }
  closesAtDepthM: 0.5
`;

/** Writes the county into a fresh folder; returns the paths. */
export function writeCounty(o: { order?: number[]; reverseCensus?: boolean; dropC?: boolean } = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'dsim-county-'));
  const p = (f: string) => join(dir, f);
  writeFileSync(p('townships.geojson'), zonesGeoJson(o.order));
  writeFileSync(p('census-gbk.csv'), censusGbk(o.reverseCensus));
  writeFileSync(p('roads.overpass.json'), overpassJson());
  writeFileSync(p('depth-rp20.tif'), Buffer.from(depthTiff(20)));
  writeFileSync(p('depth-rp50.tif'), Buffer.from(depthTiff(50, { dropC: o.dropC === true })));
  writeFileSync(p('facilities.csv'), facilitiesCsv());
  writeFileSync(p('template.yaml'), TEMPLATE);
  return {
    dir,
    args: [
      '--template',
      p('template.yaml'),
      '--zones',
      p('townships.geojson'),
      '--census',
      p('census-gbk.csv'),
      '--roads',
      p('roads.overpass.json'),
      '--depth',
      `20=${p('depth-rp20.tif')}`,
      '--depth',
      `50=${p('depth-rp50.tif')}`,
      '--facilities',
      p('facilities.csv'),
    ],
    p,
  };
}

/**
 * People per 500 m cell over [590, 600] × [4085, 4095] km (20 × 20, top row at 4095 km): all of
 * A's 50,000 in its western column (x 590–590.5 km, 5,000 a cell), B's 60,000 spread evenly (600 a
 * cell), nobody in C. The census says A 100,000 (ratio 2), B 60,000 (ratio 1).
 */
export function populationTiff(): ArrayBuffer {
  const v = new Float32Array(20 * 20);
  for (let r = 10; r < 20; r++) {
    v[r * 20] = 5000;
    for (let c = 10; c < 20; c++) v[r * 20 + c] = 600;
  }
  return writeArrayBuffer(v, {
    width: 20,
    height: 20,
    ModelPixelScale: [500, 500, 0],
    ModelTiepoint: [0, 0, 0, 590_000, 4_095_000, 0],
    ProjectedCSTypeGeoKey: 4548,
    GTModelTypeGeoKey: 1,
    GTRasterTypeGeoKey: 1,
  });
}

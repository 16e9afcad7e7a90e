/**
 * 示范县, a synthetic county to learn `dsim import` from and to test it with, written in the forms
 * a county's offices hand out: township boundaries as a GBK Shapefile in CGCS2000 Gauss–Krüger
 * (EPSG:4548, a .prj, no .cpg; also zipped, member names in GBK), as WGS84 GeoJSON and as TopoJSON — irregular townships, one with a
 * lake (a hole), one with an exclave (a MultiPolygon); a 七普-style census with 12-digit codes, in
 * UTF-8 with a BOM, in GBK and as an Excel workbook; OSM roads as Overpass JSON and as .osm.pbf (a oneway pair, a track, a hamlet off
 * the network); a WorldPop-like population raster 8% short of the census; flood-depth rasters
 * for four return periods in four layouts (strips and tiles, plain and deflate; Float32 in metres,
 * one Int16 in centimetres; one missing the edge of a township); a facility list with one point picked on a
 * web map (GCJ-02); the template; and import.yaml naming them all. Seeded: the same bytes on
 * every machine. Every figure in it is invented and says so.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { crsFromEpsg, fromLonLat, GCJ02, toLonLat } from '../geo/crs.js';
import { writeOsmPbf } from '../geo/osm-pbf.js';
import { writeDbf, writeShp } from '../geo/shapefile.js';
import { encodeGbk } from '../geo/text.js';
import { writeTiff } from '../geo/tiff-write.js';
import { writeXlsx } from '../geo/xlsx.js';
import { writeZip } from '../geo/zip.js';

const GK = crsFromEpsg(4548)!;
const PRJ =
  'PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

/** A small seeded generator (mulberry32): the sample must not depend on Math.random. */
function random(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

const X0 = 585_000; // west edge, m (EPSG:4548)
const Y0 = 4_070_000; // south edge, m
const CELL = 6_000; // a township is about 6 × 6 km
export const SAMPLE_TOWNSHIPS = [
  // row 0 (south) to row 2 (north), west to east
  { code: '370999101', name: '南山镇', population: 38_000, households: 13_900 },
  { code: '370999102', name: '新店镇', population: 42_000, households: 15_200 },
  { code: '370999103', name: '李集镇', population: 35_000, households: 12_800 },
  { code: '370999001', name: '西湖街道', population: 56_000, households: 20_100 },
  { code: '370999002', name: '城关街道', population: 118_000, households: 42_300 },
  { code: '370999003', name: '东城街道', population: 64_000, households: 22_800 },
  { code: '370999104', name: '北洼镇', population: 41_000, households: 15_000 },
  { code: '370999105', name: '王庄乡', population: 27_000, households: 10_100 },
  { code: '370999106', name: '河口镇', population: 33_000, households: 12_200 },
];

type Ring = [number, number][];

/** Townships on a jittered 4 × 4 lattice; shared edges use the same vertices, so no gaps or overlaps. */
function townships(rand: () => number): Ring[][] {
  const lattice = (i: number, j: number): [number, number] => {
    const edge = i === 0 || j === 0 || i === 3 || j === 3;
    const jx = edge ? 0 : (rand() - 0.5) * 1600;
    const jy = edge ? 0 : (rand() - 0.5) * 1600;
    return [X0 + i * CELL + jx, Y0 + j * CELL + jy];
  };
  const pts: [number, number][][] = [];
  for (let i = 0; i < 4; i++) {
    pts.push([]);
    for (let j = 0; j < 4; j++) pts[i]!.push(lattice(i, j));
  }
  // A bent midpoint on every edge, shared by the two townships that meet there.
  const mids = new Map<string, [number, number]>();
  const mid = (a: [number, number], b: [number, number]): [number, number] => {
    const key = [a, b]
      .map((p) => p.join(','))
      .sort()
      .join('|');
    let m = mids.get(key);
    if (!m) {
      const onBorder =
        (a[0] === b[0] && (a[0] === X0 || a[0] === X0 + 3 * CELL)) || (a[1] === b[1] && (a[1] === Y0 || a[1] === Y0 + 3 * CELL));
      const k = onBorder ? 0 : (rand() - 0.5) * 0.25;
      m = [(a[0] + b[0]) / 2 - k * (b[1] - a[1]), (a[1] + b[1]) / 2 + k * (b[0] - a[0])];
      mids.set(key, m);
    }
    return m;
  };
  const out: Ring[][] = [];
  for (let j = 0; j < 3; j++)
    for (let i = 0; i < 3; i++) {
      const c = [pts[i]![j]!, pts[i + 1]![j]!, pts[i + 1]![j + 1]!, pts[i]![j + 1]!];
      const ring: Ring = [];
      for (let k = 0; k < 4; k++) ring.push(c[k]!, mid(c[k]!, c[(k + 1) % 4]!));
      ring.push(ring[0]!);
      out.push([ring]);
    }
  // 西湖街道 (index 3) holds a lake of 1.2 × 0.8 km: a hole.
  const [lx, ly] = [X0 + 0.5 * CELL - 600, Y0 + 1.5 * CELL - 400];
  out[3]!.push([
    [lx, ly],
    [lx, ly + 800],
    [lx + 1200, ly + 800],
    [lx + 1200, ly],
    [lx, ly],
  ]);
  return out;
}

/** 河口镇's exclave: 1 km² beyond the county's east edge (a MultiPolygon). */
const EXCLAVE: Ring = [
  [X0 + 3 * CELL + 500, Y0 + 2.5 * CELL],
  [X0 + 3 * CELL + 1500, Y0 + 2.5 * CELL],
  [X0 + 3 * CELL + 1500, Y0 + 2.5 * CELL + 1000],
  [X0 + 3 * CELL + 500, Y0 + 2.5 * CELL + 1000],
  [X0 + 3 * CELL + 500, Y0 + 2.5 * CELL],
];

const centre = (ring: Ring): [number, number] => {
  const n = ring.length - 1;
  return [ring.slice(0, n).reduce((s, p) => s + p[0], 0) / n, ring.slice(0, n).reduce((s, p) => s + p[1], 0) / n];
};

/** The river: across the north, from the west edge to the east one; depth falls 0.5 m a km from it. */
function depthAt(x: number, y: number, rp: number): number {
  const [ax, ay] = [X0, Y0 + 2.6 * CELL];
  const [bx, by] = [X0 + 3 * CELL, Y0 + 2.1 * CELL];
  const t = Math.max(0, Math.min(1, ((x - ax) * (bx - ax) + (y - ay) * (by - ay)) / ((bx - ax) ** 2 + (by - ay) ** 2)));
  const km = Math.hypot(x - (ax + t * (bx - ax)), y - (ay + t * (by - ay))) / 1000;
  const crest = 0.2 + 0.3 * Math.log(rp / 5 + 1);
  return Math.max(0, crest - 0.5 * km);
}

const RASTER_CELL = 50;

/** A depth raster in one of the layouts county rasters come in (strips or tiles, plain or deflate). */
function depthRaster(
  rp: number,
  o: { int16Cm?: boolean; cutEastM?: number; layout: { strips: number } | { tiles: number }; deflate: boolean },
): Uint8Array {
  const [x0, y1] = [X0 - 1000, Y0 + 3 * CELL + 1000];
  const width = Math.round((3 * CELL + 2000 + 2000 - (o.cutEastM ?? 0)) / RASTER_CELL);
  const height = Math.round((3 * CELL + 2000) / RASTER_CELL);
  const values = o.int16Cm ? new Int16Array(width * height) : new Float32Array(width * height);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const d = depthAt(x0 + (c + 0.5) * RASTER_CELL, y1 - (r + 0.5) * RASTER_CELL, rp);
      values[r * width + c] = o.int16Cm ? Math.round(d * 100) : Math.round(d * 100) / 100;
    }
  return writeTiff(values, {
    width,
    height,
    originX: x0,
    originY: y1,
    cellX: RASTER_CELL,
    cellY: -RASTER_CELL,
    epsg: 4548,
    nodata: -9999,
    layout: o.layout,
    deflate: o.deflate,
  });
}

/**
 * People per 3″ cell (WorldPop's grid, WGS84): each township's people in a town around its hub
 * (σ 0.8 km) plus a few spread over the countryside, the whole 8% short of the census — as a
 * modelled grid is — so the import has something to scale.
 */
function populationRaster(hubs: [number, number][]): Uint8Array {
  const toWgs = toLonLat(GK);
  const [west, north] = toWgs(X0 - 1000, Y0 + 3 * CELL + 1000);
  const [east, south] = toWgs(X0 + 3 * CELL + 3000, Y0 - 1000);
  const step = 3 / 3600;
  const width = Math.ceil((east - west) / step);
  const height = Math.ceil((north - south) / step);
  const fromWgs = fromLonLat(GK);
  const values = new Float32Array(width * height);
  let total = 0;
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++) {
      const [x, y] = fromWgs(west + (c + 0.5) * step, north - (r + 0.5) * step);
      const inside = x >= X0 && x <= X0 + 3 * CELL && y >= Y0 && y <= Y0 + 3 * CELL;
      let v = inside ? 0.003 : 0;
      hubs.forEach((h, i) => {
        const d2 = ((x - h[0]) ** 2 + (y - h[1]) ** 2) / 800 ** 2;
        v += (SAMPLE_TOWNSHIPS[i]!.population / 100_000) * Math.exp(-d2 / 2);
      });
      values[r * width + c] = v;
      total += v;
    }
  const scale = (0.92 * SAMPLE_TOWNSHIPS.reduce((s, t) => s + t.population, 0)) / total;
  for (let i = 0; i < values.length; i++) values[i] = Math.round(values[i]! * scale * 100) / 100;
  return writeTiff(values, {
    width,
    height,
    originX: west,
    originY: north,
    cellX: step,
    cellY: -step,
    epsg: 4326,
    geographic: true,
    layout: { tiles: 128 },
    deflate: true,
  });
}

export const TEMPLATE = `# 示范县 (Demo County): the template dsim import fills with the county's own geography.
# Everything here is an invented example, in the shape of the bundled districts' scenarios: copy it,
# then replace each figure with your county's, citing where it comes from.
schemaVersion: 1
id: demo-county-flood-50y
name: "Demo County: a 1-in-50-year flood"
nameZh: "示范县：50年一遇洪水"
seed: 20261203
replications: 1000
district:
  name: Demo County (synthetic)
  gdpCnyPerYear: 3.5e10
  source: "estimate: invented for the sample"
resources:
  stations:
    - id: fire-chengguan
      name: "Chengguan fire station"
      nameZh: "城关消防救援站"
      zone: "370999002"
      source: "invented; its zone comes from facilities.csv"
      teams:
        - { type: fire, count: 5, crew: 7, turnoutMinutes: 1 }
        - { type: water-rescue, count: 2, crew: 6, turnoutMinutes: 5 }
    - id: fire-hekou
      name: "Hekou fire station"
      nameZh: "河口消防救援站"
      zone: "370999002"
      source: "invented; its zone comes from facilities.csv (given there in GCJ-02)"
      teams:
        - { type: water-rescue, count: 1, crew: 6, turnoutMinutes: 5 }
  warehouses:
    - id: county-reserve
      name: "County relief reserve"
      nameZh: "县应急物资储备中心"
      zone: "370999002"
      stock: { food: 30000, water: 30000, bedding: 5000, tent: 1000, medical: 250 }
      source: "invented: 5,000 people × 15 days is the plans' usual norm (002 L320)"
    - id: beiwa-point
      name: "Beiwa storage point"
      nameZh: "北洼镇储备点"
      zone: "370999002"
      stock: { food: 3000, water: 3000, bedding: 500, tent: 100, medical: 25 }
      source: "invented"
  fleet:
    - { id: trucks, name: "Relief trucks", nameZh: "救灾运输车队", depot: county-reserve, count: 12, payloadKg: 5000, speedKmh: 50, loadMinutes: 30, unloadMinutes: 20, source: "invented" }
response:
  activationMinutes: { dist: triangular, min: 30, mode: 60, max: 120 }
  source: "invented"
hazards:
  - type: flood
    id: river-50y
    severity: { distribution: gumbel, location: 600, scale: 250, unit: m3/s, source: "invented" }
    event: { returnPeriodYears: 50 }
    warningLeadHours: { dist: uniform, min: 2, max: 6 }
    depthUncertaintyLogSd: 0.3
    displacementDepthM: 0.5
    # The depth tables come from the rasters; what the rasters cannot say (where each township's
    # displaced go) is kept from here, by zone code.
    zones:
      - { zone: "370999104", returnPeriodYears: [50], depthM: [0], floodedShare: [0], evacuateTo: "370999001" }
      - { zone: "370999105", returnPeriodYears: [50], depthM: [0], floodedShare: [0], evacuateTo: "370999002" }
    stranded: { shareWithoutWarning: 0.3, evacuationTimeConstantHours: 2, groupSize: 10, callWindowHours: 6, source: "invented" }
    rescue: { teamTypes: [water-rescue], workMinutes: { dist: lognormal, mean: 60, sd: 30 }, waterSpeedKmh: 8, source: "invented" }
    roadReopenHours: { dist: uniform, min: 6, max: 24 }
targets:
  reliefDeadlineHours: 12
  reliefShare: 1
  responseTimeMinutes: 120
  responseShare: 1
  lossRatioMax: 0.01
  source: "the plans' targets: 12 h (002 L168), 2 h medical rescue, loss ≤ 1% of GDP"
import:
  householdSize: 2.8
  assetsPerCapitaCny: { residential: 150000, commercial: 20000, industrial: 40000, transport: 15000, infrastructure: 12000, agriculture: 8000 }
  closesAtDepthM: 0.5
  wetThresholdM: 0.15
`;

const IMPORT_SPEC = `# What dsim import reads for 示范县 (paths relative to this file):
#   npx dsim import --inputs import.yaml --out out
template: template.yaml
zones: townships.shp          # or townships.zip / townships.geojson / townships.topojson
census: census-gbk.csv        # or census.csv (UTF-8 with a BOM) / census.xlsx
roads: roads.overpass.json
depth:
  - { returnPeriodYears: 5, file: depth-rp5.tif }
  - { returnPeriodYears: 20, file: depth-rp20.tif }
  - { returnPeriodYears: 50, file: depth-rp50.tif }
  - { returnPeriodYears: 100, file: depth-rp100-cm.tif, unit: cm }
facilities: facilities.csv
population: population-3s.tif   # people per 3″ cell (WorldPop-like), 8% short of the census: scaled to it
`;

/** Writes the sample county into `dir` (created if missing); returns the files written. */
export function writeSampleCounty(dir: string): string[] {
  mkdirSync(dir, { recursive: true });
  const rand = random(20261203);
  const polygons = townships(rand);
  const written: string[] = [];
  const put = (name: string, data: string | Uint8Array | ArrayBuffer) => {
    writeFileSync(join(dir, name), typeof data === 'string' ? data : data instanceof ArrayBuffer ? Buffer.from(data) : data);
    written.push(name);
  };
  const areas = polygons.map((p, i) => (i === 8 ? [p, [EXCLAVE]] : [p]));
  // Shapefile: GK metres, GBK attributes, language driver 0x4D, no .cpg.
  const shp = writeShp(areas);
  const dbf = writeDbf(
    ['XZQDM', 'XZQMC'],
    SAMPLE_TOWNSHIPS.map((t) => [encodeGbk(t.code), encodeGbk(t.name)]),
    0x4d,
  );
  put('townships.shp', shp);
  put('townships.dbf', dbf);
  put('townships.prj', PRJ);
  // The same Shapefile zipped on a Chinese Windows: member names in GBK, in a folder.
  put(
    'townships.zip',
    writeZip([
      { name: encodeGbk('乡镇界/乡镇界.shp'), data: shp },
      { name: encodeGbk('乡镇界/乡镇界.dbf'), data: dbf },
      { name: encodeGbk('乡镇界/乡镇界.prj'), data: new TextEncoder().encode(PRJ) },
    ]),
  );
  // GeoJSON and TopoJSON: WGS84 lon/lat.
  const toWgs = toLonLat(GK);
  const lonlat = (r: Ring) => r.map(([x, y]) => toWgs(x, y).map((v) => Math.round(v * 1e7) / 1e7));
  const geometry = (a: Ring[][]) =>
    a.length === 1
      ? { type: 'Polygon', coordinates: a[0]!.map(lonlat) }
      : { type: 'MultiPolygon', coordinates: a.map((p) => p.map(lonlat)) };
  put(
    'townships.geojson',
    `${JSON.stringify({ type: 'FeatureCollection', features: areas.map((a, i) => ({ type: 'Feature', properties: { code: SAMPLE_TOWNSHIPS[i]!.code, name: SAMPLE_TOWNSHIPS[i]!.name }, geometry: geometry(a) })) })}\n`,
  );
  const arcs: number[][][] = [];
  const arcOf = (r: Ring) => {
    arcs.push(lonlat(r));
    return [arcs.length - 1];
  };
  const topoGeometries = areas.map((a, i) => ({
    ...(a.length === 1 ? { type: 'Polygon', arcs: a[0]!.map(arcOf) } : { type: 'MultiPolygon', arcs: a.map((p) => p.map(arcOf)) }),
    properties: { code: SAMPLE_TOWNSHIPS[i]!.code, name: SAMPLE_TOWNSHIPS[i]!.name },
  }));
  put(
    'townships.topojson',
    `${JSON.stringify({ type: 'Topology', objects: { townships: { type: 'GeometryCollection', geometries: topoGeometries } }, arcs })}\n`,
  );
  // Census (七普 township table): 12-digit codes.
  const census = `统计用区划代码,名称,常住人口,户数\n${SAMPLE_TOWNSHIPS.map((t) => `${t.code}000,${t.name},${t.population},${t.households}`).join('\n')}\n`;
  put('census.csv', `\ufeff${census}`);
  put(
    'census.xlsx',
    writeXlsx(
      census
        .trim()
        .split('\n')
        .map((line, i) => line.split(',').map((v, j) => (i > 0 && j >= 2 ? Number(v) : v))),
    ),
  );
  put('census-gbk.csv', encodeGbk(census));
  // Roads: hub to hub, bent; classes by importance; a oneway pair; a track; a hamlet off the network.
  const hubs = polygons.map((p) => centre(p[0]!));
  hubs[3] = [hubs[3]![0], hubs[3]![1] + 900]; // 西湖街道's centre is in its lake: its town is on the north shore
  const elements: object[] = [];
  const node = (id: number, [x, y]: [number, number]) => {
    const [lon, lat] = toWgs(x, y);
    elements.push({ type: 'node', id, lon: Math.round(lon * 1e7) / 1e7, lat: Math.round(lat * 1e7) / 1e7 });
  };
  hubs.forEach((h, i) => node(i + 1, h));
  let next = 100;
  const way = (a: number, b: number, tags: Record<string, string>) => {
    const [ha, hb] = [hubs[a]!, hubs[b]!];
    const k = (rand() - 0.5) * 0.3;
    const m: [number, number] = [(ha[0] + hb[0]) / 2 - k * (hb[1] - ha[1]), (ha[1] + hb[1]) / 2 + k * (hb[0] - ha[0])];
    node(next, m);
    elements.push({ type: 'way', id: next, nodes: [a + 1, next, b + 1], tags });
    next++;
  };
  way(3, 4, { highway: 'trunk', name: '国道' });
  way(4, 5, { highway: 'trunk', name: '国道' });
  way(1, 4, { highway: 'primary' });
  way(4, 7, { highway: 'primary' });
  way(0, 1, { highway: 'secondary' });
  way(1, 2, { highway: 'secondary' });
  way(6, 7, { highway: 'secondary' });
  way(0, 3, { highway: 'tertiary' });
  way(3, 6, { highway: 'tertiary' });
  way(2, 5, { highway: 'tertiary' });
  way(5, 8, { highway: 'secondary', oneway: 'yes' });
  way(8, 5, { highway: 'tertiary', oneway: 'yes' });
  way(7, 8, { highway: 'unclassified' });
  way(0, 4, { highway: 'track' });
  node(900, [X0 + 2.6 * CELL, Y0 + 0.3 * CELL]);
  node(901, [X0 + 2.8 * CELL, Y0 + 0.2 * CELL]);
  elements.push({ type: 'way', id: 900, nodes: [900, 901], tags: { highway: 'residential', name: '小王村' } });
  put('roads.overpass.json', `${JSON.stringify({ version: 0.6, generator: 'dsim sample', elements })}\n`);
  // The same network as an .osm.pbf (nodes sorted by id, as osmium writes them).
  const osmNodes = (elements as { type: string; id: number; lon: number; lat: number }[])
    .filter((e) => e.type === 'node')
    .sort((a, b) => a.id - b.id);
  const osmWays = (elements as { type: string; id: number; nodes: number[]; tags: Record<string, string> }[]).filter(
    (e) => e.type === 'way',
  );
  put(
    'roads.osm.pbf',
    writeOsmPbf(
      { id: osmNodes.map((e) => e.id), lon: osmNodes.map((e) => e.lon), lat: osmNodes.map((e) => e.lat) },
      osmWays.map((w) => ({ id: w.id, refs: w.nodes, tags: w.tags })),
    ),
  );
  // Depth rasters: rp5 misses 150 m of the east edge (a coverage warning for the eastern townships).
  put('depth-rp5.tif', depthRaster(5, { cutEastM: 3150, layout: { strips: 16 }, deflate: false }));
  put('depth-rp20.tif', depthRaster(20, { layout: { tiles: 256 }, deflate: true }));
  put('depth-rp50.tif', depthRaster(50, { layout: { strips: 8 }, deflate: true }));
  put('depth-rp100-cm.tif', depthRaster(100, { int16Cm: true, layout: { tiles: 128 }, deflate: false }));
  // Facilities: WGS84, except one picked on a web map (GCJ-02).
  const at = (i: number, dx: number, dy: number) => toWgs(hubs[i]![0] + dx, hubs[i]![1] + dy).map((v) => v.toFixed(7));
  const gcj = fromLonLat(GCJ02)(...toWgs(hubs[8]![0] + 300, hubs[8]![1] - 200)).map((v) => v.toFixed(7));
  put('population-3s.tif', populationRaster(hubs));
  const facilityRows = [
    'id,kind,name,lon,lat,crs,places',
    `fire-chengguan,station,城关消防救援站,${at(4, 400, 300).join(',')},,`,
    `fire-hekou,消防站,河口消防救援站,${gcj.join(',')},gcj02,`,
    `county-reserve,warehouse,县应急物资储备中心,${at(4, -500, -400).join(',')},,`,
    `beiwa-point,仓库,北洼镇储备点,${at(6, 200, 100).join(',')},,`,
    `shelter-no1,避难场所,县第一中学,${at(4, 800, -600).join(',')},,3000`,
    `shelter-xihu,shelter,西湖街道体育馆,${at(3, 900, 0).join(',')},,1200`,
    `shelter-beiwa,shelter,北洼镇中学,${at(6, -300, 400).join(',')},,800`,
  ];
  put('facilities.csv', `\ufeff${facilityRows.join('\n')}\n`);
  // The same list as the office keeps it, in Excel (coordinates as numbers).
  put(
    'facilities.xlsx',
    writeXlsx(facilityRows.map((r, i) => r.split(',').map((v, j) => (i > 0 && (j === 3 || j === 4 || (j === 6 && v)) ? Number(v) : v)))),
  );
  put('template.yaml', TEMPLATE);
  put('import.yaml', IMPORT_SPEC);
  return written;
}

import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { fromLonLat, GCJ02 } from '../../src/geo/crs.js';
import { writeOsmPbf } from '../../src/geo/osm-pbf.js';
import { writeTiff } from '../../src/geo/tiff-write.js';
import { writeZip } from '../../src/geo/zip.js';
import { classDepth } from '../../src/import/depth-classes.js';
import { runLocal } from '../../src/run/local.js';
import { loadScenario } from '../../src/scenario/load.js';
import { dsim } from '../helpers.js';
import { HUBS_GK, lonLatOf, populationTiff, writeCounty } from './county.js';

/** A file's text without the inputs' hashes and temporary folders (a reordered file is another file). */
const unhashed = (text: string) => text.replace(/sha256:[0-9a-f]{12}|\| [0-9a-f]{12} \||dsim-county-\w+/g, '');

const outDir = () => mkdtempSync(join(tmpdir(), 'dsim-import-out-'));

async function importCounty(extra: string[] = [], county = writeCounty()) {
  const out = outDir();
  const r = await dsim('import', ...county.args, '--out', out, ...extra);
  return { r, out, county, read: (f: string) => readFileSync(join(out, f), 'utf8') };
}

describe('dsim import on a county built by hand', () => {
  it('writes a scenario that validates and runs, with the zones, links, depth tables and facilities computed by hand', async () => {
    const { r, out, read } = await importCounty();
    expect(r.err).not.toMatch(/internal error|at .*\.ts:\d+/);
    expect(r.code).toBe(0);
    const { scenario } = loadScenario(join(out, 'scenario.yaml'));
    const zones = scenario.district.zones;
    // Zones: codes from the 4548 squares, census from the GBK file (12-digit codes cut to 9).
    expect(zones.map((z) => [z.id, z.nameZh, z.population, z.households])).toEqual([
      ['370321101', '索镇街道', 100_000, 35_000],
      ['370321102', '少海街道', 60_000, 21_400],
      ['370321103', '起凤镇', 55_000, 19_600],
    ]);
    // Areas: 25, 25 and 24 km² in the Gauss–Krüger plane, whose scale at 1° from the meridian is
    // 1 + (Δλ·cos φ)²/2 ≈ 1.00012 in length: 2.4e-4 in area.
    const areas = zones.map((z) => z.areaKm2!);
    expect(areas[0]).toBeCloseTo(25 / 1.00024, 2);
    expect(areas[2]).toBeCloseTo(24 / 1.00024, 2);
    // Positions in km from the most populous zone's hub, on a true-north plane: B is 5 km along
    // grid east, which is turned from true east by the meridian convergence γ ≈ Δλ·sin φ (0.64°
    // here, 1.07° from the central meridian at 36.9°N); C is 5.04 km along grid north.
    expect(zones[0]!.position).toEqual({ xKm: 0, yKm: 0 });
    const [lonA, latA] = lonLatOf(...HUBS_GK[0]!);
    const gamma = (lonA - 117) * Math.sin((latA * Math.PI) / 180);
    const polar = (p: { xKm: number; yKm: number }) => [Math.hypot(p.xKm, p.yKm), (Math.atan2(p.yKm, p.xKm) * 180) / Math.PI];
    const [rB, bearingB] = polar(zones[1]!.position);
    expect(rB).toBeCloseTo(5 / 1.00012, 2);
    expect(bearingB).toBeCloseTo(-gamma, 1);
    const [rC, bearingC] = polar(zones[2]!.position);
    expect(rC).toBeCloseTo(Math.hypot(1 / 24, 5 + 1 / 24) / 1.00012, 2);
    expect(bearingC).toBeCloseTo(90 - gamma - (Math.atan2(1 / 24, 5 + 1 / 24) * 180) / Math.PI, 1);
    expect(zones[0]!.assetsCny).toEqual({ residential: 1.5e10, agriculture: 2e9 });
    // Roads: A–B (primary 60 km/h, 5 km) and A–C (secondary 50 km/h, √(1/24² + (5+1/24)²) = 5.04
    // km between the hubs); B–C at 20 km/h is slower than through A and is dropped.
    expect(scenario.roads.links.map((l) => [l.from, l.to, l.lengthKm, l.speedKmh, l.closesAtDepthM])).toEqual([
      ['370321101', '370321102', 5, 60, 0.5],
      ['370321101', '370321103', 5.04, 50, 0.5],
    ]);
    // Flood tables: A 10% at 0.5 m (20 y), 20% at 1 m (50 y); B 10% at 0.25 m at 50 y (one nodata
    // cell: 250/2499, 0.1 to four places); C dry (its hole's 3 m cells are not C's).
    const flood = scenario.hazards[0]!;
    expect(flood.type).toBe('flood');
    const tables = (
      flood as { zones: { zone: string; returnPeriodYears: number[]; depthM: number[]; floodedShare: number[]; evacuateTo?: string }[] }
    ).zones;
    expect(tables.map((t) => [t.zone, t.returnPeriodYears, t.floodedShare, t.depthM, t.evacuateTo])).toEqual([
      ['370321101', [20, 50], [0.1, 0.2], [0.5, 1], '370321103'],
      ['370321102', [20, 50], [0, 0.1], [0, 0.25], undefined],
    ]);
    // Water along the roads, sampled every half cell: A–B crosses B's wet columns (595.0–595.5 km
    // at 0.25 m at 50 years): its deepest 0.25 m (open: under 0.5 m), wet for 0.5 of its 5 km; A–C dry.
    const water = scenario.roads.links.map((l) => [l.flood!.maxDepthM, l.flood!.wetShare]);
    expect(water[0]![0]).toEqual([0, 0.25]);
    expect(water[0]![1]![0]).toBe(0);
    expect(water[0]![1]![1]).toBeCloseTo(0.1, 2);
    expect(water[1]).toEqual([
      [0, 0],
      [0, 0],
    ]);
    // Facilities: the station and the warehouse move to the zones they are in; the shelter's 800
    // places go to C.
    expect(scenario.resources.stations.find((s) => s.id === 'fire-a')!.zone).toBe('370321101');
    expect(scenario.resources.warehouses.find((w) => w.id === 'store-1')!.zone).toBe('370321102');
    expect(zones.map((z) => z.shelterPlaces)).toEqual([0, 0, 800]);
    // The findings: each coded, none silent.
    const manifest = JSON.parse(read('import-manifest.json'));
    const codes = manifest.findings.map((f: { code: string }) => f.code).sort();
    expect(codes).toEqual([
      'census-unmatched',
      'encoding-fallback',
      'facility-converted',
      'facility-outside',
      'facility-unused',
      'roads-ignored',
    ]);
    expect(manifest.inputs.map((i: { role: string }) => i.role)).toEqual([
      'template',
      'zones',
      'census',
      'roads',
      'depth',
      'depth',
      'facilities',
    ]);
    expect(manifest.inputs[1]).toMatchObject({ crs: expect.stringContaining('EPSG:4548'), crsHow: 'declared in the file' });
    expect(manifest.inputs[2]).toMatchObject({ encoding: 'gbk', encodingHow: 'fallback' });
    expect(manifest.inputs[4].sha256).toMatch(/^[0-9a-f]{64}$/);
    // 4 vertices (the track's far end is not a road); times over the links off the network's by
    // the rounding of lengths (0.01 km) and speeds (0.1 km/h) only.
    expect(manifest.roads).toMatchObject({ vertices: 4, links: 2 });
    expect(manifest.roads.maxTimeError).toBeLessThan(0.001);
    // The QA report, in both languages, names what it found.
    expect(read('import-report.zh.md')).toContain('人口普查行“370321199”不对应任何分区');
    expect(read('import-report.en.md')).toContain('facility fire-x (station): no entry with this id in the template');
    expect(r.err).toContain('! facility-outside');
    // And it runs.
    const run = runLocal(scenario, { replications: 20 });
    expect(run.replications).toBe(20);
  });

  it('gives the same scenario and report whatever the order of the features and census rows (only the files’ hashes differ)', async () => {
    const a = await importCounty();
    const b = await importCounty([], writeCounty({ order: [2, 0, 1], reverseCensus: true }));
    expect(b.r.code).toBe(0);
    expect(unhashed(b.read('scenario.yaml'))).toBe(unhashed(a.read('scenario.yaml')));
    expect(unhashed(b.read('import-report.en.md'))).toBe(unhashed(a.read('import-report.en.md')));
    // The same files twice: the same bytes, hashes and all.
    const c = await importCounty([], a.county);
    for (const f of ['scenario.yaml', 'import-manifest.json', 'import-report.zh.md', 'import-report.en.md'])
      expect(c.read(f)).toBe(a.read(f));
  });
});

describe('a population raster places the census people within each zone', () => {
  it('turns flooded shares into shares of people, scaled to the census, and reports the zones it disagrees on', async () => {
    const county = writeCounty();
    writeFileSync(county.p('people.tif'), Buffer.from(populationTiff()));
    const { r, out, read } = await importCounty(['--population', county.p('people.tif')], county);
    expect(r.code).toBe(0);
    const { scenario } = loadScenario(join(out, 'scenario.yaml'));
    const tables = (scenario.hazards[0] as unknown as { zones: { zone: string; floodedShare: number[]; depthM: number[] }[] }).zones;
    // A: everybody lives in its western 500 m, which is wet at both return periods: all of its
    // people, at 0.5 m then 1 m (10% and 20% of its land). B: people evenly spread, so the
    // land's share (250 of 2,499 valid cells). Zone totals stay the census's.
    expect(tables.map((t) => [t.zone, t.floodedShare, t.depthM])).toEqual([
      ['370321101', [1, 1], [0.5, 1]],
      ['370321102', [0, 0.1], [0, 0.25]],
    ]);
    expect(scenario.district.zones.map((z) => z.population)).toEqual([100_000, 60_000, 55_000]);
    const manifest = JSON.parse(read('import-manifest.json'));
    const found = manifest.findings.filter((f: { code: string }) => f.code === 'census-raster' || f.code === 'population-empty');
    expect(found.map((f: { code: string; subject: string }) => [f.code, f.subject])).toEqual([
      ['census-raster', '370321101'],
      ['population-empty', '370321103'],
    ]);
    expect(read('import-report.en.md')).toContain('| 索镇街道 (370321101) | 370321101 | 100,000 | 35,000 | ');
    expect(read('import-report.en.md')).toMatch(/\| 索镇街道 \(370321101\) .*\| 2\.000 \|/);
    expect(read('import-report.zh.md')).toContain('人口普查为 100000 人，people.tif 为 50000 人');
  });

  it('reports the people in no zone: in a hole the zones enclose, and where two polygons overlap', async () => {
    // 100 people in each 500 m cell. 起凤镇's hole [591–592, 4091–4092 km] holds four cell centres
    // (x 591.25, 591.75; y 4091.75, 4091.25): 400 people, 0.19% of the 215,000 counted. The empty
    // corner east of 起凤镇 and north of 少海街道 is not enclosed (no zone east of it in its rows).
    const county = writeCounty();
    const people = writeTiff(new Float32Array(400).fill(100), {
      width: 20,
      height: 20,
      originX: 590_000,
      originY: 4_095_000,
      cellX: 500,
      cellY: -500,
      epsg: 4548,
      layout: { strips: 4 },
    });
    writeFileSync(county.p('people.tif'), people);
    let { r, read } = await importCounty(['--population', county.p('people.tif')], county);
    expect(r.code).toBe(0);
    const of = (code: string) => JSON.parse(read('import-manifest.json')).findings.filter((f: { code: string }) => f.code === code);
    expect(of('population-gap').map((f: { params: object }) => f.params)).toEqual([{ file: 'people.tif', people: 400, share: '0.19%' }]);
    expect(of('population-overlap')).toEqual([]);
    // 少海街道 moved 1 km west over 索镇街道: cell centres x 594.25 and 594.75 in ten rows, 2,000 people.
    const zones = JSON.parse(readFileSync(county.p('townships.geojson'), 'utf8'));
    const b = zones.features.find((f: { properties: Record<string, string> }) => Object.values(f.properties).includes('370321102'));
    b.geometry.coordinates = b.geometry.coordinates.map((ring: number[][]) => ring.map(([x, y]) => [x === 595_000 ? 594_000 : x, y]));
    writeFileSync(county.p('townships.geojson'), JSON.stringify(zones));
    ({ r, read } = await importCounty(['--population', county.p('people.tif')], county));
    // The cells 索镇街道 holds are not missing from 少海街道's depth coverage (no coverage error).
    expect(r.code).toBe(0);
    expect(of('population-overlap').map((f: { params: object }) => f.params)).toEqual([{ file: 'people.tif', people: 2000 }]);
  });
});

describe('closed roads on the maps', () => {
  it('draws the A–B road closed at 50 years when it closes at 0.2 m (0.25 m along it), and no road at 0.5 m', async () => {
    const count = (html: string) => (html.match(/class="closed-road"/g) ?? []).length;
    const open = await importCounty();
    expect(open.r.code).toBe(0);
    expect(count(open.read('import-report.en.html'))).toBe(0);
    const county = writeCounty();
    writeFileSync(
      county.p('template.yaml'),
      readFileSync(county.p('template.yaml'), 'utf8').replace('closesAtDepthM: 0.5', 'closesAtDepthM: 0.2'),
    );
    const { r, out, read } = await importCounty([], county);
    expect(r.code).toBe(0);
    expect(count(read('import-report.en.html'))).toBe(1);
    expect(read('import-report.zh.html').match(/路段封闭[^<]*/)?.[0]).toBe('路段封闭（50 年一遇，水深 &#62; 0.2 米）');
    // The run report of the imported scenario: the same road, by the engine's rule at the event's 50 years.
    const report = join(out, 'run.html');
    const run = await dsim('run', join(out, 'scenario.yaml'), '-n', '10', '--workers', '1', '--quiet', '--report', report, '--lang', 'en');
    expect([run.code, run.err]).toEqual([0, '']);
    const html = readFileSync(report, 'utf8');
    expect(count(html)).toBe(1);
    expect(html).toContain('road closed by its own water at the 50-year flood');
  });
});

describe('classified depth polygons (洪水风险图 as depth classes)', () => {
  it('reads class labels by the stated rule, or by the planner’s table, and computes the zones’ shares by hand', () => {
    // The rule: a range its midpoint, an open bottom half its bound, the open top its bound + 0.5 m; cm when it says so.
    const cases: [unknown, number | undefined][] = [
      ['0.5-1m', 0.75],
      ['0.5～1.0米', 0.75],
      ['1 – 2 m', 1.5],
      ['<0.5', 0.25],
      ['≤0.5m', 0.25],
      ['0.5米以下', 0.25],
      ['>3', 3.5],
      ['大于3米', 3.5],
      ['300cm以上', 3.5],
      ['50-100厘米', 0.75],
      [1.2, 1.2],
      ['2', 2],
      ['重度', undefined],
      ['2-1', undefined],
    ];
    for (const [label, depth] of cases) expect([label, classDepth(label, 1)]).toEqual([label, depth]);
    expect(classDepth('50-100', 0.01)).toBeCloseTo(0.75, 12); // a file in cm (--depth 50=FILE:cm)
  });

  it('turns class polygons into depth tables: a 1 km strip of a 5 km township is 20% of it', async () => {
    const county = writeCounty();
    const strip = (x0: number, label: string) => ({
      type: 'Feature',
      properties: { 水深: label },
      geometry: {
        type: 'Polygon',
        coordinates: [
          [
            [x0, 4_085_000],
            [x0 + 1000, 4_085_000],
            [x0 + 1000, 4_090_000],
            [x0, 4_090_000],
            [x0, 4_085_000],
          ],
        ],
      },
    });
    const layer = (features: object[]) =>
      JSON.stringify({ type: 'FeatureCollection', crs: { type: 'name', properties: { name: 'urn:ogc:def:crs:EPSG::4548' } }, features });
    writeFileSync(county.p('classes-rp20.geojson'), layer([strip(590_000, '<0.5')]));
    writeFileSync(county.p('classes-rp50.geojson'), layer([strip(590_000, '0.5-1m'), strip(595_000, '300cm以上')]));
    const args = county.args.map((a) =>
      a.replace('depth-rp20.tif', 'classes-rp20.geojson').replace('depth-rp50.tif', 'classes-rp50.geojson'),
    );
    const out = outDir();
    const r = await dsim('import', ...args, '--out', out);
    expect([r.code, r.err]).toEqual([
      0,
      expect.stringContaining(
        'classified depth polygons for 50 years, each class taken as one depth (rule: 0.5-1m → 0.75 m; 300cm以上 → 3.50 m)',
      ),
    ]);
    const { scenario } = loadScenario(join(out, 'scenario.yaml'));
    const tables = (scenario.hazards[0] as unknown as { zones: { zone: string; floodedShare: number[]; depthM: number[] }[] }).zones;
    expect(tables.map((t) => [t.zone, t.floodedShare, t.depthM])).toEqual([
      ['370321101', [0.2, 0.2], [0.25, 0.75]],
      ['370321102', [0, 0.2], [0, 3.5]],
    ]);
    const manifest = JSON.parse(readFileSync(join(out, 'import-manifest.json'), 'utf8'));
    expect(manifest.inputs.find((i: { path: string }) => i.path.endsWith('classes-rp50.geojson'))).toMatchObject({
      role: 'depth',
      rp: 50,
      format: 'classified depth polygons (GeoJSON)',
      crs: expect.stringContaining('4548'),
    });
    // A label the rule cannot read: exit 3 naming the file, feature, column and label; a table given in import.yaml reads it.
    writeFileSync(county.p('classes-rp50.geojson'), layer([strip(590_000, '重度')]));
    const bad = await dsim('import', ...args, '--out', outDir());
    expect([bad.code, bad.err]).toEqual([
      3,
      expect.stringContaining('classes-rp50.geojson: feature 1: depth class "重度" in column 水深 has no depth'),
    ]);
    writeFileSync(
      county.p('import.yaml'),
      `template: template.yaml\nzones: townships.geojson\ncensus: census-gbk.csv\nroads: roads.overpass.json\ndepth:\n  - { returnPeriodYears: 50, file: classes-rp50.geojson, field: 水深, classes: { 重度: 2 } }\n`,
    );
    const out2 = outDir();
    const ok = await dsim('import', '--inputs', county.p('import.yaml'), '--out', out2);
    expect([ok.code, ok.err]).toEqual([0, expect.anything()]);
    const t2 = (
      loadScenario(join(out2, 'scenario.yaml')).scenario.hazards[0] as unknown as {
        zones: { zone: string; floodedShare: number[]; depthM: number[] }[];
      }
    ).zones;
    expect(t2.map((t) => [t.zone, t.floodedShare, t.depthM])).toEqual([['370321101', [0.2], [2]]]);
  });
});

describe('facilities picked on a web map and left in its offset', () => {
  it('are reported when most come nearer the roads read as GCJ-02; nothing moves', async () => {
    const county = writeCounty();
    // Five points on the A–C road (running north at x ≈ 592.5 km), written in GCJ-02 but declared
    // WGS84 (no crs column), as a list picked on 高德 would be: the offset here is mostly eastward,
    // off a road running north.
    const onRoad: [number, number][] = [4_088_000, 4_089_000, 4_090_000, 4_091_000, 4_092_000].map((y) => [
      592_500 + ((y - 4_087_500) * (1 / 24)) / (5 + 1 / 24),
      y,
    ]);
    const rows = onRoad.map(
      ([x, y], i) =>
        `s${i},shelter,点${i},${fromLonLat(GCJ02)(...lonLatOf(x, y))
          .map((v) => v.toFixed(7))
          .join(',')},,10`,
    );
    writeFileSync(county.p('facilities.csv'), `id,kind,name,lon,lat,crs,places\n${rows.join('\n')}\n`);
    const { r, read } = await importCounty([], county);
    expect(r.code).toBe(0);
    const f = JSON.parse(read('import-manifest.json')).findings.find((x: { code: string }) => x.code === 'facility-webmap');
    // Four of five: the northernmost, shifted east, lands beside the B–C road as it is.
    expect(f?.params).toMatchObject({ count: 4, total: 5, after: expect.any(Number) });
    expect(f.params.before).toBeGreaterThan(300);
    expect(f.params.after).toBeLessThan(20);
    // The hand county's own list (WGS84, one GCJ-02 point declared as such) raises nothing.
    const plain = await importCounty();
    expect(plain.read('import-manifest.json')).not.toContain('facility-webmap');
  });
});

describe('dsim import refuses what it cannot use, naming the file and the way out', () => {
  it('a zone the depth raster does not cover: exit 3 naming the zone and --nodata-as-dry; with it, a recorded warning', async () => {
    const county = writeCounty({ dropC: true });
    const { r } = await importCounty([], county);
    expect(r.code).toBe(3);
    expect(r.err).toContain('depth-rp50.tif: zone 起凤镇 (370321103) has valid depth cells over 0.0% of its area (under 90%)');
    expect(r.err).toContain('--nodata-as-dry');
    const zh = await importCounty(['--lang', 'zh'], county);
    expect(zh.r.err).toContain('分区 起凤镇 (370321103) 只有 0.0% 的面积有有效水深像元');
    const dry = await importCounty(['--nodata-as-dry'], county);
    expect(dry.r.code).toBe(0);
    const manifest = JSON.parse(dry.read('import-manifest.json'));
    expect(manifest.parameters.nodataAsDry).toBe(true);
    expect(manifest.findings.filter((f: { code: string }) => f.code === 'nodata-as-dry')).toHaveLength(1);
  });
  it('metres without a zone prefix and no declared CRS: exit 3 asking for --zones-crs; with it, the same scenario', async () => {
    const county = writeCounty();
    const plain = JSON.parse(readFileSync(county.p('townships.geojson'), 'utf8'));
    delete plain.crs;
    writeFileSync(county.p('townships.geojson'), JSON.stringify(plain));
    const { r } = await importCounty([], county);
    expect(r.code).toBe(3);
    expect(r.err).toContain('townships.geojson: cannot tell the coordinate system');
    expect(r.err).toContain('--zones-crs');
    const given = await importCounty(['--zones-crs', 'EPSG:4548'], county);
    const declared = await importCounty();
    expect(given.r.code).toBe(0);
    expect(unhashed(given.read('scenario.yaml'))).toBe(unhashed(declared.read('scenario.yaml')));
  });
  it('a file that is not a GeoTIFF, broken JSON, a missing census row, an unknown CRS name: each one line naming the file', async () => {
    const county = writeCounty();
    writeFileSync(county.p('depth-rp20.tif'), 'not a tiff');
    let { r } = await importCounty([], county);
    expect([r.code, r.err]).toEqual([3, expect.stringContaining('depth-rp20.tif: not a GeoTIFF dsim can read')]);
    const c2 = writeCounty();
    writeFileSync(c2.p('roads.overpass.json'), '{"elements": [');
    ({ r } = await importCounty([], c2));
    expect([r.code, r.err]).toEqual([3, expect.stringContaining('roads.overpass.json: not valid JSON')]);
    const c3 = writeCounty();
    writeFileSync(c3.p('census-gbk.csv'), '代码,名称,常住人口\n370321101,索镇街道,100000\n');
    ({ r } = await importCounty([], c3));
    expect([r.code, r.err]).toEqual([3, expect.stringContaining('census-gbk.csv: no census figure for zone 少海街道 (370321102)')]);
    // A GeoTIFF whose header claims 100,000 × 100,000 cells: refused from the header, nothing read.
    const c5 = writeCounty();
    const tiff = writeTiff(new Float32Array(4), {
      width: 2,
      height: 2,
      originX: 590_000,
      originY: 4_095_000,
      cellX: 100,
      cellY: -100,
      epsg: 4548,
      layout: { strips: 2 },
    });
    const v = new DataView(tiff.buffer, tiff.byteOffset);
    v.setUint32(8 + 2 + 8, 100_000, true); // ImageWidth, the first entry's value
    v.setUint32(8 + 2 + 12 + 8, 100_000, true); // ImageLength
    writeFileSync(c5.p('depth-rp50.tif'), tiff);
    ({ r } = await importCounty([], c5));
    expect([r.code, r.err]).toEqual([
      3,
      expect.stringContaining('depth-rp50.tif: 100000 × 100000 cells, more than the 400000000 an import reads'),
    ]);
    // A deflated GeoTIFF whose one 16 × 16 tile (1,024 bytes) inflates to 64 MiB: stopped at 1,024.
    const c7 = writeCounty();
    const small = writeTiff(new Float32Array(256), {
      width: 16,
      height: 16,
      originX: 590_000,
      originY: 4_095_000,
      cellX: 625,
      cellY: -625,
      epsg: 4548,
      layout: { tiles: 16 },
      deflate: true,
    });
    const bomb = deflateSync(Buffer.alloc(64 * 1024 * 1024));
    const bombed = Buffer.concat([small, bomb]);
    const dv = new DataView(bombed.buffer, bombed.byteOffset);
    for (let i = 0, n = dv.getUint16(8, true); i < n; i++) {
      const e = 8 + 2 + 12 * i;
      if (dv.getUint16(e, true) === 324) dv.setUint32(e + 8, small.length, true); // TileOffsets: the bomb
      if (dv.getUint16(e, true) === 325) dv.setUint32(e + 8, bomb.length, true); // TileByteCounts
    }
    writeFileSync(c7.p('depth-rp50.tif'), bombed);
    ({ r } = await importCounty([], c7));
    expect([r.code, r.err]).toEqual([
      3,
      expect.stringContaining('depth-rp50.tif: not a GeoTIFF dsim can read (a 16 × 16 block inflates past its 1024 bytes'),
    ]);
    // A zipped Shapefile that is a zip bomb (64 MiB of zeros in 65 KB); an old .xls census; a census.xlsx that is a CSV.
    const c8 = writeCounty();
    writeFileSync(c8.p('townships.zip'), writeZip([{ name: 'townships.shp', data: new Uint8Array(64 * 1024 * 1024) }]));
    ({ r } = await importCounty(['--zones', c8.p('townships.zip')], c8));
    expect([r.code, r.err]).toEqual([
      3,
      expect.stringMatching(
        /townships\.zip: not a ZIP archive dsim can read \(townships\.shp: \d+ bytes that inflate to 67108864, over 200:1/,
      ),
    ]);
    writeFileSync(c8.p('census.xls'), 'x');
    ({ r } = await importCounty(['--census', c8.p('census.xls')], c8));
    expect([r.code, r.err]).toEqual([
      3,
      expect.stringContaining('census.xls: an Excel 97–2003 workbook (.xls) is not read; save it as .xlsx or CSV'),
    ]);
    writeFileSync(c8.p('census.xlsx'), '代码,名称,常住人口\n');
    ({ r } = await importCounty(['--census', c8.p('census.xlsx')], c8));
    expect([r.code, r.err]).toEqual([
      3,
      expect.stringContaining('census.xlsx: not an Excel workbook dsim can read (no end of central directory'),
    ]);
    // An .osm.pbf whose blob claims 2 GB: refused from its header; one cut short: refused too.
    const c6 = writeCounty();
    const pbf = writeOsmPbf({ id: [1, 2], lon: [118, 118.01], lat: [36.8, 36.8] }, [{ id: 1, refs: [1, 2], tags: { highway: 'primary' } }]);
    writeFileSync(c6.p('roads.osm.pbf'), pbf.subarray(0, pbf.length - 5));
    ({ r } = await importCounty(['--roads', c6.p('roads.osm.pbf')], c6));
    expect([r.code, r.err]).toEqual([
      3,
      expect.stringMatching(/roads\.osm\.pbf: not a readable OSM PBF file \(truncated blob at byte \d+/),
    ]);
    const huge = Buffer.from([0, 0, 0, 15, 0x0a, 7, ...Buffer.from('OSMData'), 0x18, 0x80, 0x80, 0x80, 0x80, 0x08]);
    writeFileSync(c6.p('roads.osm.pbf'), Buffer.concat([pbf.subarray(0, pbf.indexOf('OSMData') - 6), huge]));
    ({ r } = await importCounty(['--roads', c6.p('roads.osm.pbf')], c6));
    expect([r.code, r.err]).toEqual([3, expect.stringMatching(/roads\.osm\.pbf: not a readable OSM PBF file \(blob of 2147483648 bytes/)]);
    const c4 = writeCounty();
    writeFileSync(c4.p('townships.geojson'), JSON.stringify({ type: 'FeatureCollection', features: [] }));
    ({ r } = await importCounty([], c4));
    expect([r.code, r.err]).toEqual([3, expect.stringContaining('townships.geojson: no polygon features')]);
    writeFileSync(
      c4.p('townships.geojson'),
      JSON.stringify({
        type: 'FeatureCollection',
        features: [
          {
            type: 'Feature',
            properties: { name: 'x' },
            geometry: {
              type: 'Polygon',
              coordinates: [
                [
                  [1, 2],
                  ['a', 3],
                  [4, 5],
                ],
              ],
            },
          },
        ],
      }),
    );
    ({ r } = await importCounty([], c4));
    expect([r.code, r.err]).toEqual([
      3,
      expect.stringContaining('townships.geojson: feature 1: polygon coordinates are not arrays of finite numbers'),
    ]);
    ({ r } = await importCounty(['--zones-crs', 'EPSG:1234']));
    expect([r.code, r.err]).toEqual([3, expect.stringContaining('coordinate system "EPSG:1234" is not understood')]);
    for (const res of [r]) expect(res.err).not.toMatch(/internal error|at .*\.ts:\d+/);
  });
});

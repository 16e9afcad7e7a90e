import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { dbfBody, readDbf, readShp } from '../../src/geo/shapefile.js';
import { encodeGbk } from '../geo/gbk.js';
import { writeDbf, writeShp } from '../geo/shapefile-writer.js';
import { dsim } from '../helpers.js';
import { lonLatOf, writeCounty, ZONES } from './county.js';

const PRJ_4548 =
  'PROJCS["CGCS2000_3_Degree_GK_CM_117E",GEOGCS["GCS_China_Geodetic_Coordinate_System_2000",DATUM["D_China_2000",SPHEROID["CGCS2000",6378137.0,298.257222101]],PRIMEM["Greenwich",0.0],UNIT["Degree",0.0174532925199433]],PROJECTION["Gauss_Kruger"],PARAMETER["False_Easting",500000.0],PARAMETER["False_Northing",0.0],PARAMETER["Central_Meridian",117.0],PARAMETER["Scale_Factor",1.0],PARAMETER["Latitude_Of_Origin",0.0],UNIT["Meter",1.0]]';

/** Without the inputs' hashes, and the polygons' (a Shapefile's rings run clockwise, GeoJSON's the other way). */
const unhashed = (text: string) => text.replace(/sha256:[0-9a-f]{12}|sha256: [0-9a-f]{64}|dsim-county-\w+|townships\.\w+/g, '');

/** The county's townships as a GBK Shapefile (language driver 0x4D, no .cpg) with a .prj. */
function writeShapefile(dir: string, o: { ldid?: number; cpg?: string; prj?: boolean; rows?: number } = {}): string {
  writeFileSync(join(dir, 'townships.shp'), writeShp(ZONES.map((z) => [z.ring])));
  const rows = ZONES.map((z) => [encodeGbk(z.code), encodeGbk(z.name)]);
  const dbf = writeDbf(['XZQDM', 'XZQMC'], rows, o.ldid ?? 0x4d);
  if (o.rows !== undefined) new DataView(dbf.buffer).setUint32(4, o.rows, true);
  writeFileSync(join(dir, 'townships.dbf'), dbf);
  if (o.prj !== false) writeFileSync(join(dir, 'townships.prj'), PRJ_4548);
  if (o.cpg !== undefined) writeFileSync(join(dir, 'townships.cpg'), o.cpg);
  return join(dir, 'townships.shp');
}

/** The county as TopoJSON in lon/lat: the shared edges are shared arcs. */
function writeTopoJson(dir: string): string {
  const arcs: number[][][] = [];
  const polygons = ZONES.map((z) =>
    z.ring.map((ring) => {
      arcs.push(ring.map(([x, y]) => lonLatOf(x!, y!)));
      return [arcs.length - 1];
    }),
  );
  const topology = {
    type: 'Topology',
    objects: {
      townships: {
        type: 'GeometryCollection',
        geometries: polygons.map((p, i) => ({ type: 'Polygon', arcs: p, properties: { XZQDM: ZONES[i]!.code, XZQMC: ZONES[i]!.name } })),
      },
    },
    arcs,
  };
  const path = join(dir, 'townships.topojson');
  writeFileSync(path, JSON.stringify(topology));
  return path;
}

async function importWith(zonesPath: string, county = writeCounty(), extra: string[] = []) {
  const out = mkdtempSync(join(tmpdir(), 'dsim-import-out-'));
  const args = [...county.args];
  args[args.indexOf('--zones') + 1] = zonesPath;
  const r = await dsim('import', ...args, '--out', out, ...extra);
  return { r, read: (f: string) => readFileSync(join(out, f), 'utf8') };
}

describe('zones as a Shapefile and as TopoJSON', () => {
  it('a GBK Shapefile with a .prj and no .cpg gives the scenario the GeoJSON gives', async () => {
    const county = writeCounty();
    const geojson = await importWith(county.p('townships.geojson'), county);
    const shp = await importWith(writeShapefile(county.dir), county);
    expect(shp.r.err).not.toMatch(/internal error/);
    expect(shp.r.code).toBe(0);
    expect(unhashed(shp.read('scenario.yaml'))).toBe(unhashed(geojson.read('scenario.yaml')));
    const inputs = JSON.parse(shp.read('import-manifest.json')).inputs;
    expect(inputs.find((i: { format: string }) => i.format.startsWith('dBASE'))).toMatchObject({
      encoding: 'gbk',
      encodingHow: 'language driver 0x4D (code page 936)',
    });
    expect(inputs.find((i: { format: string }) => i.format === 'ESRI Shapefile')).toMatchObject({
      crs: 'CGCS2000_3_Degree_GK_CM_117E',
      crsHow: 'declared in the file',
    });
  });
  it('a .cpg wins over the language driver; without either, GBK bytes are sniffed and reported', async () => {
    const county = writeCounty();
    const cpg = await importWith(writeShapefile(county.dir, { ldid: 0, cpg: 'GBK' }), county);
    expect(
      JSON.parse(cpg.read('import-manifest.json')).inputs.find((i: { format: string }) => i.format.startsWith('dBASE')).encodingHow,
    ).toBe('.cpg says GBK');
    const c2 = writeCounty();
    const sniffed = await importWith(writeShapefile(c2.dir, { ldid: 0 }), c2);
    expect(sniffed.r.code).toBe(0);
    expect(sniffed.read('scenario.yaml')).toContain('索镇街道');
    expect(sniffed.r.err).toContain('townships.dbf: decoded as gbk (not UTF-8: read as GBK)');
  });
  it('TopoJSON in lon/lat gives the same zones', async () => {
    const county = writeCounty();
    const geojson = await importWith(county.p('townships.geojson'), county);
    const topo = await importWith(writeTopoJson(county.dir), county, ['--zones-crs', 'wgs84']);
    expect(topo.r.code).toBe(0);
    const zonesOf = (yaml: string) => unhashed(yaml.slice(yaml.indexOf('zones:'), yaml.indexOf('roads:')));
    // Same figures; positions and areas to the round trip GK → lon/lat → plane (below a metre).
    expect(zonesOf(topo.read('scenario.yaml')).replace(/(xKm|yKm|areaKm2): -?[\d.]+/g, '')).toBe(
      zonesOf(geojson.read('scenario.yaml')).replace(/(xKm|yKm|areaKm2): -?[\d.]+/g, ''),
    );
  });
  it('a Shapefile whose header lies, or whose .dbf has other rows than shapes: one line naming the file', async () => {
    const county = writeCounty();
    const lying = await importWith(writeShapefile(county.dir, { rows: 1_000_000 }), county);
    expect([lying.r.code, lying.r.err]).toEqual([3, expect.stringContaining('townships.dbf: feature 0: the header says 1000000 records')]);
    const c2 = writeCounty();
    const shp = writeShapefile(c2.dir);
    const bytes = readFileSync(shp);
    new DataView(bytes.buffer, bytes.byteOffset).setInt32(24, bytes.length, false); // twice the real length
    writeFileSync(shp, bytes);
    const long = await importWith(shp, c2);
    expect([long.r.code, long.r.err]).toEqual([3, expect.stringMatching(/townships\.shp: .*the header says \d+ bytes, the file has \d+/)]);
  });
});

describe('the Shapefile reader', () => {
  it('groups a clockwise outer ring and its counter-clockwise hole into one polygon; reads deleted rows as null', () => {
    const shp = writeShp([[ZONES[2]!.ring]]);
    const [record] = readShp(shp);
    expect(record!.area).toHaveLength(1);
    expect(record!.area[0]).toHaveLength(2);
    const dbf = writeDbf(['A'], [[new TextEncoder().encode('x')], [new TextEncoder().encode('y')]], 0);
    dbf[32 + 32 + 1 + 2] = 0x2a; // the second record's deletion flag
    const t = readDbf(dbf, (b) => new TextDecoder().decode(b));
    expect(t.rows).toEqual([{ A: 'x' }, null]);
    expect(dbfBody(dbf).length).toBe(dbf.length - (32 + 32 + 1));
  });
});

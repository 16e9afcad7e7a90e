/**
 * Zones from township polygons and census figures: the polygons' CRS read (a declared `crs`, the
 * --zones-crs option) or guessed from the ranges of the numbers, each polygon taken to WGS84 and
 * onto a local plane in km; the census joined by 统计用区划代码 (12 digits cut to the township's
 * 9) or else by name; a hub inside each zone; positions in km from the origin zone's hub.
 */
import { existsSync } from 'node:fs';
import { extname } from 'node:path';
import { feature as topoFeature } from 'topojson-client';
import type { Topology } from 'topojson-specification';
import type { Params } from '../errors.js';
import { type Crs, crsFromWkt, crsNamed, guessCrs, localPlane, toLonLat } from '../geo/crs.js';
import { type Area, area, mapArea, type Point, pointInside } from '../geo/polygon.js';
import { dbfBody, readDbf, readShp } from '../geo/shapefile.js';
import { decode, type Encoding, encodingNamed } from '../geo/text.js';
import type { MessageKey } from '../i18n/messages.js';
import { SECTORS, type Sector } from '../scenario/schema.js';
import { fileLabel, type ImportLog, type InputRecord, importError, parseJson } from './inputs.js';

export interface ZoneFields {
  code?: string;
  name?: string;
  population?: string;
  households?: string;
}

const CANDIDATES: Record<keyof ZoneFields, string[]> = {
  code: ['code', '代码', '区划代码', '统计用区划代码', 'xzqdm', 'xzq_code', 'adcode'],
  name: ['name', '名称', '乡镇', '乡镇名称', '乡镇街道', 'xzqmc', 'xzq_name'],
  population: ['population', '常住人口', '人口', '总人口', 'pop', 'rk'],
  households: ['households', '户数', '总户数', 'hs'],
};

export interface ImportedZone {
  id: string;
  code?: string;
  name: string;
  population: number;
  households?: number;
  /** Exposed assets by sector (CNY) where the census table gives them. */
  assetsCny?: Partial<Record<Sector, number>>;
  /** WGS84 lon/lat. */
  lonlat: Area;
  hubLonLat: Point;
  areaKm2: number;
  positionKm: Point;
  /** Where the population came from, for `source`. */
  populationFrom: string;
}

interface Feature {
  props: Record<string, unknown>;
  coords: Area;
}

/** Picks a column: the one named by the user, else the first candidate present (case-insensitive). */
export function column(
  keys: readonly string[],
  what: keyof ZoneFields,
  given: string | undefined,
  file: string,
  flag: string,
  required: boolean,
): string | undefined {
  return pickColumn(keys, what, CANDIDATES[what], given, file, flag, required);
}

/** `column` for any list of candidate names (facility lists, depth classes). */
export function pickColumn(
  keys: readonly string[],
  what: string,
  candidates: readonly string[],
  given: string | undefined,
  file: string,
  flag: string,
  required: boolean,
): string | undefined {
  if (given !== undefined) {
    if (keys.includes(given)) return given;
    throw importError('imp.err.column', { file, what, candidates: given, flag });
  }
  const lower = new Map(keys.map((k) => [k.toLowerCase(), k]));
  for (const c of candidates) if (lower.has(c.toLowerCase())) return lower.get(c.toLowerCase());
  if (required) throw importError('imp.err.column', { file, what, candidates: candidates.join(', '), flag });
  return undefined;
}

function numberList(v: unknown, depth: number): boolean {
  if (depth === 0) return typeof v === 'number' && Number.isFinite(v);
  return Array.isArray(v) && v.length > 0 && v.every((x) => numberList(x, depth - 1));
}

function polygonOf(coords: unknown): Area | string {
  if (!numberList(coords, 3)) return 'polygon coordinates are not arrays of finite numbers';
  const rings = (coords as number[][][]).map((r) => r.map((p) => [p[0]!, p[1]!] as const));
  if (rings.some((r) => r.length < 3)) return 'a ring has fewer than 3 points';
  return [rings];
}

function readFeatures(data: unknown, file: string): Feature[] {
  if (data === null || typeof data !== 'object' || (data as { type?: unknown }).type !== 'FeatureCollection')
    throw importError('imp.err.notFeatures', { file });
  const features = (data as { features?: unknown }).features;
  if (!Array.isArray(features)) throw importError('imp.err.notFeatures', { file });
  const out: Feature[] = [];
  features.forEach((f, i) => {
    const g = f?.geometry;
    const fail = (reason: string): never => {
      throw importError('imp.err.geometry', { file, n: i + 1, reason });
    };
    if (!g || (g.type !== 'Polygon' && g.type !== 'MultiPolygon')) return;
    let a: Area;
    if (g.type === 'Polygon') {
      const p = polygonOf(g.coordinates);
      a = typeof p === 'string' ? fail(p) : p;
    } else {
      if (!Array.isArray(g.coordinates)) fail('MultiPolygon coordinates are not an array');
      a = (g.coordinates as unknown[]).flatMap((c) => {
        const p = polygonOf(c);
        return typeof p === 'string' ? fail(p) : p;
      });
    }
    const props = f.properties && typeof f.properties === 'object' ? (f.properties as Record<string, unknown>) : {};
    out.push({ props, coords: a });
  });
  if (out.length === 0) throw importError('imp.err.noPolygons', { file });
  return out;
}

/** What a file is for, in the manifest: the zones, or the depth map of a return period. */
export interface Role {
  key: MessageKey;
  params?: Params;
}

export interface ZoneLayer {
  features: Feature[];
  declared?: string | Crs;
  record: InputRecord;
}

/**
 * Zones from GeoJSON, TopoJSON (its first object, or the one holding polygons) or a Shapefile
 * (.shp beside its .dbf, .prj, .cpg; or all of them in a .zip, as the 自然资源局 sends them).
 */
export function readPolygonLayer(
  path: string,
  encoding: Encoding | undefined,
  log: ImportLog,
  role: Role = { key: 'imp.role.zones' },
): ZoneLayer {
  const ext = extname(path).toLowerCase();
  if (ext === '.shp') return readShapefileLayer(shapefileFiles(path, log, role), encoding, log);
  if (ext === '.zip') return readShapefileLayer(shapefileZipped(path, log, role), encoding, log);
  const { bytes, record } = log.read(path, role.key, 'GeoJSON', undefined, role.params);
  let data = parseJson(decode(bytes).text, path);
  if ((data as { type?: unknown })?.type === 'Topology') {
    record.format = 'TopoJSON';
    const topology = data as Topology;
    const objects = Object.values(topology.objects ?? {});
    const polygons = objects.find((g) =>
      ['GeometryCollection', 'Polygon', 'MultiPolygon'].includes(String((g as { type?: unknown }).type)),
    );
    if (!polygons) throw importError('imp.err.noPolygons', { file: path });
    try {
      const f = topoFeature(topology, polygons);
      data = 'features' in f ? f : { type: 'FeatureCollection', features: [f] };
    } catch (e) {
      throw importError('imp.err.geometry', { file: path, n: 1, reason: e instanceof Error ? e.message : String(e) });
    }
  }
  const declared = declaredCrs(data);
  return { features: readFeatures(data, path), ...(declared !== undefined && { declared }), record };
}

interface Part {
  path: string;
  bytes: Uint8Array;
  record: InputRecord;
}

/** A Shapefile's parts: the .shp and .dbf (required), the .prj and .cpg (if present). */
interface ShapefileParts {
  shp: Part;
  dbf: Part;
  prj?: Part;
  cpg?: Part;
}

const PART_FORMATS = { '.shp': 'ESRI Shapefile', '.dbf': 'dBASE (Shapefile attributes)', '.prj': 'WKT (.prj)', '.cpg': 'code page (.cpg)' };

function shapefileFiles(path: string, log: ImportLog, role: Role): ShapefileParts {
  const sibling = (ext: string): string | undefined => {
    const base = path.slice(0, -extname(path).length);
    return [ext, ext.toUpperCase()].map((e) => base + e).find((p) => existsSync(p));
  };
  const part = (p: string, ext: keyof typeof PART_FORMATS, limit?: number): Part => ({
    path: p,
    ...log.read(p, role.key, PART_FORMATS[ext], limit, role.params),
  });
  const shp = part(path, '.shp');
  const dbfPath = sibling('.dbf');
  if (!dbfPath) throw importError('imp.err.noFile', { file: `${path.slice(0, -4)}.dbf` });
  const prjPath = sibling('.prj');
  const cpgPath = sibling('.cpg');
  return {
    shp,
    dbf: part(dbfPath, '.dbf'),
    ...(prjPath && { prj: part(prjPath, '.prj', 1024 * 1024) }),
    ...(cpgPath && { cpg: part(cpgPath, '.cpg', 1024) }),
  };
}

/** The one Shapefile in a .zip (in any folder of it), its parts beside it by name. */
function shapefileZipped(path: string, log: ImportLog, role: Role): ShapefileParts {
  const members = log.readZip(path, role.key, role.params);
  const shps = [...members.keys()].filter((n) => /\.shp$/i.test(n) && !/(^|\/)__MACOSX\//.test(n));
  if (shps.length !== 1)
    throw importError(shps.length === 0 ? 'imp.err.zipNoShp' : 'imp.err.zipManyShp', {
      file: path,
      names: (shps.length ? shps : [...members.keys()]).join(', '),
    });
  const base = shps[0]!.slice(0, -4);
  const find = (ext: keyof typeof PART_FORMATS): Part | undefined => {
    const name = [...members.keys()].find((n) => n.toLowerCase() === `${base}${ext}`.toLowerCase());
    const m = name === undefined ? undefined : members.get(name);
    if (m) m.record.format = `${PART_FORMATS[ext]} in ${fileLabel(path)}`;
    return m;
  };
  const dbf = find('.dbf');
  if (!dbf) throw importError('imp.err.noFile', { file: `${path}!/${base}.dbf` });
  const prj = find('.prj');
  const cpg = find('.cpg');
  return { shp: find('.shp')!, dbf, ...(prj && { prj }), ...(cpg && { cpg }) };
}

function readShapefileLayer(parts: ShapefileParts, encoding: Encoding | undefined, log: ImportLog): ZoneLayer {
  const { shp: shpPart, dbf: dbfPart } = parts;
  const [path, shp, record] = [shpPart.path, shpPart.bytes, shpPart.record];
  const [dbfPath, dbf, dbfRecord] = [dbfPart.path, dbfPart.bytes, dbfPart.record];
  let declared: Crs | undefined;
  if (parts.prj) {
    const wkt = new TextDecoder().decode(parts.prj.bytes);
    declared = crsFromWkt(wkt);
    if (!declared) throw importError('imp.err.crsName', { file: parts.prj.path, name: wkt.slice(0, 80) });
  }
  const cpg = parts.cpg ? new TextDecoder().decode(parts.cpg.bytes) : undefined;
  const ldid = dbf[29] ?? 0;
  let enc: Encoding;
  let how: string;
  if (encoding !== undefined) [enc, how] = [encoding, 'forced (--encoding)'];
  else if (cpg !== undefined && encodingNamed(cpg)) [enc, how] = [encodingNamed(cpg)!, `.cpg says ${cpg.trim()}`];
  else if (ldid === 0x4d || ldid === 0x7a) [enc, how] = ['gbk', `language driver 0x${ldid.toString(16).toUpperCase()} (code page 936)`];
  else {
    const d = decode(dbfBody(dbf));
    [enc, how] = [d.encoding, d.how === 'fallback' ? 'not UTF-8: read as GBK' : 'valid UTF-8'];
    if (d.how === 'fallback') log.warn('encoding-fallback', 'imp.w.encoding', { file: fileLabel(dbfPath), encoding: enc, how });
  }
  dbfRecord.encoding = enc;
  dbfRecord.encodingHow = how;
  const decoder = new TextDecoder(enc === 'gbk' ? 'gb18030' : 'utf-8');
  let shapes: ReturnType<typeof readShp>;
  let table: ReturnType<typeof readDbf>;
  try {
    shapes = readShp(shp);
  } catch (e) {
    throw importError('imp.err.geometry', { file: path, n: 0, reason: e instanceof Error ? e.message : String(e) });
  }
  try {
    table = readDbf(dbf, (b) => decoder.decode(b));
  } catch (e) {
    throw importError('imp.err.geometry', { file: dbfPath, n: 0, reason: e instanceof Error ? e.message : String(e) });
  }
  if (table.rows.length !== shapes.length) {
    throw importError('imp.err.geometry', {
      file: dbfPath,
      n: 0,
      reason: `${table.rows.length} attribute rows for ${shapes.length} shapes`,
    });
  }
  const features: Feature[] = [];
  shapes.forEach((s, i) => {
    const props = table.rows[i];
    if (props && s.area.length > 0) features.push({ props, coords: s.area });
  });
  if (features.length === 0) throw importError('imp.err.noPolygons', { file: path });
  return { features, ...(declared && { declared }), record };
}

/** A GeoJSON's legacy `crs` member ({type: name, properties: {name: "urn:ogc:def:crs:EPSG::4548"}}). */
function declaredCrs(data: unknown): string | undefined {
  const name = (data as { crs?: { properties?: { name?: unknown } } }).crs?.properties?.name;
  if (typeof name !== 'string') return undefined;
  if (/CRS84$/i.test(name)) return 'EPSG:4326';
  const m = /EPSG:{1,2}(?:[\d.]*:)?(\d{4,5})$/i.exec(name);
  return m ? `EPSG:${m[1]}` : name;
}

/** Resolves a layer's CRS: declared, given, or guessed; records how. */
export function layerCrs(
  points: Iterable<readonly [number, number]>,
  file: string,
  flag: string,
  given: string | undefined,
  declared: string | Crs | undefined,
  log: ImportLog,
): { crs: Crs; swapped: boolean; how: string } {
  if (given === undefined && typeof declared === 'object') return { crs: declared, swapped: false, how: 'declared in the file' };
  const named = given ?? (typeof declared === 'string' ? declared : undefined);
  if (named !== undefined) {
    const crs = crsNamed(named);
    if (!crs) throw importError('imp.err.crsName', { file, name: named });
    return { crs, swapped: false, how: given !== undefined ? `given (${flag})` : 'declared in the file' };
  }
  const g = guessCrs(points);
  if (!g.crs) throw importError('imp.err.crsUnknown', { file, how: g.how, flag });
  log.warn('crs-guessed', 'imp.w.crsGuessed', { file: fileLabel(file), how: g.how });
  if (g.swapped) log.warn('axes-swapped', 'imp.w.swapped', { file: fileLabel(file) });
  return { crs: g.crs, swapped: g.swapped === true, how: g.how };
}

export interface ZoneOptions {
  zonesCrs?: string;
  fields: ZoneFields;
  census?: string;
  censusFields: ZoneFields;
  encoding?: Encoding;
  originZone?: string;
}

function cleanName(s: string): string {
  return s.replace(/\s+/g, '');
}

/** A 12-digit 统计用区划代码 of a township ends in 000: its 9-digit township code. */
export function townshipCode(s: string): string {
  const d = s.trim();
  return /^\d{12}$/.test(d) && d.endsWith('000') ? d.slice(0, 9) : d;
}

function money(v: unknown, file: string, where: string, columnName: string): number {
  const n = Number(String(v).replace(/[,，\s]/g, ''));
  if (!Number.isFinite(n) || n < 0 || n > 1e15 || String(v).trim() === '') {
    throw importError('imp.err.value', { file, where, column: columnName, value: String(v), expected: 'an amount of CNY ≥ 0' });
  }
  return n;
}

function count(v: unknown, file: string, where: string, columnName: string): number {
  const n = typeof v === 'number' ? v : Number(String(v).replace(/[,，\s]/g, ''));
  if (!Number.isFinite(n) || n < 0 || n > 1e9 || String(v).trim() === '') {
    throw importError('imp.err.value', {
      file,
      where,
      column: columnName,
      value: String(v),
      expected: 'a count of people (a whole number ≥ 0)',
    });
  }
  return Math.round(n);
}

export function importZones(path: string, o: ZoneOptions, log: ImportLog): ImportedZone[] {
  const layer = readPolygonLayer(path, o.encoding, log);
  const features = layer.features;
  const points = features.flatMap((f) => f.coords.flatMap((p) => p[0] ?? []));
  const { crs, swapped, how } = layerCrs(points, path, '--zones-crs', o.zonesCrs, layer.declared, log);
  layer.record.crs = crs.label;
  layer.record.crsHow = how;
  const toWgs = toLonLat(crs);
  const lonlatOf = (a: Area): Area => mapArea(a, (x, y) => (swapped ? toWgs(y, x) : toWgs(x, y)));

  const keys = [...new Set(features.flatMap((f) => Object.keys(f.props)))];
  const codeCol = column(keys, 'code', o.fields.code, path, '--zone-fields code=COLUMN', false);
  const nameCol = column(keys, 'name', o.fields.name, path, '--zone-fields name=COLUMN', true)!;
  const popCol = column(keys, 'population', o.fields.population, path, '--zone-fields population=COLUMN', o.census === undefined);
  const hhCol = column(keys, 'households', o.fields.households, path, '--zone-fields households=COLUMN', false);

  const census = o.census === undefined ? undefined : readCensus(o.census, o, log);
  const seen = new Set<string>();
  const used = new Set<string>();
  const raw = features.map((f, i) => {
    const where = `feature ${i + 1}`;
    const code =
      codeCol !== undefined && f.props[codeCol] != null && String(f.props[codeCol]).trim() !== ''
        ? townshipCode(String(f.props[codeCol]))
        : undefined;
    const name = String(f.props[nameCol] ?? '').trim();
    if (name === '') throw importError('imp.err.value', { file: path, where, column: nameCol, value: '', expected: 'a name' });
    const key = code ?? cleanName(name);
    if (seen.has(key)) throw importError('imp.err.duplicate', { file: path, key });
    seen.add(key);
    let population: number;
    let households: number | undefined;
    let assetsCny: Partial<Record<Sector, number>> | undefined;
    let populationFrom: string;
    const row = census && ((code !== undefined && census.byCode.get(code)) || census.byName.get(cleanName(name)));
    if (census) {
      if (!row) throw importError('imp.err.noCensus', { file: o.census!, zone: `${name}${code ? ` (${code})` : ''}` });
      used.add(row.key);
      population = row.population;
      households = row.households;
      assetsCny = row.assetsCny;
      populationFrom = `census ${fileLabel(o.census!)}`;
    } else {
      population = count(f.props[popCol!], path, where, popCol!);
      households = hhCol !== undefined && f.props[hhCol] != null ? count(f.props[hhCol], path, where, hhCol) : undefined;
      populationFrom = `${fileLabel(path)} column ${popCol}`;
    }
    return { code, name, population, households, ...(assetsCny && { assetsCny }), populationFrom, lonlat: lonlatOf(f.coords) };
  });
  if (census)
    for (const r of census.rows)
      if (!used.has(r.key)) log.warn('census-unmatched', 'imp.w.censusUnmatched', { file: fileLabel(o.census!), key: r.key });

  // Order by code, then name: the same zones in any feature order give the same scenario.
  raw.sort((a, b) => (a.code ?? '').localeCompare(b.code ?? '') || a.name.localeCompare(b.name, 'zh'));
  const allLonLat = raw.flatMap((z) => z.lonlat.flatMap((p) => p[0] ?? []));
  const lon0 = allLonLat.reduce((s, p) => s + p[0], 0) / allLonLat.length;
  const lat0 = allLonLat.reduce((s, p) => s + p[1], 0) / allLonLat.length;
  const provisional = localPlane(lon0, lat0);
  const withHubs = raw.map((z, i) => {
    const km = mapArea(z.lonlat, provisional.toKm);
    const hubKm = pointInside(km);
    return {
      ...z,
      id: z.code && /^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(z.code) ? z.code : `Z${String(i + 1).padStart(2, '0')}`,
      areaKm2: area(km),
      hubLonLat: provisional.fromKm(hubKm[0], hubKm[1]),
    };
  });
  const origin = pickOrigin(withHubs, o.originZone, path);
  const plane = localPlane(origin.hubLonLat[0], origin.hubLonLat[1]);
  return withHubs.map((z) => {
    const [x, y] = plane.toKm(z.hubLonLat[0], z.hubLonLat[1]);
    return { ...z, positionKm: [x, y] as const } as ImportedZone;
  });
}

function pickOrigin<Z extends { id: string; code?: string | undefined; name: string; population: number }>(
  zones: Z[],
  named: string | undefined,
  file: string,
): Z {
  if (named !== undefined) {
    const z = zones.find((z) => z.id === named || z.code === named || z.name === named);
    if (!z) throw importError('imp.err.originZone', { file, zone: named });
    return z;
  }
  return zones.reduce((best, z) => (z.population > best.population ? z : best));
}

interface CensusRow {
  key: string;
  population: number;
  households?: number;
  assetsCny?: Partial<Record<Sector, number>>;
}

/** Sector columns a census table may carry (CNY per zone): English or the usual Chinese names. */
const SECTOR_COLUMNS: Record<Sector, string[]> = {
  residential: ['residential', '住宅', '居民财产'],
  commercial: ['commercial', '商业'],
  industrial: ['industrial', '工业'],
  transport: ['transport', '交通'],
  infrastructure: ['infrastructure', '基础设施'],
  agriculture: ['agriculture', '农业'],
};

function readCensus(path: string, o: ZoneOptions, log: ImportLog) {
  const { header, rows } = log.readTable(path, 'imp.role.census', o.encoding);
  const codeCol = column(header, 'code', o.censusFields.code, path, '--census-fields code=COLUMN', false);
  const nameCol = column(header, 'name', o.censusFields.name, path, '--census-fields name=COLUMN', codeCol === undefined);
  const popCol = column(header, 'population', o.censusFields.population, path, '--census-fields population=COLUMN', true)!;
  const hhCol = column(header, 'households', o.censusFields.households, path, '--census-fields households=COLUMN', false);
  const lower = new Map(header.map((h) => [h.toLowerCase(), h]));
  const sectorCols = SECTORS.flatMap((s) => {
    const c = SECTOR_COLUMNS[s].map((n) => lower.get(n)).find((c) => c !== undefined);
    return c === undefined ? [] : [[s, c] as const];
  });
  const byCode = new Map<string, CensusRow>();
  const byName = new Map<string, CensusRow>();
  const all: CensusRow[] = [];
  rows.forEach((r, i) => {
    const where = `row ${i + 2}`;
    const code = codeCol !== undefined && r[codeCol] ? townshipCode(r[codeCol]) : undefined;
    const name = nameCol !== undefined ? cleanName(r[nameCol] ?? '') : '';
    const row: CensusRow = {
      key: code ?? name,
      population: count(r[popCol], path, where, popCol),
      ...(hhCol !== undefined && r[hhCol] !== '' && { households: count(r[hhCol], path, where, hhCol) }),
      ...(sectorCols.length > 0 && { assetsCny: Object.fromEntries(sectorCols.map(([s, c]) => [s, money(r[c], path, where, c)])) }),
    };
    all.push(row);
    if (code !== undefined) byCode.set(code, row);
    if (name !== '') byName.set(name, row);
  });
  return { byCode, byName, rows: all };
}

/**
 * Facility lists (fire stations, warehouses, shelters, chemical sites) as offices keep them: a
 * CSV with a kind, an id, a name and coordinates — WGS84/CGCS2000, or picked on a web map in
 * GCJ-02 (高德, 腾讯) or BD-09 (百度), per file (--facilities-crs) or per row (a `crs` column) —
 * each converted to WGS84 and placed in the zone that contains it.
 */
import { type Crs, crsNamed, GCJ02, localPlane, toLonLat, WGS84 } from '../geo/crs.js';
import { distanceToEdge, inArea, mapArea } from '../geo/polygon.js';
import type { Encoding } from '../geo/text.js';
import { fileLabel, type ImportLog, importError } from './inputs.js';
import { type ImportedZone, pickColumn } from './zones.js';

export const FACILITY_KINDS = ['station', 'warehouse', 'shelter', 'chemical-site'] as const;
export type FacilityKind = (typeof FACILITY_KINDS)[number];

const KIND_ALIASES: Record<string, FacilityKind> = {
  station: 'station',
  消防站: 'station',
  救援站: 'station',
  消防救援站: 'station',
  warehouse: 'warehouse',
  仓库: 'warehouse',
  储备库: 'warehouse',
  物资储备库: 'warehouse',
  shelter: 'shelter',
  避难场所: 'shelter',
  应急避难场所: 'shelter',
  'chemical-site': 'chemical-site',
  危化企业: 'chemical-site',
  危险化学品企业: 'chemical-site',
};

export interface Facility {
  id: string;
  kind: FacilityKind;
  name: string;
  lonLat: [number, number];
  zone?: string;
  places?: number;
  /** The coordinate system the point was converted from, when not WGS84/CGCS2000. */
  convertedFrom?: string;
}

/**
 * Points picked on a Chinese web map and left in its offset coordinates (GCJ-02, 300–700 m off)
 * sit consistently beside the roads. When most of the facilities given as WGS84 come much
 * nearer the roads once read as GCJ-02 (the median distance falls by over 200 m, for at least two
 * in three of them), the list is reported; nothing is moved.
 */
export function checkWebMapOffset(
  facilities: readonly Facility[],
  roads: readonly (readonly (readonly [number, number])[])[],
  log: ImportLog,
  file: string,
): void {
  const plain = facilities.filter((f) => f.convertedFrom === undefined);
  if (plain.length < 3 || roads.length === 0) return;
  const [lon0, lat0] = plain[0]!.lonLat;
  const plane = localPlane(lon0, lat0);
  const segments = roads.flatMap((line) => {
    const km = line.map(([lon, lat]) => plane.toKm(lon, lat));
    return km.slice(1).map((b, i) => [km[i]!, b] as const);
  });
  const toRoad = (lon: number, lat: number): number => {
    const [x, y] = plane.toKm(lon, lat);
    let best = Infinity;
    for (const [[x0, y0], [x1, y1]] of segments) {
      const [dx, dy] = [x1 - x0, y1 - y0];
      const len2 = dx * dx + dy * dy;
      const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2));
      best = Math.min(best, Math.hypot(x - x0 - t * dx, y - y0 - t * dy));
    }
    return best;
  };
  const fromGcj = toLonLat(GCJ02);
  const before = plain.map((f) => toRoad(f.lonLat[0], f.lonLat[1]));
  const after = plain.map((f) => toRoad(...fromGcj(f.lonLat[0], f.lonLat[1])));
  const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)]!;
  const nearer = before.filter((b, i) => after[i]! < b - 0.1).length;
  if (median(before) - median(after) > 0.2 && nearer >= (2 * plain.length) / 3) {
    log.warn('facility-webmap', 'imp.w.facilityWebMap', {
      file: fileLabel(file),
      count: nearer,
      total: plain.length,
      before: Math.round(median(before) * 1000),
      after: Math.round(median(after) * 1000),
    });
  }
}

export function importFacilities(
  path: string,
  zones: readonly ImportedZone[],
  o: { crs?: string; encoding?: Encoding },
  log: ImportLog,
): Facility[] {
  const { header, rows, record } = log.readTable(path, 'imp.role.facilities', o.encoding);
  const need = (what: string, names: string[]): string => pickColumn(header, what, names, undefined, path, 'a column header', true)!;
  const pick = (what: string, names: string[]) => pickColumn(header, what, names, undefined, path, 'a column header', false);
  const idCol = need('id', ['id', '编号']);
  const kindCol = need('kind', ['kind', '类型', '类别']);
  const nameCol = need('name', ['name', '名称']);
  const lonCol = need('lon', ['lon', 'lng', 'longitude', '经度', 'x']);
  const latCol = need('lat', ['lat', 'latitude', '纬度', 'y']);
  const crsCol = pick('crs', ['crs', '坐标系']);
  const placesCol = pick('places', ['places', '容量', '容纳人数']);
  const fileCrs = o.crs === undefined ? WGS84 : crsNamed(o.crs);
  if (!fileCrs) throw importError('imp.err.crsName', { file: path, name: o.crs! });
  record.crs = fileCrs.label;
  record.crsHow = o.crs === undefined ? 'default (WGS84), per-row crs column wins' : 'given (--facilities-crs)';

  const origin = zones[0]!.hubLonLat;
  const plane = localPlane(origin[0], origin[1]);
  const zonesKm = zones.map((z) => mapArea(z.lonlat, plane.toKm));
  const seen = new Set<string>();
  return rows.map((r, i) => {
    const row = i + 2;
    const id = r[idCol] ?? '';
    if (!/^[A-Za-z0-9][A-Za-z0-9_.-]*$/.test(id) || id.length > 64 || seen.has(id)) {
      throw importError('imp.err.value', {
        file: path,
        where: `row ${row}`,
        column: idCol,
        value: id,
        expected: seen.has(id) ? 'a unique id' : 'an id of letters, digits, "_", "." or "-"',
      });
    }
    seen.add(id);
    const kind = KIND_ALIASES[(r[kindCol] ?? '').trim().toLowerCase()] ?? KIND_ALIASES[(r[kindCol] ?? '').trim()];
    if (!kind) throw importError('imp.err.kind', { file: path, row, kind: r[kindCol] ?? '', kinds: FACILITY_KINDS.join(', ') });
    const x = Number(r[lonCol]);
    const y = Number(r[latCol]);
    if (r[lonCol] === '' || r[latCol] === '' || !Number.isFinite(x) || !Number.isFinite(y))
      throw importError('imp.err.noPoints', { file: path, row, columns: `${lonCol}, ${latCol}` });
    let crs: Crs = fileCrs;
    if (crsCol !== undefined && r[crsCol]) {
      const c = crsNamed(r[crsCol]!);
      if (!c) throw importError('imp.err.crsName', { file: `${path} row ${row}`, name: r[crsCol]! });
      crs = c;
    }
    const lonLat = toLonLat(crs)(x, y);
    if (crs !== WGS84 && crs.kind === 'lonlat' && crs.datum !== 'wgs84') {
      const [ax, ay] = plane.toKm(x, y);
      const [bx, by] = plane.toKm(lonLat[0], lonLat[1]);
      log.warn(
        'facility-converted',
        'imp.w.facilityConverted',
        { id, crs: crs.label, m: Math.round(Math.hypot(bx - ax, by - ay) * 1000) },
        id,
      );
    }
    const f: Facility = { id, kind, name: r[nameCol] ?? id, lonLat };
    if (placesCol !== undefined && r[placesCol]) {
      const p = Number(r[placesCol]);
      if (!Number.isInteger(p) || p < 0 || p > 1e7)
        throw importError('imp.err.value', {
          file: path,
          where: `row ${row}`,
          column: placesCol,
          value: r[placesCol]!,
          expected: 'a whole number of places',
        });
      f.places = p;
    }
    const [px, py] = plane.toKm(lonLat[0], lonLat[1]);
    const k = zonesKm.findIndex((a) => inArea(a, px, py));
    if (k < 0) {
      let near = 0;
      let nearKm = Infinity;
      zonesKm.forEach((a, j) => {
        const dkm = distanceToEdge(a, px, py);
        if (dkm < nearKm) [near, nearKm] = [j, dkm];
      });
      log.warn('facility-outside', 'imp.w.facilityOutside', { id, zone: zones[near]!.name, km: nearKm.toFixed(2) }, id);
      return f;
    }
    const edgeM = distanceToEdge(zonesKm[k]!, px, py) * 1000;
    if (edgeM < 100) log.warn('facility-edge', 'imp.w.facilityEdge', { id, m: Math.round(edgeM), zone: zones[k]!.name }, id);
    f.zone = zones[k]!.id;
    return f;
  });
}

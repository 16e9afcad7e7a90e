/**
 * Coordinate reference systems a Chinese county's files come in, and the transforms between
 * them. proj4 does the projections; the EPSG codes China uses are generated here (no table
 * download, no network): CGCS2000 geographic (4490), its Gauss–Krüger zones — 6° with and without
 * the zone prefix (4491–4512), 3° with and without it (4513–4554) — WGS84 (4326), its UTM zones
 * (32601–32660) and Web Mercator (3857). gcoord converts the Chinese web-map offsets GCJ-02 (高德,
 * 腾讯) and BD-09 (百度) to WGS84. CGCS2000 and WGS84 are taken as one datum: they differ by
 * centimetres (the CGCS2000 frame is ITRF97 at 2000.0), far below a township's scale.
 *
 * A Gauss–Krüger projection is a transverse Mercator with scale 1 on the central meridian and a
 * false easting of 500 km, preceded by the zone number when the easting carries it (GB/T
 * 17798-2007 §A; EPSG:4527 "3-degree Gauss-Kruger zone 39" = 39,500,000 m at 117°E).
 */
import { createRequire } from 'node:module';
import type Gcoord from 'gcoord';
import proj4 from 'proj4';

// gcoord is CommonJS whose types declare an ES default export: required, its types taken as declared.
const gcoord = createRequire(import.meta.url)('gcoord') as typeof Gcoord.default;

export type Crs = { kind: 'lonlat'; datum: 'wgs84' | 'gcj02' | 'bd09'; label: string } | { kind: 'projected'; proj: string; label: string };

export const WGS84: Crs = { kind: 'lonlat', datum: 'wgs84', label: 'EPSG:4326 (WGS84 lon/lat)' };
export const CGCS2000: Crs = { kind: 'lonlat', datum: 'wgs84', label: 'EPSG:4490 (CGCS2000 lon/lat)' };
export const GCJ02: Crs = { kind: 'lonlat', datum: 'gcj02', label: 'GCJ-02 (web-map lon/lat, 高德/腾讯)' };
export const BD09: Crs = { kind: 'lonlat', datum: 'bd09', label: 'BD-09 (百度 lon/lat)' };

const GRS80 = '+ellps=GRS80';

function gaussKruger(centralMeridian: number, falseEasting: number, label: string): Crs {
  return {
    kind: 'projected',
    proj: `+proj=tmerc +lat_0=0 +lon_0=${centralMeridian} +k=1 +x_0=${falseEasting} +y_0=0 ${GRS80} +units=m +no_defs`,
    label,
  };
}

/** The systems above by EPSG code; undefined for any other code. */
export function crsFromEpsg(code: number): Crs | undefined {
  if (code === 4326) return WGS84;
  if (code === 4490) return CGCS2000;
  if (code >= 4491 && code <= 4501) {
    const zone = code - 4491 + 13;
    return gaussKruger(6 * zone - 3, zone * 1e6 + 5e5, `EPSG:${code} (CGCS2000 6° Gauss–Krüger zone ${zone})`);
  }
  if (code >= 4502 && code <= 4512) {
    const cm = 75 + 6 * (code - 4502);
    return gaussKruger(cm, 5e5, `EPSG:${code} (CGCS2000 6° Gauss–Krüger CM ${cm}°E)`);
  }
  if (code >= 4513 && code <= 4533) {
    const zone = code - 4513 + 25;
    return gaussKruger(3 * zone, zone * 1e6 + 5e5, `EPSG:${code} (CGCS2000 3° Gauss–Krüger zone ${zone})`);
  }
  if (code >= 4534 && code <= 4554) {
    const cm = 75 + 3 * (code - 4534);
    return gaussKruger(cm, 5e5, `EPSG:${code} (CGCS2000 3° Gauss–Krüger CM ${cm}°E)`);
  }
  if (code >= 32601 && code <= 32660) {
    const zone = code - 32600;
    return {
      kind: 'projected',
      proj: `+proj=utm +zone=${zone} +datum=WGS84 +units=m +no_defs`,
      label: `EPSG:${code} (WGS84 UTM ${zone}N)`,
    };
  }
  if (code === 3857) {
    return {
      kind: 'projected',
      proj: '+proj=merc +a=6378137 +b=6378137 +lat_ts=0 +lon_0=0 +x_0=0 +y_0=0 +k=1 +units=m +nadgrids=@null +no_defs',
      label: 'EPSG:3857 (Web Mercator)',
    };
  }
  return undefined;
}

/**
 * A CRS as a user writes it: `EPSG:4548`, `4548`, `wgs84`, `cgcs2000`, `gcj02`, `bd09`, or a
 * proj string (`+proj=…`). Undefined when not understood.
 */
export function crsNamed(name: string): Crs | undefined {
  const n = name.trim();
  const lower = n.toLowerCase().replace(/[\s_-]/g, '');
  if (lower === 'wgs84') return WGS84;
  if (lower === 'cgcs2000') return CGCS2000;
  if (lower === 'gcj02') return GCJ02;
  if (lower === 'bd09') return BD09;
  const epsg = /^(?:epsg:)?(\d{4,5})$/i.exec(n);
  if (epsg) return crsFromEpsg(Number(epsg[1]));
  if (n.startsWith('+proj=')) {
    if (/\+proj=(longlat|latlong)/.test(n)) return { ...WGS84, label: n };
    try {
      proj4(n, 'EPSG:4326');
      return { kind: 'projected', proj: n, label: n };
    } catch {
      return undefined;
    }
  }
  return undefined;
}

/**
 * A CRS from the WKT of a .prj file or a GeoTIFF/GeoJSON declaration. An EPSG authority naming a
 * known code wins; else a geographic system is lon/lat; else a transverse Mercator
 * (Gauss_Kruger, Transverse_Mercator) is built from its parameters; else proj4's own WKT reader.
 */
export function crsFromWkt(wkt: string): Crs | undefined {
  const authority = /AUTHORITY\s*\[\s*"EPSG"\s*,\s*"?(\d+)"?\s*\]\s*\]\s*$/i.exec(wkt.trim());
  if (authority) {
    const known = crsFromEpsg(Number(authority[1]));
    if (known) return known;
  }
  const name = /^\s*(\w+)\s*\[\s*"([^"]*)"/.exec(wkt);
  if (!name) return undefined;
  const kind = name[1]!.toUpperCase();
  if (kind === 'GEOGCS' || kind === 'GEOGCRS') return { ...WGS84, label: `${name[2]} (lon/lat)` };
  const projection = /PROJECTION\s*\[\s*"([^"]+)"/i.exec(wkt)?.[1]?.toLowerCase() ?? '';
  const param = (p: string): number | undefined => {
    const m = new RegExp(`PARAMETER\\s*\\[\\s*"${p}"\\s*,\\s*([-+0-9.eE]+)`, 'i').exec(wkt);
    return m ? Number(m[1]) : undefined;
  };
  if (projection.includes('gauss') || projection.includes('transverse_mercator')) {
    const cm = param('central_meridian');
    if (cm === undefined) return undefined;
    const spheroid = /SPHEROID\s*\[\s*"[^"]*"\s*,\s*([0-9.eE+]+)\s*,\s*([0-9.eE+]+)/i.exec(wkt);
    const ellps = spheroid ? `+a=${Number(spheroid[1])} +rf=${Number(spheroid[2])}` : GRS80;
    const unit = /UNIT\s*\[\s*"[^"]*"\s*,\s*([0-9.eE+]+)\s*\]\s*(?:,\s*AUTHORITY[^\]]*\]\s*)?\]\s*$/i.exec(wkt.trim());
    const toMeter = unit ? Number(unit[1]) : 1;
    return {
      kind: 'projected',
      proj: `+proj=tmerc +lat_0=${param('latitude_of_origin') ?? 0} +lon_0=${cm} +k=${param('scale_factor') ?? 1} +x_0=${param('false_easting') ?? 0} +y_0=${param('false_northing') ?? 0} ${ellps} +to_meter=${toMeter} +no_defs`,
      label: name[2]!,
    };
  }
  try {
    proj4(wkt, 'EPSG:4326');
    return { kind: 'projected', proj: wkt, label: name[2]! };
  } catch {
    return undefined;
  }
}

export type Transform = (x: number, y: number) => [number, number];

/** Coordinates in `crs` → WGS84 longitude, latitude. */
export function toLonLat(crs: Crs): Transform {
  if (crs.kind === 'lonlat') {
    if (crs.datum === 'wgs84') return (x, y) => [x, y];
    const from = crs.datum === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
    return (x, y) => gcoord.transform([x, y], from, gcoord.WGS84) as [number, number];
  }
  const p = proj4(crs.proj, 'EPSG:4326');
  return (x, y) => p.forward([x, y]) as [number, number];
}

/** WGS84 longitude, latitude → coordinates in `crs`. */
export function fromLonLat(crs: Crs): Transform {
  if (crs.kind === 'lonlat') {
    if (crs.datum === 'wgs84') return (x, y) => [x, y];
    const to = crs.datum === 'gcj02' ? gcoord.GCJ02 : gcoord.BD09;
    return (x, y) => gcoord.transform([x, y], gcoord.WGS84, to) as [number, number];
  }
  const p = proj4(crs.proj, 'EPSG:4326');
  return (x, y) => p.inverse([x, y]) as [number, number];
}

/**
 * A local plane for a county: a transverse Mercator on its own central meridian, in kilometres
 * east and north of an origin (scale error under 10⁻⁵ within 40 km of the meridian).
 */
export function localPlane(originLon: number, originLat: number): { toKm: Transform; fromKm: Transform } {
  const p = proj4('EPSG:4326', `+proj=tmerc +lat_0=${originLat} +lon_0=${originLon} +k=1 +x_0=0 +y_0=0 ${GRS80} +units=m +no_defs`);
  return {
    toKm: (lon, lat) => {
      const [x, y] = p.forward([lon, lat]) as [number, number];
      return [x / 1000, y / 1000];
    },
    fromKm: (x, y) => p.inverse([x * 1000, y * 1000]) as [number, number],
  };
}

export interface Guess {
  crs?: Crs;
  /** Longitude and latitude written the other way round (and read swapped). */
  swapped?: boolean;
  how: string;
}

/**
 * The CRS of coordinates that came without one, from their ranges in China (73–136°E, 3–54°N):
 * lon/lat (swapped when latitude comes first), Gauss–Krüger with a zone prefix (the zone in the
 * easting's millions names the system), or undefined for an easting without the prefix, whose
 * central meridian cannot be read from the numbers.
 */
export function guessCrs(points: Iterable<readonly [number, number]>): Guess {
  let minX = Infinity;
  let minY = Infinity;
  let maxX = -Infinity;
  let maxY = -Infinity;
  for (const [x, y] of points) {
    minX = Math.min(minX, x);
    minY = Math.min(minY, y);
    maxX = Math.max(maxX, x);
    maxY = Math.max(maxY, y);
  }
  const within = (lo: number, hi: number, a: number, b: number) => a >= lo && b <= hi;
  if (within(73, 136, minX, maxX) && within(3, 54, minY, maxY)) return { crs: WGS84, how: 'guessed: longitude 73–136, latitude 3–54' };
  if (within(73, 136, minY, maxY) && within(3, 54, minX, maxX))
    return { crs: WGS84, swapped: true, how: 'guessed: latitude first (axes swapped)' };
  if (minY >= 3e5 && maxY <= 6.1e6) {
    const zoneLo = Math.floor(minX / 1e6);
    const zoneHi = Math.floor(maxX / 1e6);
    if (zoneLo === zoneHi && zoneLo >= 13 && zoneLo <= 23) {
      return { crs: crsFromEpsg(4491 + zoneLo - 13)!, how: `guessed: easting prefixed with 6° zone ${zoneLo}` };
    }
    if (zoneLo === zoneHi && zoneLo >= 25 && zoneLo <= 45) {
      return { crs: crsFromEpsg(4513 + zoneLo - 25)!, how: `guessed: easting prefixed with 3° zone ${zoneLo}` };
    }
    if (minX >= 0 && maxX < 1e6) return { how: 'metres without a zone prefix: the central meridian cannot be told from the numbers' };
  }
  return { how: 'no known range' };
}

/**
 * ESRI Shapefiles (the .shp/.dbf pair, ESRI Shapefile Technical Description, 1998), as the
 * 自然资源局 hands out township boundaries: polygons read with every offset and count checked
 * against the file's real length (a header that lies about its records is an error, not a read
 * past the end), attributes decoded in the encoding the caller decides (sniffed from the DBF's
 * language driver byte, a .cpg, or the bytes themselves — see `dbfEncodingHint`).
 */
import type { Area, Point, Polygon, Ring } from './polygon.js';
import { ringArea } from './polygon.js';

export class ShapefileError extends Error {}

export interface ShapeRecord {
  /** Rings grouped into polygons: each clockwise ring an outer one, each counter-clockwise a hole of the outer that holds it. */
  area: Area;
}

const POLYGON_TYPES = new Set([5, 15, 25]); // Polygon, PolygonZ, PolygonM
const NULL_SHAPE = 0;

/** The polygons of a .shp, in record order (a null shape is an empty area). */
export function readShp(bytes: Uint8Array): ShapeRecord[] {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 100 || v.getInt32(0, false) !== 9994) throw new ShapefileError('not a .shp file (no file code 9994)');
  const declared = v.getInt32(24, false) * 2;
  if (declared > bytes.byteLength) throw new ShapefileError(`the header says ${declared} bytes, the file has ${bytes.byteLength}`);
  const shapeType = v.getInt32(32, true);
  if (!POLYGON_TYPES.has(shapeType)) throw new ShapefileError(`shape type ${shapeType} is not a polygon type (5, 15 or 25)`);
  const out: ShapeRecord[] = [];
  let at = 100;
  while (at + 8 <= declared) {
    const length = v.getInt32(at + 4, false) * 2;
    const start = at + 8;
    if (length < 4 || start + length > declared) throw new ShapefileError(`record ${out.length + 1} runs past the end of the file`);
    const type = v.getInt32(start, true);
    if (type === NULL_SHAPE) out.push({ area: [] });
    else if (!POLYGON_TYPES.has(type)) throw new ShapefileError(`record ${out.length + 1}: shape type ${type} is not a polygon`);
    else out.push({ area: polygonRecord(v, start, length, out.length + 1) });
    at = start + length;
  }
  return out;
}

function polygonRecord(v: DataView, start: number, length: number, n: number): Area {
  if (length < 44) throw new ShapefileError(`record ${n} is too short for a polygon`);
  const numParts = v.getInt32(start + 36, true);
  const numPoints = v.getInt32(start + 40, true);
  const partsAt = start + 44;
  const pointsAt = partsAt + 4 * numParts;
  if (numParts < 1 || numPoints < 0 || pointsAt + 16 * numPoints > start + length) {
    throw new ShapefileError(`record ${n}: ${numParts} parts and ${numPoints} points do not fit in its ${length} bytes`);
  }
  const rings: Ring[] = [];
  for (let p = 0; p < numParts; p++) {
    const from = v.getInt32(partsAt + 4 * p, true);
    const to = p + 1 < numParts ? v.getInt32(partsAt + 4 * (p + 1), true) : numPoints;
    if (from < 0 || to > numPoints || to - from < 3)
      throw new ShapefileError(`record ${n}: part ${p + 1} has bad point indices ${from}..${to}`);
    const ring: Point[] = [];
    for (let i = from; i < to; i++) {
      const x = v.getFloat64(pointsAt + 16 * i, true);
      const y = v.getFloat64(pointsAt + 16 * i + 8, true);
      if (!Number.isFinite(x) || !Number.isFinite(y)) throw new ShapefileError(`record ${n}: point ${i + 1} is not finite`);
      ring.push([x, y]);
    }
    rings.push(ring);
  }
  return groupRings(rings);
}

/** Clockwise rings (negative shoelace area, y up) are outer rings; each other ring is a hole of the first outer that contains its first point. */
export function groupRings(rings: readonly Ring[]): Area {
  const outers = rings.filter((r) => ringArea(r) < 0);
  if (outers.length === 0) return [rings]; // written the other way round: even–odd still holds
  const polygons: Ring[][] = outers.map((r) => [r]);
  for (const r of rings) {
    if (ringArea(r) < 0) continue;
    const [x, y] = r[0]!;
    const home = polygons.find((p) => crossesOdd(p[0]!, x, y)) ?? polygons[0]!;
    home.push(r);
  }
  return polygons as Polygon[];
}

function crossesOdd(ring: Ring, x: number, y: number): boolean {
  let inside = false;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi <= y !== yj <= y && x < xi + ((y - yi) * (xj - xi)) / (yj - yi)) inside = !inside;
  }
  return inside;
}

export interface DbfTable {
  fields: string[];
  /** One per record, in order (null where the record is marked deleted), so row i is shape i. */
  rows: (Record<string, string> | null)[];
  /** The language driver id (byte 29): 0x4D and 0x7A are GBK (code page 936). */
  languageDriver: number;
}

/** The rows of a .dbf (dBASE III), every value a trimmed string, decoded by `decode`. */
export function readDbf(bytes: Uint8Array, decode: (b: Uint8Array) => string): DbfTable {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  if (bytes.byteLength < 33) throw new ShapefileError('not a .dbf file (shorter than its header)');
  const records = v.getUint32(4, true);
  const headerLength = v.getUint16(8, true);
  const recordLength = v.getUint16(10, true);
  if (headerLength < 33 || headerLength > bytes.byteLength) throw new ShapefileError(`header length ${headerLength} does not fit the file`);
  if (headerLength + records * recordLength > bytes.byteLength) {
    throw new ShapefileError(`the header says ${records} records of ${recordLength} bytes, more than the file holds`);
  }
  const fields: { name: string; offset: number; length: number }[] = [];
  let offset = 1; // the deletion flag
  for (let at = 32; at + 32 <= headerLength && bytes[at] !== 0x0d; at += 32) {
    const raw = bytes.subarray(at, at + 11);
    const end = raw.indexOf(0);
    const name = decode(raw.subarray(0, end < 0 ? 11 : end)).trim();
    const length = bytes[at + 16]!;
    fields.push({ name, offset, length });
    offset += length;
  }
  if (offset > recordLength) throw new ShapefileError(`fields of ${offset} bytes do not fit records of ${recordLength}`);
  const rows: (Record<string, string> | null)[] = [];
  for (let r = 0; r < records; r++) {
    const at = headerLength + r * recordLength;
    if (bytes[at] === 0x2a) {
      rows.push(null); // deleted
      continue;
    }
    const row: Record<string, string> = {};
    for (const f of fields) row[f.name] = decode(bytes.subarray(at + f.offset, at + f.offset + f.length)).trim();
    rows.push(row);
  }
  return { fields: fields.map((f) => f.name), rows, languageDriver: bytes[29]! };
}

/** The record bytes of a .dbf (for sniffing their encoding), without the header. */
export function dbfBody(bytes: Uint8Array): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  return bytes.byteLength < 12 ? bytes : bytes.subarray(Math.min(bytes.byteLength, v.getUint16(8, true)));
}

// Writing (the sample county ships a Shapefile as offices receive them): polygons with outer rings
// clockwise and holes counter-clockwise, as the format wants, and a dBASE III table of character
// fields in bytes the caller encodes (GBK, say) with a language driver byte.

type WriteRing = readonly (readonly number[])[];

/** One record per area; each area a list of polygons, each its outer ring then its holes. */
export function writeShp(areas: readonly (readonly (readonly WriteRing[])[])[]): Uint8Array {
  const records = areas.map((polygons) => {
    const oriented = polygons.flatMap((rings) => rings.map((r, i) => ((i === 0) === ringArea(r as Ring) > 0 ? [...r].reverse() : r)));
    const points = oriented.flat();
    const content = new DataView(new ArrayBuffer(44 + 4 * oriented.length + 16 * points.length));
    const xs = points.map((p) => p[0]!);
    const ys = points.map((p) => p[1]!);
    content.setInt32(0, 5, true);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => content.setFloat64(4 + 8 * i, v, true));
    content.setInt32(36, oriented.length, true);
    content.setInt32(40, points.length, true);
    let start = 0;
    oriented.forEach((r, i) => {
      content.setInt32(44 + 4 * i, start, true);
      start += r.length;
    });
    points.forEach((p, i) => {
      content.setFloat64(44 + 4 * oriented.length + 16 * i, p[0]!, true);
      content.setFloat64(44 + 4 * oriented.length + 16 * i + 8, p[1]!, true);
    });
    return new Uint8Array(content.buffer);
  });
  const length = 100 + records.reduce((s, r) => s + 8 + r.length, 0);
  const out = new Uint8Array(length);
  const v = new DataView(out.buffer);
  v.setInt32(0, 9994, false);
  v.setInt32(24, length / 2, false);
  v.setInt32(28, 1000, true);
  v.setInt32(32, 5, true);
  let at = 100;
  records.forEach((r, i) => {
    v.setInt32(at, i + 1, false);
    v.setInt32(at + 4, r.length / 2, false);
    out.set(r, at + 8);
    at += 8 + r.length;
  });
  return out;
}

export function writeDbf(fields: string[], rows: Uint8Array[][], languageDriver: number): Uint8Array {
  const widths = fields.map((_, j) => Math.max(1, ...rows.map((r) => r[j]!.length)));
  const headerLength = 32 + 32 * fields.length + 1;
  const recordLength = 1 + widths.reduce((a, b) => a + b, 0);
  const out = new Uint8Array(headerLength + rows.length * recordLength + 1).fill(0x20, headerLength);
  const v = new DataView(out.buffer);
  out[0] = 0x03;
  v.setUint32(4, rows.length, true);
  v.setUint16(8, headerLength, true);
  v.setUint16(10, recordLength, true);
  out[29] = languageDriver;
  fields.forEach((f, j) => {
    const at = 32 + 32 * j;
    out.set(new TextEncoder().encode(f).subarray(0, 10), at);
    out[at + 11] = 'C'.charCodeAt(0);
    out[at + 16] = widths[j]!;
  });
  out[headerLength - 1] = 0x0d;
  rows.forEach((r, i) => {
    let at = headerLength + i * recordLength + 1;
    r.forEach((cell, j) => {
      out.set(cell, at);
      at += widths[j]!;
    });
  });
  out[out.length - 1] = 0x1a;
  return out;
}

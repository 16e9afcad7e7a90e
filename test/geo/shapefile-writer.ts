/**
 * A Shapefile writer for tests only (ESRI Shapefile Technical Description, 1998): polygons with
 * outer rings clockwise and holes counter-clockwise, as the format wants, and a dBASE III table
 * of character fields in the bytes the caller encodes (GBK, say) with a language driver byte.
 */
import { ringArea } from '../../src/geo/polygon.js';

type Ring = number[][];

export function writeShp(polygons: Ring[][]): Uint8Array {
  const records = polygons.map((rings) => {
    const oriented = rings.map((r, i) => ((i === 0) === ringArea(r as [number, number][]) > 0 ? [...r].reverse() : r));
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

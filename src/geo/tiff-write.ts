/**
 * A GeoTIFF writer for one band in the layouts county rasters come in: strips of N rows or
 * square tiles, uncompressed or deflate (TIFF 6.0 §15 with the Adobe deflate code 8), Float32 or
 * Int16, with the GeoTIFF keys for an EPSG code (GeoTIFF 1.0 §2.7) and GDAL's nodata tag. The
 * sample county and the benchmarks write with it; geotiff.js's own writer writes a single strip
 * and drops Int16 values.
 */
import { deflateSync } from 'node:zlib';

export interface TiffOptions {
  width: number;
  height: number;
  /** x of the left edge and y of the top edge, and the cell size (north-up). */
  originX: number;
  originY: number;
  cellX: number;
  cellY: number;
  epsg: number;
  geographic?: boolean;
  nodata?: number;
  layout: { strips: number } | { tiles: number };
  deflate?: boolean;
}

const SHORT = 3;
const LONG = 4;
const DOUBLE = 12;
const ASCII = 2;

export function writeTiff(values: Float32Array | Int16Array, o: TiffOptions): Uint8Array {
  const bytesPer = values.BYTES_PER_ELEMENT;
  const pieces: Uint8Array[] = [];
  const raw = (from: number, rows: number, cols: number, x0: number): Uint8Array => {
    // rows × cols cells starting at (row `from`, column x0), padded with zeros beyond the image
    const out = new (values.constructor as typeof Float32Array | typeof Int16Array)(rows * cols);
    for (let r = 0; r < rows; r++)
      for (let c = 0; c < cols; c++) {
        const [rr, cc] = [from + r, x0 + c];
        if (rr < o.height && cc < o.width) out[r * cols + c] = values[rr * o.width + cc]!;
      }
    return new Uint8Array(out.buffer);
  };
  let tileW = o.width;
  let tileH: number;
  if ('strips' in o.layout) {
    tileH = Math.max(1, Math.min(o.height, o.layout.strips));
    for (let r = 0; r < o.height; r += tileH) pieces.push(raw(r, Math.min(tileH, o.height - r), o.width, 0));
  } else {
    tileW = tileH = o.layout.tiles;
    for (let r = 0; r < o.height; r += tileH) for (let c = 0; c < o.width; c += tileW) pieces.push(raw(r, tileH, tileW, c));
  }
  const data = o.deflate ? pieces.map((p) => new Uint8Array(deflateSync(p))) : pieces;
  const geoKeys = [1, 1, 0, 3, 1024, 0, 1, o.geographic ? 2 : 1, 1025, 0, 1, 1, o.geographic ? 2048 : 3072, 0, 1, o.epsg];
  const entries: [number, number, number[] | string][] = [
    [256, LONG, [o.width]],
    [257, LONG, [o.height]],
    [258, SHORT, [8 * bytesPer]],
    [259, SHORT, [o.deflate ? 8 : 1]],
    [262, SHORT, [1]],
    ...('strips' in o.layout
      ? ([
          [273, LONG, data.map(() => 0)],
          [277, SHORT, [1]],
          [278, LONG, [tileH]],
          [279, LONG, data.map((d) => d.length)],
        ] as [number, number, number[]][])
      : ([
          [277, SHORT, [1]],
          [322, LONG, [tileW]],
          [323, LONG, [tileH]],
          [324, LONG, data.map(() => 0)],
          [325, LONG, data.map((d) => d.length)],
        ] as [number, number, number[]][])),
    [284, SHORT, [1]],
    [339, SHORT, [values instanceof Float32Array ? 3 : 2]],
    [33550, DOUBLE, [o.cellX, Math.abs(o.cellY), 0]],
    [33922, DOUBLE, [0, 0, 0, o.originX, o.originY, 0]],
    [34735, SHORT, geoKeys],
    ...(o.nodata === undefined ? [] : ([[42113, ASCII, `${o.nodata}\0`]] as [number, number, string][])),
  ];
  const size = (type: number, v: number[] | string) =>
    typeof v === 'string' ? v.length : v.length * (type === SHORT ? 2 : type === LONG ? 4 : 8);
  // Layout: header (8), IFD (2 + 12n + 4), out-of-line values, then the pieces.
  const ifdAt = 8;
  let at = ifdAt + 2 + 12 * entries.length + 4;
  const outOfLine = entries.map(([, type, v]) => {
    const n = size(type, v);
    if (n <= 4) return -1;
    const off = at;
    at += n + (n % 2);
    return off;
  });
  const dataAt: number[] = [];
  for (const d of data) {
    dataAt.push(at);
    at += d.length;
  }
  // Offsets of the pieces go into their tag (273 or 324).
  for (const e of entries) if (e[0] === 273 || e[0] === 324) e[2] = dataAt;
  const out = new Uint8Array(at);
  const v = new DataView(out.buffer);
  out.set([0x49, 0x49, 42, 0], 0);
  v.setUint32(4, ifdAt, true);
  v.setUint16(ifdAt, entries.length, true);
  entries.forEach(([tag, type, val], i) => {
    const e = ifdAt + 2 + 12 * i;
    v.setUint16(e, tag, true);
    v.setUint16(e + 2, type, true);
    v.setUint32(e + 4, typeof val === 'string' ? val.length : val.length, true);
    const target = outOfLine[i]! < 0 ? e + 8 : outOfLine[i]!;
    if (outOfLine[i]! >= 0) v.setUint32(e + 8, target, true);
    if (typeof val === 'string') for (let k = 0; k < val.length; k++) out[target + k] = val.charCodeAt(k);
    else
      val.forEach((x, k) => {
        if (type === SHORT) v.setUint16(target + 2 * k, x, true);
        else if (type === LONG) v.setUint32(target + 4 * k, x, true);
        else v.setFloat64(target + 8 * k, x, true);
      });
  });
  v.setUint32(ifdAt + 2 + 12 * entries.length, 0, true);
  data.forEach((d, i) => out.set(d, dataAt[i]!));
  return out;
}

/**
 * Zone depth tables from flood-depth rasters (洪水风险图 grids, one GeoTIFF per return period):
 * the zones are carried into each raster's own CRS and rasterised on its grid at cell centres
 * (`geo/zonal.ts`: no warping, no resampling), and the raster is read in bands of rows inside the
 * zones' extent, never whole. Per zone: the cells with a value (coverage: their area against the
 * zone's), the share of those deeper than the wet threshold (the flooded share) and their mean
 * depth. Nodata and cells beyond the raster are unknown, not dry: a zone under 90% covered is an
 * error unless the planner says `--nodata-as-dry`, which the report records.
 */
import { fromFile, type GeoTIFFImage } from 'geotiff';
import { type Crs, crsFromEpsg, fromLonLat, toLonLat } from '../geo/crs.js';
import { area, bbox, mapArea } from '../geo/polygon.js';
import { useBoundedInflate } from '../geo/tiff-inflate.js';
import { type Grid, ZoneScan } from '../geo/zonal.js';
import { fileLabel, type ImportLog, type InputRecord, importError } from './inputs.js';
import type { ImportedZone } from './zones.js';
import { layerCrs } from './zones.js';

export const DEPTH_UNITS = { m: 1, cm: 0.01, ft: 0.3048 } as const;
export type DepthUnit = keyof typeof DEPTH_UNITS;
/** 20,000 × 20,000 cells: a county at 2 m. */
export const MAX_RASTER_CELLS = 4e8;

export interface ZoneDepth {
  zone: string;
  /** Cells whose centre is in the zone, as the zone's area in cells (beyond the raster included). */
  expectedCells: number;
  validCells: number;
  wetCells: number;
  sumWetDepthM: number;
  /** People (or cells, without a population raster) with a value, wet, and Σ depth × people where wet. */
  validWeight: number;
  wetWeight: number;
  sumWetDepthWeight: number;
  /** People (or cells) at or above each of the options' exceedance depths. */
  exceedWeight: Float64Array;
  /** People (or cells) wet in each band [wet, d₁), [d₁, d₂), …, [d_k, ∞), and Σ depth × people there. */
  bandWeight: Float64Array;
  bandDepthWeight: Float64Array;
}

export interface DepthOptions {
  crs?: string;
  unit: DepthUnit;
  wetThresholdM: number;
  /** Depths (m, increasing) at which the share of people at or above is counted. */
  exceedanceDepthsM: readonly number[];
}

function rasterCrs(image: GeoTIFFImage): string | undefined {
  const keys = image.getGeoKeys() ?? {};
  const projected = keys.ProjectedCSTypeGeoKey;
  if (typeof projected === 'number' && projected > 0 && projected < 32767) return `EPSG:${projected}`;
  const geographic = keys.GeographicTypeGeoKey;
  if (typeof geographic === 'number' && geographic > 0 && geographic < 32767)
    return crsFromEpsg(geographic) ? `EPSG:${geographic}` : undefined;
  return undefined;
}

export interface OpenRaster {
  image: GeoTIFFImage;
  grid: Grid;
  crs: Crs;
}

/** A GeoTIFF's first image, its north-up grid and its CRS (declared, given with `flag`, or guessed), recorded in the log. */
export async function openRaster(
  path: string,
  record: InputRecord,
  given: string | undefined,
  flag: string,
  limit: number,
  log: ImportLog,
): Promise<OpenRaster> {
  let image: GeoTIFFImage;
  useBoundedInflate();
  try {
    image = await (await fromFile(path)).getImage();
  } catch (e) {
    throw importError('imp.err.tiff', { file: path, reason: e instanceof Error ? e.message : String(e) });
  }
  const width = image.getWidth();
  const height = image.getHeight();
  if (!(width > 0 && height > 0) || width * height > limit) throw importError('imp.err.tiffSize', { file: path, width, height, limit });
  let origin: number[];
  let res: number[];
  try {
    origin = image.getOrigin();
    res = image.getResolution();
  } catch (e) {
    throw importError('imp.err.tiff', { file: path, reason: `no georeference: ${e instanceof Error ? e.message : String(e)}` });
  }
  const pixelIsPoint = image.getGeoKeys()?.GTRasterTypeGeoKey === 2;
  const grid: Grid = {
    width,
    height,
    originX: origin[0]! - (pixelIsPoint ? res[0]! / 2 : 0),
    originY: origin[1]! - (pixelIsPoint ? res[1]! / 2 : 0),
    cellX: res[0]!,
    cellY: res[1]!,
  };
  if (!(grid.cellX > 0 && grid.cellY < 0))
    throw importError('imp.err.tiff', { file: path, reason: 'only north-up rasters (positive x and negative y resolution) are read' });
  const corner: [number, number][] = [
    [grid.originX, grid.originY],
    [grid.originX + width * grid.cellX, grid.originY + height * grid.cellY],
  ];
  const { crs, how } = layerCrs(corner, path, flag, given, rasterCrs(image), log);
  record.crs = crs.label;
  record.crsHow = how;
  return { image, grid, crs };
}

/** A cell's area in m² at latitude `lat`: metres of a projected grid, or degrees on the ellipsoid's local radii. */
export function cellAreaM2(crs: Crs, grid: Grid, lat: number): number {
  if (crs.kind === 'projected') return Math.abs(grid.cellX * grid.cellY);
  const phi = (lat * Math.PI) / 180;
  return Math.abs(grid.cellX * grid.cellY) * 111_320 * Math.cos(phi) * 110_574;
}

/** Water along a road: its deepest point and the share of its length deeper than the wet threshold (of the sampled length with a value). */
export interface RoadWater {
  maxDepthM: number;
  wetShare: number;
}

export async function importDepth(
  path: string,
  rp: number,
  zones: readonly ImportedZone[],
  o: DepthOptions,
  log: ImportLog,
  people?: PopulationSampler,
  roads: readonly (readonly (readonly [number, number])[])[] = [],
): Promise<{ zones: ZoneDepth[]; roads: RoadWater[] }> {
  const record = log.record(path, 'imp.role.depth', 'GeoTIFF', { rp });
  const { image, grid, crs } = await openRaster(path, record, o.crs, '--depth-crs', MAX_RASTER_CELLS, log);
  return depthOnGrid(image, grid, crs, path, zones, o, log, people, roads);
}

/** Zone statistics and water along the roads from a raster source on its grid. */
export async function depthOnGrid(
  image: RasterSource,
  grid: Grid,
  crs: Crs,
  path: string,
  zones: readonly ImportedZone[],
  o: DepthOptions,
  log: ImportLog,
  people: PopulationSampler | undefined,
  roads: readonly (readonly (readonly [number, number])[])[],
): Promise<{ zones: ZoneDepth[]; roads: RoadWater[] }> {
  const probes = roadProbes(roads, grid, crs);
  const zoneStats = await zonalDepth(image, grid, crs, zones, o, path, log, people, probes);
  return {
    zones: zoneStats,
    roads: probes.water.map((w) => ({ maxDepthM: w.valid > 0 ? w.max : 0, wetShare: w.valid > 0 ? w.wet / w.valid : 0 })),
  };
}

export interface Probes {
  /** Sample points in row order: probes k of row r are start[r − row0] … start[r − row0 + 1] − 1. */
  row0: number;
  start: Uint32Array;
  column: Int32Array;
  road: Int32Array;
  water: { max: number; wet: number; valid: number }[];
}

/**
 * Points every half cell along each road (lon/lat polylines), as raster cells, sorted by row
 * (counted, then placed: typed arrays, as a county's links give millions of points).
 */
export function roadProbes(roads: readonly (readonly (readonly [number, number])[])[], grid: Grid, crs: Crs): Probes {
  const toRaster = fromLonLat(crs);
  const step = Math.min(Math.abs(grid.cellX), Math.abs(grid.cellY)) / 2;
  const lines = roads.map((line) => line.map(([lon, lat]) => toRaster(lon, lat)));
  const visit = (each: (r: number, c: number, k: number) => void) =>
    lines.forEach((pts, k) => {
      for (let i = 1; i < pts.length; i++) {
        const [x0, y0] = pts[i - 1]!;
        const [x1, y1] = pts[i]!;
        const n = Math.max(1, Math.ceil(Math.hypot(x1 - x0, y1 - y0) / step));
        for (let j = 0; j < n; j++) {
          const t = (j + 0.5) / n;
          const c = Math.floor((x0 + t * (x1 - x0) - grid.originX) / grid.cellX);
          const r = Math.floor((y0 + t * (y1 - y0) - grid.originY) / grid.cellY);
          if (c >= 0 && r >= 0 && c < grid.width && r < grid.height) each(r, c, k);
        }
      }
    });
  let [lo, hi] = [Infinity, -Infinity];
  visit((r) => {
    if (r < lo) lo = r;
    if (r > hi) hi = r;
  });
  const rows = hi >= lo ? hi - lo + 1 : 0;
  const start = new Uint32Array(rows + 1);
  visit((r) => start[r - lo + 1]!++);
  for (let r = 0; r < rows; r++) start[r + 1]! += start[r]!;
  const column = new Int32Array(start[rows] ?? 0);
  const road = new Int32Array(column.length);
  const next = start.slice(0, rows);
  visit((r, c, k) => {
    const at = next[r - lo]!++;
    column[at] = c;
    road[at] = k;
  });
  return { row0: rows > 0 ? lo : 0, start, column, road, water: roads.map(() => ({ max: 0, wet: 0, valid: 0 })) };
}

/** People in a cell of `areaM2` m² centred at (lon, lat) of zone `zone` (census-scaled). */
export interface PopulationSampler {
  weight(zone: number, lon: number, lat: number, areaM2: number): number;
}

/** What zonalDepth reads: a GeoTIFF image, or a raster made in memory (classified polygons). */
export interface RasterSource {
  readRasters(o: { window: [number, number, number, number]; samples: [0] }): Promise<ArrayLike<unknown>>;
  getGDALNoData(): number | null;
}

export async function zonalDepth(
  image: RasterSource,
  grid: Grid,
  crs: Crs,
  zones: readonly ImportedZone[],
  o: DepthOptions,
  path: string,
  log: ImportLog,
  people: PopulationSampler | undefined,
  probes: Probes,
): Promise<ZoneDepth[]> {
  const toRaster = fromLonLat(crs);
  const toWgs = toLonLat(crs);
  const inRaster = zones.map((z) => mapArea(z.lonlat, toRaster));
  const scan = new ZoneScan(grid, inRaster);
  const cellArea = Math.abs(grid.cellX * grid.cellY);
  const out: ZoneDepth[] = zones.map((z, i) => ({
    zone: z.id,
    expectedCells: area(inRaster[i]!) / cellArea,
    validCells: 0,
    wetCells: 0,
    sumWetDepthM: 0,
    validWeight: 0,
    wetWeight: 0,
    sumWetDepthWeight: 0,
    exceedWeight: new Float64Array(o.exceedanceDepthsM.length),
    bandWeight: new Float64Array(o.exceedanceDepthsM.length + 1),
    bandDepthWeight: new Float64Array(o.exceedanceDepthsM.length + 1),
  }));
  const thresholds = o.exceedanceDepthsM;
  const b = bbox(inRaster.flat());
  // The rows and columns the zones span, and those the roads' sample points fall in, are read.
  let [r0, r1] = [Math.floor((b.maxY - grid.originY) / grid.cellY), Math.ceil((b.minY - grid.originY) / grid.cellY) + 1];
  let [c0, c1] = [Math.floor((b.minX - grid.originX) / grid.cellX), Math.ceil((b.maxX - grid.originX) / grid.cellX) + 1];
  if (probes.column.length > 0) {
    [r0, r1] = [Math.min(r0, probes.row0), Math.max(r1, probes.row0 + probes.start.length - 1)];
    for (const c of probes.column) [c0, c1] = [Math.min(c0, c), Math.max(c1, c + 1)];
  }
  [r0, r1, c0, c1] = [Math.max(0, r0), Math.min(grid.height, r1), Math.max(0, c0), Math.min(grid.width, c1)];
  const nodata = image.getGDALNoData();
  const unit = DEPTH_UNITS[o.unit];
  let min = Infinity;
  let max = -Infinity;
  const band = Math.max(1, Math.min(256, Math.floor(8e6 / Math.max(1, c1 - c0))));
  for (let top = r0; top < r1; top += band) {
    const bottom = Math.min(r1, top + band);
    let values: ArrayLike<number>;
    try {
      values = (await image.readRasters({ window: [c0, top, c1, bottom], samples: [0] }))[0] as ArrayLike<number>;
    } catch (e) {
      throw importError('imp.err.tiff', { file: path, reason: e instanceof Error ? e.message : String(e) });
    }
    const w = c1 - c0;
    for (let r = top; r < bottom; r++) {
      const at = r - probes.row0;
      const [p0, p1] = at >= 0 && at + 1 < probes.start.length ? [probes.start[at]!, probes.start[at + 1]!] : [0, 0];
      for (let p = p0; p < p1; p++) {
        const [c, k] = [probes.column[p]!, probes.road[p]!];
        const v = values[(r - top) * w + (c - c0)]!;
        if (v === nodata || !Number.isFinite(v)) continue;
        const d = v * unit;
        const road = probes.water[k]!;
        road.valid++;
        if (d > road.max) road.max = d;
        if (d > o.wetThresholdM) road.wet++;
      }
      for (const run of scan.row(r)) {
        const z = out[run.zone]!;
        const from = Math.max(run.from, c0);
        const to = Math.min(run.to, c1);
        // With a population raster each cell weighs the people in it: the cell centres of a run
        // are placed in lon/lat by its two ends (linear in between: centimetres over a county).
        let lon0 = 0;
        let lat0 = 0;
        let dLon = 0;
        let dLat = 0;
        let area = 0;
        if (people && to > from) {
          const y = grid.originY + (r + 0.5) * grid.cellY;
          [lon0, lat0] = toWgs(grid.originX + (from + 0.5) * grid.cellX, y);
          const [lon1, lat1] = toWgs(grid.originX + (to - 0.5) * grid.cellX, y);
          [dLon, dLat] = to - from > 1 ? [(lon1 - lon0) / (to - from - 1), (lat1 - lat0) / (to - from - 1)] : [0, 0];
          area = cellAreaM2(crs, grid, lat0);
        }
        for (let c = from; c < to; c++) {
          const v = values[(r - top) * w + (c - c0)]!;
          if (v === nodata || !Number.isFinite(v)) continue;
          const d = v * unit;
          const weight = people ? people.weight(run.zone, lon0 + (c - from) * dLon, lat0 + (c - from) * dLat, area) : 1;
          z.validCells++;
          z.validWeight += weight;
          if (d < min) min = d;
          if (d > max) max = d;
          if (d > o.wetThresholdM) {
            z.wetCells++;
            z.sumWetDepthM += d;
            z.wetWeight += weight;
            z.sumWetDepthWeight += d * weight;
            let band = 0;
            for (; band < thresholds.length && d >= thresholds[band]!; band++) z.exceedWeight[band]! += weight;
            z.bandWeight[band]! += weight;
            z.bandDepthWeight[band]! += d * weight;
          }
        }
      }
      // Cells a zone's polygon claims but an earlier overlapping zone holds are not missing data.
      for (const run of scan.lastOverlaps) out[run.zone]!.expectedCells -= run.to - run.from;
    }
  }
  if (scan.overlapCells > 0) log.warn('zones-overlap', 'imp.w.overlap', { file: fileLabel(path), cells: scan.overlapCells });
  if (max > 20 || min < 0) log.warn('depth-range', 'imp.w.depthRange', { file: fileLabel(path), min: min.toFixed(2), max: max.toFixed(2) });
  return out;
}

/**
 * A population raster (WorldPop or GHS-POP at 100 m, people per cell; CC BY 4.0) used only for
 * the pattern of people within each zone: the raster's people in a zone (cells whose centre is in
 * it) are scaled to the zone's census figure, so zone totals stay the census's exactly and the
 * raster only says where inside the zone people live. Depth cells then weigh the people of the
 * population cell under their centre (the finer grid sampling the coarser: people per m² × the
 * depth cell's area), and flooded shares become shares of people rather than of land. A zone the
 * raster gives no people keeps area shares, and says so; a zone whose raster total is more than
 * 20% off its census is reported (InaSAFE #1217: gridded population 10× off the census).
 */
import { fromLonLat } from '../geo/crs.js';
import { mapArea } from '../geo/polygon.js';
import { ZoneScan } from '../geo/zonal.js';
import { cellAreaM2, openRaster, type PopulationSampler } from './depth.js';
import { fileLabel, type ImportLog, importError } from './inputs.js';
import type { ImportedZone } from './zones.js';

/** 6,000 × 6,000 cells (a county at 100 m is a few hundred a side): the raster is held whole. */
export const MAX_POPULATION_CELLS = 3.6e7;

export interface PopulationResult {
  sampler: PopulationSampler;
  /** Per zone: the raster's people in it, and census / raster (the scale applied). */
  rasterPeople: number[];
  ratio: number[];
}

export async function readPopulation(
  path: string,
  zones: readonly ImportedZone[],
  crsGiven: string | undefined,
  log: ImportLog,
): Promise<PopulationResult> {
  const record = log.record(path, 'imp.role.population', 'GeoTIFF');
  const { image, grid, crs } = await openRaster(path, record, crsGiven, '--population-crs', MAX_POPULATION_CELLS, log);
  let values: ArrayLike<number>;
  try {
    values = (await image.readRasters({ samples: [0] }))[0] as ArrayLike<number>;
  } catch (e) {
    throw importError('imp.err.tiff', { file: path, reason: e instanceof Error ? e.message : String(e) });
  }
  const nodata = image.getGDALNoData();
  const people = (i: number): number => {
    const v = values[i]!;
    return v === nodata || !Number.isFinite(v) || v < 0 ? 0 : v;
  };
  const scan = new ZoneScan(
    grid,
    zones.map((z) => mapArea(z.lonlat, fromLonLat(crs))),
  );
  const rasterPeople = zones.map(() => 0);
  // People no zone holds: in cells claimed twice (overlapping polygons: counted once, in the
  // first zone), and in cells enclosed by the zones — zone cells on both sides in the row and in
  // the column — but in none (gaps between polygons, slivers, holes such as a lake).
  const covered = new Uint8Array(grid.width * grid.height);
  let overlapPeople = 0;
  for (let r = 0; r < grid.height; r++) {
    for (const run of scan.row(r))
      for (let c = run.from; c < run.to; c++) {
        rasterPeople[run.zone]! += people(r * grid.width + c);
        covered[r * grid.width + c] = 1;
      }
    for (const run of scan.lastOverlaps) for (let c = run.from; c < run.to; c++) overlapPeople += people(r * grid.width + c);
  }
  const gapPeople = enclosedGaps(covered, grid.width, grid.height, people);
  const census = zones.reduce((s, z) => s + z.population, 0);
  if (gapPeople >= 1 && gapPeople > 0.001 * census)
    log.warn('population-gap', 'imp.w.populationGap', {
      file: fileLabel(path),
      people: Math.round(gapPeople),
      share: `${((100 * gapPeople) / census).toFixed(2)}%`,
    });
  if (overlapPeople >= 1)
    log.warn('population-overlap', 'imp.w.populationOverlap', { file: fileLabel(path), people: Math.round(overlapPeople) });
  const ratio = zones.map((z, i) => (rasterPeople[i]! > 0 ? z.population / rasterPeople[i]! : Number.NaN));
  zones.forEach((z, i) => {
    if (!(rasterPeople[i]! > 0)) log.warn('population-empty', 'imp.w.populationEmpty', { zone: z.name, file: fileLabel(path) }, z.id);
    else if (Math.abs(ratio[i]! - 1) > 0.2)
      log.warn(
        'census-raster',
        'imp.w.censusRaster',
        { zone: z.name, census: z.population, raster: Math.round(rasterPeople[i]!), file: fileLabel(path) },
        z.id,
      );
  });
  const toPop = fromLonLat(crs);
  const sampler: PopulationSampler = {
    weight(zone, lon, lat, areaM2) {
      if (!(rasterPeople[zone]! > 0)) return areaM2; // no people in the raster: area shares
      const [x, y] = toPop(lon, lat);
      const c = Math.floor((x - grid.originX) / grid.cellX);
      const r = Math.floor((y - grid.originY) / grid.cellY);
      if (c < 0 || r < 0 || c >= grid.width || r >= grid.height) return 0;
      return (people(r * grid.width + c) / cellAreaM2(crs, grid, lat)) * areaM2 * ratio[zone]!;
    },
  };
  return { sampler, rasterPeople, ratio };
}

/** People in cells not covered but with covered cells left and right in their row and above and below in their column. */
function enclosedGaps(covered: Uint8Array, width: number, height: number, people: (i: number) => number): number {
  const top = new Int32Array(width).fill(height);
  const bottom = new Int32Array(width).fill(-1);
  for (let r = 0; r < height; r++)
    for (let c = 0; c < width; c++)
      if (covered[r * width + c]) {
        top[c] = Math.min(top[c]!, r);
        bottom[c] = r;
      }
  let sum = 0;
  for (let r = 0; r < height; r++) {
    let left = -1;
    let right = -1;
    for (let c = 0; c < width; c++)
      if (covered[r * width + c]) {
        if (left < 0) left = c;
        right = c;
      }
    for (let c = left + 1; c < right; c++) if (!covered[r * width + c] && top[c]! < r && r < bottom[c]!) sum += people(r * width + c);
  }
  return sum;
}

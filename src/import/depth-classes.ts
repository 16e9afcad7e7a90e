/**
 * Classified depth maps: the 洪水风险图 as the 水利局 often hands it out, polygons of depth classes
 * (淹没水深 < 0.5 m, 0.5–1 m, 1–2 m, 2–3 m, > 3 m) rather than a grid. Each class becomes one
 * depth by a rule the report states: a range its midpoint, an open bottom class (< 0.5 m) half its
 * bound, the open top class (> 3 m) its bound + OPEN_TOP_M; or the planner's own table
 * (`classes:` in import.yaml, label → metres), which wins. The polygons are rasterised at cell
 * centres on a grid over the zones (cells of at least 5 m, at most 16 M of them), outside the
 * polygons dry — a class map draws only what floods — and the grid goes through the same zonal
 * statistics and road sampling as a GeoTIFF. A label the rule cannot read is an error naming
 * the file, the field and the label.
 */
import { type Crs, fromLonLat } from '../geo/crs.js';
import { type Area, bbox, mapArea } from '../geo/polygon.js';
import { type Grid, ZoneScan } from '../geo/zonal.js';
import {
  DEPTH_UNITS,
  type DepthOptions,
  depthOnGrid,
  type PopulationSampler,
  type RasterSource,
  type RoadWater,
  type ZoneDepth,
} from './depth.js';
import { fileLabel, type ImportLog, importError } from './inputs.js';
import { type ImportedZone, layerCrs, pickColumn, readPolygonLayer } from './zones.js';

/** The open top class (> 3 m) is taken as its bound plus this much (research: real-data-import.md §7). */
export const OPEN_TOP_M = 0.5;
const MAX_CELLS = 16e6;
const MIN_CELL_M = 5;
const FIELDS = ['水深', '淹没水深', '水深等级', '淹没水深等级', 'depth', 'depth_class', 'class', 'gridcode', 'value'];

export interface ClassOptions {
  /** The column holding the class (else the first of FIELDS present). */
  field?: string;
  /** Label → depth in metres, overriding the rule. */
  classes?: Readonly<Record<string, number>>;
}

const NUM = '(\\d+(?:\\.\\d+)?)';

/** A class label's depth in metres by the rule (undefined when it cannot be read). */
export function classDepth(label: unknown, unit: number): number | undefined {
  if (typeof label === 'number') return Number.isFinite(label) && label >= 0 ? label * unit : undefined;
  let t = String(label ?? '')
    .trim()
    .replace(/[\s]/g, '')
    .replace(/[～~—–－至到]/g, '-')
    .replace(/＜/g, '<')
    .replace(/＞/g, '>')
    .replace(/≤|<=|小于等于|不大于/g, '<')
    .replace(/≥|>=|大于等于|不小于/g, '>')
    .replace(/小于|不足|低于/g, '<')
    .replace(/大于|超过|高于/g, '>');
  let u = unit;
  if (/(cm|厘米)/i.test(t)) u = 0.01;
  t = t.replace(/(cm|厘米|m|米)/gi, '');
  const one = (re: string) => new RegExp(`^${re}$`).exec(t);
  const exact = one(NUM);
  if (exact) return Number(exact[1]) * u;
  const range = one(`${NUM}-${NUM}`);
  if (range) {
    const [a, b] = [Number(range[1]), Number(range[2])];
    return b > a ? ((a + b) / 2) * u : undefined;
  }
  const below = one(`<${NUM}`) ?? one(`${NUM}以下`);
  if (below) return (Number(below[1]) / 2) * u;
  const above = one(`>${NUM}`) ?? one(`${NUM}以上`);
  if (above) return Number(above[1]) * u + OPEN_TOP_M;
  return undefined;
}

export async function importDepthPolygons(
  path: string,
  rp: number,
  zones: readonly ImportedZone[],
  o: DepthOptions & ClassOptions,
  log: ImportLog,
  people?: PopulationSampler,
  roads: readonly (readonly (readonly [number, number])[])[] = [],
): Promise<{ zones: ZoneDepth[]; roads: RoadWater[] }> {
  const layer = readPolygonLayer(path, undefined, log, { key: 'imp.role.depth', params: { rp } });
  layer.record.format = `classified depth polygons (${layer.record.format})`;
  const points = layer.features.flatMap((f) => f.coords.flatMap((p) => p[0] ?? []));
  const { crs, swapped, how } = layerCrs(points, path, '--depth-crs', o.crs, layer.declared, log);
  layer.record.crs = crs.label;
  layer.record.crsHow = how;
  const keys = [...new Set(layer.features.flatMap((f) => Object.keys(f.props)))];
  const field = pickColumn(keys, 'depth class', FIELDS, o.field, path, 'field: in its depth entry', true)!;
  const unit = DEPTH_UNITS[o.unit];
  const used = new Map<string, number>();
  const depths = layer.features.map((f, i) => {
    const label = f.props[field];
    const key = String(label ?? '').trim();
    const d = o.classes ? o.classes[key] : classDepth(label, unit);
    if (d === undefined || !Number.isFinite(d) || d < 0)
      throw importError('imp.err.depthClass', {
        file: path,
        where: `feature ${i + 1}`,
        column: field,
        value: key,
        given: o.classes ? 'yes' : 'no',
      });
    used.set(key, d);
    return d;
  });
  const rule = [...used.entries()]
    .sort((a, b) => a[1] - b[1])
    .map(([k, d]) => `${k} → ${d.toFixed(2)} m`)
    .join('; ');
  log.warn('depth-classified', 'imp.w.depthClassified', { file: fileLabel(path), rp, rule, how: o.classes ? 'classes given' : 'rule' });

  // The grid over the zones in the polygons' own CRS.
  const polygons: Area[] = layer.features.map((f) => (swapped ? mapArea(f.coords, (x, y) => [y, x]) : f.coords));
  const toLayer = fromLonLat(crs);
  const b = bbox(zones.flatMap((z) => mapArea(z.lonlat, toLayer)));
  const grid = gridOver(b, crs);
  const values = new Float32Array(grid.width * grid.height);
  const scan = new ZoneScan(grid, polygons);
  for (let r = 0; r < grid.height; r++)
    for (const run of scan.row(r)) values.fill(depths[run.zone]!, r * grid.width + run.from, r * grid.width + run.to);
  if (scan.overlapCells > 0)
    log.warn('depth-class-overlap', 'imp.w.depthClassOverlap', { file: fileLabel(path), cells: scan.overlapCells });
  const source: RasterSource = {
    async readRasters({ window: [c0, r0, c1, r1] }) {
      const w = c1 - c0;
      const out = new Float32Array(w * (r1 - r0));
      for (let r = r0; r < r1; r++) out.set(values.subarray(r * grid.width + c0, r * grid.width + c1), (r - r0) * w);
      return [out];
    },
    getGDALNoData: () => null,
  };
  return depthOnGrid(source, grid, crs, path, zones, { ...o, unit: 'm' }, log, people, roads);
}

/** A north-up grid over `b` (one cell of margin), cells square, at least 5 m, at most MAX_CELLS. */
function gridOver(b: { minX: number; minY: number; maxX: number; maxY: number }, crs: Crs): Grid {
  const metres = crs.kind === 'projected' ? 1 : 1 / 111_320;
  const span = (b.maxX - b.minX) * (b.maxY - b.minY);
  const cell = Math.max(MIN_CELL_M * metres, Math.sqrt(span / MAX_CELLS));
  const width = Math.ceil((b.maxX - b.minX) / cell) + 2;
  const height = Math.ceil((b.maxY - b.minY) / cell) + 2;
  return { width, height, originX: b.minX - cell, originY: b.maxY + cell, cellX: cell, cellY: -cell };
}

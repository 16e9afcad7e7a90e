/**
 * Zones on a raster's own grid: which cells of each row lie in which zone, by scanline at the
 * cell centres (no warping: the polygons are transformed into the raster's CRS, never the
 * raster into theirs). A cell belongs to a zone when its centre is inside by the rule of
 * `polygon.ts` (x_a ≤ x < x_b between crossings), so cells on a shared edge go to exactly one of
 * the two zones and a zone's cells are a function of geometry alone. Where zones overlap, the
 * first zone in order keeps the cell and the overlap is counted.
 */
import { type Area, crossX } from './polygon.js';

/** A north-up grid: cell (col, row) has its centre at originX + (col+½)·cellX, originY + (row+½)·cellY (cellY < 0). */
export interface Grid {
  width: number;
  height: number;
  originX: number;
  originY: number;
  cellX: number;
  cellY: number;
}

export interface Run {
  zone: number;
  /** First column, inclusive. */
  from: number;
  /** Last column, exclusive. */
  to: number;
}

interface Edges {
  x0: Float64Array;
  y0: Float64Array;
  x1: Float64Array;
  y1: Float64Array;
  minY: number;
  maxY: number;
}

export class ZoneScan {
  private readonly edges: Edges[];
  /** Cells claimed by two zones or more (kept by the first). */
  overlapCells = 0;
  /** The last row's cells claimed by a zone after another had them (by the losing zone). */
  lastOverlaps: Run[] = [];

  constructor(
    readonly grid: Grid,
    zones: readonly Area[],
  ) {
    this.edges = zones.map((a) => {
      const rings = a.flat();
      const n = rings.reduce((s, r) => s + r.length, 0);
      const e: Edges = {
        x0: new Float64Array(n),
        y0: new Float64Array(n),
        x1: new Float64Array(n),
        y1: new Float64Array(n),
        minY: Infinity,
        maxY: -Infinity,
      };
      let k = 0;
      for (const ring of rings)
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          e.x0[k] = ring[j]![0];
          e.y0[k] = ring[j]![1];
          e.x1[k] = ring[i]![0];
          e.y1[k] = ring[i]![1];
          e.minY = Math.min(e.minY, ring[i]![1]);
          e.maxY = Math.max(e.maxY, ring[i]![1]);
          k++;
        }
      return e;
    });
  }

  /** The runs of cells of `row` inside each zone, by zone then column; no cell in two runs. */
  row(row: number): Run[] {
    const g = this.grid;
    const y = g.originY + (row + 0.5) * g.cellY;
    const runs: Run[] = [];
    const xs: number[] = [];
    this.edges.forEach((e, zone) => {
      if (y < e.minY || y > e.maxY) return;
      xs.length = 0;
      for (let k = 0; k < e.x0.length; k++) {
        const y0 = e.y0[k]!;
        const y1 = e.y1[k]!;
        if (y0 <= y !== y1 <= y) xs.push(crossX(e.x0[k]!, y0, e.x1[k]!, y1, y));
      }
      xs.sort((a, b) => a - b);
      for (let i = 0; i + 1 < xs.length; i += 2) {
        const from = Math.max(0, Math.ceil((xs[i]! - g.originX) / g.cellX - 0.5));
        const to = Math.min(g.width, Math.ceil((xs[i + 1]! - g.originX) / g.cellX - 0.5));
        if (to > from) runs.push({ zone, from, to });
      }
    });
    return this.resolveOverlaps(runs);
  }

  private resolveOverlaps(runs: Run[]): Run[] {
    this.lastOverlaps = [];
    if (runs.length < 2) return runs;
    const byColumn = [...runs].sort((a, b) => a.from - b.from || a.zone - b.zone);
    let overlap = false;
    for (let i = 1; i < byColumn.length; i++) if (byColumn[i]!.from < byColumn[i - 1]!.to) overlap = true;
    if (!overlap) return runs;
    // Rare (zones that overlap): claim cell by cell in zone order.
    const owner = new Map<number, number>();
    const kept: Run[] = [];
    for (const r of runs) {
      let start = -1;
      let lost = -1;
      for (let c = r.from; c <= r.to; c++) {
        const free = c < r.to && !owner.has(c);
        const taken = c < r.to && !free;
        if (taken) this.overlapCells++;
        if (free) owner.set(c, r.zone);
        if (free && start < 0) start = c;
        if (!free && start >= 0) {
          kept.push({ zone: r.zone, from: start, to: c });
          start = -1;
        }
        if (taken && lost < 0) lost = c;
        if (!taken && lost >= 0) {
          this.lastOverlaps.push({ zone: r.zone, from: lost, to: c });
          lost = -1;
        }
      }
    }
    return kept;
  }
}

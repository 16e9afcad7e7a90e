/**
 * Planar polygons: rings of [x, y] in any one coordinate system, a polygon as its outer ring and
 * holes, an area as several polygons. Inside means the even–odd rule over all rings of a polygon
 * (so holes need no orientation), and a point exactly on an edge counts by the half-open rule of
 * the scanline rasteriser (`zonal.ts`): an edge is crossed when one end is at or below y and the
 * other above, and a crossing at x' counts when x < x'. Every point of the plane is then in
 * exactly one of two polygons that share an edge.
 */

export type Point = readonly [number, number];
export type Ring = readonly Point[];
/** Outer ring first, then holes. */
export type Polygon = readonly Ring[];
export type Area = readonly Polygon[];

export interface Box {
  minX: number;
  minY: number;
  maxX: number;
  maxY: number;
}

/** Signed area by the shoelace formula: positive counter-clockwise (x east, y north). */
export function ringArea(ring: Ring): number {
  let s = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    s += (ring[j]![0] - ring[i]![0]) * (ring[j]![1] + ring[i]![1]);
  }
  return s / 2;
}

/** Area of a polygon with holes: |outer| − Σ|hole|. */
export function polygonArea(p: Polygon): number {
  let a = 0;
  p.forEach((ring, i) => (a += i === 0 ? Math.abs(ringArea(ring)) : -Math.abs(ringArea(ring))));
  return a;
}

export function area(a: Area): number {
  let s = 0;
  for (const p of a) s += polygonArea(p);
  return s;
}

/**
 * Where the edge (xa, ya)–(xb, yb) crosses the line at height y, computed from its lower end so
 * that the same edge gives the same bits whichever way round a ring runs (the rasteriser and the
 * point test must agree to the last bit on points exactly on an edge).
 */
export function crossX(xa: number, ya: number, xb: number, yb: number, y: number): number {
  return ya < yb || (ya === yb && xa <= xb) ? xa + ((y - ya) * (xb - xa)) / (yb - ya) : xb + ((y - yb) * (xa - xb)) / (ya - yb);
}

/** Even–odd crossings of a horizontal ray to +x from (x, y), by the half-open rule. */
function crossings(ring: Ring, x: number, y: number): number {
  let c = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
    const [xi, yi] = ring[i]!;
    const [xj, yj] = ring[j]!;
    if (yi <= y !== yj <= y && x < crossX(xi, yi, xj, yj, y)) c++;
  }
  return c;
}

export function inPolygon(p: Polygon, x: number, y: number): boolean {
  let c = 0;
  for (const ring of p) c += crossings(ring, x, y);
  return c % 2 === 1;
}

export function inArea(a: Area, x: number, y: number): boolean {
  return a.some((p) => inPolygon(p, x, y));
}

export function bbox(a: Area): Box {
  const b = { minX: Infinity, minY: Infinity, maxX: -Infinity, maxY: -Infinity };
  for (const p of a)
    for (const [x, y] of p[0] ?? []) {
      if (x < b.minX) b.minX = x;
      if (y < b.minY) b.minY = y;
      if (x > b.maxX) b.maxX = x;
      if (y > b.maxY) b.maxY = y;
    }
  return b;
}

/** Area-weighted centroid (holes subtracted). */
export function centroid(a: Area): Point {
  let sx = 0;
  let sy = 0;
  let sa = 0;
  for (const p of a)
    p.forEach((ring, k) => {
      const sign = (k === 0 ? 1 : -1) * Math.sign(ringArea(ring));
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        const [x0, y0] = ring[j]!;
        const [x1, y1] = ring[i]!;
        const cross = x0 * y1 - x1 * y0;
        sx += sign * (x0 + x1) * cross;
        sy += sign * (y0 + y1) * cross;
        sa += sign * cross;
      }
    });
  return sa === 0 ? [Number.NaN, Number.NaN] : [sx / (3 * sa), sy / (3 * sa)];
}

/**
 * A point inside the area: its centroid when that is inside, else the middle of the widest
 * stretch inside along the horizontal line through the centroid (a crescent, a ring-shaped
 * township around a town), else along the line through the middle of the largest polygon.
 */
export function pointInside(a: Area): Point {
  const c = centroid(a);
  if (inArea(a, c[0], c[1])) return c;
  const widest = (y: number): Point | undefined => {
    const xs: number[] = [];
    for (const p of a)
      for (const ring of p)
        for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
          const [xi, yi] = ring[i]!;
          const [xj, yj] = ring[j]!;
          if (yi <= y !== yj <= y) xs.push(crossX(xi, yi, xj, yj, y));
        }
    xs.sort((u, v) => u - v);
    let best: Point | undefined;
    let width = 0;
    for (let i = 0; i + 1 < xs.length; i++) {
      const mid = (xs[i]! + xs[i + 1]!) / 2;
      if (xs[i + 1]! - xs[i]! > width && inArea(a, mid, y)) {
        width = xs[i + 1]! - xs[i]!;
        best = [mid, y];
      }
    }
    return best;
  };
  const largest = [...a].sort((p, q) => polygonArea(q) - polygonArea(p))[0];
  const b = largest ? bbox([largest]) : bbox(a);
  return widest(c[1]) ?? widest((b.minY + b.maxY) / 2) ?? c;
}

/** Shortest distance from a point to the boundary of an area (0 on an edge). */
export function distanceToEdge(a: Area, x: number, y: number): number {
  let d = Infinity;
  for (const p of a)
    for (const ring of p)
      for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) {
        d = Math.min(d, segmentDistance(x, y, ring[j]!, ring[i]!));
      }
  return d;
}

function segmentDistance(x: number, y: number, [x0, y0]: Point, [x1, y1]: Point): number {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const len2 = dx * dx + dy * dy;
  const t = len2 === 0 ? 0 : Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / len2));
  return Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy));
}

/** Applies a coordinate transform to every vertex. */
export function mapArea(a: Area, f: (x: number, y: number) => Point): Area {
  return a.map((p) => p.map((ring) => ring.map(([x, y]) => f(x, y))));
}

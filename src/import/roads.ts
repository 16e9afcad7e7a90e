/**
 * Road links between zones from a road network: OpenStreetMap ways (Overpass JSON) or a GeoJSON
 * of lines (a road layer from the 交通局, an OSM Shapefile converted). Each way of a class with
 * a speed becomes edges in both directions (one for `oneway`), timed at its `maxspeed` or its
 * class's speed; each zone's hub snaps to the nearest vertex of the largest connected part;
 * Dijkstra from every hub gives the zone-to-zone times (the slower direction, as dsim's links are
 * undirected); a direct link is kept unless going through a third zone is at most `tolerance`
 * slower, so neighbours are linked and the all-pairs times over the kept links reproduce the
 * network's (the largest difference is reported).
 */
import { localPlane, type Transform } from '../geo/crs.js';
import { CsrGraph, type Edge, pathTo } from '../geo/graph.js';
import { fileLabel, type ImportLog, importError, parseJson } from './inputs.js';
import type { ImportedZone } from './zones.js';

/** Points of road drawn on a map at most (a county's trunk roads fit; the rest are left off). */
const MAX_MAP_POINTS = 200_000;

export interface ImportedLink {
  from: string;
  to: string;
  lengthKm: number;
  speedKmh: number;
  straightKm: number;
  /** The road the link stands for, lon/lat from hub to hub (for sampling depths along it). */
  path: [number, number][];
}

export interface RoadResult {
  links: ImportedLink[];
  /** The ways used, as lon/lat lines (for maps), at most MAX_MAP_POINTS points in all. */
  lines: [number, number][][];
  vertices: number;
  /** Largest relative difference between the all-pairs times over the links and the network's. */
  maxTimeError: number;
}

interface Way {
  nodes: [number, number][];
  highway: string;
  maxspeed?: number;
  oneway: 0 | 1 | -1;
}

function onewayOf(tags: Record<string, unknown>): 0 | 1 | -1 {
  const v = String(tags['oneway'] ?? '').toLowerCase();
  if (v === 'yes' || v === 'true' || v === '1') return 1;
  if (v === '-1' || v === 'reverse') return -1;
  if (v === 'no' || v === 'false' || v === '0') return 0;
  return tags['highway'] === 'motorway' || tags['junction'] === 'roundabout' ? 1 : 0;
}

function maxspeedOf(v: unknown): number | undefined {
  const m = /^\s*(\d+(?:\.\d+)?)\s*(mph)?\s*$/.exec(String(v ?? ''));
  if (!m) return undefined;
  const n = Number(m[1]) * (m[2] ? 1.609344 : 1);
  return n >= 1 && n <= 200 ? n : undefined;
}

function readWays(data: unknown, file: string): Way[] {
  const d = data as { elements?: unknown; type?: unknown; features?: unknown };
  if (Array.isArray(d?.elements)) {
    const nodes = new Map<number, [number, number]>();
    for (const e of d.elements) if (e?.type === 'node' && Number.isFinite(e.lon) && Number.isFinite(e.lat)) nodes.set(e.id, [e.lon, e.lat]);
    const ways: Way[] = [];
    for (const e of d.elements) {
      if (e?.type !== 'way' || !Array.isArray(e.nodes) || typeof e.tags?.highway !== 'string') continue;
      const pts = (e.nodes as number[]).map((id) => nodes.get(id)).filter((p): p is [number, number] => p !== undefined);
      if (pts.length < 2) continue;
      const maxspeed = maxspeedOf(e.tags.maxspeed);
      ways.push({ nodes: pts, highway: e.tags.highway, oneway: onewayOf(e.tags), ...(maxspeed !== undefined && { maxspeed }) });
    }
    return ways;
  }
  if (d?.type === 'FeatureCollection' && Array.isArray(d.features)) {
    const ways: Way[] = [];
    for (const f of d.features) {
      const g = f?.geometry;
      const props = (f?.properties ?? {}) as Record<string, unknown>;
      const highway = String(props['highway'] ?? props['fclass'] ?? props['class'] ?? '');
      const lines: unknown[] = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? g.coordinates : [];
      for (const line of lines) {
        if (!Array.isArray(line)) continue;
        const pts = line
          .filter((p): p is [number, number] => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]))
          .map((p) => [p[0], p[1]] as [number, number]);
        if (pts.length < 2) continue;
        const maxspeed = maxspeedOf(props['maxspeed']);
        ways.push({ nodes: pts, highway, oneway: onewayOf({ ...props, highway }), ...(maxspeed !== undefined && { maxspeed }) });
      }
    }
    return ways;
  }
  throw importError('imp.err.roads', { file });
}

export function importRoads(
  path: string,
  zones: readonly ImportedZone[],
  speeds: Readonly<Record<string, number>>,
  tolerance: number,
  log: ImportLog,
): RoadResult {
  const { bytes, record } = log.read(path, 'imp.role.roads', 'roads');
  const data = parseJson(new TextDecoder().decode(bytes), path);
  record.format = Array.isArray((data as { elements?: unknown }).elements) ? 'Overpass JSON (OSM)' : 'GeoJSON lines';
  record.crs = 'EPSG:4326 (WGS84 lon/lat)';
  record.crsHow = 'OSM and GeoJSON (RFC 7946) are WGS84';
  const all = readWays(data, path);
  const ignored = new Map<string, number>();
  // A way is used when its class has a speed (service roads and tracks have none by default,
  // whatever their maxspeed); the others are counted and reported, never dropped unsaid.
  const ways = all.filter((w) => {
    const ok = speeds[w.highway] !== undefined;
    if (!ok) ignored.set(w.highway || '(none)', (ignored.get(w.highway || '(none)') ?? 0) + 1);
    return ok;
  });
  if (ignored.size > 0) {
    const n = [...ignored.values()].reduce((a, b) => a + b, 0);
    log.warn('roads-ignored', 'imp.w.roadsIgnored', { file: fileLabel(path), ways: n, classes: [...ignored.keys()].sort().join(', ') });
  }
  if (ways.length === 0) throw importError('imp.err.noRoads', { file: path, classes: Object.keys(speeds).join(', ') });

  // Vertices: coordinates shared by ways (to 1e-7°, about 1 cm) are one vertex.
  const origin = zones[0]!.hubLonLat;
  const plane = localPlane(origin[0], origin[1]);
  const index = new Map<string, number>();
  const xy: [number, number][] = [];
  const vertex = (p: [number, number]): number => {
    const key = `${p[0].toFixed(7)},${p[1].toFixed(7)}`;
    let v = index.get(key);
    if (v === undefined) {
      v = xy.length;
      index.set(key, v);
      xy.push(plane.toKm(p[0], p[1]));
    }
    return v;
  };
  const edges: Edge[] = [];
  for (const w of ways) {
    const speed = w.maxspeed ?? speeds[w.highway]!;
    for (let i = 1; i < w.nodes.length; i++) {
      const a = vertex(w.nodes[i - 1]!);
      const b = vertex(w.nodes[i]!);
      if (a === b) continue;
      const km = Math.hypot(xy[b]![0] - xy[a]![0], xy[b]![1] - xy[a]![1]);
      const minutes = (km / speed) * 60;
      if (w.oneway >= 0) edges.push({ from: a, to: b, cost: minutes, length: km });
      if (w.oneway <= 0) edges.push({ from: b, to: a, cost: minutes, length: km });
    }
  }
  const graph = new CsrGraph(xy.length, edges);
  const component = largestComponent(xy.length, edges);
  const apart = component.reduce((n, v) => n + (v ? 0 : 1), 0);
  if (apart > 0) log.warn('roads-apart', 'imp.w.roadsApart', { file: fileLabel(path), vertices: apart, total: xy.length });
  const hubs = zones.map((z) => snap(z, plane.toKm, xy, component, log));
  const n = zones.length;
  const time = Array.from({ length: n }, () => new Float64Array(n).fill(Infinity));
  const dist = Array.from({ length: n }, () => new Float64Array(n).fill(Infinity));
  const paths = new Map<string, number[]>();
  hubs.forEach((h, i) => {
    const r = graph.shortestFrom(h.vertex);
    hubs.forEach((g, j) => {
      if (j > i) paths.set(`${i},${j}`, pathTo(r.previous, h.vertex, g.vertex));
    });
    hubs.forEach((g, j) => {
      // Between the hubs' road vertices: a path through a third zone passes its vertex, so the
      // pruning below compares like with like (a centre's access leg counted on every pass
      // through would keep links that only run past a town). Snaps over 2 km are reported.
      time[i]![j] = i === j ? 0 : r.cost[g.vertex]!;
      dist[i]![j] = i === j ? 0 : r.length[g.vertex]!;
    });
  });
  // Undirected: the slower direction, with its length.
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const k = time[i]![j]! >= time[j]![i]! ? [i, j] : [j, i];
      const t = time[k[0]!]![k[1]!]!;
      const d = dist[k[0]!]![k[1]!]!;
      time[i]![j] = time[j]![i] = t;
      dist[i]![j] = dist[j]![i] = d;
    }
  const seat = zones.reduce((b, z, i) => (z.population > zones[b]!.population ? i : b), 0);
  zones.forEach((z, i) => {
    if (i !== seat && !Number.isFinite(time[seat]![i]!))
      log.warn('zone-unreachable', 'imp.w.disconnected', { zone: z.name, people: z.population, origin: zones[seat]!.name }, z.id);
  });
  const links: ImportedLink[] = [];
  for (let i = 0; i < n; i++)
    for (let j = i + 1; j < n; j++) {
      const t = time[i]![j]!;
      if (!Number.isFinite(t) || t === 0) continue; // unreachable, or both zones snapped to one vertex
      let direct = true;
      for (let k = 0; k < n && direct; k++) if (k !== i && k !== j && time[i]![k]! + time[k]![j]! <= t * (1 + tolerance)) direct = false;
      if (!direct) continue;
      // Detour: the road against the straight line between the same two road vertices.
      const [ax, ay] = xy[hubs[i]!.vertex]!;
      const [bx, by] = xy[hubs[j]!.vertex]!;
      const straightKm = Math.hypot(bx - ax, by - ay);
      const lengthKm = round(dist[i]![j]!, 2);
      const speedKmh = round(dist[i]![j]! / (t / 60), 1);
      const path = (paths.get(`${i},${j}`) ?? []).map((v) => plane.fromKm(xy[v]![0], xy[v]![1]));
      links.push({ from: zones[i]!.id, to: zones[j]!.id, lengthKm, speedKmh, straightKm, path });
      const ratio = dist[i]![j]! / straightKm;
      if (ratio > 2.5 || ratio < 1) {
        log.warn(
          'detour',
          'imp.w.detour',
          { from: zones[i]!.name, to: zones[j]!.name, road: lengthKm.toFixed(1), straight: straightKm.toFixed(1), ratio: ratio.toFixed(2) },
          `${zones[i]!.id}-${zones[j]!.id}`,
        );
      }
    }
  let budget = MAX_MAP_POINTS;
  const lines = ways.flatMap((w) => {
    if (budget < w.nodes.length) return [];
    budget -= w.nodes.length;
    return [w.nodes];
  });
  return { links, lines, vertices: xy.length, maxTimeError: allPairsError(zones, links, time) };
}

function round(v: number, digits: number): number {
  const f = 10 ** digits;
  return Math.max(1 / f, Math.round(v * f) / f);
}

/** Floyd–Warshall over the kept links (as dsim will run them) against the network's times. */
function allPairsError(zones: readonly ImportedZone[], links: readonly ImportedLink[], time: Float64Array[]): number {
  const n = zones.length;
  const at = new Map(zones.map((z, i) => [z.id, i]));
  const m = Array.from({ length: n }, (_, i) => Array.from({ length: n }, (_, j) => (i === j ? 0 : Infinity)));
  for (const l of links) {
    const i = at.get(l.from)!;
    const j = at.get(l.to)!;
    m[i]![j] = m[j]![i] = Math.min(m[i]![j]!, (l.lengthKm / l.speedKmh) * 60);
  }
  for (let k = 0; k < n; k++)
    for (let i = 0; i < n; i++) for (let j = 0; j < n; j++) if (m[i]![k]! + m[k]![j]! < m[i]![j]!) m[i]![j] = m[i]![k]! + m[k]![j]!;
  let worst = 0;
  for (let i = 0; i < n; i++)
    for (let j = 0; j < n; j++) {
      const t = time[i]![j]!;
      if (i !== j && Number.isFinite(t) && t > 0) worst = Math.max(worst, Math.abs(m[i]![j]! - t) / t);
    }
  return worst;
}

function largestComponent(n: number, edges: readonly Edge[]): Uint8Array {
  const parent = Int32Array.from({ length: n }, (_, i) => i);
  const find = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]!]!;
      v = parent[v]!;
    }
    return v;
  };
  for (const e of edges) parent[find(e.from)] = find(e.to);
  const size = new Map<number, number>();
  for (let v = 0; v < n; v++) size.set(find(v), (size.get(find(v)) ?? 0) + 1);
  const biggest = [...size.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const inside = new Uint8Array(n);
  for (let v = 0; v < n; v++) if (find(v) === biggest) inside[v] = 1;
  return inside;
}

function snap(
  z: ImportedZone,
  toKm: Transform,
  xy: readonly [number, number][],
  component: Uint8Array,
  log: ImportLog,
): { vertex: number; snapKm: number } {
  const [hx, hy] = toKm(z.hubLonLat[0], z.hubLonLat[1]);
  let best = -1;
  let bestD = Infinity;
  xy.forEach(([x, y], v) => {
    if (!component[v]) return;
    const d = Math.hypot(x - hx, y - hy);
    if (d < bestD) {
      bestD = d;
      best = v;
    }
  });
  if (bestD > 2) log.warn('hub-far', 'imp.w.hubFar', { zone: z.name, km: bestD.toFixed(1) }, z.id);
  return { vertex: best, snapKm: bestD };
}

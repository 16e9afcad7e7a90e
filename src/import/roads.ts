/**
 * Road links between zones from a road network: OpenStreetMap ways (.osm.pbf or Overpass JSON) or a GeoJSON
 * of lines (a road layer from the 交通局, an OSM Shapefile converted). Each way of a class with
 * a speed becomes edges in both directions (one for `oneway`), timed at its `maxspeed` or its
 * class's speed; each zone's hub snaps to the nearest vertex of the largest connected part;
 * Dijkstra from every hub gives the zone-to-zone times (the slower direction, as dsim's links are
 * undirected); a direct link is kept unless going through a third zone is at most `tolerance`
 * slower, so neighbours are linked and the all-pairs times over the kept links reproduce the
 * network's (the largest difference is reported).
 */
import { localPlane, type Transform } from '../geo/crs.js';
import { CsrGraph } from '../geo/graph.js';
import { type OsmData, PbfError, readOsmPbf } from '../geo/osm-pbf.js';
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
  /** Road nodes on the ways used. */
  vertices: number;
  /** Vertices of the routing graph: junctions, way ends and the zones' hub nodes. */
  junctions: number;
  /** Largest relative difference between the all-pairs times over the links and the network's. */
  maxTimeError: number;
}

/**
 * A road network as read, whatever the file: node positions (lon/lat) and the ways over them
 * (node indices), each with its class, maxspeed and direction. OSM files join ways at shared node
 * ids; GeoJSON lines at identical coordinates (to 1e-7°, about 1 cm).
 */
interface Network {
  lon: Float64Array;
  lat: Float64Array;
  ways: Way[];
  /** Way references to nodes the file does not hold (an extract's edge): left out, counted. */
  missing: number;
}

interface Way {
  refs: Uint32Array;
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

function wayOf(refs: ArrayLike<number>, tags: Record<string, unknown>, highway: string): Way {
  const maxspeed = maxspeedOf(tags['maxspeed']);
  return { refs: Uint32Array.from(refs), highway, oneway: onewayOf({ ...tags, highway }), ...(maxspeed !== undefined && { maxspeed }) };
}

const TAGS = ['highway', 'maxspeed', 'oneway', 'junction'] as const;

/** An .osm.pbf: ways with a highway tag, their refs resolved to the nodes read. */
function fromPbf(bytes: Uint8Array, file: string): Network {
  let osm: OsmData;
  try {
    osm = readOsmPbf(bytes, { tagKeys: TAGS, keepWay: (t) => typeof t['highway'] === 'string' });
  } catch (e) {
    if (e instanceof PbfError) throw importError('imp.err.pbf', { file, reason: e.message });
    throw e;
  }
  const { nodes, ways } = osm;
  // Node ids to indices: a binary search over the ids in order (sorted files, the norm, need no sort).
  const order = nodes.sorted
    ? undefined
    : Uint32Array.from({ length: nodes.count }, (_, i) => i).sort((a, b) => nodes.ids[a]! - nodes.ids[b]!);
  const idAt = order ? (k: number) => nodes.ids[order[k]!]! : (k: number) => nodes.ids[k]!;
  const find = (id: number): number => {
    let [lo, hi] = [0, nodes.count - 1];
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const v = idAt(mid);
      if (v === id) return order ? order[mid]! : mid;
      if (v < id) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  };
  let missing = 0;
  const out: Way[] = [];
  const refs: number[] = [];
  for (let k = 0; k < ways.count; k++) {
    refs.length = 0;
    for (let r = ways.refStart[k]!; r < ways.refStart[k + 1]!; r++) {
      const i = find(ways.refs[r]!);
      if (i < 0) missing++;
      else refs.push(i);
    }
    const tags = ways.tags[k]!;
    if (refs.length >= 2) out.push(wayOf(refs, tags, tags['highway']!));
  }
  return { lon: nodes.lon, lat: nodes.lat, ways: out, missing };
}

function fromJson(data: unknown, file: string): Network {
  const d = data as { elements?: unknown; type?: unknown; features?: unknown };
  const lon: number[] = [];
  const lat: number[] = [];
  const ways: Way[] = [];
  let missing = 0;
  if (Array.isArray(d?.elements)) {
    const index = new Map<number, number>();
    for (const e of d.elements)
      if (e?.type === 'node' && Number.isFinite(e.lon) && Number.isFinite(e.lat) && !index.has(e.id)) {
        index.set(e.id, lon.length);
        lon.push(e.lon);
        lat.push(e.lat);
      }
    for (const e of d.elements) {
      if (e?.type !== 'way' || !Array.isArray(e.nodes) || typeof e.tags?.highway !== 'string') continue;
      const refs = (e.nodes as number[]).map((id) => index.get(id) ?? -1);
      missing += refs.filter((r) => r < 0).length;
      const known = refs.filter((r) => r >= 0);
      if (known.length >= 2) ways.push(wayOf(known, e.tags, e.tags.highway));
    }
    return { lon: Float64Array.from(lon), lat: Float64Array.from(lat), ways, missing };
  }
  if (d?.type === 'FeatureCollection' && Array.isArray(d.features)) {
    const index = new Map<string, number>();
    const node = (p: [number, number]): number => {
      const key = `${p[0].toFixed(7)},${p[1].toFixed(7)}`;
      let v = index.get(key);
      if (v === undefined) {
        v = lon.length;
        index.set(key, v);
        lon.push(p[0]);
        lat.push(p[1]);
      }
      return v;
    };
    for (const f of d.features) {
      const g = f?.geometry;
      const props = (f?.properties ?? {}) as Record<string, unknown>;
      const highway = String(props['highway'] ?? props['fclass'] ?? props['class'] ?? '');
      const lines: unknown[] = g?.type === 'LineString' ? [g.coordinates] : g?.type === 'MultiLineString' ? g.coordinates : [];
      for (const line of lines) {
        if (!Array.isArray(line)) continue;
        const refs = line
          .filter((p): p is [number, number] => Array.isArray(p) && Number.isFinite(p[0]) && Number.isFinite(p[1]))
          .map(node);
        if (refs.length >= 2) ways.push(wayOf(refs, props, highway));
      }
    }
    return { lon: Float64Array.from(lon), lat: Float64Array.from(lat), ways, missing };
  }
  throw importError('imp.err.roads', { file });
}

/** Growable columns of the contracted graph's edges, each with the stretch of way it stands for. */
class EdgeList {
  from: number[] = [];
  to: number[] = [];
  cost: number[] = [];
  length: number[] = [];
  way: number[] = [];
  /** Positions in the way's refs: the edge runs from refs[start] to refs[end] (end < start backwards). */
  start: number[] = [];
  end: number[] = [];
  add(from: number, to: number, cost: number, length: number, way: number, start: number, end: number): void {
    this.from.push(from);
    this.to.push(to);
    this.cost.push(cost);
    this.length.push(length);
    this.way.push(way);
    this.start.push(start);
    this.end.push(end);
  }
}

export function importRoads(
  path: string,
  zones: readonly ImportedZone[],
  speeds: Readonly<Record<string, number>>,
  tolerance: number,
  log: ImportLog,
): RoadResult {
  const pbf = /\.pbf$/i.test(path);
  const { bytes, record } = log.read(path, 'imp.role.roads', pbf ? 'OSM PBF' : 'roads');
  let net: Network;
  if (pbf) net = fromPbf(bytes, path);
  else {
    const data = parseJson(new TextDecoder().decode(bytes), path);
    record.format = Array.isArray((data as { elements?: unknown }).elements) ? 'Overpass JSON (OSM)' : 'GeoJSON lines';
    net = fromJson(data, path);
  }
  record.crs = 'EPSG:4326 (WGS84 lon/lat)';
  record.crsHow = 'OSM and GeoJSON (RFC 7946) are WGS84';
  if (net.missing > 0) log.warn('roads-missing-nodes', 'imp.w.roadsMissingNodes', { file: fileLabel(path), refs: net.missing });
  const ignored = new Map<string, number>();
  // A way is used when its class has a speed (service roads and tracks have none by default,
  // whatever their maxspeed); the others are counted and reported, never dropped unsaid.
  const ways = net.ways.filter((w) => {
    const ok = speeds[w.highway] !== undefined;
    if (!ok) ignored.set(w.highway || '(none)', (ignored.get(w.highway || '(none)') ?? 0) + 1);
    return ok;
  });
  if (ignored.size > 0) {
    const n = [...ignored.values()].reduce((a, b) => a + b, 0);
    log.warn('roads-ignored', 'imp.w.roadsIgnored', { file: fileLabel(path), ways: n, classes: [...ignored.keys()].sort().join(', ') });
  }
  if (ways.length === 0) throw importError('imp.err.noRoads', { file: path, classes: Object.keys(speeds).join(', ') });

  // Nodes on the roads used, on a plane (km) about the first zone's hub; how often each is met.
  const origin = zones[0]!.hubLonLat;
  const plane = localPlane(origin[0], origin[1]);
  const nodes = net.lon.length;
  const x = new Float64Array(nodes).fill(Number.NaN);
  const y = new Float64Array(nodes);
  const seen = new Uint8Array(nodes);
  const parent = Int32Array.from({ length: nodes }, (_, i) => i);
  const find = (v: number): number => {
    while (parent[v] !== v) {
      parent[v] = parent[parent[v]!]!;
      v = parent[v]!;
    }
    return v;
  };
  for (const w of ways) {
    for (let i = 0; i < w.refs.length; i++) {
      const v = w.refs[i]!;
      if (Number.isNaN(x[v]!)) [x[v], y[v]] = plane.toKm(net.lon[v]!, net.lat[v]!);
      seen[v] = Math.min(255, seen[v]! + (i === 0 || i === w.refs.length - 1 ? 2 : 1));
      if (i > 0) parent[find(v)] = find(w.refs[i - 1]!);
    }
  }
  // The largest connected part (by road nodes); the rest is reported and no hub snaps to it.
  const size = new Map<number, number>();
  let used = 0;
  for (let v = 0; v < nodes; v++)
    if (seen[v]) {
      used++;
      size.set(find(v), (size.get(find(v)) ?? 0) + 1);
    }
  const main = [...size.entries()].reduce((a, b) => (b[1] > a[1] ? b : a))[0];
  const apart = used - size.get(main)!;
  if (apart > 0) log.warn('roads-apart', 'imp.w.roadsApart', { file: fileLabel(path), vertices: apart, total: used });
  const candidates = new Uint32Array(size.get(main)!);
  for (let v = 0, k = 0; v < nodes; v++) if (seen[v] && find(v) === main) candidates[k++] = v;
  const hubs = zones.map((z) => snap(z, plane.toKm, candidates, x, y, log));

  // The graph: junctions, way ends and hub nodes are vertices; the nodes between them are folded
  // into one edge each way (a county's 10⁶ nodes become ~10⁵ vertices for 60 Dijkstra runs).
  for (const h of hubs) seen[h] = 2;
  const vertexOf = new Int32Array(nodes).fill(-1);
  const nodeOf: number[] = [];
  for (const w of ways)
    for (const v of w.refs)
      if (seen[v]! >= 2 && vertexOf[v] === -1) {
        vertexOf[v] = nodeOf.length;
        nodeOf.push(v);
      }
  const edges = new EdgeList();
  ways.forEach((w, k) => {
    const speed = w.maxspeed ?? speeds[w.highway]!;
    let at = 0;
    let km = 0;
    for (let i = 1; i < w.refs.length; i++) {
      const [a, b] = [w.refs[i - 1]!, w.refs[i]!];
      km += Math.hypot(x[b]! - x[a]!, y[b]! - y[a]!);
      if (vertexOf[b] === -1) continue;
      const [va, vb] = [vertexOf[w.refs[at]!]!, vertexOf[b]!];
      if (va !== vb) {
        const minutes = (km / speed) * 60;
        if (w.oneway >= 0) edges.add(va, vb, minutes, km, k, at, i);
        if (w.oneway <= 0) edges.add(vb, va, minutes, km, k, i, at);
      }
      at = i;
      km = 0;
    }
  });
  const graph = new CsrGraph(nodeOf.length, {
    from: Uint32Array.from(edges.from),
    to: Uint32Array.from(edges.to),
    cost: Float64Array.from(edges.cost),
    length: Float64Array.from(edges.length),
  });
  const lonLat = (v: number): [number, number] => [net.lon[v]!, net.lat[v]!];
  /** The road from vertex `source` to `target` along `via`, as lon/lat points. */
  const roadPath = (via: Int32Array, source: number, target: number): [number, number][] => {
    const stretches: number[] = [];
    for (let v = target; v !== source; ) {
      const e = via[v]!;
      if (e < 0 || stretches.length > nodeOf.length) return [];
      stretches.push(e);
      v = edges.from[e]!;
    }
    const out: [number, number][] = [lonLat(nodeOf[source]!)];
    for (const e of stretches.reverse()) {
      const refs = ways[edges.way[e]!]!.refs;
      const [s, t] = [edges.start[e]!, edges.end[e]!];
      const step = t > s ? 1 : -1;
      for (let i = s + step; i !== t + step; i += step) out.push(lonLat(refs[i]!));
    }
    return out;
  };
  const n = zones.length;
  const hubVertex = hubs.map((h) => vertexOf[h]!);
  const time = Array.from({ length: n }, () => new Float64Array(n).fill(Infinity));
  const dist = Array.from({ length: n }, () => new Float64Array(n).fill(Infinity));
  // Each hub's tree (the edge reaching each vertex): the paths of the links kept are read from it.
  const trees: Int32Array[] = [];
  hubVertex.forEach((h, i) => {
    const r = graph.shortestFrom(h);
    trees.push(r.via);
    hubVertex.forEach((g, j) => {
      // Between the hubs' road vertices: a path through a third zone passes its vertex, so the
      // pruning below compares like with like (a centre's access leg counted on every pass
      // through would keep links that only run past a town). Snaps over 2 km are reported.
      time[i]![j] = i === j ? 0 : r.cost[g]!;
      dist[i]![j] = i === j ? 0 : r.length[g]!;
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
      const [a, b] = [hubs[i]!, hubs[j]!];
      const straightKm = Math.hypot(x[b]! - x[a]!, y[b]! - y[a]!);
      const lengthKm = round(dist[i]![j]!, 2);
      const speedKmh = round(dist[i]![j]! / (t / 60), 1);
      links.push({
        from: zones[i]!.id,
        to: zones[j]!.id,
        lengthKm,
        speedKmh,
        straightKm,
        path: roadPath(trees[i]!, hubVertex[i]!, hubVertex[j]!),
      });
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
  const lines: [number, number][][] = [];
  for (const w of ways) {
    if (budget < w.refs.length) continue;
    budget -= w.refs.length;
    lines.push(Array.from(w.refs, lonLat));
  }
  return { links, lines, vertices: used, junctions: nodeOf.length, maxTimeError: allPairsError(zones, links, time) };
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

/** The nearest road node to a zone's hub among `candidates` (the main network's nodes, their km in `x`, `y`). */
function snap(z: ImportedZone, toKm: Transform, candidates: Uint32Array, x: Float64Array, y: Float64Array, log: ImportLog): number {
  const [hx, hy] = toKm(z.hubLonLat[0], z.hubLonLat[1]);
  let best = -1;
  let bestD2 = Infinity;
  for (let i = 0; i < candidates.length; i++) {
    const v = candidates[i]!;
    const dx = x[v]! - hx;
    const dy = y[v]! - hy;
    const d2 = dx * dx + dy * dy;
    if (d2 < bestD2) {
      bestD2 = d2;
      best = v;
    }
  }
  const km = Math.sqrt(bestD2);
  if (km > 2) log.warn('hub-far', 'imp.w.hubFar', { zone: z.name, km: km.toFixed(1) }, z.id);
  return best;
}

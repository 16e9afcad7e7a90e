/**
 * A map of an imported county as SVG, drawn from the real geometry: townships coloured by the
 * flooded share at one return period (grey where dry or untabulated) and labelled, the roads the
 * links were built from, the facilities by kind, a scale bar and a north arrow. On a true-north
 * local plane in km, so what prints on A4 is to scale. Pure text: no script, no external asset.
 */

import { localPlane } from '../geo/crs.js';
import type { Area } from '../geo/polygon.js';
import { escapeHtml } from './escape.js';

export interface MapLayer {
  zones: readonly { id: string; name: string; lonlat: Area; hubLonLat: readonly [number, number]; share?: number }[];
  roads: readonly (readonly [number, number])[][];
  /** Roads closed by water (drawn over the roads, dashed red), with their legend label. */
  closed?: { lines: readonly (readonly (readonly [number, number])[])[]; label: string };
  facilities: readonly { kind: 'station' | 'warehouse' | 'shelter' | 'chemical-site'; lonLat: readonly [number, number]; name: string }[];
  labels: {
    title: string;
    share: string;
    dry: string;
    north: string;
    km: string;
    kinds: Record<'station' | 'warehouse' | 'shelter' | 'chemical-site', string>;
    roads: string;
  };
}

const W = 720;
const H = 560;
const MARGIN = 24;
/** The legend's column on the right; the map is drawn to the left of it. */
const LEGEND_W = 150;
const CLASSES = [0.01, 0.05, 0.1, 0.2, 0.4];
const COLOURS = ['#deebf7', '#9ecae1', '#6baed6', '#3182bd', '#08519c', '#08306b'];
const KIND_STYLE = {
  station: { colour: '#c0392b', shape: 'triangle' },
  warehouse: { colour: '#1f5f99', shape: 'square' },
  shelter: { colour: '#27ae60', shape: 'circle' },
  'chemical-site': { colour: '#8e44ad', shape: 'diamond' },
} as const;

/** A facility's symbol at (x, y): a triangle, square, circle or diamond in its kind's colour. */
function symbol(kind: keyof typeof KIND_STYLE, x: number, y: number, attrs: string, inner: string): string {
  const s = KIND_STYLE[kind];
  const paint = `${attrs} fill="${s.colour}" stroke="#fff" stroke-width="1"`;
  if (s.shape === 'square') return `<rect x="${x - 4.5}" y="${y - 4.5}" width="9" height="9" ${paint}>${inner}</rect>`;
  if (s.shape === 'circle') return `<circle cx="${x}" cy="${y}" r="4.5" ${paint}>${inner}</circle>`;
  const d =
    s.shape === 'triangle'
      ? `M${x},${y - 6}L${x + 5.5},${y + 4}L${x - 5.5},${y + 4}Z`
      : `M${x},${y - 6}L${x + 5},${y}L${x},${y + 6}L${x - 5},${y}Z`;
  return `<path d="${d}" ${paint}>${inner}</path>`;
}

export function shareColour(share: number | undefined): string {
  if (share === undefined || !(share > 0)) return '#eeeeee';
  const k = CLASSES.findIndex((c) => share < c);
  return COLOURS[k < 0 ? COLOURS.length - 1 : k]!;
}

/** A round length for the scale bar: 1, 2 or 5 × 10^n km, about a fifth of the map's width. */
export function scaleBarKm(widthKm: number): number {
  const target = widthKm / 5;
  const p = 10 ** Math.floor(Math.log10(target));
  return [1, 2, 5, 10].map((m) => m * p).reduce((best, v) => (Math.abs(v - target) < Math.abs(best - target) ? v : best));
}

export function renderMap(m: MapLayer): string {
  const hubs = m.zones.map((z) => z.hubLonLat);
  const [lon0, lat0] = [hubs.reduce((s, h) => s + h[0], 0) / hubs.length, hubs.reduce((s, h) => s + h[1], 0) / hubs.length];
  const plane = localPlane(lon0, lat0);
  const zonesKm = m.zones.map((z) => z.lonlat.map((p) => p.map((ring) => ring.map(([x, y]) => plane.toKm(x, y)))));
  const xs = zonesKm.flatMap((a) => a.flatMap((p) => p.flatMap((r) => r.map((q) => q[0]))));
  const ys = zonesKm.flatMap((a) => a.flatMap((p) => p.flatMap((r) => r.map((q) => q[1]))));
  const [minX, maxX, minY, maxY] = [Math.min(...xs), Math.max(...xs), Math.min(...ys), Math.max(...ys)];
  const k = Math.min((W - 2 * MARGIN - LEGEND_W) / (maxX - minX || 1), (H - 2 * MARGIN - 40) / (maxY - minY || 1));
  const px = (x: number) => (MARGIN + (x - minX) * k).toFixed(1);
  const py = (y: number) => (MARGIN + (maxY - y) * k).toFixed(1);
  const at = (lon: number, lat: number) => {
    const [x, y] = plane.toKm(lon, lat);
    return [px(x), py(y)] as const;
  };
  const parts: string[] = [];
  parts.push(
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${W} ${H}" width="100%" role="img" aria-label="${escapeHtml(m.labels.title)}" font-family="sans-serif">`,
  );
  parts.push(`<title>${escapeHtml(m.labels.title)}</title>`);
  zonesKm.forEach((a, i) => {
    const d = a.map((p) => p.map((r) => `M${r.map((q) => `${px(q[0])},${py(q[1])}`).join('L')}Z`).join('')).join('');
    const z = m.zones[i]!;
    parts.push(
      `<path class="zone" data-zone="${escapeHtml(z.id)}" d="${d}" fill="${shareColour(z.share)}" fill-rule="evenodd" stroke="#555" stroke-width="1"><title>${escapeHtml(z.name)}${z.share === undefined ? '' : ` ${(z.share * 100).toFixed(1)}%`}</title></path>`,
    );
  });
  if (m.roads.length > 0) {
    const d = m.roads.map((line) => `M${line.map(([lon, lat]) => at(lon, lat).join(',')).join('L')}`).join('');
    parts.push(`<path class="roads" d="${d}" fill="none" stroke="#a0522d" stroke-width="1.2" stroke-linejoin="round" opacity="0.8"/>`);
  }
  for (const line of m.closed?.lines ?? []) {
    const d = `M${line.map(([lon, lat]) => at(lon, lat).join(',')).join('L')}`;
    parts.push(
      `<path class="closed-road" d="${d}" fill="none" stroke="#d7191c" stroke-width="3" stroke-dasharray="6 3" stroke-linejoin="round"/>`,
    );
  }
  for (const f of m.facilities) {
    const [x, y] = at(f.lonLat[0], f.lonLat[1]).map(Number) as [number, number];
    parts.push(symbol(f.kind, x, y, `class="facility" data-kind="${f.kind}"`, `<title>${escapeHtml(f.name)}</title>`));
  }
  m.zones.forEach((z) => {
    const [x, y] = at(z.hubLonLat[0], z.hubLonLat[1]);
    parts.push(
      `<text x="${x}" y="${y}" font-size="12" text-anchor="middle" dy="-8" paint-order="stroke" stroke="#fff" stroke-width="3" fill="#1d2733">${escapeHtml(z.name)}</text>`,
    );
  });
  // Scale bar and north arrow (the plane is true-north).
  const bar = scaleBarKm(maxX - minX);
  const y0 = H - 22;
  parts.push(
    `<g class="scale"><rect x="${MARGIN}" y="${y0}" width="${(bar * k).toFixed(1)}" height="5" fill="#1d2733"/><text x="${MARGIN}" y="${y0 - 4}" font-size="11">0</text><text x="${(MARGIN + bar * k).toFixed(1)}" y="${y0 - 4}" font-size="11" text-anchor="middle">${bar} ${escapeHtml(m.labels.km)}</text></g>`,
  );
  parts.push(
    `<g class="north" transform="translate(${W - 30},${MARGIN + 10})"><path d="M0,-14L7,8L0,3L-7,8Z" fill="#1d2733"/><text y="22" font-size="12" text-anchor="middle">${escapeHtml(m.labels.north)}</text></g>`,
  );
  // Legend: share classes, then kinds.
  const lx = W - LEGEND_W + 10;
  const closedRows = m.closed && m.closed.lines.length > 0 ? 1 : 0;
  let ly = H - 20 - 14 * (CLASSES.length + 2 + closedRows + new Set(m.facilities.map((f) => f.kind)).size);
  parts.push(`<g class="legend" font-size="11"><text x="${lx}" y="${ly}" font-weight="bold">${escapeHtml(m.labels.share)}</text>`);
  const bounds = [0, ...CLASSES];
  COLOURS.forEach((c, i) => {
    ly += 14;
    const label =
      i < CLASSES.length
        ? `${(bounds[i]! * 100).toFixed(0)}–${(CLASSES[i]! * 100).toFixed(0)}%`
        : `≥ ${(CLASSES[CLASSES.length - 1]! * 100).toFixed(0)}%`;
    parts.push(
      `<rect x="${lx}" y="${ly - 9}" width="12" height="10" fill="${c}" stroke="#555" stroke-width="0.5"/><text x="${lx + 18}" y="${ly}">${label}</text>`,
    );
  });
  ly += 14;
  parts.push(
    `<rect x="${lx}" y="${ly - 9}" width="12" height="10" fill="#eeeeee" stroke="#555" stroke-width="0.5"/><text x="${lx + 18}" y="${ly}">${escapeHtml(m.labels.dry)}</text>`,
  );
  if (closedRows) {
    ly += 14;
    parts.push(
      `<path d="M${lx},${ly - 4}L${lx + 14},${ly - 4}" stroke="#d7191c" stroke-width="3" stroke-dasharray="6 3"/><text x="${lx + 18}" y="${ly}">${escapeHtml(m.closed!.label)}</text>`,
    );
  }
  const present = new Set(m.facilities.map((f) => f.kind));
  for (const kind of Object.keys(KIND_STYLE).filter((k) => present.has(k as keyof typeof KIND_STYLE))) {
    ly += 14;
    parts.push(
      `${symbol(kind as keyof typeof KIND_STYLE, lx + 6, ly - 4, '', '')}<text x="${lx + 18}" y="${ly}">${escapeHtml(m.labels.kinds[kind as keyof typeof KIND_STYLE])}</text>`,
    );
  }
  parts.push('</g></svg>');
  return parts.join('\n');
}

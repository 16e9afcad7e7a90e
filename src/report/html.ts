/**
 * The run as one self-contained HTML file: no network request (ECharts is inlined), in Chinese or
 * English, printable on A4. In the order a planner reads it: the plan's targets (estimate, P(met)
 * with its interval, coloured by a stated rule), the relief curve, the KPI table (the terminal's),
 * a table per hazard present, the stock-out table with its basis, what binds relief (the
 * counterfactual study when given, the first blocking cause as a diagnostic), the map (real
 * polygons or a schematic) and the zone table, with the run's provenance.
 */
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import type { Area } from '../geo/polygon.js';
import { formatNumber } from '../i18n/format.js';
import { itemName, type Lang, localName, t } from '../i18n/messages.js';
import { LOSS_BIAS } from '../kpi/loss-bias.js';
import type { RunResult } from '../kpi/result.js';
import { zoneAtReturnPeriod } from '../physics/flood/footprint.js';
import type { Scenario } from '../scenario/schema.js';
import type { Binds } from '../studies/binds.js';
import { bindsAnswer, bindsHeader, bindsTables } from './binds.js';
import { escapeHtml } from './escape.js';
import { renderMap } from './map-svg.js';
import {
  causeName,
  fewJudgedLine,
  hazardTables,
  kpiTable,
  type Row,
  stockoutTable,
  targetsTable,
  waitingLine,
  zoneTable,
} from './table.js';

/** Where zones lie and which roads join them (from the scenario; the result has no geometry). */
export interface Geometry {
  readonly zones: readonly { readonly id: string; readonly x: number; readonly y: number; readonly population?: number }[];
  /** `closed`: by the water along its road at the flood's fixed return period (imported links only). */
  readonly links: readonly { readonly from: string; readonly to: string; readonly closed?: boolean }[];
  /** The flood's fixed return period the closures are for. */
  readonly closedAtYears?: number;
  /** The zones' real polygons (WGS84) when the scenario carries them (`district.geo`). */
  readonly areas?: readonly {
    readonly id: string;
    readonly name: string;
    readonly lonlat: Area;
    readonly hub: readonly [number, number];
  }[];
  /** Why the polygons named by the scenario could not be used (the schematic map is drawn instead). */
  readonly problem?: { readonly file: string; readonly reason: string };
}

/**
 * The geometry of a scenario: zone centres and road links, and its polygons when it names them
 * and they can be had: from beside `file`, where the scenario was read, or as `stored` bytes (the
 * API keeps an import's zones.geojson with its scenario). Either way their SHA-256 must be the one
 * the scenario names.
 */
export function geometryOf(s: Scenario, file?: string, stored?: { bytes: Uint8Array; label: string }): Geometry {
  // Roads closed at the flood's return period, where a link carries the water along its road (the engine's rule).
  const flood = s.hazards.find((h) => h.type === 'flood');
  const years = flood && 'returnPeriodYears' in flood.event ? flood.event.returnPeriodYears : undefined;
  const closed = (l: Scenario['roads']['links'][number]): boolean =>
    years !== undefined &&
    l.flood !== undefined &&
    zoneAtReturnPeriod({ returnPeriodYears: l.flood.returnPeriodYears, depthM: l.flood.maxDepthM, floodedShare: l.flood.wetShare }, years)
      .depthM > l.closesAtDepthM;
  const base = {
    zones: s.district.zones.map((z) => ({ id: z.id, x: z.position.xKm, y: z.position.yKm, population: z.population })),
    links: s.roads.links.map((l) => ({ from: l.from, to: l.to, ...(closed(l) && { closed: true }) })),
    ...(years !== undefined && { closedAtYears: years }),
  };
  const geo = s.district.geo;
  if (!geo || (file === undefined && stored === undefined)) return base;
  const path = stored ? stored.label : join(dirname(file!), geo.zones);
  try {
    const bytes = stored ? Buffer.from(stored.bytes) : readFileSync(path);
    if (bytes.length > 64 * 1024 * 1024) throw new Error('larger than 64 MB');
    if (createHash('sha256').update(bytes).digest('hex') !== geo.sha256)
      throw new Error('its SHA-256 is not the one the scenario names (changed since the import?)');
    const features = (JSON.parse(bytes.toString('utf8')) as { features?: unknown }).features;
    if (!Array.isArray(features)) throw new Error('not a GeoJSON FeatureCollection');
    const areas = features.map((f, i) => {
      const id = String(f?.properties?.id ?? '');
      const g = f?.geometry;
      const polygons: unknown = g?.type === 'Polygon' ? [g.coordinates] : g?.type === 'MultiPolygon' ? g.coordinates : undefined;
      const ok =
        Array.isArray(polygons) &&
        polygons.every(
          (p) =>
            Array.isArray(p) &&
            p.every(
              (r) =>
                Array.isArray(r) && r.length >= 3 && r.every((q) => Array.isArray(q) && Number.isFinite(q[0]) && Number.isFinite(q[1])),
            ),
        );
      if (!ok) throw new Error(`feature ${i + 1}: not a polygon of finite coordinates`);
      const zone = s.district.zones.find((z) => z.id === id);
      if (!zone) throw new Error(`feature ${i + 1}: zone "${id}" is not in the scenario`);
      const hub = f.properties.hub;
      const lonlat = (polygons as number[][][][]).map((p) => p.map((r) => r.map((q) => [q[0]!, q[1]!] as const)));
      return {
        id,
        name: zone.nameZh ?? zone.name,
        lonlat,
        hub: (Array.isArray(hub) && Number.isFinite(hub[0]) && Number.isFinite(hub[1]) ? [hub[0], hub[1]] : lonlat[0]![0]![0]!) as [
          number,
          number,
        ],
      };
    });
    return { ...base, areas };
  } catch (e) {
    return { ...base, problem: { file: path, reason: e instanceof Error ? e.message : String(e) } };
  }
}

/** The zones drawn from their polygons, coloured by the share of their residents displaced; links as lines between hubs. */
function realMap(r: RunResult, g: Geometry, lang: Lang): string {
  const hub = new Map(g.areas!.map((a) => [a.id, a.hub]));
  const population = new Map(g.zones.map((z) => [z.id, z.population ?? 0]));
  return renderMap({
    zones: g.areas!.map((a) => {
      const displaced = r.zones.find((z) => z.id === a.id)?.displacedMean ?? 0;
      const people = population.get(a.id) ?? 0;
      return {
        id: a.id,
        name: lang === 'zh' ? a.name : (r.zones.find((z) => z.id === a.id)?.name ?? a.name),
        lonlat: a.lonlat,
        hubLonLat: a.hub,
        ...(people > 0 && displaced > 0 && { share: displaced / people }),
      };
    }),
    roads: g.links.flatMap((l) => (hub.has(l.from) && hub.has(l.to) ? [[hub.get(l.from)!, hub.get(l.to)!]] : [])),
    ...(g.closedAtYears !== undefined && {
      closed: {
        lines: g.links.flatMap((l) => (l.closed && hub.has(l.from) && hub.has(l.to) ? [[hub.get(l.from)!, hub.get(l.to)!]] : [])),
        label: t(lang, 'report.mapClosed', { rp: g.closedAtYears }),
      },
    }),
    facilities: [],
    labels: {
      title: t(lang, 'report.mapReal'),
      share: t(lang, 'report.mapShare'),
      dry: t(lang, 'report.mapNone'),
      north: t(lang, 'imp.qa.north'),
      km: t(lang, 'imp.qa.km'),
      roads: t(lang, 'imp.role.roads'),
      kinds: {
        station: t(lang, 'imp.kind.station'),
        warehouse: t(lang, 'imp.kind.warehouse'),
        shelter: t(lang, 'imp.kind.shelter'),
        'chemical-site': t(lang, 'imp.kind.chemical-site'),
      },
    },
  });
}

let echartsSource: string | undefined;
function echarts(): string {
  echartsSource ??= readFileSync(createRequire(import.meta.url).resolve('echarts/dist/echarts.min.js'), 'utf8');
  return echartsSource;
}

export { escapeHtml } from './escape.js';

/** JSON safe inside a <script> element. */
const scriptJson = (x: unknown): string => JSON.stringify(x).replace(/</g, '\\u003c');

/**
 * The run report; `binds` is its what-binds study, when one was run (`from`: who renders, for the
 * note saying how to get one otherwise).
 */
export function renderReport(r: RunResult, lang: Lang, geometry?: Geometry, binds?: Binds, from: 'cli' | 'api' = 'cli'): string {
  const T = (key: Parameters<typeof t>[1], params?: Readonly<Record<string, string | number>>) => t(lang, key, params);
  const k = r.kpis;
  const relief = k.reliefCurve;
  const targets = targetsTable(r, lang);
  const kpis = kpiTable(r, lang);
  const zones = zoneTable(r, lang);
  const short = stockoutTable(r, lang);
  const waiting = waitingLine(r, lang);
  const few = fewJudgedLine(r, lang);
  const data = {
    labels: {
      relief: T('report.relief'),
      reliefMean: T('report.reliefMean'),
      reliefBand: T('report.reliefBand'),
      deadline: T('report.deadline', { hours: k.reliefWithinDeadline.deadlineHours }),
      response: T('report.response'),
      threshold: T('report.threshold', { minutes: r.targets.find((x) => x.id === 'response-time')?.threshold ?? 120 }),
      exceedance: T('report.exceedance'),
      aep: T('report.aep'),
      oep: T('report.oep'),
      extrapolated: T('report.extrapolated'),
      stockouts: T('report.stockouts'),
      binds: T('report.binds'),
      map: T('report.map'),
      hours: T('report.hours'),
      years: T('report.years'),
    },
    deadline: k.reliefWithinDeadline.deadlineHours,
    relief,
    response: {
      p50: k.responseTimeMinutes.p50,
      p90: k.responseTimeMinutes.p90,
      p95: k.responseTimeMinutes.p95,
      p99: k.responseTimeMinutes.p99,
    },
    threshold: r.targets.find((x) => x.id === 'response-time')?.threshold ?? null,
    exceedance: k.annualLossRatio?.exceedance ?? null,
    occurrence: k.annualLossRatio?.occurrenceExceedance ?? null,
    stockouts: Object.entries(k.stockouts).map(([item, v]) => ({ item: itemName(lang, item), p: v.pStockout })),
    binds: k.reliefWaiting.causes.map((c) => ({ name: causeName(lang, c.cause), value: c.people })),
    zones:
      geometry && !geometry.areas
        ? geometry.zones.map((g) => ({ ...g, displaced: r.zones.find((z) => z.id === g.id)?.displacedMean ?? 0 }))
        : null,
    links: geometry?.links ?? null,
  };
  const provenance = T('report.provenance', {
    id: r.scenario.id,
    hash: r.scenario.hash,
    seed: r.seed,
    replications: r.replications,
    engine: r.engineVersion,
  });
  const h2 = (key: Parameters<typeof t>[1]) => `<h2>${escapeHtml(T(key))}</h2>`;
  const note = (text: string) => `<p class="note">${escapeHtml(text)}</p>`;
  const hazards = hazardTables(r, lang)
    .map((h) => `<h2>${escapeHtml(T(`report.hazard.${h.key}` as Parameters<typeof t>[1]))}</h2>\n${htmlTable(h.head, h.rows)}`)
    .join('\n');
  let bindsHtml: string;
  if (binds) {
    const b = bindsTables(binds, lang);
    bindsHtml = `${note(bindsHeader(binds, lang))}
<p><b>${escapeHtml(bindsAnswer(binds, lang))}</b></p>
<h3>${escapeHtml(T('binds.alone'))}</h3>
${htmlTable(b.head, b.alone)}
<h3>${escapeHtml(T('binds.without'))}</h3>
${htmlTable(b.head, b.allBut)}
${b.sets.length > 0 ? `<h3>${escapeHtml(T('binds.sets'))}</h3>\n${htmlTable(b.head, b.sets)}` : ''}
${note(T('binds.note', { batches: binds.batches }))}`;
  } else
    bindsHtml = note(
      T(k.reliefWithinDeadline.mean === null ? 'report.bindsNoDisplaced' : from === 'api' ? 'report.bindsApi' : 'report.bindsNotRun'),
    );
  return page(
    lang,
    T('report.title', { name: localName(lang, r.scenario) }),
    `<h1>${escapeHtml(localName(lang, r.scenario))}</h1>
<div class="provenance">${escapeHtml(provenance)}</div>
${h2('report.summary')}
${htmlTable(targets.head, targets.rows, (i) => targetClass(r.targets[i]!))}
${note(T('report.legend'))}
<div id="relief" class="chart"></div>
${h2('report.kpis')}
${htmlTable(kpis.head, kpis.rows)}
${few === null ? '' : note(few)}
${note(T('loss.bias', LOSS_BIAS))}
<div class="two"><div id="response" class="chart"></div><div id="exceedance" class="chart"></div></div>
${hazards}
${h2('report.stockoutTable')}
${short === null ? note(T('stockouts.none')) : `${htmlTable(short.head, short.rows)}\n${note(T('report.stockoutBasis'))}`}
${h2('report.bindsTitle')}
${bindsHtml}
${waiting === null ? '' : note(waiting)}
<div class="two"><div id="stockouts" class="chart"></div><div id="binds" class="chart"></div></div>
${geometry?.areas ? `<figure id="map-real" style="margin:0;page-break-inside:avoid">${realMap(r, geometry, lang)}</figure>` : '<div id="map" class="chart"></div>'}
${h2('report.zones')}
${htmlTable(zones.head, zones.rows)}
${note(T('zones.responseNote'))}`,
    data,
    REPORT_SCRIPT,
  );
}

/**
 * The colour of a target's row, by the rule the legend states: green when it is met with
 * probability at least 90% (and the plan's average, where it states one, is met); amber from 50%;
 * red below 50% or when the average is not met; none when no replication could judge it.
 */
export function targetClass(x: RunResult['targets'][number]): 'hit' | 'warn' | 'miss' | 'none' {
  if (x.met === false) return 'miss';
  if (x.pMet === null) return x.met === true ? 'hit' : 'none';
  return x.pMet >= 0.9 ? 'hit' : x.pMet >= 0.5 ? 'warn' : 'miss';
}

/** A table of cells as HTML (numbers formatted as the terminal shows them), each row's class by `rowClass`. */
export function htmlTable(head: readonly string[], rows: readonly Row[], rowClass?: (i: number) => string): string {
  const th = `<thead><tr>${head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr></thead>`;
  const body = rows
    .map(
      (r, i) =>
        `<tr${rowClass ? ` class="${rowClass(i)}"` : ''}>${r.map((c) => `<td>${escapeHtml(typeof c === 'string' ? c : formatNumber(c))}</td>`).join('')}</tr>`,
    )
    .join('');
  return `<table>${th}<tbody>${body}</tbody></table>`;
}

/**
 * The page around a report: head, print CSS, the data, ECharts inlined and the drawing script (no
 * script: no ECharts). `landscape` prints on A4 turned (wide tables: the drill's injects).
 */
export function page(lang: Lang, title: string, body: string, data: unknown, script: string, landscape = false): string {
  return `<!doctype html>
<html lang="${lang === 'zh' ? 'zh-CN' : 'en'}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta http-equiv="Content-Security-Policy" content="default-src 'none'; script-src 'unsafe-inline'; style-src 'unsafe-inline'; img-src data:">
<link rel="icon" href="data:,">
<title>${escapeHtml(title)}</title>
<style>
  @page { size: A4${landscape ? ' landscape' : ''}; margin: 14mm; }
  body { font-family: "Noto Sans CJK SC", "Microsoft YaHei", "PingFang SC", "WenQuanYi Micro Hei", sans-serif; margin: 0 auto; max-width: ${landscape ? 269 : 190}mm; color: #1d2733; }
  h1 { font-size: 18px; margin: 12px 0 4px; } h2 { font-size: 14px; margin: 14px 0 6px; border-bottom: 1px solid #ccd; }
  h3 { font-size: 12px; margin: 12px 0 2px; }
  table { border-collapse: collapse; width: 100%; font-size: 11px; } td, th { border-bottom: 1px solid #e4e7ec; padding: 3px 4px; text-align: right; }
  thead { display: table-header-group; } tr { page-break-inside: avoid; } h2, h3 { page-break-after: avoid; }
  td:first-child, th:first-child { text-align: left; } tr.miss td:first-child { border-left: 4px solid #c0392b; } tr.hit td:first-child { border-left: 4px solid #27ae60; }
  tr.warn td:first-child { border-left: 4px solid #e0a030; } .note { font-size: 10px; color: #445; margin: 4px 0; }
  .chart { width: 100%; height: 230px; page-break-inside: avoid; } .two { display: flex; gap: 8px; } .two > .chart { width: 50%; }
  .provenance { font-size: 10px; color: #667; margin: 12px 0; }
  table.left td, table.left th { text-align: left; vertical-align: top; }
  table.msel td:nth-child(2), table.msel td:nth-child(3) { white-space: nowrap; }
</style>
</head>
<body>
${body}
${
  script === ''
    ? ''
    : `<script type="application/json" id="dsim-data">${scriptJson(data)}</script>
<script>${echarts().replace(/<\/script/gi, '<\\/script')}</script>
<script>${script}</script>`
}
</body>
</html>
`;
}

/** Draws the charts from the embedded data (runs in the browser). */
const REPORT_SCRIPT = `
(function () {
  var d = JSON.parse(document.getElementById('dsim-data').textContent);
  var L = d.labels, charts = [];
  function chart(id, option) {
    var el = document.getElementById(id);
    if (!el) return;
    var c = echarts.init(el, null, { renderer: 'canvas' });
    option.animation = false;
    // a long title breaks onto a second line instead of being cut at the chart's edge
    if (option.title) option.title.textStyle = Object.assign({ width: el.clientWidth - 16, overflow: 'break', lineHeight: 14 }, option.title.textStyle);
    c.setOption(option);
    charts.push(c);
  }
  var hours = d.relief.hours;
  chart('relief', {
    title: { text: L.relief, textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'axis' },
    xAxis: { type: 'value', name: L.hours, max: hours[hours.length - 1] },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + '%'; } } },
    series: [
      { name: L.reliefBand, type: 'line', data: hours.map(function (h, i) { return [h, d.relief.ci95Low[i]]; }), lineStyle: { opacity: 0 }, stack: 'band', symbol: 'none' },
      { name: L.reliefBand, type: 'line', data: hours.map(function (h, i) { var lo = d.relief.ci95Low[i], hi = d.relief.ci95High[i]; return [h, lo === null || hi === null ? null : hi - lo]; }), lineStyle: { opacity: 0 }, areaStyle: { color: '#9ec5e8' }, stack: 'band', symbol: 'none' },
      { name: L.reliefMean, type: 'line', data: hours.map(function (h, i) { return [h, d.relief.mean[i]]; }), symbol: 'none', lineStyle: { width: 2, color: '#1f5f99' },
        markLine: { symbol: 'none', data: [{ xAxis: d.deadline, label: { formatter: L.deadline } }] } }
    ]
  });
  chart('response', {
    title: { text: L.response, textStyle: { fontSize: 12 } },
    xAxis: { type: 'category', data: ['p50', 'p90', 'p95', 'p99'] },
    yAxis: { type: 'value' },
    series: [{ type: 'bar', data: [d.response.p50, d.response.p90, d.response.p95, d.response.p99], itemStyle: { color: '#e08a3c' },
      markLine: d.threshold === null ? undefined : { symbol: 'none', data: [{ yAxis: d.threshold, label: { formatter: L.threshold, position: 'insideEndTop' } }] } }]
  });
  if (d.exceedance) {
    chart('exceedance', {
      title: { text: L.exceedance, textStyle: { fontSize: 12 }, subtext: d.exceedance.some(function (e) { return e.extrapolated; }) ? L.extrapolated : '', subtextStyle: { fontSize: 10 } },
      grid: { top: 70 },
      xAxis: { type: 'log', name: L.years },
      yAxis: { type: 'value', axisLabel: { formatter: function (v) { return (v * 100).toFixed(1) + '%'; } } },
      legend: { top: 40, textStyle: { fontSize: 10 } },
      // the year's total (AEP) and its largest single event (OEP); extrapolated points hollow and
      // grey, and said so under the title
      series: [[L.aep, d.exceedance, '#8e44ad'], [L.oep, d.occurrence, '#16a085']].map(function (s) {
        return { name: s[0], type: 'line', itemStyle: { color: s[2] }, data: s[1].map(function (e) {
          return e.extrapolated
            ? { value: [e.returnPeriod, e.value], symbol: 'emptyCircle', symbolSize: 8, itemStyle: { color: '#999' } }
            : { value: [e.returnPeriod, e.value], symbol: 'circle', symbolSize: 6 };
        }) };
      })
    });
  } else {
    document.getElementById('exceedance').style.display = 'none';
  }
  chart('stockouts', {
    title: { text: L.stockouts, textStyle: { fontSize: 12 } },
    xAxis: { type: 'category', data: d.stockouts.map(function (s) { return s.item; }) },
    yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: function (v) { return Math.round(v * 100) + '%'; } } },
    series: [{ type: 'bar', data: d.stockouts.map(function (s) { return s.p; }), itemStyle: { color: '#c0392b' } }]
  });
  chart('binds', {
    title: { text: L.binds, textStyle: { fontSize: 12 } },
    tooltip: { trigger: 'item' },
    // each cause with its share, its label wrapped rather than cut
    series: [{ type: 'pie', radius: ['25%', '48%'], top: 36, data: d.binds, label: { fontSize: 10, formatter: '{b}\\n{d}%', width: 90, overflow: 'break' } }]
  });
  if (d.zones) {
    var byId = {};
    d.zones.forEach(function (z) { byId[z.id] = z; });
    var max = Math.max.apply(null, d.zones.map(function (z) { return z.displaced || 0; }).concat([1]));
    chart('map', {
      title: { text: L.map, textStyle: { fontSize: 12 } },
      xAxis: { type: 'value', scale: true, name: 'km' }, yAxis: { type: 'value', scale: true, name: 'km' },
      series: [
        { type: 'lines', coordinateSystem: 'cartesian2d', data: d.links.map(function (l) { return { coords: [[byId[l.from].x, byId[l.from].y], [byId[l.to].x, byId[l.to].y]] }; }), lineStyle: { color: '#99a' } },
        { type: 'scatter', data: d.zones.map(function (z) { return { name: z.id, value: [z.x, z.y], symbolSize: 8 + 40 * Math.sqrt((z.displaced || 0) / max) }; }),
          label: { show: true, formatter: '{b}', position: 'right', fontSize: 10 }, itemStyle: { color: '#1f5f99', opacity: 0.75 } }
      ]
    });
  } else if (document.getElementById('map')) {
    document.getElementById('map').style.display = 'none';
  }
  window.__dsimCharts = charts.length;
})();
`;

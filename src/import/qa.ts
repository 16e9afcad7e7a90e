/**
 * The import's QA report in one language, as Markdown or as an HTML page with a map: the inputs
 * and how each was read, every finding with its code, and the tables a planner checks against
 * what they know — zones, road links, flood tables, facilities. One list of sections, two
 * renderings, so the two say the same.
 */
import { tell } from '../errors.js';
import { type Lang, type MessageKey, t } from '../i18n/messages.js';
import { escapeHtml, page } from '../report/html.js';
import { renderMap } from '../report/map-svg.js';
import { fileLabel } from './inputs.js';
import type { ImportResult } from './pipeline.js';

type Section = { heading: string; intro?: string; table?: { head: string[]; rows: unknown[][] }; list?: string[]; map?: true };

const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

function sections(r: ImportResult, lang: Lang): { title: string; intro: string; sections: Section[] } {
  const L = (k: MessageKey, p: Record<string, string | number> = {}) => t(lang, k, p);
  const name = lang === 'zh' ? (r.scenario.nameZh ?? r.scenario.name) : r.scenario.name;
  const out: Section[] = [];
  out.push({
    heading: L('imp.qa.inputs'),
    table: {
      head: [L('imp.qa.file'), L('imp.qa.role'), L('imp.qa.format'), L('imp.qa.crs'), L('imp.qa.encoding'), L('imp.qa.sha')],
      rows: r.log.inputs.map((i) => [
        fileLabel(i.path),
        tell(lang, i.role, i.roleParams ?? {}),
        i.format,
        i.crs ? `${i.crs}${i.crsHow ? ` — ${i.crsHow}` : ''}` : '',
        i.encoding ? `${i.encoding} (${i.encodingHow})` : '',
        i.sha256.slice(0, 12),
      ]),
    },
  });
  const findings = r.log.findings;
  const errors = findings.filter((f) => f.level === 'error').length;
  out.push({
    heading: `${L('imp.qa.findings')} (${findings.length - errors} ${L('imp.qa.warnings')}, ${errors} ${L('imp.qa.errors')})`,
    list:
      findings.length === 0
        ? [L('imp.qa.none')]
        : findings.map((f) => `${f.level === 'error' ? '✗' : '!'} ${f.code}: ${tell(lang, f.key, f.params)}`),
  });
  out.push({ heading: L('imp.qa.map'), intro: L('imp.qa.mapIntro', { rp: mapReturnPeriod(r) ?? '—' }), map: true });
  const byId = new Map(r.scenario.district.zones.map((z) => [z.id, z]));
  out.push({
    heading: L('imp.qa.zones'),
    table: {
      head: [
        L('imp.qa.zone'),
        L('imp.qa.code'),
        L('imp.qa.population'),
        L('imp.qa.households'),
        L('imp.qa.area'),
        L('imp.qa.position'),
        L('imp.qa.shelter'),
        ...(r.population ? [L('imp.qa.rasterRatio')] : []),
      ],
      rows: r.zones.map((z, i) => {
        const s = byId.get(z.id)!;
        const ratio = r.population?.ratio[i];
        return [
          `${z.name} (${z.id})`,
          z.code ?? '',
          s.population.toLocaleString('en'),
          s.households.toLocaleString('en'),
          s.areaKm2 ?? '',
          `${s.position.xKm.toFixed(2)}, ${s.position.yKm.toFixed(2)}`,
          s.shelterPlaces,
          ...(r.population ? [ratio !== undefined && Number.isFinite(ratio) ? ratio.toFixed(3) : '—'] : []),
        ];
      }),
    },
  });
  const nameOf = (id: string) => byId.get(id)?.name ?? id;
  if (r.roads) {
    out.push({
      heading: L('imp.qa.links'),
      intro: L('imp.qa.linksIntro', {
        links: r.roads.links.length,
        vertices: r.roads.vertices.toLocaleString('en'),
        error: pct(r.roads.maxTimeError),
      }),
      table: {
        head: [L('imp.qa.from'), L('imp.qa.to'), L('imp.qa.length'), L('imp.qa.speed'), L('imp.qa.detour')],
        rows: r.roads.links.map((l) => [
          nameOf(l.from),
          nameOf(l.to),
          l.lengthKm.toFixed(2),
          l.speedKmh.toFixed(1),
          (l.lengthKm / l.straightKm).toFixed(2),
        ]),
      },
    });
  }
  if (r.flood.length > 0) {
    const rows: unknown[][] = [];
    for (const f of r.flood)
      f.returnPeriodYears.forEach((rp, k) =>
        rows.push([nameOf(f.zone), rp, pct(f.floodedShare[k]!), f.depthM[k]!.toFixed(2), pct(f.coverage[k]!)]),
      );
    out.push({
      heading: L('imp.qa.flood'),
      intro: L(r.population ? 'imp.qa.floodIntroPeople' : 'imp.qa.floodIntro', { wet: r.params.wetThresholdM }),
      table: { head: [L('imp.qa.zone'), L('imp.qa.rp'), L('imp.qa.share'), L('imp.qa.depth'), L('imp.qa.coverage')], rows },
    });
  }
  if (r.facilities.length > 0) {
    out.push({
      heading: L('imp.qa.facilities'),
      table: {
        head: [L('imp.qa.id'), L('imp.qa.kind'), L('imp.qa.name'), L('imp.qa.inZone'), 'lon, lat'],
        rows: r.facilities.map((f) => [
          f.id,
          L(`imp.kind.${f.kind}`),
          f.name,
          f.zone ? nameOf(f.zone) : '—',
          `${f.lonLat[0].toFixed(6)}, ${f.lonLat[1].toFixed(6)}`,
        ]),
      },
    });
  }
  return {
    title: L('imp.qa.title', { name }),
    intro: L('imp.qa.intro', { version: String((r.manifest as { dsimVersion: string }).dsimVersion), scenario: r.scenario.id }),
    sections: out,
  };
}

/** The return period the map colours by: the template flood's event, else the largest tabulated. */
function mapReturnPeriod(r: ImportResult): number | undefined {
  const rps = r.flood[0]?.returnPeriodYears;
  if (!rps || rps.length === 0) return undefined;
  const flood = r.scenario.hazards.find((h) => h.type === 'flood') as { event?: { returnPeriodYears?: number } } | undefined;
  const target = flood?.event?.returnPeriodYears ?? rps[rps.length - 1]!;
  return rps.reduce((best, v) => (Math.abs(Math.log(v / target)) < Math.abs(Math.log(best / target)) ? v : best));
}

const mdCell = (v: unknown): string =>
  String(v ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
const mdRow = (cells: unknown[]): string => `| ${cells.map(mdCell).join(' | ')} |`;

export function renderImportReport(r: ImportResult, lang: Lang): string {
  const s = sections(r, lang);
  const out = [`# ${s.title}`, '', s.intro, ''];
  for (const sec of s.sections) {
    if (sec.map) continue; // the map is in the HTML report
    out.push(`## ${sec.heading}`, '');
    if (sec.intro) out.push(sec.intro, '');
    if (sec.list) out.push(...sec.list.map((l) => (l.startsWith('!') || l.startsWith('✗') ? `- **${l.replace(/: /, '**: ')}` : l)), '');
    if (sec.table) out.push(mdRow(sec.table.head), mdRow(sec.table.head.map(() => '---')), ...sec.table.rows.map(mdRow), '');
  }
  return `${out.join('\n')}`;
}

export function renderImportHtml(r: ImportResult, lang: Lang): string {
  const s = sections(r, lang);
  const L = (k: MessageKey) => t(lang, k);
  const rp = mapReturnPeriod(r);
  const shares = new Map(r.flood.map((f) => [f.zone, rp === undefined ? undefined : f.floodedShare[f.returnPeriodYears.indexOf(rp)]]));
  const map = renderMap({
    zones: r.zones.map((z) => ({
      id: z.id,
      name: z.name,
      lonlat: z.lonlat,
      hubLonLat: z.hubLonLat,
      ...(shares.get(z.id) !== undefined && { share: shares.get(z.id)! }),
    })),
    roads: r.roads?.lines ?? [],
    ...(rp !== undefined &&
      r.roads &&
      r.linkWater && {
        closed: {
          // A link closes where the deepest water along its road passes import.closesAtDepthM (the engine's rule at T).
          lines: r.roads.links
            .filter((_, k) => {
              const w = r.linkWater![k];
              const i = w ? w.returnPeriodYears.indexOf(rp) : -1;
              return i >= 0 && w!.maxDepthM[i]! > r.params.closesAtDepthM;
            })
            .map((l) => l.path),
          label: t(lang, 'imp.qa.legendClosed', { rp, depth: r.params.closesAtDepthM }),
        },
      }),
    facilities: r.facilities.map((f) => ({ kind: f.kind, lonLat: f.lonLat, name: f.name })),
    labels: {
      title: s.title,
      share: t(lang, 'imp.qa.legendShare', { rp: rp ?? '—' }),
      dry: L('imp.qa.legendDry'),
      north: L('imp.qa.north'),
      km: L('imp.qa.km'),
      roads: L('imp.role.roads'),
      kinds: {
        station: L('imp.kind.station'),
        warehouse: L('imp.kind.warehouse'),
        shelter: L('imp.kind.shelter'),
        'chemical-site': L('imp.kind.chemical-site'),
      },
    },
  });
  const body = [`<h1>${escapeHtml(s.title)}</h1>`, `<p class="provenance">${escapeHtml(s.intro)}</p>`];
  for (const sec of s.sections) {
    body.push(`<h2>${escapeHtml(sec.heading)}</h2>`);
    if (sec.intro) body.push(`<p>${escapeHtml(sec.intro)}</p>`);
    if (sec.map) body.push(`<figure id="map" style="margin:0;page-break-inside:avoid">${map}</figure>`);
    if (sec.list) body.push(`<ul class="findings">${sec.list.map((l) => `<li>${escapeHtml(l)}</li>`).join('')}</ul>`);
    if (sec.table) {
      body.push(
        `<table class="left"><tr>${sec.table.head.map((h) => `<th>${escapeHtml(h)}</th>`).join('')}</tr>${sec.table.rows.map((row) => `<tr>${row.map((c) => `<td>${escapeHtml(String(c ?? ''))}</td>`).join('')}</tr>`).join('')}</table>`,
      );
    }
  }
  return page(lang, s.title, body.join('\n'), null, '');
}

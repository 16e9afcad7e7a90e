/**
 * The import's QA report, in Markdown, in one language: the inputs and how each was read, every
 * finding with its code, and the tables a planner checks against what they know — zones, road
 * links, flood tables, facilities.
 */
import { tell } from '../errors.js';
import { type Lang, t } from '../i18n/messages.js';
import { fileLabel } from './inputs.js';
import type { ImportResult } from './pipeline.js';

const cell = (v: unknown): string =>
  String(v ?? '')
    .replace(/\|/g, '\\|')
    .replace(/\n/g, ' ');
const row = (cells: unknown[]): string => `| ${cells.map(cell).join(' | ')} |`;
const table = (head: string[], rows: unknown[][]): string => [row(head), row(head.map(() => '---')), ...rows.map(row)].join('\n');
const pct = (v: number): string => `${(v * 100).toFixed(1)}%`;

export function renderImportReport(r: ImportResult, lang: Lang): string {
  const L = (k: Parameters<typeof t>[1], p: Record<string, string | number> = {}) => t(lang, k, p);
  const name = lang === 'zh' ? (r.scenario.nameZh ?? r.scenario.name) : r.scenario.name;
  const out: string[] = [
    `# ${L('imp.qa.title', { name })}`,
    '',
    L('imp.qa.intro', { version: String((r.manifest as { dsimVersion: string }).dsimVersion), scenario: r.scenario.id }),
    '',
  ];
  out.push(`## ${L('imp.qa.inputs')}`, '');
  out.push(
    table(
      [L('imp.qa.file'), L('imp.qa.role'), L('imp.qa.format'), L('imp.qa.crs'), L('imp.qa.encoding'), L('imp.qa.sha')],
      r.log.inputs.map((i) => [
        fileLabel(i.path),
        tell(lang, i.role, i.roleParams ?? {}),
        i.format,
        i.crs ? `${i.crs}${i.crsHow ? ` — ${i.crsHow}` : ''}` : '',
        i.encoding ? `${i.encoding} (${i.encodingHow})` : '',
        i.sha256.slice(0, 12),
      ]),
    ),
    '',
  );
  const findings = r.log.findings;
  const errors = findings.filter((f) => f.level === 'error').length;
  out.push(`## ${L('imp.qa.findings')} (${findings.length - errors} ${L('imp.qa.warnings')}, ${errors} ${L('imp.qa.errors')})`, '');
  if (findings.length === 0) out.push(L('imp.qa.none'));
  for (const f of findings) out.push(`- **${f.level === 'error' ? '✗' : '!'} ${f.code}** ${tell(lang, f.key, f.params)}`);
  out.push('', `## ${L('imp.qa.zones')}`, '');
  const byId = new Map(r.scenario.district.zones.map((z) => [z.id, z]));
  out.push(
    table(
      [
        L('imp.qa.zone'),
        L('imp.qa.code'),
        L('imp.qa.population'),
        L('imp.qa.households'),
        L('imp.qa.area'),
        L('imp.qa.position'),
        L('imp.qa.shelter'),
        ...(r.population ? [L('imp.qa.rasterRatio')] : []),
      ],
      r.zones.map((z, i) => {
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
    ),
    '',
  );
  const nameOf = (id: string) => byId.get(id)?.name ?? id;
  if (r.roads) {
    out.push(
      `## ${L('imp.qa.links')}`,
      '',
      L('imp.qa.linksIntro', {
        links: r.roads.links.length,
        vertices: r.roads.vertices.toLocaleString('en'),
        error: pct(r.roads.maxTimeError),
      }),
      '',
    );
    out.push(
      table(
        [L('imp.qa.from'), L('imp.qa.to'), L('imp.qa.length'), L('imp.qa.speed'), L('imp.qa.detour')],
        r.roads.links.map((l) => [
          nameOf(l.from),
          nameOf(l.to),
          l.lengthKm.toFixed(2),
          l.speedKmh.toFixed(1),
          (l.lengthKm / l.straightKm).toFixed(2),
        ]),
      ),
      '',
    );
  }
  if (r.flood.length > 0) {
    out.push(
      `## ${L('imp.qa.flood')}`,
      '',
      L(r.population ? 'imp.qa.floodIntroPeople' : 'imp.qa.floodIntro', { wet: r.params.wetThresholdM }),
      '',
    );
    const rows: unknown[][] = [];
    for (const f of r.flood)
      f.returnPeriodYears.forEach((rp, k) =>
        rows.push([nameOf(f.zone), rp, pct(f.floodedShare[k]!), f.depthM[k]!.toFixed(2), pct(f.coverage[k]!)]),
      );
    out.push(table([L('imp.qa.zone'), L('imp.qa.rp'), L('imp.qa.share'), L('imp.qa.depth'), L('imp.qa.coverage')], rows), '');
  }
  if (r.facilities.length > 0) {
    out.push(`## ${L('imp.qa.facilities')}`, '');
    out.push(
      table(
        [L('imp.qa.id'), L('imp.qa.kind'), L('imp.qa.name'), L('imp.qa.inZone'), 'lon, lat'],
        r.facilities.map((f) => [
          f.id,
          L(`imp.kind.${f.kind}`),
          f.name,
          f.zone ? nameOf(f.zone) : '—',
          `${f.lonLat[0].toFixed(6)}, ${f.lonLat[1].toFixed(6)}`,
        ]),
      ),
      '',
    );
  }
  return `${out.join('\n')}\n`;
}

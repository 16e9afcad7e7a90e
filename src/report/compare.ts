/**
 * Tables for comparisons, sweeps and sizings: what `dsim compare`, `dsim sweep` and `dsim size`
 * print (their JSON carries the same and more).
 */
import { formatMoney } from '../i18n/format.js';
import { type Lang, type MessageKey, t } from '../i18n/messages.js';
import type { ComparedMetric, Comparison, Sweep } from '../run/compare.js';
import type { Cheapest, Sizing } from '../run/size.js';
import { fmt, grid, pct } from './table.js';

/** A metric's label (or short column head) in `lang`: the catalogue's, targets by their id. */
function label(lang: Lang, m: ComparedMetric, short = false): string {
  const prefix = short ? 'cmp.short.' : 'cmp.';
  if (m.id.startsWith('target:')) return t(lang, `${prefix}pmet` as MessageKey, { target: m.id.slice('target:'.length) });
  const key = `${prefix}${m.id}` as MessageKey;
  return key in CATALOGUE_KEYS ? t(lang, key) : short ? m.short : m.label;
}
const CATALOGUE_KEYS: Record<string, true> = Object.fromEntries(
  ['reliefShare', 'reliefWithinDeadline', 'lossRatio', 'deathsPerMillion', 'responseMean', 'responseTimeMinutes'].flatMap((id) => [
    [`cmp.${id}`, true],
    [`cmp.short.${id}`, true],
  ]),
);

const value = (m: ComparedMetric, x: number | null): string => (m.unit === 'share' || m.unit === 'ratio' ? pct(x) : fmt(x));
const signed = (m: ComparedMetric, x: number | null): string => {
  if (x === null) return '—';
  const s = value(m, Math.abs(x));
  return x > 0 ? `+${s}` : x < 0 ? `−${s}` : s;
};

/** Each variant's value, then each variant's paired difference from the first with its 95% CI. */
export function renderComparison(c: Comparison, lang: Lang = 'en'): string {
  const letters = c.variants.map((_, k) => String.fromCharCode(65 + (k % 26)) + (k >= 26 ? String(Math.floor(k / 26)) : ''));
  const header = [t(lang, 'col.kpi'), ...letters, ...letters.slice(1).map((n) => t(lang, 'cmp.diff', { variant: n }))];
  const rows = c.metrics.map((m) => [
    label(lang, m),
    ...m.values.map((x) => value(m, x)),
    ...m.differences.map((d) =>
      d.mean === null ? '—' : `${signed(m, d.mean)} [${signed(m, d.ci95[0])}, ${signed(m, d.ci95[1])}]${d.significant ? ' *' : ''}`,
    ),
  ]);
  return [
    t(lang, c.paired ? 'cmp.header' : 'cmp.header.stored', { replications: c.replications.toLocaleString('en-US'), seed: c.seed }),
    ...c.variants.map((v, k) => `  ${letters[k]}: ${v.name}`),
    '',
    grid(header, rows),
    '',
    t(lang, c.paired ? 'cmp.note' : 'cmp.note.stored'),
  ].join('\n');
}

/** One row per grid point: its values, the headline KPIs and P(met) of every target. */
export function renderSweep(c: Sweep, paths: readonly string[], points: readonly (readonly number[])[], lang: Lang = 'en'): string {
  const header = [...paths, ...c.metrics.map((m) => label(lang, m, true))];
  const rows = points.map((pt, k) => [...pt.map((x) => fmt(x)), ...c.metrics.map((m) => value(m, m.values[k] ?? null))]);
  return [t(lang, 'sweep.header', { replications: c.replications.toLocaleString('en-US'), seed: c.seed }), '', grid(header, rows)].join(
    '\n',
  );
}

export function sweepCsv(c: Sweep, paths: readonly string[], points: readonly (readonly number[])[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [[...paths, ...c.metrics.map((m) => m.id)].map(q).join(',')];
  points.forEach((pt, k) =>
    lines.push([...pt.map(String), ...c.metrics.map((m) => (m.values[k] === null ? '' : String(m.values[k])))].join(',')),
  );
  return `${lines.join('\n')}\n`;
}

export function renderSizing(s: Sizing, lang: Lang = 'en'): string {
  const rows = s.probes.map((p) => [
    fmt(p.value),
    pct(p.pMet),
    `[${pct(p.ci95[0])}, ${pct(p.ci95[1])}]`,
    p.replications,
    `${(p.wallMs / 1000).toFixed(1)} s`,
  ]);
  const confidence = pct(s.confidence);
  const answer =
    s.answer === null
      ? t(lang, 'size.notReached', { max: fmt(s.probes[s.probes.length - 1]?.value ?? null), confidence })
      : t(lang, 'size.answer', { path: s.path, confidence, answer: fmt(s.answer) }) +
        (s.uncertain && s.uncertain[0] !== s.uncertain[1]
          ? t(lang, 'size.uncertain', { low: fmt(s.uncertain[0]), high: fmt(s.uncertain[1]), confidence })
          : '');
  return [
    t(lang, 'size.target', { description: s.targetDescription }),
    '',
    grid([s.path, t(lang, 'col.pmet'), t(lang, 'col.ci95'), t(lang, 'col.replications'), t(lang, 'col.time')], rows),
    '',
    answer,
    t(lang, 'size.footer', {
      probes: s.probes.length,
      replications: s.replicationsTotal.toLocaleString('en-US'),
      seconds: (s.wallMs / 1000).toFixed(1),
      seed: s.seed,
    }),
  ].join('\n');
}

export function renderCheapest(c: Cheapest, lang: Lang = 'en'): string {
  const rows = c.probes.map((p) => [...p.point.map((x) => fmt(x)), fmt(p.cost), pct(p.pMet), `[${pct(p.ci95[0])}, ${pct(p.ci95[1])}]`]);
  const confidence = pct(c.confidence);
  const answer =
    c.answer === null
      ? t(lang, 'cheap.none', { target: c.target, confidence })
      : t(lang, 'cheap.answer', {
          target: c.target,
          confidence,
          point: c.paths.map((p, i) => `${p}=${fmt(c.answer!.point[i]!)}`).join(', '),
          cost: lang === 'zh' ? formatMoney(lang, c.answer.cost) : `${fmt(c.answer.cost)} CNY`,
        });
  return [
    grid([...c.paths, t(lang, 'col.cost'), t(lang, 'col.pmet'), t(lang, 'col.ci95')], rows),
    '',
    answer,
    t(lang, 'cheap.footer', {
      points: c.probes.length,
      replications: c.replicationsTotal.toLocaleString('en-US'),
      seconds: (c.wallMs / 1000).toFixed(1),
      seed: c.seed,
    }),
  ].join('\n');
}

/**
 * Tables for comparisons, sweeps and sizings: what `dsim compare`, `dsim sweep` and `dsim size`
 * print (their JSON carries the same and more).
 */
import { formatMoney } from '../i18n/format.js';
import { EN, type Lang, type MessageKey, t } from '../i18n/messages.js';
import { LOSS_BIAS } from '../kpi/loss-bias.js';
import type { Assumptions } from '../studies/assumptions.js';
import type { ComparedMetric, Comparison, Sweep } from '../studies/compare.js';
import type { Cheapest, Sizing } from '../studies/size.js';
import { csvDocument } from './csv.js';
import { fmt, grid, pct, targetText } from './table.js';

/** A varied path in the planner's words when the study recorded them ("县应急物资储备中心 · 衣被（床）"), else the path. */
export function varyName(x: { readonly assumptions?: Assumptions }, path: string, lang: Lang): string {
  return x.assumptions?.vary[path]?.[lang] ?? path;
}

/** What a study rests on, one line each: base scenario, fixed changes, deadline, replications and seed. */
export function assumptionLines(a: Assumptions, lang: Lang): string[] {
  return [
    t(lang, 'assume.base', { name: a.base.name[lang], id: a.base.id, hash: a.base.hash }),
    ...(a.set.length === 0
      ? [t(lang, 'assume.noSet')]
      : a.set.map((x) =>
          t(lang, 'assume.set', { what: x.words[lang], value: typeof x.value === 'number' ? fmt(x.value) : String(x.value), path: x.path }),
        )),
    ...Object.entries(a.vary).map(([path, w]) => t(lang, 'assume.vary', { what: w[lang], path })),
    t(lang, 'assume.deadline', { hours: a.deadlineHours }),
    t(lang, 'assume.runs', { replications: a.replications.toLocaleString('en-US'), seed: a.seed }),
  ];
}

/** The sizing's target as the plans word it in `lang` (its own description for results stored before 0.10). */
export function sizingTarget(s: Sizing, lang: Lang): string {
  return s.targetSpec
    ? targetText(lang, s.targetSpec as unknown as Parameters<typeof targetText>[1], s.targetSpec.annual)
    : s.targetDescription;
}

/** A target's short name in `lang` ("relief within the deadline", "时限内救助"); its id when the catalogue has none. */
export function targetName(lang: Lang, id: string): string {
  const key = `targetName.${id}`;
  return key in EN ? t(lang, key as MessageKey) : id;
}

/** A metric's label (or short column head) in `lang`: the catalogue's, targets by their short name. */
export function label(lang: Lang, m: ComparedMetric, short = false): string {
  const prefix = short ? 'cmp.short.' : 'cmp.';
  if (m.id.startsWith('target:')) return t(lang, `${prefix}pmet` as MessageKey, { target: targetName(lang, m.id.slice('target:'.length)) });
  const key = `${prefix}${m.id}` as MessageKey;
  return key in CATALOGUE_KEYS ? t(lang, key) : short ? m.short : m.label;
}
const CATALOGUE_KEYS: Record<string, true> = Object.fromEntries(
  ['reliefShare', 'reliefWithinDeadline', 'lossRatio', 'deathsPerMillion', 'responseMean', 'responseTimeMinutes'].flatMap((id) => [
    [`cmp.${id}`, true],
    [`cmp.short.${id}`, true],
  ]),
);

/** A metric's value as the tables show it: shares as percentages. */
export const value = (m: ComparedMetric, x: number | null): string => (m.unit === 'share' || m.unit === 'ratio' ? pct(x) : fmt(x));
/** A difference with its sign; one that rounds to zero as shown has none (never "−0.0%"). */
export const signed = (m: ComparedMetric, x: number | null): string => {
  if (x === null) return '—';
  const s = value(m, Math.abs(x));
  if (!/[1-9]/.test(s)) return s;
  return x > 0 ? `+${s}` : `−${s}`;
};

/** The letters that name variants in tables: A, B, … Z, A1, … */
export const variantLetters = (n: number): string[] =>
  Array.from({ length: n }, (_, k) => String.fromCharCode(65 + (k % 26)) + (k >= 26 ? String(Math.floor(k / 26)) : ''));

/** The comparison's table (KPI, each variant's value, each paired difference from A): the terminal's and the report's. */
export function comparisonTable(c: Comparison, lang: Lang): { header: string[]; rows: string[][] } {
  const letters = variantLetters(c.variants.length);
  const header = [t(lang, 'col.kpi'), ...letters, ...letters.slice(1).map((n) => t(lang, 'cmp.diff', { variant: n }))];
  const rows = c.metrics.map((m) => [
    label(lang, m),
    ...m.values.map((x) => value(m, x)),
    ...m.differences.map((d) =>
      d.mean === null ? '—' : `${signed(m, d.mean)} [${signed(m, d.ci95[0])}, ${signed(m, d.ci95[1])}]${d.significant ? ' *' : ''}`,
    ),
  ]);
  return { header, rows };
}

/** The comparison's first line: replications, seed, paired or not. */
export function comparisonHeader(c: Comparison, lang: Lang): string {
  return t(lang, c.paired ? 'cmp.header' : 'cmp.header.stored', { replications: c.replications.toLocaleString('en-US'), seed: c.seed });
}

/** The back-tests' measured loss bias, where a study shows a loss (issue 26): none otherwise. */
export function lossBiasLines(metrics: readonly { readonly id: string }[], lang: Lang): string[] {
  return metrics.some((m) => /loss/i.test(m.id)) ? [t(lang, 'loss.bias', LOSS_BIAS)] : [];
}

/** Each variant's value, then each variant's paired difference from the first with its 95% CI. */
export function renderComparison(c: Comparison, lang: Lang = 'en'): string {
  const letters = variantLetters(c.variants.length);
  const { header, rows } = comparisonTable(c, lang);
  return [
    comparisonHeader(c, lang),
    ...c.variants.map((v, k) => `  ${letters[k]}: ${v.name}`),
    '',
    grid(header, rows),
    '',
    t(lang, c.paired ? 'cmp.note' : 'cmp.note.stored'),
    ...lossBiasLines(c.metrics, lang),
  ].join('\n');
}

/** The sweep's table: one row per grid point, its values, the headline KPIs and P(met) of every target. */
export function sweepTable(c: Sweep, lang: Lang): { header: string[]; rows: string[][] } {
  const header = [...c.paths.map((p) => varyName(c, p, lang)), ...c.metrics.map((m) => label(lang, m, true))];
  const rows = c.points.map((pt, k) => [...pt.map((x) => fmt(x)), ...c.metrics.map((m) => value(m, m.values[k] ?? null))]);
  return { header, rows };
}

export function renderSweep(c: Sweep, lang: Lang = 'en'): string {
  const { header, rows } = sweepTable(c, lang);
  return [
    t(lang, 'sweep.header', { replications: c.replications.toLocaleString('en-US'), seed: c.seed }),
    '',
    grid(header, rows),
    ...lossBiasLines(c.metrics, lang),
  ].join('\n');
}

/** The sweep as CSV: one row per point, the varied values then each metric (every CSV dsim writes: csvDocument). */
export function sweepCsv(c: Sweep): string {
  const rows: unknown[][] = [[...c.paths, ...c.metrics.map((m) => m.id)]];
  c.points.forEach((pt, k) => rows.push([...pt, ...c.metrics.map((m) => m.values[k])]));
  return csvDocument(rows);
}

/** The sizing's answer: the smallest value meeting the target with the confidence, or that none on the range does. */
export function sizingAnswer(s: Sizing, lang: Lang): string {
  const confidence = pct(s.confidence);
  if (s.answer === null) return t(lang, 'size.notReached', { max: fmt(s.probes[s.probes.length - 1]?.value ?? null), confidence });
  // The answer with its uncertainty: P(met) there and just below it, and the value its interval clears.
  const at = s.probes.find((p) => p.value === s.answer);
  const below = [...s.probes].filter((p) => p.value < s.answer!).sort((a, b) => b.value - a.value)[0];
  const neighbours =
    at && below
      ? t(lang, 'size.atAnswer', {
          answer: fmt(at.value),
          p: pct(at.pMet),
          lo: pct(at.ci95[0]),
          hi: pct(at.ci95[1]),
          below: fmt(below.value),
          pb: pct(below.pMet),
          lob: pct(below.ci95[0]),
          hib: pct(below.ci95[1]),
        })
      : '';
  return (
    t(lang, 'size.answer', { path: varyName(s, s.path, lang), confidence, answer: fmt(s.answer) }) +
    (s.uncertain && s.uncertain[0] !== s.uncertain[1]
      ? t(lang, 'size.uncertain', { low: fmt(s.uncertain[0]), high: fmt(s.uncertain[1]), confidence })
      : '') +
    neighbours +
    ((s.confidentAnswer ?? null) === null
      ? t(lang, 'size.notShown', { confidence })
      : t(lang, 'size.confident', { confidence, value: fmt(s.confidentAnswer ?? null) }))
  );
}

/** The sizing's footer: probes, replications, time, seed. */
export function sizingFooter(s: Sizing, lang: Lang): string {
  return t(lang, 'size.footer', {
    probes: s.probes.length,
    replications: s.replicationsTotal.toLocaleString('en-US'),
    seconds: (s.wallMs / 1000).toFixed(1),
    seed: s.seed,
  });
}

export function renderSizing(s: Sizing, lang: Lang = 'en'): string {
  const rows = s.probes.map((p) => [
    fmt(p.value),
    pct(p.pMet),
    `[${pct(p.ci95[0])}, ${pct(p.ci95[1])}]`,
    p.replications,
    `${(p.wallMs / 1000).toFixed(1)} s`,
  ]);
  return [
    t(lang, 'size.target', { description: sizingTarget(s, lang) }),
    '',
    grid([varyName(s, s.path, lang), t(lang, 'col.pmet'), t(lang, 'col.ci95'), t(lang, 'col.replications'), t(lang, 'col.time')], rows),
    '',
    sizingAnswer(s, lang),
    sizingFooter(s, lang),
  ].join('\n');
}

/** The cheapest combination's table: each point run, its cost, P(met) and interval. */
export function cheapestTable(c: Cheapest, lang: Lang): { header: string[]; rows: string[][] } {
  return {
    header: [...c.paths.map((p) => varyName(c, p, lang)), t(lang, 'col.cost'), t(lang, 'col.pmet'), t(lang, 'col.ci95')],
    rows: c.probes.map((p) => [...p.point.map((x) => fmt(x)), fmt(p.cost), pct(p.pMet), `[${pct(p.ci95[0])}, ${pct(p.ci95[1])}]`]),
  };
}

/** The cheapest combination meeting the target with the confidence, or that none on the grid does. */
export function cheapestAnswer(c: Cheapest, lang: Lang): string {
  const confidence = pct(c.confidence);
  const point = (pt: readonly number[]) =>
    c.paths.map((p, i) => `${varyName(c, p, lang)} = ${fmt(pt[i]!)}`).join(lang === 'zh' ? '；' : '; ');
  const money = (x: number) => (lang === 'zh' ? formatMoney(lang, x) : `${fmt(x)} CNY`);
  if (c.answer === null) return t(lang, 'cheap.none', { target: c.target, confidence });
  return (
    t(lang, 'cheap.answer', { target: c.target, confidence, point: point(c.answer.point), cost: money(c.answer.cost) }) +
    (!c.confidentAnswer
      ? t(lang, 'cheap.notShown', { confidence })
      : t(lang, 'cheap.confident', { confidence, point: point(c.confidentAnswer.point), cost: money(c.confidentAnswer.cost) }))
  );
}

export function cheapestFooter(c: Cheapest, lang: Lang): string {
  return t(lang, 'cheap.footer', {
    points: c.probes.length,
    replications: c.replicationsTotal.toLocaleString('en-US'),
    seconds: (c.wallMs / 1000).toFixed(1),
    seed: c.seed,
  });
}

export function renderCheapest(c: Cheapest, lang: Lang = 'en'): string {
  const { header, rows } = cheapestTable(c, lang);
  return [grid(header, rows), '', cheapestAnswer(c, lang), cheapestFooter(c, lang)].join('\n');
}

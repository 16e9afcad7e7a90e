/**
 * Tables for comparisons, sweeps and sizings: what `dsim compare`, `dsim sweep` and `dsim size`
 * print (their JSON carries the same and more).
 */
import type { ComparedMetric, Comparison, Sweep } from '../run/compare.js';
import type { Cheapest, Sizing } from '../run/size.js';
import { fmt, grid, pct } from './table.js';

const value = (m: ComparedMetric, x: number | null): string => (m.unit === 'share' || m.unit === 'ratio' ? pct(x) : fmt(x));
const signed = (m: ComparedMetric, x: number | null): string => {
  if (x === null) return '—';
  const s = value(m, Math.abs(x));
  return x > 0 ? `+${s}` : x < 0 ? `−${s}` : s;
};

/** Each variant's value, then each variant's paired difference from the first with its 95% CI. */
export function renderComparison(c: Comparison): string {
  const letters = c.variants.map((_, k) => String.fromCharCode(65 + (k % 26)) + (k >= 26 ? String(Math.floor(k / 26)) : ''));
  const header = ['KPI', ...letters, ...letters.slice(1).map((n) => `${n} − A (95% CI)`)];
  const rows = c.metrics.map((m) => [
    m.label,
    ...m.values.map((x) => value(m, x)),
    ...m.differences.map((d) =>
      d.mean === null ? '—' : `${signed(m, d.mean)} [${signed(m, d.ci95[0])}, ${signed(m, d.ci95[1])}]${d.significant ? ' *' : ''}`,
    ),
  ]);
  return [
    c.paired
      ? `${c.replications.toLocaleString('en-US')} replications each, seed ${c.seed}, the same replications for every variant (common random numbers)`
      : `Stored results, ${c.replications.toLocaleString('en-US')} replications each, seed ${c.seed}: differences are unpaired (results keep no per-replication values; run \`dsim compare\` on the scenarios for paired ones)`,
    ...c.variants.map((v, k) => `  ${letters[k]}: ${v.name}`),
    '',
    grid(header, rows),
    '',
    c.paired
      ? '* the paired 95% interval excludes 0. Differences are paired replication by replication; P(met) rows are the share of replications meeting the target.'
      : '* the 95% interval of the difference excludes 0.',
  ].join('\n');
}

/** One row per grid point: its values, the headline KPIs and P(met) of every target. */
export function renderSweep(c: Sweep, paths: readonly string[], points: readonly (readonly number[])[]): string {
  const header = [...paths, ...c.metrics.map((m) => m.short)];
  const rows = points.map((pt, k) => [...pt.map((x) => fmt(x)), ...c.metrics.map((m) => value(m, m.values[k] ?? null))]);
  return [
    `${c.replications.toLocaleString('en-US')} replications at each point, seed ${c.seed}, the same replications everywhere (common random numbers)`,
    '',
    grid(header, rows),
  ].join('\n');
}

export function sweepCsv(c: Sweep, paths: readonly string[], points: readonly (readonly number[])[]): string {
  const q = (s: string) => (/[",\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s);
  const lines = [[...paths, ...c.metrics.map((m) => m.id)].map(q).join(',')];
  points.forEach((pt, k) =>
    lines.push([...pt.map(String), ...c.metrics.map((m) => (m.values[k] === null ? '' : String(m.values[k])))].join(',')),
  );
  return `${lines.join('\n')}\n`;
}

export function renderSizing(s: Sizing): string {
  const rows = s.probes.map((p) => [
    fmt(p.value),
    pct(p.pMet),
    `[${pct(p.ci95[0])}, ${pct(p.ci95[1])}]`,
    p.replications,
    `${(p.wallMs / 1000).toFixed(1)} s`,
  ]);
  const answer =
    s.answer === null
      ? `Not reached: even ${fmt(s.probes[s.probes.length - 1]?.value ?? null)} meets the target in fewer than ${pct(s.confidence)} of replications.`
      : `Smallest ${s.path} meeting it with probability >= ${pct(s.confidence)}: ${fmt(s.answer)}` +
        (s.uncertain && s.uncertain[0] !== s.uncertain[1]
          ? ` (uncertain between ${fmt(s.uncertain[0])} and ${fmt(s.uncertain[1])}: their 95% intervals contain ${pct(s.confidence)}; more replications would decide)`
          : '');
  return [
    `Target: ${s.targetDescription}`,
    '',
    grid([s.path, 'P(met)', '95% CI', 'replications', 'time'], rows),
    '',
    answer,
    `${s.probes.length} probes, ${s.replicationsTotal.toLocaleString('en-US')} replications, ${(s.wallMs / 1000).toFixed(1)} s, seed ${s.seed} (common random numbers)`,
  ].join('\n');
}

export function renderCheapest(c: Cheapest): string {
  const rows = c.probes.map((p) => [...p.point.map((x) => fmt(x)), fmt(p.cost), pct(p.pMet), `[${pct(p.ci95[0])}, ${pct(p.ci95[1])}]`]);
  const answer =
    c.answer === null
      ? `No combination on the grid meets ${c.target} in ${pct(c.confidence)} of replications.`
      : `Cheapest meeting ${c.target} with probability >= ${pct(c.confidence)}: ${c.paths.map((p, i) => `${p}=${fmt(c.answer!.point[i]!)}`).join(', ')} (cost ${fmt(c.answer.cost)} CNY)`;
  return [
    grid([...c.paths, 'cost (CNY)', 'P(met)', '95% CI'], rows),
    '',
    answer,
    `${c.probes.length} points run, cheapest first; ${c.replicationsTotal.toLocaleString('en-US')} replications, ${(c.wallMs / 1000).toFixed(1)} s, seed ${c.seed}`,
  ].join('\n');
}

/**
 * Studies as self-contained pages (one file, ECharts inlined, no network requests, printable to
 * A4), in Chinese or English: a comparison draws each metric's paired differences from variant A
 * with their 95% intervals; a sweep draws P(target met) against the first swept value with the
 * intervals, one line per value of the other swept quantities; a sizing draws P(met) against the
 * varied value with the confidence line and the answer marked. Each page carries the same table
 * the terminal prints (report/compare.ts) and the study's provenance.
 */
import { formatNumber, formatPercent } from '../i18n/format.js';
import { type Lang, t } from '../i18n/messages.js';
import type { RunResult } from '../kpi/result.js';
import type { Assumptions } from '../studies/assumptions.js';
import type { Binds } from '../studies/binds.js';
import type { Comparison, Sweep } from '../studies/compare.js';
import type { Cheapest, Sizing } from '../studies/size.js';
import { bindsAnswer, bindsHeader, bindsTables } from './binds.js';
import {
  assumptionLines,
  cheapestAnswer,
  cheapestFooter,
  cheapestTable,
  comparisonHeader,
  comparisonTable,
  label,
  lossBiasLines,
  sizingAnswer,
  sizingFooter,
  sizingTarget,
  sweepTable,
  variantLetters,
  varyName,
} from './compare.js';
import { escapeHtml, page, htmlTable as table } from './html.js';
import { targetText } from './table.js';

/** One chart of P(met) (or any share) against a value: each series' points are [x, p, ci low, ci high]. */
interface PmetChart {
  readonly kind: 'pmet';
  readonly title: string;
  readonly xName: string;
  readonly series: { readonly name: string; readonly points: (number | null)[][] }[];
  readonly confidence: number | null;
  readonly answer: number | null;
}

/** One chart of paired differences: a row per variant, the mean with its 95% interval, zero marked. */
interface DiffChart {
  readonly kind: 'diff';
  readonly title: string;
  readonly percent: boolean;
  readonly rows: { readonly name: string; readonly mean: number | null; readonly lo: number | null; readonly hi: number | null }[];
}

type Chart = PmetChart | DiffChart;

/** Each chart under its title (wrapped by the page, not squeezed into the canvas); difference charts as tall as their rows. */
function chartDivs(charts: readonly Chart[]): string {
  return charts
    .map((c, i) => {
      const height = c.kind === 'diff' ? ` style="height:${70 + 28 * c.rows.length}px"` : '';
      return `<h3>${escapeHtml(c.title)}</h3>\n<div id="chart${i}" class="chart"${height}></div>`;
    })
    .join('\n');
}

/** Charts with something to draw: a difference or a P(met) somewhere (a metric no variant has is left to the table). */
function withData<C extends Chart>(charts: readonly C[]): C[] {
  return charts.filter((c) =>
    c.kind === 'diff' ? c.rows.some((r) => r.mean !== null) : c.series.some((s) => s.points.some((p) => p[1] !== null)),
  );
}

/** A comparison: the variants, a chart of paired differences per metric, the table. */
export function renderComparisonReport(c: Comparison, lang: Lang): string {
  const letters = variantLetters(c.variants.length);
  const charts = withData<DiffChart>(
    c.metrics.map((m) => ({
      kind: 'diff',
      title: t(lang, 'report.diffs', { metric: label(lang, m) }),
      percent: m.unit === 'share' || m.unit === 'ratio',
      rows: m.differences.map((d, k) => ({ name: `${letters[k + 1]} − A`, mean: d.mean, lo: d.ci95[0], hi: d.ci95[1] })),
    })),
  );
  const { header, rows } = comparisonTable(c, lang);
  const title = t(lang, 'report.compareTitle', { n: c.variants.length });
  const first = c.variants[0]!.result;
  const body = `<h1>${escapeHtml(title)}</h1>
<div class="provenance">${escapeHtml(comparisonHeader(c, lang))} · ${escapeHtml(provenance(first))}</div>
<h2>${escapeHtml(t(lang, 'report.variants'))}</h2>
${table(
  [t(lang, 'report.variants'), ''],
  c.variants.map((v, k) => [letters[k]!, v.name]),
)}
${chartDivs(charts)}
${table(header, rows)}
<div class="provenance">${escapeHtml(t(lang, c.paired ? 'cmp.note' : 'cmp.note.stored'))}</div>
${lossBiasHtml(c.metrics, lang)}`;
  return page(lang, `dsim: ${title}`, body, { charts }, STUDY_SCRIPT);
}

/** The back-tests' loss bias under a study's table, where it shows a loss. */
function lossBiasHtml(metrics: readonly { readonly id: string }[], lang: Lang): string {
  return lossBiasLines(metrics, lang)
    .map((l) => `<div class="provenance">${escapeHtml(l)}</div>`)
    .join('');
}

/** A sweep: P(met) of each target against the first swept value (a line per value of the others), then the table. */
export function renderSweepReport(c: Sweep, lang: Lang): string {
  const first = c.variants[0]!.result;
  const annual = first.mode === 'annual';
  const others = (k: number): string =>
    c.paths
      .slice(1)
      .map((p, j) => `${varyName(c, p, lang)} = ${formatNumber(c.points[k]![j + 1]!)}`)
      .join(', ');
  const charts = withData<PmetChart>(
    first.targets.map((target) => {
      const groups = new Map<string, (number | null)[][]>();
      c.variants.forEach((v, k) => {
        const x = v.result.targets.find((y) => y.id === target.id);
        const key = others(k);
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key)!.push([c.points[k]![0]!, x?.pMet ?? null, x?.ci95[0] ?? null, x?.ci95[1] ?? null]);
      });
      return {
        kind: 'pmet',
        title: t(lang, 'report.pmetAgainst', { path: varyName(c, c.paths[0]!, lang), target: targetText(lang, target, annual) }),
        xName: varyName(c, c.paths[0]!, lang),
        series: [...groups].map(([name, points]) => ({ name: name === '' ? t(lang, 'col.pmet') : name, points })),
        confidence: null,
        answer: null,
      };
    }),
  );
  const { header, rows } = sweepTable(c, lang);
  const title = t(lang, 'report.sweepTitle', { paths: c.paths.map((p) => varyName(c, p, lang)).join(' × ') });
  const body = `<h1>${escapeHtml(title)}</h1>
<div class="provenance">${escapeHtml(t(lang, 'sweep.header', { replications: c.replications.toLocaleString('en-US'), seed: c.seed }))} · ${escapeHtml(
    provenance(first),
  )}</div>
${assumptionsHtml(c, lang)}
${chartDivs(charts)}
<h2>${escapeHtml(t(lang, 'report.points'))}</h2>
${table(header, rows)}
${lossBiasHtml(c.metrics, lang)}`;
  return page(lang, `dsim: ${title}`, body, { charts }, STUDY_SCRIPT);
}

/** A sizing: P(met) against the varied value with its 95% interval, the confidence line, the answer marked, the probes. */
export function renderSizingReport(s: Sizing, lang: Lang): string {
  const probes = [...s.probes].sort((a, b) => a.value - b.value);
  const charts: PmetChart[] = [
    {
      kind: 'pmet',
      title: t(lang, 'col.pmet'),
      xName: varyName(s, s.path, lang),
      series: [{ name: t(lang, 'col.pmet'), points: probes.map((p) => [p.value, p.pMet, p.ci95[0], p.ci95[1]]) }],
      confidence: s.confidence,
      answer: s.answer,
    },
  ];
  const rows = s.probes.map((p) => [
    formatNumber(p.value),
    formatPercent(p.pMet),
    `[${formatPercent(p.ci95[0])}, ${formatPercent(p.ci95[1])}]`,
    String(p.replications),
  ]);
  const met = (pMet: number | null, confidence: number) => (pMet !== null && pMet >= confidence ? 'hit' : 'miss');
  const name = varyName(s, s.path, lang);
  const target = sizingTarget(s, lang);
  const body = `<h1>${escapeHtml(name)}</h1>
<div class="provenance">${escapeHtml(t(lang, 'size.target', { description: target }))} · ${escapeHtml(sizingFooter(s, lang))} · ${escapeHtml(
    `${s.scenario.id} ${s.scenario.hash}`,
  )}</div>
<h2>${escapeHtml(sizingAnswer(s, lang))}</h2>
${assumptionsHtml(s, lang)}
${chartDivs(charts)}
${table([name, t(lang, 'col.pmet'), t(lang, 'col.ci95'), t(lang, 'col.replications')], rows, (i) => met(s.probes[i]!.pMet, s.confidence))}`;
  return page(lang, `dsim: ${name}`, body, { charts }, STUDY_SCRIPT);
}

/** The cheapest combination: P(met) of each point run against its cost, the confidence line, the answer's cost marked. */
export function renderCheapestReport(c: Cheapest, lang: Lang): string {
  const charts: PmetChart[] = [
    {
      kind: 'pmet',
      title: t(lang, 'col.pmet'),
      xName: t(lang, 'col.cost'),
      series: [{ name: t(lang, 'col.pmet'), points: c.probes.map((p) => [p.cost, p.pMet, p.ci95[0], p.ci95[1]]) }],
      confidence: c.confidence,
      answer: c.answer?.cost ?? null,
    },
  ];
  const { header, rows } = cheapestTable(c, lang);
  const title = c.paths.map((p) => varyName(c, p, lang)).join(' × ');
  const body = `<h1>${escapeHtml(title)}</h1>
<div class="provenance">${escapeHtml(cheapestFooter(c, lang))} · ${escapeHtml(`${c.scenario.id} ${c.scenario.hash}`)}</div>
<h2>${escapeHtml(cheapestAnswer(c, lang))}</h2>
${assumptionsHtml(c, lang)}
${chartDivs(charts)}
${table(header, rows, (i) => {
  const p = c.probes[i]!;
  return p.pMet !== null && p.pMet >= c.confidence ? 'hit' : 'miss';
})}`;
  return page(lang, `dsim: ${title}`, body, { charts }, STUDY_SCRIPT);
}

/** What binds: the answer, then each relaxation alone, all but one, and the best sets, as `dsim binds` prints them. */
export function renderBindsReport(b: Binds, lang: Lang): string {
  const { head, alone, allBut, sets } = bindsTables(b, lang);
  const title = t(lang, 'report.bindsTitle');
  const body = `<h1>${escapeHtml(title)}</h1>
<div class="provenance">${escapeHtml(bindsHeader(b, lang))} · ${escapeHtml(b.scenarioId)}</div>
<h2>${escapeHtml(bindsAnswer(b, lang))}</h2>
<h3>${escapeHtml(t(lang, 'binds.alone'))}</h3>
${table(head, alone)}
<h3>${escapeHtml(t(lang, 'binds.without'))}</h3>
${table(head, allBut)}
${sets.length > 0 ? `<h3>${escapeHtml(t(lang, 'binds.sets'))}</h3>\n${table(head, sets)}` : ''}
<p class="note">${escapeHtml(t(lang, 'binds.note', { batches: b.batches }))}</p>
${assumptionsHtml(b, lang)}`;
  return page(lang, `dsim: ${title}`, body, {}, '');
}

/** The study's assumptions as a list under its heading (nothing for results stored before they were recorded). */
function assumptionsHtml(x: { readonly assumptions?: Assumptions }, lang: Lang): string {
  if (!x.assumptions) return '';
  return `<h3>${escapeHtml(t(lang, 'assume.title'))}</h3>\n<ul class="note">${assumptionLines(x.assumptions, lang)
    .map((l) => `<li>${escapeHtml(l)}</li>`)
    .join('')}</ul>`;
}

function provenance(r: RunResult): string {
  return `${r.scenario.id} ${r.scenario.hash} · dsim ${r.engineVersion}`;
}

/** Draws every chart of a study page from the embedded data (runs in the browser). */
const STUDY_SCRIPT = `
(function () {
  var d = JSON.parse(document.getElementById('dsim-data').textContent);
  var percent = function (v) { return Math.round(v * 1000) / 10 + '%'; };
  var palette = ['#1f5f99', '#e08a3c', '#27ae60', '#8e44ad', '#c0392b', '#16a085'];
  var drawn = 0;
  d.charts.forEach(function (ch, i) {
    var c = echarts.init(document.getElementById('chart' + i), null, { renderer: 'canvas' });
    if (ch.kind === 'pmet') {
      var series = [];
      ch.series.forEach(function (s, j) {
        var color = palette[j % palette.length];
        series.push({ type: 'custom', silent: true, renderItem: function (params, api) {
            var lo = api.coord([api.value(0), api.value(2)]), hi = api.coord([api.value(0), api.value(3)]);
            return { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: { stroke: color, lineWidth: 2 } };
          }, data: s.points.filter(function (p) { return p[1] !== null && p[2] !== null && p[3] !== null; }) });
        var marks = [];
        if (j === 0 && ch.confidence !== null) marks.push({ yAxis: ch.confidence, label: { formatter: percent(ch.confidence) } });
        if (j === 0 && ch.answer !== null) marks.push({ xAxis: ch.answer });
        series.push({ name: s.name, type: 'line', data: s.points.map(function (p) { return [p[0], p[1]]; }), itemStyle: { color: color },
          markLine: marks.length ? { symbol: 'none', data: marks } : undefined });
      });
      c.setOption({ animation: false, tooltip: { trigger: 'axis' },
        legend: ch.series.length > 1 ? { top: 0, textStyle: { fontSize: 10 } } : undefined,
        grid: { top: ch.series.length > 1 ? 34 : 16, bottom: 40 },
        xAxis: { type: 'value', name: ch.xName, scale: true, nameLocation: 'middle', nameGap: 24 },
        yAxis: { type: 'value', min: 0, max: 1, axisLabel: { formatter: percent } }, series: series });
    } else {
      var fmt = ch.percent ? percent : function (v) { return String(Math.round(v * 1000) / 1000); };
      var rows = ch.rows.filter(function (r) { return r.mean !== null; });
      c.setOption({ animation: false, grid: { top: 10, bottom: 30 },
        xAxis: { type: 'value', scale: true, axisLabel: { formatter: fmt } },
        yAxis: { type: 'category', data: rows.map(function (r) { return r.name; }), inverse: true },
        series: [
          { type: 'custom', silent: true, renderItem: function (params, api) {
              var lo = api.coord([api.value(1), api.value(0)]), hi = api.coord([api.value(2), api.value(0)]);
              return { type: 'line', shape: { x1: lo[0], y1: lo[1], x2: hi[0], y2: hi[1] }, style: { stroke: '#1f5f99', lineWidth: 3 } };
            }, data: rows.filter(function (r) { return r.lo !== null && r.hi !== null; }).map(function (r) { return [rows.indexOf(r), r.lo, r.hi]; }) },
          { type: 'scatter', data: rows.map(function (r, k) { return [r.mean, k]; }), itemStyle: { color: '#1f5f99' }, symbolSize: 10,
            markLine: { symbol: 'none', lineStyle: { color: '#c0392b' }, data: [{ xAxis: 0 }] } }
        ] });
    }
    drawn++;
  });
  window.__dsimCharts = drawn;
})();
`;

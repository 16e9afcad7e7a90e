#!/usr/bin/env node
// How often the annual relief share's 95% interval covers the truth, by run length: the study
// behind src/kpi/coverage.ts and the README's figures (issue 26, item 4).
//
//   node bench/relief-coverage.js [SCENARIO] [YEARS] [RUN_YEARS,…]
//   node bench/relief-coverage.js huantai/annual 400000 200,500,1000,2000,4000   (≈8 min here, one core)
//
// It simulates YEARS years once, keeps each judged year's (relieved, displaced), cuts them into
// runs of RUN_YEARS consecutive years and counts, for each interval, the runs whose interval holds
// the share over all YEARS: dsim's (delta method, Student t on the judged years), Fieller's, the
// delta method on the logit, and a t on Kish's effective sample size.
import { KpiAccumulator } from '../dist/kpi/accumulator.js';
import { runTrial } from '../dist/perils/trial.js';
import { compile } from '../dist/scenario/compile.js';
import { loadScenario } from '../dist/scenario/load.js';
import { tQuantile975 } from '../dist/stats/interval.js';

const [name = 'huantai/annual', yearsArg = '400000', lengthsArg = '200,500,1000,2000,4000'] = process.argv.slice(2);
const years = Number(yearsArg);
const lengths = lengthsArg.split(',').map(Number);

const s = loadScenario(name).scenario;
const model = compile({ ...s, mode: 'annual' });
const acc = new KpiAccumulator(model);
/** [year, relieved, displaced] of each judged year */
const judged = [];
for (let r = 0; r < years; r++) {
  acc.add(runTrial(model, s.seed, r, acc));
  const row = acc.lastRow;
  if (row.displaced > 0) judged.push([r, row.relieved, row.displaced]);
}
const truth = judged.reduce((a, j) => a + j[1], 0) / judged.reduce((a, j) => a + j[2], 0);

function sums(xs) {
  const n = xs.length;
  let sx = 0;
  let sy = 0;
  for (const [, y, x] of xs) {
    sx += x;
    sy += y;
  }
  const r = sy / sx;
  let ss = 0;
  let sxx = 0;
  for (const [, y, x] of xs) {
    ss += (y - r * x) ** 2;
    sxx += x * x;
  }
  return { n, r, xbar: sx / n, se: Math.sqrt(ss / (n - 1) / n) / (sx / n), kish: (sx * sx) / sxx };
}

const INTERVALS = {
  'delta (dsim)': (xs) => {
    const { n, r, se } = sums(xs);
    const t = tQuantile975(n - 1);
    return [r - t * se, r + t * se];
  },
  fieller: (xs) => {
    const n = xs.length;
    const xb = xs.reduce((a, j) => a + j[2], 0) / n;
    const yb = xs.reduce((a, j) => a + j[1], 0) / n;
    let sxx = 0;
    let syy = 0;
    let sxy = 0;
    for (const [, y, x] of xs) {
      sxx += (x - xb) ** 2;
      syy += (y - yb) ** 2;
      sxy += (x - xb) * (y - yb);
    }
    const t2 = tQuantile975(n - 1) ** 2 / n / (n - 1);
    const a = xb * xb - t2 * sxx;
    const b = -2 * (xb * yb - t2 * sxy);
    const c = yb * yb - t2 * syy;
    const d = b * b - 4 * a * c;
    return a <= 0 || d < 0 ? [-Infinity, Infinity] : [(-b - Math.sqrt(d)) / (2 * a), (-b + Math.sqrt(d)) / (2 * a)];
  },
  logit: (xs) => {
    const { n, r, se } = sums(xs);
    if (r <= 0 || r >= 1) return INTERVALS['delta (dsim)'](xs);
    const t = tQuantile975(n - 1);
    const l = Math.log(r / (1 - r));
    const w = (t * se) / (r * (1 - r));
    const inv = (v) => 1 / (1 + Math.exp(-v));
    return [inv(l - w), inv(l + w)];
  },
  'Kish t': (xs) => {
    const { r, se, kish } = sums(xs);
    const t = tQuantile975(Math.max(1, kish - 1));
    return [r - t * se, r + t * se];
  },
};

console.log(`${name}: ${years.toLocaleString('en-US')} years, ${judged.length.toLocaleString('en-US')} judged, share ${truth.toFixed(4)}`);
for (const length of lengths) {
  const runs = [];
  let k = 0;
  for (let start = 0; start + length <= years; start += length) {
    const run = [];
    while (k < judged.length && judged[k][0] < start + length) run.push(judged[k++]);
    if (run.length >= 3) runs.push(run);
  }
  const mean = runs.reduce((a, r) => a + r.length, 0) / runs.length;
  const cells = Object.entries(INTERVALS).map(([label, f]) => {
    const covered = runs.filter((run) => {
      const [lo, hi] = f(run);
      return Math.max(0, lo) <= truth && truth <= Math.min(1, hi);
    }).length;
    return `${label} ${(covered / runs.length).toFixed(3)}`;
  });
  console.log(`${runs.length} runs of ${length} years (${mean.toFixed(1)} judged): ${cells.join('   ')}`);
}

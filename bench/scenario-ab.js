#!/usr/bin/env node
/**
 * A/B of two dsim builds in one process: blocks of replications of one task alternate between the
 * builds (A B, then B A, …), each build running the same replications in the same order, and each
 * pair gives B's CPU time over A's; prints the median over the pairs and every pair's ratio. Both
 * builds see the same process (heap, flags, the machine's state of the moment), so what moves one
 * moves the other. An A/A run (a build against a copy of itself) shows the method's own bias.
 *
 *   cp -r dist dist-before      # before a change (dist-* is ignored by git)
 *   npm run build               # after it
 *   node bench/scenario-ab.js dist-before dist huantai/flood-50y [--block 2000] [--pairs 20]
 *   node bench/scenario-ab.js dist-before dist huantai/annual --block 500
 *   node bench/scenario-ab.js dist-before dist mmc --block 1000000   # customers per block
 */
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const [a, b, task] = args.filter((x, i) => !x.startsWith('--') && !args[i - 1]?.startsWith('--'));
const block = opt('block', task === 'mmc' ? 1_000_000 : 2000);
const pairs = opt('pairs', 20);
if (!a || !b || !task || !(block >= 1 && pairs >= 1)) {
  console.error('usage: node bench/scenario-ab.js DIST_A DIST_B SCENARIO|mmc [--block N] [--pairs P]');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
const cpu = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};

/** A function that runs the build's next block and returns its CPU milliseconds. */
async function blocks(dist) {
  const from = (f) => import(resolve(root, dist, f));
  if (task === 'mmc') {
    const { runMmc } = await from('bench/mmc.js');
    return () => {
      const c = cpu();
      runMmc({ lambda: 0.9, mu: 0.1, servers: 10, customers: block, seed: 1 });
      return cpu() - c;
    };
  }
  const [{ loadScenario }, { compile }, { runTrial }, { KpiAccumulator }] = await Promise.all(
    ['scenario/load.js', 'scenario/compile.js', 'perils/trial.js', 'kpi/accumulator.js'].map(from),
  );
  const m = compile(loadScenario(task).scenario);
  let next = 0;
  return () => {
    const acc = new KpiAccumulator(m);
    const c = cpu();
    for (let i = 0; i < block; i++) acc.add(runTrial(m, m.scenario.seed, next++, acc));
    return cpu() - c;
  };
}

const runA = await blocks(a);
const runB = await blocks(b);
for (let i = 0; i < 3; i++) {
  runA();
  runB();
}
const ratios = [];
for (let i = 0; i < pairs; i++) {
  let ta;
  let tb;
  if (i % 2 === 0) {
    ta = runA();
    tb = runB();
  } else {
    tb = runB();
    ta = runA();
  }
  ratios.push(tb / ta);
}
ratios.sort((x, y) => x - y);
const mid = ratios[ratios.length >> 1];
console.log(
  `${task}: ${b} / ${a} = ${mid.toFixed(3)} (median of ${pairs} pairs; CPU time)  [${ratios.map((x) => x.toFixed(2)).join(' ')}]`,
);

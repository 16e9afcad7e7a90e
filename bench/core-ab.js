#!/usr/bin/env node
/**
 * A/B of the simulation core on the M/M/c peer task: builds of dsim (dist folders, each at the
 * depth of dist/ so it finds scenarios/) and the JavaScript floor (bench/peers/mmc_floor.mjs),
 * run in fresh processes interleaved round by round (the order rotates), so each sees the same
 * machine. Each dsim process runs the task RUNS times and reports the median of all but the first
 * (JIT warm-up); the floor runs once per process, as `dsim bench peers` runs it. Readings are the
 * CPU time (user + system) of the timed loop, which a neighbour on the host moves less than the
 * wall clock; prints every reading, the median per engine, its ratio to the floor's median and the
 * median of its ratios to the floor's reading of the same round (a machine that changes speed for
 * minutes, as a shared host does, moves both sides of a round alike), the same by wall time, and
 * each build's round ratios to the first's.
 *
 *   cp -r dist dist-before   # before a change (dist-* is ignored by git)
 *   npm run build            # after it
 *   node bench/core-ab.js dist-before dist [--rounds 15] [--runs 4] [--customers 2000000] [--bare]
 *
 * --bare adds each build run with a sink that only sums the waits: the engine without its KPI
 * statistics (moments, quantile sketch, zone moments), to see what they cost against the floor.
 *
 * One process's readings can sit in one of two states about 40% apart for several runs (seen on
 * the 2-core EPYC: 480 ms and 670 ms on the same build), and the order modules are loaded in moves
 * a run by 5–10%: layout (addresses, hash seeds), not work. Every process of a round gets the same
 * V8 seeds (`--hash-seed`, `--random-seed` = the round's number), so the layout is shared within a
 * round and varies between rounds; hence many rounds, medians and per-round ratios.
 */
import { execFileSync } from 'node:child_process';
import { resolve } from 'node:path';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(`--${name}`);
  return i >= 0 ? Number(args[i + 1]) : dflt;
};
const rounds = opt('rounds', 15);
const runs = opt('runs', 4);
const customers = opt('customers', 2_000_000);
const dists = args.filter((a, i) => !a.startsWith('--') && !/^--(rounds|runs|customers)$/.test(args[i - 1] ?? ''));
if (dists.length === 0 || !(rounds >= 1 && runs >= 2 && customers >= 1)) {
  console.error('usage: node bench/core-ab.js DIST [DIST…] [--rounds R] [--runs N>=2] [--customers N] [--bare]');
  process.exit(2);
}
const root = resolve(import.meta.dirname, '..');
const p = { lambda: 0.9, mu: 0.1, servers: 10, customers, seed: 1 };
// bare: the same trials through runTrial with a sink that only sums the waits (no KPI statistics)
const run = (dist, bare) =>
  bare
    ? `
  const at = (f) => import(${JSON.stringify(resolve(root, dist))} + '/' + f);
  const [{ mmcScenario }, { compile }, { runTrial }] = await Promise.all(['bench/mmc.js', 'scenario/compile.js', 'perils/trial.js'].map(at));
  const model = compile(mmcScenario(${JSON.stringify(p)}));
  const runMmc = () => {
    let sum = 0;
    let n = 0;
    const t = performance.now();
    runTrial(model, 1, 0, { response(x) { sum += x; n++; } });
    return { wallMs: performance.now() - t, meanWait: sum / n / 60 };
  };`
    : `
  const { runMmc } = await import(${JSON.stringify(`${resolve(root, dist)}/bench/mmc.js`)});`;
const child = (dist, bare = false) => `${run(dist, bare)}
  const xs = [];
  const ws = [];
  let w;
  for (let i = 0; i < ${runs}; i++) {
    const c0 = process.cpuUsage();
    const r = runMmc(${JSON.stringify(p)});
    const c = process.cpuUsage(c0);
    if (i > 0) { xs.push((c.user + c.system) / 1000); ws.push(r.wallMs); }
    w = r.meanWait;
  }
  const mid = (v) => v.sort((a, b) => a - b)[v.length >> 1];
  console.log(JSON.stringify({ cpuMs: mid(xs), wallMs: mid(ws), meanWait: w }));`;
const engines = [
  ...dists.map((d) => ({ name: d, argv: ['--input-type=module', '-e', child(d)] })),
  ...(args.includes('--bare') ? dists.map((d) => ({ name: `${d}:bare`, argv: ['--input-type=module', '-e', child(d, true)] })) : []),
  {
    name: 'floor',
    argv: [resolve(root, 'bench/peers/mmc_floor.mjs'), ...[p.lambda, p.mu, p.servers, p.customers, p.seed].map(String)],
  },
];
const readings = new Map(engines.map((e) => [e.name, []]));
const walls = new Map(engines.map((e) => [e.name, []]));
const waits = new Map();
for (let r = 0; r < rounds; r++) {
  for (let k = 0; k < engines.length; k++) {
    const e = engines[(r + k) % engines.length];
    // every engine of a round gets the same V8 seeds (hash table seeds, address-space layout):
    // the layout moves one process's speed by up to 15% (the two states below), so it is made
    // a paired factor of the round rather than noise between engines
    const seeds = [`--hash-seed=${r + 1}`, `--random-seed=${r + 1}`];
    const out = JSON.parse(execFileSync(process.execPath, [...seeds, ...e.argv], { cwd: root, encoding: 'utf8' }));
    readings.get(e.name).push(out.cpuMs);
    walls.get(e.name).push(out.wallMs);
    waits.set(e.name, out.meanWait);
  }
}
const median = (xs) => {
  const s = [...xs].sort((a, b) => a - b);
  return s.length % 2 ? s[s.length >> 1] : (s[s.length / 2 - 1] + s[s.length / 2]) / 2;
};
const floor = median(readings.get('floor'));
const floorWall = median(walls.get('floor'));
console.log(`M/M/c λ 0.9, μ 0.1, c 10, ${customers} customers; ${rounds} interleaved rounds, ${runs} runs per dsim process`);
const floors = readings.get('floor');
for (const e of engines) {
  const xs = readings.get(e.name);
  const m = median(xs);
  const paired = median(xs.map((x, r) => x / floors[r]));
  console.log(
    `${e.name.padEnd(14)} CPU ${m.toFixed(0).padStart(5)} ms  ${(m / floor).toFixed(3)}× floor's median, ${paired.toFixed(3)}× by round  (wall ${(median(walls.get(e.name)) / floorWall).toFixed(3)}×)  mean wait ${waits.get(e.name)?.toFixed(4)} h  [${xs.map(Math.round).join(' ')}]`,
  );
}
if (dists.length > 1) {
  const [a, ...rest] = dists;
  for (const b of rest) {
    const ratio = median(readings.get(b).map((x, r) => x / readings.get(a)[r]));
    console.log(`${b} / ${a}: ${ratio.toFixed(3)} (median of the rounds' ratios)`);
  }
}

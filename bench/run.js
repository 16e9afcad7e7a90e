#!/usr/bin/env node
/**
 * dsim benchmarks (tinybench). Whole-model timings, one question per task:
 *   flood:<district>  one replication of the district's 1-in-50-year flood scenario;
 *   year:<district>   one simulated year of the district's annual scenario (all its hazards);
 *   mmc               an M/M/c queue (lambda 0.9/h, mu 0.1/h, c = 10) through the scenario engine
 *                     (the same kernel and dispatch code as the floods), 20,000 customers.
 * Run from a built checkout: `npm run bench` (add `-- --json FILE` to save the figures).
 * Timings live here, never in tests; the README records them with the machine.
 */
import { writeFileSync } from 'node:fs';
import os from 'node:os';
import { Bench } from 'tinybench';
import { loadScenario } from '../dist/scenario/load.js';
import { compile } from '../dist/scenario/compile.js';
import { runTrial } from '../dist/response/trial.js';
import { KpiAccumulator } from '../dist/kpi/accumulator.js';

const jsonAt = process.argv.indexOf('--json');
const jsonFile = jsonAt > 0 ? process.argv[jsonAt + 1] : undefined;
const time = Number(process.env.DSIM_BENCH_MS ?? 1000);

/** An M/M/c scenario: Poisson arrivals, c servers, exponential work, zero travel and turnout. */
export function mmcScenario({ lambdaPerHour, muPerHour, servers, customers, seed }) {
  const { scenario } = loadScenario('validation/mmc');
  const hazard = { ...scenario.hazards[0], ratePerHour: lambdaPerHour, durationHours: customers / lambdaPerHour, warmupHours: 0, workMinutes: { dist: 'exponential', mean: 60 / muPerHour } };
  return {
    ...scenario,
    seed,
    resources: { ...scenario.resources, stations: [{ ...scenario.resources.stations[0], teams: [{ type: 'server', count: servers, crew: 1, turnoutMinutes: 0 }] }] },
    response: { ...scenario.response, horizonHours: 10 * hazard.durationHours },
    hazards: [hazard],
  };
}

const bench = new Bench({ name: 'dsim', time, warmupTime: 200 });
for (const d of ['huantai', 'zibo-hitech', 'linqing', 'yanzhou', 'taierzhuang']) {
  const m = compile(loadScenario(`${d}/flood-50y`).scenario);
  const acc = new KpiAccumulator(m);
  let r = 0;
  bench.add(`flood:${d}`, () => {
    acc.add(runTrial(m, m.scenario.seed, r++, acc));
  });
}
for (const d of ['huantai', 'zibo-hitech', 'linqing', 'yanzhou', 'taierzhuang']) {
  const m = compile(loadScenario(`${d}/annual`).scenario);
  const acc = new KpiAccumulator(m);
  let r = 0;
  bench.add(`year:${d}`, () => {
    acc.add(runTrial(m, m.scenario.seed, r++, acc));
  });
}
const mmc = compile(mmcScenario({ lambdaPerHour: 0.9, muPerHour: 0.1, servers: 10, customers: 20000, seed: 1 }));
let mr = 0;
bench.add('mmc', () => {
  runTrial(mmc, 1, mr++, { response() {} });
});
await bench.run();

const rows = bench.tasks.map((t) => {
  const res = t.result;
  const lat = res.latency;
  return { task: t.name, meanMs: Number(lat.mean.toFixed(4)), rmePct: Number(lat.rme.toFixed(2)), p50Ms: Number(lat.p50.toFixed(4)), p99Ms: Number(lat.p99.toFixed(4)), opsPerSec: Math.round(res.throughput.mean), samples: lat.samplesCount };
});
console.table(rows);
const machine = { cpu: os.cpus()[0]?.model ?? 'unknown', cores: os.availableParallelism(), node: process.version, platform: `${os.platform()} ${os.arch()}` };
console.log(`machine: ${machine.cpu}, ${machine.cores} cores, node ${machine.node}`);
if (jsonFile) writeFileSync(jsonFile, `${JSON.stringify({ kind: 'dsim.bench', machine, tasks: rows }, null, 2)}\n`);

/**
 * The benchmark suite (tinybench), one question per task:
 *   flood:<district>  one replication of the district's 1-in-50-year flood;
 *   year:<district>   one simulated year of its annual scenario;
 *   mmc               an M/M/c queue (λ 0.9, μ 0.1, c 10; 20,000 customers) through the engine.
 */
import os from 'node:os';
import { Bench } from 'tinybench';
import { KpiAccumulator } from '../kpi/accumulator.js';
import { runTrial } from '../perils/trial.js';
import { compile } from '../scenario/compile.js';
import { loadScenario } from '../scenario/load.js';
import type { BenchReport } from './compare.js';
import { mmcScenario } from './mmc.js';

export const DISTRICTS = ['huantai', 'zibo-hitech', 'linqing', 'yanzhou', 'taierzhuang'] as const;

export async function runSuite(o: { timeMs?: number; filter?: RegExp } = {}): Promise<BenchReport> {
  const bench = new Bench({ name: 'dsim', time: o.timeMs ?? 1000, warmupTime: Math.min(200, o.timeMs ?? 200) });
  const add = (name: string, scenarioName: string): void => {
    if (o.filter && !o.filter.test(name)) return;
    const m = compile(loadScenario(scenarioName).scenario);
    const acc = new KpiAccumulator(m);
    let r = 0;
    bench.add(name, () => {
      acc.add(runTrial(m, m.scenario.seed, r++, acc));
    });
  };
  for (const d of DISTRICTS) add(`flood:${d}`, `${d}/flood-50y`);
  for (const d of DISTRICTS) add(`year:${d}`, `${d}/annual`);
  if (!o.filter || o.filter.test('mmc')) {
    const mmc = compile(mmcScenario({ lambda: 0.9, mu: 0.1, servers: 10, customers: 20_000, seed: 1 }));
    let r = 0;
    bench.add('mmc', () => {
      runTrial(mmc, 1, r++, { response() {} });
    });
  }
  await bench.run();
  const tasks = bench.tasks.map((t) => {
    const res = t.result as unknown as {
      latency: { mean: number; rme: number; p50: number; p99: number; samplesCount: number };
      throughput: { mean: number };
    };
    const lat = res.latency;
    return {
      task: t.name,
      meanMs: Number(lat.mean.toFixed(4)),
      rmePct: Number(lat.rme.toFixed(2)),
      p50Ms: Number(lat.p50.toFixed(4)),
      p99Ms: Number(lat.p99.toFixed(4)),
      opsPerSec: Math.round(res.throughput.mean),
      samples: lat.samplesCount,
    };
  });
  const machine = {
    cpu: os.cpus()[0]?.model ?? 'unknown',
    cores: os.availableParallelism(),
    node: process.version,
    platform: `${os.platform()} ${os.arch()}`,
  };
  return { kind: 'dsim.bench', machine, tasks };
}

#!/usr/bin/env node
/**
 * Peak resident memory of whole runs against their length: SCENARIO with N replications in a
 * fresh child process (its maximum RSS, worker threads included), in this thread and on a pool
 * of W workers — each executor chosen explicitly, since `dsim run` picks one by the probe and a
 * short run may stay in its thread. Default N = 10^4, 10^5 and 10^6. The goal (issue 14): peak
 * RSS at 10^6 within 1.2× that at 10^4 — workers return small mergeable summaries, so memory
 * must not grow with N. Beside the peak (which V8's collection schedule moves by tens of MB) it
 * prints what the main thread's heap still holds after a full collection: the run's statistics.
 *
 *   node bench/memory.js [SCENARIO] [--sizes 10000,100000,1000000] [--workers 4] [--json FILE]
 */
import { spawnSync } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const args = process.argv.slice(2);
const opt = (name, dflt) => {
  const i = args.indexOf(name);
  return i >= 0 ? args[i + 1] : dflt;
};

if (args[0] === '--child') {
  // one run, then this process's peak RSS
  const [, scenarioName, n, workers] = args;
  const { executeRun } = await import('../dist/run/runner.js');
  const { ThreadExecutor } = await import('../dist/run/thread.js');
  const { WorkerPool } = await import('../dist/run/pool.js');
  const { loadScenario } = await import('../dist/scenario/load.js');
  const executor = Number(workers) === 1 ? new ThreadExecutor() : new WorkerPool(Number(workers));
  const out = await executeRun(loadScenario(scenarioName).scenario, { replications: Number(n), executor });
  await executor.close();
  // what this thread still holds once collected: the run's statistics, not V8's headroom
  globalThis.gc();
  const { getHeapStatistics } = await import('node:v8');
  const liveMb = getHeapStatistics().used_heap_size / 2 ** 20;
  process.stdout.write(`${JSON.stringify({ replications: out.replications, maxRssKb: process.resourceUsage().maxRSS, liveMb })}\n`);
  process.exit(0);
}

const scenario = args.find((a, i) => !a.startsWith('--') && !(i > 0 && args[i - 1].startsWith('--'))) ?? 'taierzhuang/flood-50y';
const sizes = opt('--sizes', '10000,100000,1000000').split(',').map(Number);
const poolWorkers = Number(opt('--workers', '4'));
const self = fileURLToPath(import.meta.url);

function peak(n, workers) {
  const t0 = performance.now();
  const r = spawnSync(process.execPath, ['--expose-gc', self, '--child', scenario, String(n), String(workers)], { encoding: 'utf8' });
  if (r.status !== 0) throw new Error(`the run failed (${r.status}): ${r.stderr}`);
  const { replications, maxRssKb, liveMb } = JSON.parse(r.stdout);
  if (replications !== n) throw new Error(`ran ${replications} replications, not ${n}`);
  return {
    replications: n,
    workers,
    peakRssMb: Math.round(maxRssKb / 1024),
    liveHeapMb: Math.round(liveMb * 10) / 10,
    wallS: Math.round((performance.now() - t0) / 100) / 10,
  };
}

const rows = [];
for (const workers of [1, poolWorkers]) {
  const label = workers === 1 ? 'this thread' : `a pool of ${workers}`;
  for (const n of sizes) {
    const row = peak(n, workers);
    rows.push(row);
    console.log(
      `${scenario}  ${String(n).padStart(9)} replications  ${label.padEnd(12)}  peak RSS ${String(row.peakRssMb).padStart(4)} MB  main-thread heap after GC ${row.liveHeapMb} MB  (${row.wallS} s)`,
    );
  }
  const mine = rows.filter((r) => r.workers === workers);
  const growth = mine.slice(1).map((r) => `${(r.peakRssMb / mine[0].peakRssMb).toFixed(2)}× at ${r.replications}`);
  console.log(`  ${label}: against ${sizes[0]} replications ${growth.join(', ')} (goal ≤ 1.2× at 10^6)`);
}
const jsonAt = args.indexOf('--json');
if (jsonAt >= 0) writeFileSync(args[jsonAt + 1], `${JSON.stringify({ scenario, rows }, null, 2)}\n`);

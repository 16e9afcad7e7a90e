#!/usr/bin/env node
/**
 * How long a planner waits for an answer: the two sizing questions on Huantai at confidence 0.9,
 * with the replications each used. Reproduce: `npm run build && node bench/size.js [--workers W]`.
 */
import { availableParallelism } from 'node:os';
import { parseArgs } from 'node:util';
import { WorkerPool } from '../dist/run/pool.js';
import { ThreadExecutor } from '../dist/run/thread.js';
import { loadScenario, validateScenario } from '../dist/scenario/load.js';
import { applySets } from '../dist/scenario/set.js';
import { sizeReserve } from '../dist/studies/size.js';

const { values } = parseArgs({ options: { workers: { type: 'string' }, replications: { type: 'string' } } });
const workers = Number(values.workers ?? availableParallelism());
const replications = Number(values.replications ?? 2000);
const executor = workers > 1 ? new WorkerPool(workers) : new ThreadExecutor();
const base = loadScenario('huantai/flood-50y').scenario;
const kits = validateScenario(applySets(base, [{ path: 'resources.warehouses[county-reserve].stock.medical', value: 1000 }]), 'bench');
const stocked = validateScenario(applySets(kits, [{ path: 'resources.warehouses[county-reserve].stock.bedding', value: 20000 }]), 'bench');
const questions = [
  {
    label: 'trucks (20,000 quilts), 24 h',
    scenario: stocked,
    path: 'resources.fleet[support-fleet].count',
    min: 1,
    max: 60,
    deadlineHours: 24,
  },
  {
    label: 'quilts (county reserve), 24 h',
    scenario: kits,
    path: 'resources.warehouses[county-reserve].stock.bedding',
    min: 0,
    max: 40000,
    deadlineHours: 24,
  },
];
console.log(
  `huantai/flood-50y with 1,000 first-aid kits, P(relief within the deadline) >= 0.9, ${replications} replications a probe, ${workers} worker(s)`,
);
try {
  for (const q of questions) {
    const s = await sizeReserve(q.scenario, {
      path: q.path,
      target: 'relief-within-deadline',
      confidence: 0.9,
      min: q.min,
      max: q.max,
      integer: true,
      replications,
      deadlineHours: q.deadlineHours,
      executor,
    });
    console.log(
      `${q.label.padEnd(32)} answer ${String(s.answer ?? 'not reached').padStart(11)}   ${s.probes.length} probes, ${s.replicationsTotal.toLocaleString('en-US')} replications, ${(s.wallMs / 1000).toFixed(1)} s`,
    );
  }
} finally {
  await executor.close();
}

import { describe, expect, it } from 'vitest';
import { KpiAccumulator } from '../../src/kpi/accumulator.js';
import { summarise } from '../../src/kpi/summary.js';
import { checkpoints, planBatches } from '../../src/run/plan.js';
import { WorkerPool, workerHeapMb } from '../../src/run/pool.js';
import { executeRun, runScenario, type ScenarioRunOptions } from '../../src/run/runner.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';

/** The JSON of a run; with `workers` > 1 on a pool of that size (small runs would otherwise stay in this thread). */
async function json(name: string, o: ScenarioRunOptions): Promise<string> {
  const w = o.workers ?? 1;
  const executor = w > 1 ? new WorkerPool(w, o.batchSize) : undefined;
  try {
    return JSON.stringify(await runScenario(loadScenario(name).scenario, { ...o, ...(executor && { executor }) }));
  } finally {
    await executor?.close();
  }
}

describe('planning', () => {
  it('batches cover the range exactly once, in order', () => {
    expect(planBatches(5, 17, 5)).toEqual([
      { from: 5, to: 10 },
      { from: 10, to: 15 },
      { from: 15, to: 17 },
    ]);
  });
  it('checkpoints double and end at the cap', () => {
    expect(checkpoints(1000, 5000)).toEqual([1000, 2000, 4000, 5000]);
    expect(checkpoints(1000, 800)).toEqual([800]);
  });
});

describe('worker pool', () => {
  it('gives byte-identical JSON for 1, 2 and 3 workers and two batch sizes (flood, 240 replications)', async () => {
    const base = await json('huantai/flood-50y', { replications: 240, workers: 1 });
    expect(await json('huantai/flood-50y', { replications: 240, workers: 2 })).toBe(base);
    expect(await json('huantai/flood-50y', { replications: 240, workers: 3, batchSize: 7 })).toBe(base);
    expect(await json('huantai/flood-50y', { replications: 240, workers: 2, batchSize: 50 })).toBe(base);
  });
  it('does the same for whole years', async () => {
    const base = await json('huantai/annual', { replications: 60, workers: 1 });
    expect(await json('huantai/annual', { replications: 60, workers: 3, batchSize: 11 })).toBe(base);
  });
  it('accumulators survive JSON between processes unchanged', async () => {
    const out = await executeRun(loadScenario('huantai/annual').scenario, { replications: 30 });
    const copy = KpiAccumulator.fromData(out.model, JSON.parse(JSON.stringify(out.acc.toData())));
    expect(JSON.stringify(summarise(out.model, copy, out.seed))).toBe(JSON.stringify(summarise(out.model, out.acc, out.seed)));
  });
});

describe('executors as values', () => {
  it('one long-lived pool runs two different scenarios back to back, each as a run of its own would', async () => {
    const pool = new WorkerPool(2);
    try {
      const a = loadScenario('huantai/flood-50y').scenario;
      const b = loadScenario('taierzhuang/annual').scenario;
      const onPool = [
        await runScenario(a, { replications: 120, executor: pool }),
        await runScenario(b, { replications: 40, executor: pool }),
        await runScenario(a, { replications: 120, seed: 5, executor: pool }),
      ];
      expect(pool.kind).toBe('pool');
      expect(onPool[0]).toEqual(await runScenario(a, { replications: 120 }));
      expect(onPool[1]).toEqual(await runScenario(b, { replications: 40 }));
      expect(onPool[2]).toEqual(await runScenario(a, { replications: 120, seed: 5 }));
    } finally {
      await pool.close();
    }
  });
  it('a small run asked for two workers stays in this thread (the probe says a pool would cost more)', async () => {
    const out = await executeRun(loadScenario('validation/one-truck').scenario, { replications: 20, workers: 2 });
    expect(out.executor).toBe('thread');
    expect(out.workers).toBe(1);
  });
  it('a costly run asked for four workers gets a pool, with the same result (two would not earn their start-up on 3,000 years)', async () => {
    const s = loadScenario('huantai/annual').scenario;
    const out = await executeRun(s, { replications: 3000, workers: 4 });
    expect(out.executor).toBe('pool');
    const thread = await executeRun(s, { replications: 3000 });
    expect(JSON.stringify(summarise(out.model, out.acc, out.seed))).toBe(JSON.stringify(summarise(thread.model, thread.acc, thread.seed)));
  });
});

describe('stopping on precision', () => {
  it('stops at the first checkpoint where every watched half-width is within the bound', async () => {
    const { scenario } = loadScenario('huantai/flood-50y');
    const out = await executeRun(scenario, { untilCi: 0.01, workers: 2, maxReplications: 64_000 });
    expect(out.stopping).toMatchObject({ rule: 'until-ci', bound: 0.01, met: true });
    const widths = Object.values(out.stopping!.halfWidths) as number[];
    widths.forEach((w) => expect(w).toBeLessThanOrEqual(0.01));
    // the checkpoint before it (half as many replications) was not yet precise enough
    expect([1000, 2000, 4000, 8000, 16000, 32000, 64000]).toContain(out.replications);
    if (out.replications > 1000) {
      const before = await executeRun(scenario, { replications: out.replications / 2, workers: 2 });
      const { halfWidths } = await import('../../src/run/runner.js');
      const w = Object.values(halfWidths(before.acc, ['reliefWithinDeadline', 'lossRatio'])) as number[];
      expect(w.some((x) => x > 0.01)).toBe(true);
    }
  });
  it('uses the same number of replications whatever the number of workers', async () => {
    const { scenario } = loadScenario('huantai/flood-50y');
    const a = await executeRun(scenario, { untilCi: 0.01, workers: 1, maxReplications: 64_000 });
    const b = await executeRun(scenario, { untilCi: 0.01, workers: 3, maxReplications: 64_000 });
    expect(b.replications).toBe(a.replications);
  });
  it('reports met: false when the cap comes first', async () => {
    const { scenario } = loadScenario('huantai/flood-50y');
    const out = await executeRun(scenario, { untilCi: 1e-6, maxReplications: 300 });
    expect(out.replications).toBe(300);
    expect(out.stopping!.met).toBe(false);
  });
});

describe('ScenarioRun (event source)', () => {
  it('emits progress ending at the total, then done with the result', async () => {
    const { ScenarioRun } = await import('../../src/run/runner.js');
    const run = new ScenarioRun(loadScenario('validation/one-truck').scenario, { replications: 5, batchSize: 2 });
    const seen: number[] = [];
    run.on('progress', (p) => seen.push(p.done));
    const done = await new Promise<{ replications: number }>((resolve) => run.on('done', resolve));
    expect(seen).toEqual([2, 4, 5]);
    expect(done.replications).toBe(5);
  });
});

describe('a worker out of memory', () => {
  it('ends the run with OUT_OF_MEMORY naming the replications and the cap, and the pool serves the next run', async () => {
    // test/fixtures/hungry.yaml keeps about two million calls inside replication 0; a 64 MB cap
    // makes V8 stop that worker thread (ERR_WORKER_OUT_OF_MEMORY) long before the replication ends
    process.env['DSIM_WORKER_HEAP_MB'] = '64';
    const pool = new WorkerPool(2, 1);
    delete process.env['DSIM_WORKER_HEAP_MB'];
    try {
      const hungry = compile(loadScenario('test/fixtures/hungry.yaml').scenario);
      const err = await pool
        .run({ model: hungry, seed: 1, from: 0, to: 2 }, new KpiAccumulator(hungry, hungry.targets))
        .catch((e: unknown) => e);
      expect(err).toMatchObject({ code: 'DSIM_ERR_OUT_OF_MEMORY' });
      expect((err as Error).message).toMatch(/^out of memory in replications [01]–[01]: a worker thread reached its heap limit \(64 MB\)/);
      // the thread that died is replaced: the same pool still gives a run's exact result
      const flood = compile(loadScenario('huantai/flood-50y').scenario);
      const acc = new KpiAccumulator(flood, flood.targets);
      await pool.run({ model: flood, seed: 5, from: 0, to: 40 }, acc);
      const alone = await executeRun(flood.scenario, { replications: 40, seed: 5 });
      expect(JSON.stringify(summarise(flood, acc, 5))).toBe(JSON.stringify(summarise(alone.model, alone.acc, 5)));
    } finally {
      await pool.close();
    }
  });

  it('DSIM_WORKER_HEAP_MB is a whole number of megabytes from 32 to 65536, else a RUN_OPTION error naming it', () => {
    expect(workerHeapMb({})).toBe(1024);
    expect(workerHeapMb({ DSIM_WORKER_HEAP_MB: '2048' })).toBe(2048);
    for (const raw of ['6x', '16', '1e9', '-64', '64.5']) {
      expect(() => workerHeapMb({ DSIM_WORKER_HEAP_MB: raw }), raw).toThrow(
        `DSIM_WORKER_HEAP_MB: expected a whole number of megabytes from 32 to 65536, got "${raw}"`,
      );
    }
  });
});

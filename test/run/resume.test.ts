import { describe, expect, it } from 'vitest';
import { KpiAccumulator } from '../../src/kpi/accumulator.js';
import { executeRun, resultOf } from '../../src/run/runner.js';
import { ThreadExecutor } from '../../src/run/thread.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('checkpoints and resuming', () => {
  it('a run resumed from a checkpoint (through JSON) gives the JSON of an uninterrupted run', async () => {
    const { scenario } = loadScenario('huantai/annual');
    const executor = new ThreadExecutor();
    const whole = resultOf(await executeRun(scenario, { replications: 300, executor }));
    const saved: { done: number; data: string }[] = [];
    await executeRun(scenario, {
      replications: 300,
      executor,
      checkpointEvery: 120,
      onCheckpoint: (acc, done) => saved.push({ done, data: JSON.stringify(acc.toData()) }),
    });
    expect(saved.map((c) => c.done)).toEqual([120, 240, 300]);
    const { compile } = await import('../../src/scenario/compile.js');
    const at = saved[0]!;
    const acc = KpiAccumulator.fromUntrusted(compile(scenario), JSON.parse(at.data));
    const resumed = resultOf(await executeRun(scenario, { replications: 300, executor, resume: { acc, done: at.done } }));
    expect(JSON.stringify(resumed)).toBe(JSON.stringify(whole));
    await executor.close();
  });
});

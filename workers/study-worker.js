/**
 * Worker-thread entry for the API's sweeps, sizings, drills, what-binds studies and comparisons (src/api/study-manager.ts): runs one
 * off the server's event loop and posts its progress and result. Thin on purpose: the work is
 * src/studies/compare.ts, src/studies/size.ts, src/studies/binds.ts and src/drill/build.ts.
 */
import { parentPort, workerData } from 'node:worker_threads';
import { buildDrill } from '../dist/drill/build.js';
import { ThreadExecutor } from '../dist/run/thread.js';
import { overlay, validateScenario } from '../dist/scenario/load.js';
import { findBinds } from '../dist/studies/binds.js';
import { comparePaired, runSweep } from '../dist/studies/compare.js';
import { sizeReserve } from '../dist/studies/size.js';

const { kind, scenario, params } = workerData;
const post = (m) => parentPort.postMessage(m);
const options = {
  replications: params.replications,
  ...(params.seed !== undefined && { seed: params.seed }),
  ...(params.deadlineHours !== undefined && { deadlineHours: params.deadlineHours }),
  ...(params.overrides !== undefined && { overrides: params.overrides }),
  ...(params.set !== undefined && { set: params.set }),
};

try {
  if (kind === 'sweep') {
    const result = await runSweep(scenario, params.ranges, {
      ...options,
      onProgress: (done, total) => post({ type: 'progress', done, total }),
    });
    post({ type: 'result', result });
  } else if (kind === 'comparison') {
    const variants = params.variants.map((v) => ({
      name: v.name,
      scenario: v.overrides === undefined ? scenario : validateScenario(overlay(scenario, v.overrides), 'request.overrides'),
      // a variant's own deadline, else the request's
      ...((v.deadlineHours ?? params.deadlineHours) !== undefined && { deadlineHours: v.deadlineHours ?? params.deadlineHours }),
    }));
    const result = await comparePaired(variants, { ...options, onProgress: (done, total) => post({ type: 'progress', done, total }) });
    post({ type: 'result', result });
  } else if (kind === 'binds') {
    const result = await findBinds(scenario, { ...options, onProgress: (done, total) => post({ type: 'progress', done, total }) });
    post({ type: 'result', result });
  } else if (kind === 'drill') {
    const { view: _view, ...asked } = params;
    const executor = new ThreadExecutor();
    const result = await buildDrill(scenario, {
      ...asked,
      executor,
      onProgress: (done, total) => post({ type: 'progress', done, total }),
    });
    await executor.close();
    post({ type: 'result', result });
  } else {
    const executor = new ThreadExecutor();
    let probes = 0;
    const result = await sizeReserve(scenario, {
      ...options,
      path: params.vary,
      target: params.target,
      confidence: params.confidence,
      min: params.min,
      max: params.max,
      integer: params.integer,
      executor,
      onProbe: () => post({ type: 'progress', done: ++probes, total: params.expectedProbes }),
    });
    await executor.close();
    post({ type: 'result', result });
  }
} catch (e) {
  post({ type: 'error', error: { error: e?.code ?? 'internal', message: e instanceof Error ? e.message : String(e) } });
}

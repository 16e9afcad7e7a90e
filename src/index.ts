/**
 * dsim as a library: load or validate a scenario, compile it, run it on an executor of your
 * choice (kept alive across runs if you like) and render the result.
 *
 * ```ts
 * import { loadScenario, runScenario, WorkerPool, renderTable } from 'dsim';
 * const pool = new WorkerPool(4);
 * const { scenario } = loadScenario('huantai/flood-50y');
 * const result = await runScenario(scenario, { replications: 10_000, executor: pool });
 * process.stdout.write(renderTable(result));
 * await pool.close();
 * ```
 */
export { loadScenario, parseScenario, validateScenario, listBundled, SCENARIO_DIR } from './scenario/load.js';
export { compile, scenarioHash, type CompiledModel } from './scenario/compile.js';
export type { Scenario, Hazard } from './scenario/schema.js';
export { scenarioJsonSchema } from './scenario/schema.js';
export {
  runScenario,
  executeRun,
  resultOf,
  ScenarioRun,
  CI_KPIS,
  type ScenarioRunOptions,
  type ScenarioRunOutput,
  type Progress,
  type Stopping,
} from './run/runner.js';
export type { Executor, RangeJob } from './run/executor.js';
export { ThreadExecutor } from './run/thread.js';
export { WorkerPool } from './run/pool.js';
export { KpiAccumulator } from './kpi/accumulator.js';
export { summarise, ENGINE_VERSION, type RunResult, type Target } from './kpi/summary.js';
export { renderTable } from './report/table.js';
export { DsimError, ScenarioError, ErrorCodes, type ErrorCode, type ScenarioIssue } from './errors.js';

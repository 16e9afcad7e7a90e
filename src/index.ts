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

export { DsimError, type ErrorCode, ErrorCodes, ScenarioError, type ScenarioIssue } from './errors.js';
export { KpiAccumulator } from './kpi/accumulator.js';
export { RunResult, resultJsonSchema, Target } from './kpi/result.js';
export { ENGINE_VERSION, summarise } from './kpi/summary.js';
export type { AnyPeril, Peril, PerilEnv, PerilKpis, PerilTarget, Settle } from './perils/peril.js';
export { registerPeril } from './perils/registry.js';
export { renderTable } from './report/table.js';
export type { TraceEvent, TraceKind } from './response/trace.js';
export type { Executor, RangeJob } from './run/executor.js';
export { WorkerPool } from './run/pool.js';
export {
  CI_KPIS,
  executeRun,
  type Progress,
  resultOf,
  runScenario,
  ScenarioRun,
  type ScenarioRunOptions,
  type ScenarioRunOutput,
  type Stopping,
} from './run/runner.js';
export { ThreadExecutor } from './run/thread.js';
export { type CompiledModel, compile, scenarioHash } from './scenario/compile.js';
export type { CompileLookup, HazardBase, HazardDefinition, ReferenceChecker } from './scenario/hazards/definition.js';
export { listBundled, loadScenario, parseScenario, SCENARIO_DIR, validateScenario } from './scenario/load.js';
export type { Hazard, Scenario } from './scenario/schema.js';
export { scenarioJsonSchema } from './scenario/schema.js';
export { type ReplicationTrace, traceReplication } from './studies/trace.js';

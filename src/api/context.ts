/**
 * What the routes share: the store, the run and study managers, the executor, the bundled
 * scenarios, the limits — and the checks every computing request makes (which scenario, how many
 * replications, whether there is room). buildServer makes one; each route plugin receives it as
 * its options, so a test can register a route with a context of its own.
 */
import { issue, ScenarioError } from '../errors.js';
import { ENGINE_VERSION } from '../kpi/summary.js';
import type { Executor } from '../run/executor.js';
import { scenarioHash } from '../scenario/compile.js';
import { appendedByOverlay, listBundled, loadScenario, overlay, validateScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { applySets } from '../scenario/set.js';
import { HttpError, newId } from './http.js';
import type { RunManager, RunParams } from './run-manager.js';
import { Id } from './schemas.js';
import type { Store, StudyKind } from './store/store.js';
import type { StudyManager } from './study-manager.js';

export interface Bundled {
  readonly name: string;
  readonly scenario: Scenario;
  readonly hash: string;
}

/** The limits a request is checked against. */
export interface ApiLimits {
  readonly maxReplications: number;
  readonly maxQueued: number;
}

/** The parameters of a run request (and of each variant of a batch). */
export interface RunBody {
  readonly replications?: number | undefined;
  readonly untilCi?: number | undefined;
  readonly maxReplications?: number | undefined;
  readonly seed?: number | undefined;
  readonly mode?: 'event' | 'annual' | undefined;
  readonly deadlineHours?: number | undefined;
}

export interface ApiContext {
  readonly store: Store;
  readonly manager: RunManager;
  readonly studies: StudyManager;
  readonly executor: Executor;
  readonly limits: ApiLimits;
  readonly bundled: ReadonlyMap<string, Bundled>;
  readonly started: number;
  /** The scenario data a run starts from: bundled or uploaded by id, or given inline. */
  baseScenario(scenarioId: string | undefined, inline: unknown): Scenario;
  /** `extends` names a bundled or stored scenario by id: never a file. */
  resolveExtends(data: unknown): unknown;
  /** The scenario with a request's partial scenario laid over it, validated. */
  withOverrides(s: Scenario, overrides: Record<string, unknown> | undefined): Scenario;
  /** The base scenario of a study or drill, with its fixed `set` changes applied. */
  studyBase(b: {
    scenarioId?: string | undefined;
    scenario?: unknown;
    overrides?: Record<string, unknown> | undefined;
    set?: Record<string, unknown> | undefined;
  }): Scenario;
  /** The replications a request asks for, refused (400) beyond the server's limit. */
  checkReplications(p: { replications?: number; untilCi?: number; maxReplications?: number }, s: Scenario): number;
  /** 429 with Retry-After when n more runs do not fit. */
  refuseWhenFull(n: number): void;
  /** Stores and queues a sweep, sizing or drill (429 when the studies' line is full); the request's seed and deadline join its parameters. */
  queueStudy(
    kind: StudyKind,
    scenario: Scenario,
    b: {
      scenarioId?: string | undefined;
      seed?: number | undefined;
      deadlineHours?: number | undefined;
      overrides?: Record<string, unknown> | undefined;
      set?: Record<string, unknown> | undefined;
    },
    params: Record<string, unknown>,
    total: number,
  ): string;
  /** A run's row for the store: its parameters, seed, hash and total, checked against the limits. */
  newRun(
    scenarioId: string,
    scenario: Scenario,
    params: RunParams,
    extra: { batchId?: string; variant?: string; overrides?: unknown },
  ): NewRunRow;
}

export type NewRunRow = ReturnType<typeof runRow>;

/** The first letter of a study's id: s sweep, z sizing, d drill, w what binds, c comparison. */
const STUDY_PREFIX: Record<StudyKind, string> = { sweep: 's', sizing: 'z', drill: 'd', binds: 'w', comparison: 'c' };

/** The bundled scenarios by id, loaded once. */
export function loadBundled(): Map<string, Bundled> {
  const bundled = new Map<string, Bundled>();
  for (const name of listBundled()) {
    const { scenario } = loadScenario(name);
    bundled.set(scenario.id, { name, scenario, hash: scenarioHash(scenario) });
  }
  return bundled;
}

/** The run parameters of a request body (a batch variant may set its own deadline). */
export const paramsOf = (b: RunBody, deadlineHours?: number): RunParams => ({
  ...(b.replications !== undefined && { replications: b.replications }),
  ...(b.untilCi !== undefined && { untilCi: b.untilCi }),
  ...(b.maxReplications !== undefined && { maxReplications: b.maxReplications }),
  ...(b.seed !== undefined && { seed: b.seed }),
  ...(b.mode !== undefined && { mode: b.mode }),
  ...((deadlineHours ?? b.deadlineHours) !== undefined && { deadlineHours: deadlineHours ?? b.deadlineHours }),
});

function runRow(
  scenarioId: string,
  scenario: Scenario,
  params: RunParams,
  extra: { batchId?: string; variant?: string; overrides?: unknown },
  total: number,
) {
  const run = scenario.mode === (params.mode ?? scenario.mode) ? scenario : { ...scenario, mode: params.mode! };
  return {
    id: newId('r'),
    ...(extra.batchId !== undefined && { batchId: extra.batchId }),
    ...(extra.variant !== undefined && { variant: extra.variant }),
    scenarioId,
    scenario: JSON.stringify(run),
    params: JSON.stringify({ ...params, ...(extra.overrides !== undefined && { overrides: extra.overrides }) }),
    seed: params.seed ?? scenario.seed,
    hash: scenarioHash(run),
    engineVersion: ENGINE_VERSION,
    total,
  };
}

export function apiContext(
  parts: Omit<
    ApiContext,
    'baseScenario' | 'resolveExtends' | 'withOverrides' | 'studyBase' | 'checkReplications' | 'refuseWhenFull' | 'queueStudy' | 'newRun'
  >,
): ApiContext {
  const { store, manager, studies, bundled, limits } = parts;
  const stored = (id: string): Scenario | undefined => {
    const s = store.scenario(id);
    return s ? (JSON.parse(s.scenario) as Scenario) : undefined;
  };
  const ctx: ApiContext = {
    ...parts,
    baseScenario(scenarioId, inline) {
      if (scenarioId !== undefined) {
        const s = bundled.get(scenarioId)?.scenario ?? stored(scenarioId);
        if (s) return s;
        throw new HttpError(404, 'not_found', 'api.noScenario', { id: scenarioId });
      }
      return validateScenario(ctx.resolveExtends(inline), 'request.scenario');
    },
    resolveExtends(data) {
      if (data === null || typeof data !== 'object' || Array.isArray(data) || !('extends' in data)) return data;
      const { extends: parent, ...rest } = data as Record<string, unknown>;
      const parsed = Id.safeParse(parent);
      if (!parsed.success) throw new ScenarioError('scenario', [issue('extends', 'invalid_extends', 'api.extends')]);
      const base = bundled.get(parsed.data)?.scenario ?? stored(parsed.data);
      if (!base) throw new ScenarioError('scenario', [issue('extends', 'invalid_extends', 'api.noExtends', { id: parsed.data })]);
      return overlay(base, rest);
    },
    withOverrides(s, overrides) {
      if (overrides === undefined) return s;
      // a list item whose id the scenario lacks would be added, not changed: a misspelled id is refused, naming the known ones
      const unknown = appendedByOverlay(s, overrides, 'overrides');
      if (unknown.length > 0) throw new ScenarioError('request.overrides', unknown);
      return validateScenario(overlay(s, overrides), 'request.overrides');
    },
    studyBase(b) {
      const base = ctx.withOverrides(ctx.baseScenario(b.scenarioId, b.scenario), b.overrides);
      const sets = Object.entries(b.set ?? {}).map(([path, value]) => ({ path, value }));
      return sets.length === 0 ? base : validateScenario(applySets(base, sets), 'request.set');
    },
    checkReplications(p, s) {
      const max = limits.maxReplications;
      const total = p.untilCi !== undefined ? (p.maxReplications ?? Math.min(max, 1_000_000)) : (p.replications ?? s.replications);
      if (total > max) {
        throw new HttpError(400, 'invalid_request', 'api.tooManyReplications', { max: max.toLocaleString('en-US') }, [
          issue(p.untilCi !== undefined ? 'body.maxReplications' : 'body.replications', 'too_big', 'api.atMost', { max, got: total }),
        ]);
      }
      return total;
    },
    refuseWhenFull(n) {
      if (manager.fits(n)) return;
      const c = manager.counts;
      throw new HttpError(
        429,
        'too_many_runs',
        'api.full',
        { running: c.running, queued: c.queued, maxRunning: manager.limits.maxRunning, maxQueued: manager.limits.maxQueued },
        undefined,
        { 'retry-after': '10' },
      );
    },
    queueStudy(kind, scenario, b, params, total) {
      if (studies.busy >= limits.maxQueued) {
        throw new HttpError(429, 'too_many_runs', 'api.studiesFull', { busy: studies.busy }, undefined, { 'retry-after': '30' });
      }
      const id = newId(STUDY_PREFIX[kind]);
      const all = {
        ...params,
        ...(b.seed !== undefined && { seed: b.seed }),
        ...(b.deadlineHours !== undefined && { deadlineHours: b.deadlineHours }),
        // the fixed changes, recorded with the answer (the stored scenario has them already)
        ...(b.overrides !== undefined && { overrides: b.overrides }),
        ...(b.set !== undefined && { set: Object.entries(b.set).map(([path, value]) => ({ path, value })) }),
      };
      store.addStudy({
        id,
        kind,
        scenarioId: b.scenarioId ?? scenario.id,
        scenario: JSON.stringify(scenario),
        params: JSON.stringify(all),
        total,
      });
      studies.enqueue(id);
      return id;
    },
    newRun: (scenarioId, scenario, params, extra) => runRow(scenarioId, scenario, params, extra, ctx.checkReplications(params, scenario)),
  };
  return ctx;
}

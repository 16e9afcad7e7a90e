/** The records the store keeps, as the API reads them, and their rows. */
export type RunStatus = 'queued' | 'running' | 'done' | 'cancelled' | 'interrupted' | 'failed';
export const RUN_STATUSES: readonly RunStatus[] = ['queued', 'running', 'done', 'cancelled', 'interrupted', 'failed'];

export interface StoredScenario {
  readonly id: string;
  readonly name: string;
  readonly district: string;
  readonly hazards: readonly string[];
  readonly hash: string;
  readonly format: 'yaml' | 'json';
  readonly text: string;
  /** The validated scenario, `extends` resolved, as JSON. */
  readonly scenario: string;
  /** An imported scenario's zone polygons (the zones.geojson its district.geo names by hash), if any. */
  readonly geometry?: string | undefined;
  readonly createdAt: string;
  /** The current version (1 when first stored; each replacement adds one). */
  readonly version?: number;
}

export interface StoredRun {
  readonly seq: number;
  readonly id: string;
  readonly batchId: string | null;
  readonly variant: string | null;
  readonly scenarioId: string;
  /** The scenario as run (overrides applied), JSON. */
  readonly scenario: string;
  /** The request's parameters, JSON. */
  readonly params: string;
  readonly seed: number;
  readonly hash: string;
  readonly engineVersion: string;
  readonly status: RunStatus;
  readonly done: number;
  readonly total: number;
  /** The merged accumulator at the last checkpoint (AccumulatorData JSON) and its replications. */
  readonly checkpoint: string | null;
  readonly checkpointDone: number;
  readonly result: string | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
}

export const now = (): string => new Date().toISOString();

export function runOf(r: Record<string, unknown>): StoredRun {
  return {
    seq: r['seq'] as number,
    id: r['id'] as string,
    batchId: (r['batch_id'] as string | null) ?? null,
    variant: (r['variant'] as string | null) ?? null,
    scenarioId: r['scenario_id'] as string,
    scenario: r['scenario'] as string,
    params: r['params'] as string,
    seed: r['seed'] as number,
    hash: r['hash'] as string,
    engineVersion: r['engine_version'] as string,
    status: r['status'] as RunStatus,
    done: r['done'] as number,
    total: r['total'] as number,
    checkpoint: (r['checkpoint'] as string | null) ?? null,
    checkpointDone: r['checkpoint_done'] as number,
    result: (r['result'] as string | null) ?? null,
    error: (r['error'] as string | null) ?? null,
    createdAt: r['created_at'] as string,
    updatedAt: r['updated_at'] as string,
    finishedAt: (r['finished_at'] as string | null) ?? null,
  };
}

export function scenarioOf(r: Record<string, unknown>): StoredScenario {
  return {
    id: r['id'] as string,
    name: r['name'] as string,
    district: r['district'] as string,
    hazards: JSON.parse(r['hazards'] as string) as string[],
    hash: r['hash'] as string,
    format: r['format'] as 'yaml' | 'json',
    text: r['text'] as string,
    scenario: r['scenario'] as string,
    ...(typeof r['geometry'] === 'string' && { geometry: r['geometry'] }),
    createdAt: r['created_at'] as string,
    ...(typeof r['version'] === 'number' && { version: r['version'] }),
  };
}

/** What runs in a worker thread of its own as a stored resource: sweeps, sizings, drills. */
export type StudyKind = 'sweep' | 'sizing' | 'drill' | 'binds' | 'comparison';

/** A sweep, a sizing (many runs of one scenario, stored with every point) or a drill (its script as data). */
export interface StoredStudy {
  readonly id: string;
  readonly kind: StudyKind;
  readonly scenarioId: string;
  readonly scenario: string;
  readonly params: string;
  readonly status: RunStatus;
  readonly done: number;
  readonly total: number;
  readonly result: string | null;
  readonly error: string | null;
  readonly createdAt: string;
  readonly updatedAt: string;
  readonly finishedAt: string | null;
}

export function studyOf(r: Record<string, unknown>): StoredStudy {
  return {
    id: r['id'] as string,
    kind: r['kind'] as StudyKind,
    scenarioId: r['scenario_id'] as string,
    scenario: r['scenario'] as string,
    params: r['params'] as string,
    status: r['status'] as RunStatus,
    done: r['done'] as number,
    total: r['total'] as number,
    result: (r['result'] as string | null) ?? null,
    error: (r['error'] as string | null) ?? null,
    createdAt: r['created_at'] as string,
    updatedAt: r['updated_at'] as string,
    finishedAt: (r['finished_at'] as string | null) ?? null,
  };
}

export interface NewRun {
  readonly id: string;
  readonly batchId?: string;
  readonly variant?: string;
  readonly scenarioId: string;
  readonly scenario: string;
  readonly params: string;
  readonly seed: number;
  readonly hash: string;
  readonly engineVersion: string;
  readonly total: number;
}

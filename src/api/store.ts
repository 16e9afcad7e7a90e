/**
 * What the server keeps: uploaded scenarios and runs (parameters, seed, scenario hash, engine
 * version, progress, the merged accumulator at checkpoints, the result), in SQLite
 * (better-sqlite3) under the data folder. WAL journal and one transaction per write: a crash
 * never leaves a half-written run, and a run killed mid-way resumes from its last checkpoint.
 * A `migrations` table records the schema version, so later versions can change it in place.
 */
import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

/** Each migration brings the schema from version i to i + 1; never edit one that has shipped. */
const MIGRATIONS: readonly string[] = [
  `CREATE TABLE scenarios (
     id TEXT PRIMARY KEY,
     name TEXT NOT NULL,
     district TEXT NOT NULL,
     hazards TEXT NOT NULL,
     hash TEXT NOT NULL,
     format TEXT NOT NULL,
     text TEXT NOT NULL,
     scenario TEXT NOT NULL,
     created_at TEXT NOT NULL
   );
   CREATE TABLE runs (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     batch_id TEXT,
     variant TEXT,
     scenario_id TEXT NOT NULL,
     scenario TEXT NOT NULL,
     params TEXT NOT NULL,
     seed INTEGER NOT NULL,
     hash TEXT NOT NULL,
     engine_version TEXT NOT NULL,
     status TEXT NOT NULL,
     done INTEGER NOT NULL DEFAULT 0,
     total INTEGER NOT NULL,
     checkpoint TEXT,
     checkpoint_done INTEGER NOT NULL DEFAULT 0,
     result TEXT,
     error TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     finished_at TEXT
   );
   CREATE INDEX runs_scenario ON runs (scenario_id, seq);
   CREATE INDEX runs_status ON runs (status, seq);`,
  `CREATE TABLE studies (
     seq INTEGER PRIMARY KEY AUTOINCREMENT,
     id TEXT NOT NULL UNIQUE,
     kind TEXT NOT NULL,
     scenario_id TEXT NOT NULL,
     scenario TEXT NOT NULL,
     params TEXT NOT NULL,
     status TEXT NOT NULL,
     done INTEGER NOT NULL DEFAULT 0,
     total INTEGER NOT NULL DEFAULT 0,
     result TEXT,
     error TEXT,
     created_at TEXT NOT NULL,
     updated_at TEXT NOT NULL,
     finished_at TEXT
   );`,
];

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
  readonly createdAt: string;
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

const now = (): string => new Date().toISOString();

function runOf(r: Record<string, unknown>): StoredRun {
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

function scenarioOf(r: Record<string, unknown>): StoredScenario {
  return {
    id: r['id'] as string,
    name: r['name'] as string,
    district: r['district'] as string,
    hazards: JSON.parse(r['hazards'] as string) as string[],
    hash: r['hash'] as string,
    format: r['format'] as 'yaml' | 'json',
    text: r['text'] as string,
    scenario: r['scenario'] as string,
    createdAt: r['created_at'] as string,
  };
}

/** A sweep or a sizing: many runs of one scenario, stored with every point. */
export interface StoredStudy {
  readonly id: string;
  readonly kind: 'sweep' | 'sizing';
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

function studyOf(r: Record<string, unknown>): StoredStudy {
  return {
    id: r['id'] as string,
    kind: r['kind'] as 'sweep' | 'sizing',
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

export class Store {
  readonly db: Database.Database;

  constructor(dir: string) {
    mkdirSync(dir, { recursive: true });
    this.db = new Database(join(dir, 'dsim.sqlite'));
    this.db.pragma('journal_mode = WAL');
    this.db.pragma('synchronous = NORMAL');
    this.db.pragma('foreign_keys = ON');
    this.migrate();
  }

  /** Applies the migrations this database has not seen, each in its own transaction. */
  private migrate(): void {
    this.db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const row = this.db.prepare('SELECT MAX(version) AS v FROM migrations').get() as { v: number | null };
    const at = row.v ?? 0;
    if (at > MIGRATIONS.length) {
      throw new Error(`the data folder was written by a newer dsim (schema version ${at}; this one knows ${MIGRATIONS.length})`);
    }
    for (let v = at; v < MIGRATIONS.length; v++) {
      this.db.transaction(() => {
        this.db.exec(MIGRATIONS[v]!);
        this.db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, ?)').run(v + 1, now());
      })();
    }
  }

  get schemaVersion(): number {
    return (this.db.prepare('SELECT MAX(version) AS v FROM migrations').get() as { v: number }).v;
  }

  addScenario(s: Omit<StoredScenario, 'createdAt'>): boolean {
    const r = this.db
      .prepare(
        'INSERT OR IGNORE INTO scenarios (id, name, district, hazards, hash, format, text, scenario, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(s.id, s.name, s.district, JSON.stringify(s.hazards), s.hash, s.format, s.text, s.scenario, now());
    return r.changes === 1;
  }

  scenario(id: string): StoredScenario | undefined {
    const r = this.db.prepare('SELECT * FROM scenarios WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && scenarioOf(r);
  }

  scenarios(): StoredScenario[] {
    return (this.db.prepare('SELECT * FROM scenarios ORDER BY id').all() as Record<string, unknown>[]).map(scenarioOf);
  }

  addRuns(runs: readonly NewRun[]): void {
    const insert = this.db.prepare(
      `INSERT INTO runs (id, batch_id, variant, scenario_id, scenario, params, seed, hash, engine_version, status, total, created_at, updated_at)
       VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, 'queued', ?, ?, ?)`,
    );
    const t = now();
    this.db.transaction(() => {
      for (const r of runs) {
        insert.run(
          r.id,
          r.batchId ?? null,
          r.variant ?? null,
          r.scenarioId,
          r.scenario,
          r.params,
          r.seed,
          r.hash,
          r.engineVersion,
          r.total,
          t,
          t,
        );
      }
    })();
  }

  run(id: string): StoredRun | undefined {
    const r = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && runOf(r);
  }

  /** Runs newest first, after `before` (a seq) when paging, filtered by scenario and status. */
  runs(f: { scenario?: string; status?: RunStatus; before?: number; limit: number }): StoredRun[] {
    const where: string[] = [];
    const args: (string | number)[] = [];
    if (f.scenario !== undefined) {
      where.push('scenario_id = ?');
      args.push(f.scenario);
    }
    if (f.status !== undefined) {
      where.push('status = ?');
      args.push(f.status);
    }
    if (f.before !== undefined) {
      where.push('seq < ?');
      args.push(f.before);
    }
    const sql = `SELECT * FROM runs ${where.length > 0 ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY seq DESC LIMIT ?`;
    return (this.db.prepare(sql).all(...args, f.limit) as Record<string, unknown>[]).map(runOf);
  }

  /** Runs left queued or running by a server that stopped: oldest first. */
  unfinished(): StoredRun[] {
    return (
      this.db.prepare("SELECT * FROM runs WHERE status IN ('queued', 'running', 'interrupted') ORDER BY seq").all() as Record<
        string,
        unknown
      >[]
    ).map(runOf);
  }

  setStatus(id: string, status: RunStatus): void {
    this.db.prepare('UPDATE runs SET status = ?, updated_at = ? WHERE id = ?').run(status, now(), id);
  }

  progress(id: string, done: number): void {
    this.db.prepare('UPDATE runs SET done = ?, updated_at = ? WHERE id = ?').run(done, now(), id);
  }

  checkpoint(id: string, done: number, data: string): void {
    this.db
      .prepare('UPDATE runs SET checkpoint = ?, checkpoint_done = ?, done = MAX(done, ?), updated_at = ? WHERE id = ?')
      .run(data, done, done, now(), id);
  }

  /** Ends a run with its result (done, or cancelled with what was merged) or its error; one transaction. */
  finish(id: string, status: RunStatus, done: number, result: string | null, error: string | null): void {
    const t = now();
    this.db
      .prepare(
        'UPDATE runs SET status = ?, done = ?, result = ?, error = ?, checkpoint = NULL, updated_at = ?, finished_at = ? WHERE id = ?',
      )
      .run(status, done, result, error, t, t, id);
  }

  addStudy(s: { id: string; kind: 'sweep' | 'sizing'; scenarioId: string; scenario: string; params: string; total: number }): void {
    const t = now();
    this.db
      .prepare(
        "INSERT INTO studies (id, kind, scenario_id, scenario, params, status, total, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
      )
      .run(s.id, s.kind, s.scenarioId, s.scenario, s.params, s.total, t, t);
  }

  study(id: string): StoredStudy | undefined {
    const r = this.db.prepare('SELECT * FROM studies WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && studyOf(r);
  }

  unfinishedStudies(): StoredStudy[] {
    return (
      this.db.prepare("SELECT * FROM studies WHERE status IN ('queued', 'running') ORDER BY seq").all() as Record<string, unknown>[]
    ).map(studyOf);
  }

  studyProgress(id: string, status: RunStatus, done: number, total: number): void {
    this.db.prepare('UPDATE studies SET status = ?, done = ?, total = ?, updated_at = ? WHERE id = ?').run(status, done, total, now(), id);
  }

  finishStudy(id: string, status: RunStatus, result: string | null, error: string | null): void {
    const t = now();
    this.db
      .prepare('UPDATE studies SET status = ?, result = ?, error = ?, updated_at = ?, finished_at = ? WHERE id = ?')
      .run(status, result, error, t, t, id);
  }

  close(): void {
    this.db.close();
  }
}

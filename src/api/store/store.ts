/**
 * What the server keeps: uploaded scenarios and runs (parameters, seed, scenario hash, engine
 * version, progress, the merged accumulator at checkpoints, the result), in SQLite
 * (better-sqlite3) under the data folder. WAL journal and one transaction per write: a crash
 * never leaves a half-written run, and a run killed mid-way resumes from its last checkpoint.
 *
 * Opening checks the store and refuses with a catalogued error naming the path (STORE, exit 9):
 * a file where the folder should be, a folder that cannot be made, a file that is not a dsim
 * database or is corrupt, a store that cannot be written, a store written by a newer dsim. A
 * server holds the store's lease (lease.ts; another server on it: STORE_LOCKED, exit 10). Every
 * write goes through one path (guard.ts), so a storage failure while serving is an outage, never
 * an exit. The `migrations` table records the schema version; `meta` which dsim wrote it.
 */
import { mkdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DsimError, ErrorCodes } from '../../errors.js';
import { ENGINE_VERSION } from '../../kpi/summary.js';
import { SILENT, StoreGuard, type StoreLog, StoreUnavailable } from './guard.js';
import { LEASE_HEARTBEAT_MS, Lease } from './lease.js';
import { MIGRATIONS } from './migrations.js';
import {
  type NewRun,
  now,
  type RunStatus,
  runOf,
  type StoredRun,
  type StoredScenario,
  type StoredStudy,
  type StudyKind,
  scenarioOf,
  studyOf,
} from './rows.js';

export { StoreUnavailable } from './guard.js';
export { RUN_STATUSES, type RunStatus, type StoredRun, type StoredScenario, type StoredStudy, type StudyKind } from './rows.js';

export interface StoreOptions {
  readonly log?: StoreLog;
  /** Hold the store's lease (a server): refuse when another holds it. */
  readonly lease?: boolean;
}

interface DeferredRun {
  status: RunStatus;
  done: number;
  result: string | null;
  error: string | null;
  at: string;
}
type DeferredStudy = Omit<DeferredRun, 'done'>;

/**
 * Ends of runs or studies (their last write) that wait in memory while the store cannot take
 * them: reads show them, and they are written when the store is back.
 */
class Deferred<E> {
  private readonly pending = new Map<string, E>();
  constructor(
    private readonly write: <T>(fn: () => T) => T,
    private readonly writeOne: (id: string, e: E) => void,
  ) {}

  /** Writes the end now, or keeps it for later when the store is unavailable. */
  put(id: string, e: E): void {
    try {
      this.write(() => this.writeOne(id, e));
      this.pending.delete(id);
    } catch (x) {
      if (!(x instanceof StoreUnavailable)) throw x;
      this.pending.set(id, e);
    }
  }

  get(id: string): E | undefined {
    return this.pending.get(id);
  }

  /** Writes what waits; stops quietly at a new outage (the rest waits for the next recovery). */
  flush(): void {
    for (const [id, e] of this.pending) {
      try {
        this.write(() => this.writeOne(id, e));
      } catch (x) {
        if (x instanceof StoreUnavailable) return;
        throw x;
      }
      this.pending.delete(id);
    }
  }
}

/** A problem opening the store, told from the catalogue with the path (exit 9). */
function storeError(
  key: 'err.storeNotFolder' | 'err.storeCannotCreate' | 'err.storeCorrupt' | 'err.storeReadOnly',
  path: string,
  cause = '',
) {
  return DsimError.of(ErrorCodes.STORE, key, { path, cause });
}

/** What went wrong opening a database file, as the catalogue names it. */
function openError(path: string, e: unknown): DsimError {
  if (e instanceof DsimError) return e;
  const code = (e as { code?: string }).code ?? '';
  const message = (e as Error).message ?? String(e);
  if (/^SQLITE_(NOTADB|CORRUPT)/.test(code)) return storeError('err.storeCorrupt', path, message);
  if (/^SQLITE_(READONLY|CANTOPEN|IOERR|PERM|FULL|BUSY|LOCKED)|^E(ACCES|ROFS|PERM|NOSPC)$/.test(code))
    return storeError('err.storeReadOnly', path, message);
  throw e;
}

export class Store {
  readonly db: Database.Database;
  /** The database file. */
  readonly file: string;
  private readonly guard: StoreGuard;
  private readonly lease: Lease | undefined;
  private readonly heartbeat: NodeJS.Timeout | undefined;
  private readonly deferredRuns = new Deferred<DeferredRun>(this.write.bind(this), (id, e) => this.writeFinish(id, e));
  private readonly deferredStudies = new Deferred<DeferredStudy>(this.write.bind(this), (id, e) => this.writeFinishStudy(id, e));

  constructor(dir: string, o: StoreOptions = {}) {
    const log = o.log ?? SILENT;
    const folder = resolve(dir);
    this.file = join(folder, 'dsim.sqlite');
    let st: ReturnType<typeof statSync> | undefined;
    try {
      st = statSync(folder);
    } catch {
      try {
        mkdirSync(folder, { recursive: true });
      } catch (e) {
        throw storeError('err.storeCannotCreate', folder, (e as Error).message);
      }
    }
    if (st && !st.isDirectory()) throw storeError('err.storeNotFolder', folder);
    let db: Database.Database | undefined;
    try {
      db = new Database(this.file);
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('foreign_keys = ON');
      const check = db.pragma('quick_check(1)', { simple: true });
      if (check !== 'ok') throw storeError('err.storeCorrupt', this.file, String(check));
      this.migrate(db);
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('writtenBy', ?)").run(ENGINE_VERSION);
      this.lease = o.lease ? new Lease(db, folder, log) : undefined;
    } catch (e) {
      db?.close();
      throw openError(this.file, e);
    }
    this.db = db;
    this.guard = new StoreGuard(
      this.file,
      log,
      () => this.db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('probedAt', ?)").run(now()),
      () => this.flush(),
    );
    if (this.lease) {
      const lease = this.lease;
      this.heartbeat = setInterval(() => {
        try {
          if (!this.write(() => lease.beat())) this.guard.stop({ key: 'store.cause.leaseLost' });
        } catch (e) {
          if (!(e instanceof StoreUnavailable)) throw e;
        }
      }, LEASE_HEARTBEAT_MS);
      this.heartbeat.unref();
    }
  }

  /** Applies the migrations this database has not seen, each in its own transaction; refuses a newer store. */
  private migrate(db: Database.Database): void {
    db.exec('CREATE TABLE IF NOT EXISTS migrations (version INTEGER PRIMARY KEY, applied_at TEXT NOT NULL)');
    const at = (db.prepare('SELECT MAX(version) AS v FROM migrations').get() as { v: number | null }).v ?? 0;
    if (at > MIGRATIONS.length) {
      const hasMeta = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'meta'").get() !== undefined;
      const by = hasMeta
        ? (db.prepare("SELECT value FROM meta WHERE key = 'writtenBy'").get() as { value: string } | undefined)
        : undefined;
      throw DsimError.of(ErrorCodes.STORE, 'err.storeNewer', {
        path: this.file,
        version: by?.value ?? '?',
        schema: at,
        engine: ENGINE_VERSION,
        known: MIGRATIONS.length,
      });
    }
    for (let v = at; v < MIGRATIONS.length; v++) {
      db.transaction(() => {
        db.exec(MIGRATIONS[v]!);
        db.prepare('INSERT INTO migrations (version, applied_at) VALUES (?, ?)').run(v + 1, now());
      })();
    }
  }

  get schemaVersion(): number {
    return (this.db.prepare('SELECT MAX(version) AS v FROM migrations').get() as { v: number }).v;
  }

  /** The outage now (writes refused, reads served), or null. */
  get outage(): { since: number; cause: unknown } | null {
    return this.guard.down;
  }

  /** Every write goes through here (guard.ts): a storage failure is an outage, never an exit. */
  private write<T>(fn: () => T): T {
    return this.guard.write(fn);
  }

  /** Writes the run and study ends kept in memory during an outage. */
  private flush(): void {
    this.deferredRuns.flush();
    this.deferredStudies.flush();
  }

  /** An online copy of the store (SQLite's backup API), consistent while the server writes. */
  async backup(to: string): Promise<void> {
    await this.db.backup(to);
  }

  addScenario(s: Omit<StoredScenario, 'createdAt'>): boolean {
    const t = now();
    return this.write(() =>
      this.db.transaction(() => {
        const r = this.db
          .prepare(
            'INSERT OR IGNORE INTO scenarios (id, name, district, hazards, hash, format, text, scenario, geometry, created_at, version) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1)',
          )
          .run(s.id, s.name, s.district, JSON.stringify(s.hazards), s.hash, s.format, s.text, s.scenario, s.geometry ?? null, t);
        if (r.changes !== 1) return false;
        this.addVersion(s, 1, t);
        return true;
      })(),
    );
  }

  private addVersion(s: Omit<StoredScenario, 'createdAt'>, version: number, t: string): void {
    this.db
      .prepare(
        'INSERT INTO scenario_versions (id, version, hash, format, text, scenario, geometry, created_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
      )
      .run(s.id, version, s.hash, s.format, s.text, s.scenario, s.geometry ?? null, t);
  }

  /** Replaces an uploaded scenario by a new version (its id stays, earlier versions are kept); the new version, or undefined when there is none to replace. */
  replaceScenario(s: Omit<StoredScenario, 'createdAt'>): number | undefined {
    const t = now();
    return this.write(() =>
      this.db.transaction(() => {
        const cur = this.db.prepare('SELECT version FROM scenarios WHERE id = ?').get(s.id) as { version: number } | undefined;
        if (!cur) return undefined;
        const version = cur.version + 1;
        this.db
          .prepare(
            'UPDATE scenarios SET name = ?, district = ?, hazards = ?, hash = ?, format = ?, text = ?, scenario = ?, geometry = ?, version = ? WHERE id = ?',
          )
          .run(s.name, s.district, JSON.stringify(s.hazards), s.hash, s.format, s.text, s.scenario, s.geometry ?? null, version, s.id);
        this.addVersion(s, version, t);
        return version;
      })(),
    );
  }

  /** An upload's versions, oldest first. */
  scenarioVersions(id: string): { version: number; hash: string; createdAt: string }[] {
    return (
      this.db.prepare('SELECT version, hash, created_at FROM scenario_versions WHERE id = ? ORDER BY version').all(id) as {
        version: number;
        hash: string;
        created_at: string;
      }[]
    ).map((r) => ({ version: r.version, hash: r.hash, createdAt: r.created_at }));
  }

  /** Runs and studies that name the scenario (it cannot be deleted while any does). */
  scenarioUses(id: string): number {
    const runs = this.db.prepare('SELECT COUNT(*) AS n FROM runs WHERE scenario_id = ?').get(id) as { n: number };
    const studies = this.db.prepare('SELECT COUNT(*) AS n FROM studies WHERE scenario_id = ?').get(id) as { n: number };
    return runs.n + studies.n;
  }

  /** Deletes an upload and its versions when nothing refers to it: true when deleted. */
  deleteScenario(id: string): boolean {
    return this.write(() =>
      this.db.transaction(() => {
        if (this.scenarioUses(id) > 0) return false;
        this.db.prepare('DELETE FROM scenario_versions WHERE id = ?').run(id);
        return this.db.prepare('DELETE FROM scenarios WHERE id = ?').run(id).changes === 1;
      })(),
    );
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
    this.write(() =>
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
      })(),
    );
  }

  run(id: string): StoredRun | undefined {
    const r = this.db.prepare('SELECT * FROM runs WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    return r && this.withDeferred(runOf(r));
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
    return (this.db.prepare(sql).all(...args, f.limit) as Record<string, unknown>[]).map((r) => this.withDeferred(runOf(r)));
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
    this.write(() => this.db.prepare('UPDATE runs SET status = ?, updated_at = ? WHERE id = ?').run(status, now(), id));
  }

  progress(id: string, done: number): void {
    this.write(() => this.db.prepare('UPDATE runs SET done = ?, updated_at = ? WHERE id = ?').run(done, now(), id));
  }

  checkpoint(id: string, done: number, data: string): void {
    this.write(() =>
      this.db
        .prepare('UPDATE runs SET checkpoint = ?, checkpoint_done = ?, done = MAX(done, ?), updated_at = ? WHERE id = ?')
        .run(data, done, done, now(), id),
    );
  }

  /**
   * Ends a run with its result (done, or cancelled with what was merged) or its error; one
   * transaction. During an outage the end is kept in memory — reads show it — and written when
   * the store is back: a run computed is not lost while the server lives.
   */
  finish(id: string, status: RunStatus, done: number, result: string | null, error: string | null): void {
    this.deferredRuns.put(id, { status, done, result, error, at: now() });
  }

  private writeFinish(id: string, e: DeferredRun): void {
    this.db
      .prepare(
        'UPDATE runs SET status = ?, done = ?, result = ?, error = ?, checkpoint = NULL, updated_at = ?, finished_at = ? WHERE id = ?',
      )
      .run(e.status, e.done, e.result, e.error, e.at, e.at, id);
  }

  private withDeferred(r: StoredRun): StoredRun {
    const e = this.deferredRuns.get(r.id);
    return e ? { ...r, status: e.status, done: e.done, result: e.result, error: e.error, updatedAt: e.at, finishedAt: e.at } : r;
  }

  addStudy(s: { id: string; kind: StudyKind; scenarioId: string; scenario: string; params: string; total: number }): void {
    const t = now();
    this.write(() =>
      this.db
        .prepare(
          "INSERT INTO studies (id, kind, scenario_id, scenario, params, status, total, created_at, updated_at) VALUES (?, ?, ?, ?, ?, 'queued', ?, ?, ?)",
        )
        .run(s.id, s.kind, s.scenarioId, s.scenario, s.params, s.total, t, t),
    );
  }

  study(id: string): StoredStudy | undefined {
    const r = this.db.prepare('SELECT * FROM studies WHERE id = ?').get(id) as Record<string, unknown> | undefined;
    if (!r) return undefined;
    const s = studyOf(r);
    const e = this.deferredStudies.get(id);
    return e ? { ...s, status: e.status, result: e.result, error: e.error, updatedAt: e.at, finishedAt: e.at } : s;
  }

  /** The finished studies of a kind on a scenario id, newest first (at most `limit`). */
  doneStudies(kind: StudyKind, scenarioId: string, limit = 20): StoredStudy[] {
    return (
      this.db
        .prepare("SELECT * FROM studies WHERE kind = ? AND scenario_id = ? AND status = 'done' ORDER BY seq DESC LIMIT ?")
        .all(kind, scenarioId, limit) as Record<string, unknown>[]
    ).map(studyOf);
  }

  unfinishedStudies(): StoredStudy[] {
    return (
      this.db.prepare("SELECT * FROM studies WHERE status IN ('queued', 'running') ORDER BY seq").all() as Record<string, unknown>[]
    ).map(studyOf);
  }

  studyProgress(id: string, status: RunStatus, done: number, total: number): void {
    this.write(() =>
      this.db
        .prepare('UPDATE studies SET status = ?, done = ?, total = ?, updated_at = ? WHERE id = ?')
        .run(status, done, total, now(), id),
    );
  }

  /** Ends a study; during an outage, kept in memory and written when the store is back (as finish). */
  finishStudy(id: string, status: RunStatus, result: string | null, error: string | null): void {
    this.deferredStudies.put(id, { status, result, error, at: now() });
  }

  private writeFinishStudy(id: string, e: DeferredStudy): void {
    this.db
      .prepare('UPDATE studies SET status = ?, result = ?, error = ?, updated_at = ?, finished_at = ? WHERE id = ?')
      .run(e.status, e.result, e.error, e.at, e.at, id);
  }

  /** Stops the heartbeat, gives the lease back and closes the database. */
  close(): void {
    clearInterval(this.heartbeat);
    this.guard.close();
    if (this.lease && !this.guard.down) {
      try {
        this.lease.release();
      } catch {
        // the store is failing: the next server takes the lease over once its heartbeat lapses
      }
    }
    this.db.close();
  }
}

/**
 * A store that fails safe, against a real server over HTTP: a store that cannot be opened is a
 * catalogued error naming the path (and `dsim serve` exits 9); a store made read-only mid-run
 * (chattr +i: root ignores file modes) is an outage — the run ends failed with store_unavailable,
 * writes are answered 503, reads go on, and the server recovers when the store is writable again;
 * a deleted store is an outage, never `done`; one server per store (exit 10), a lease whose
 * holder is gone taken over.
 */
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { hostname, tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { buildServer, DEFAULTS } from '../../src/api/server.js';
import { MIGRATIONS } from '../../src/api/store/migrations.js';
import { Store } from '../../src/api/store/store.js';
import { DsimError, ErrorCodes } from '../../src/errors.js';
import { t } from '../../src/i18n/messages.js';
import { ENGINE_VERSION } from '../../src/kpi/summary.js';
import { runTracked } from '../procs.js';
import { call, freePort, start, until } from './http.js';

const temp = (name: string) => mkdtempSync(join(tmpdir(), `dsim-store-${name}-`));

/** Whether this machine lets the test make a file immutable (root in a container may not). */
const canFreeze = (() => {
  const f = join(temp('probe'), 'f');
  writeFileSync(f, 'x');
  try {
    execFileSync('chattr', ['+i', f], { stdio: 'ignore' });
    execFileSync('chattr', ['-i', f], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();
const frozen = new Set<string>();
const freeze = (...files: string[]) => {
  execFileSync('chattr', ['+i', ...files]);
  for (const f of files) frozen.add(f);
};
const thaw = (...files: string[]) => {
  execFileSync('chattr', ['-i', ...files]);
  for (const f of files) frozen.delete(f);
};
afterEach(() => {
  if (frozen.size > 0) thaw(...frozen);
});

/** `dsim serve` as its own process, to its exit: status and what it printed (Chinese locale). */
function serveExit(args: string[]): Promise<{ code: number | null; err: string }> {
  return runTracked(process.execPath, ['bin/dsim.js', 'serve', '--log-level', 'silent', ...args], {
    env: { ...process.env, LANG: 'zh_CN.UTF-8', LC_ALL: '' },
  });
}

/** What opening the store at `dir` throws. */
function openError(dir: string): DsimError {
  try {
    new Store(dir).close();
  } catch (e) {
    return e as DsimError;
  }
  throw new Error('the store opened');
}

describe('opening a store', () => {
  it('a file where the folder should be: STORE naming the path; dsim serve exits 9 saying so in Chinese', async () => {
    const file = join(temp('file'), 'data');
    writeFileSync(file, 'not a folder');
    const e = openError(file);
    expect(e.code).toBe(ErrorCodes.STORE);
    expect(e.text('en')).toBe(t('en', 'err.storeNotFolder', { path: file }));
    const r = await serveExit(['--data', file, '--port', String(await freePort())]);
    expect(r.code).toBe(9);
    expect(r.err).toBe(`dsim: ${t('zh', 'err.storeNotFolder', { path: file })}\n`);
  });

  it('a file that is not a dsim database: corrupt, named, exit 9', async () => {
    const dir = temp('corrupt');
    writeFileSync(join(dir, 'dsim.sqlite'), Buffer.alloc(8192, 0x5a));
    const e = openError(dir);
    expect(e.code).toBe(ErrorCodes.STORE);
    expect(e.key).toBe('err.storeCorrupt');
    expect(e.text('en')).toContain(join(dir, 'dsim.sqlite'));
    expect((await serveExit(['--data', dir, '--port', String(await freePort())])).code).toBe(9);
  });

  it('a store written by a newer dsim: its version and schema named, nothing changed', () => {
    const dir = temp('newer');
    new Store(dir).close();
    const db = new Database(join(dir, 'dsim.sqlite'));
    db.prepare('INSERT INTO migrations (version, applied_at) VALUES (99, ?)').run('2030-01-01');
    db.prepare("UPDATE meta SET value = '9.9.9' WHERE key = 'writtenBy'").run();
    db.close();
    const e = openError(dir);
    expect(e.code).toBe(ErrorCodes.STORE);
    expect(e.text('en')).toBe(
      t('en', 'err.storeNewer', {
        path: join(dir, 'dsim.sqlite'),
        version: '9.9.9',
        schema: 99,
        engine: ENGINE_VERSION,
        known: MIGRATIONS.length,
      }),
    );
    const after = new Database(join(dir, 'dsim.sqlite'), { readonly: true });
    expect(after.prepare("SELECT value FROM meta WHERE key = 'writtenBy'").get()).toEqual({ value: '9.9.9' });
    after.close();
  });

  it.skipIf(!canFreeze)('a store that cannot be written: read-only, named, exit 9', async () => {
    const dir = temp('ro');
    new Store(dir).close();
    freeze(join(dir, 'dsim.sqlite'));
    const e = openError(dir);
    expect(e.code).toBe(ErrorCodes.STORE);
    expect(e.key).toBe('err.storeReadOnly');
    expect((await serveExit(['--data', dir, '--port', String(await freePort())])).code).toBe(9);
  });
});

describe('a store that fails while serving', () => {
  it.skipIf(!canFreeze)(
    'made read-only mid-run: the run fails with store_unavailable, writes get 503, reads go on, and writes come back with the store',
    async () => {
      const s = await start({ workers: 1 });
      try {
        const db = join(s.dir, 'dsim.sqlite');
        const run = await call(s.base, 'POST', '/runs', { scenarioId: 'huantai-annual', replications: 200_000, seed: 5 });
        expect(run.status).toBe(202);
        const id = run.json['id'];
        await until(s.base, id, (x) => x['progress']['done'] > 0);
        freeze(db, `${db}-wal`);
        const failed = await until(s.base, id, (x) => x['status'] !== 'running');
        expect(failed['status']).toBe('failed');
        expect(failed['error']['error']).toBe('store_unavailable');

        expect((await call(s.base, 'GET', '/health')).status).toBe(200);
        const list = await call(s.base, 'GET', '/runs');
        expect(list.status).toBe(200);
        expect(list.json['runs'].map((r: { id: string }) => r.id)).toContain(id);
        const refused = await call(s.base, 'POST', '/runs?lang=en', { scenarioId: 'validation-one-truck' });
        expect(refused.status).toBe(503);
        expect(refused.headers.get('retry-after')).toBe('5');
        expect(refused.json['error']).toBe('store_unavailable');
        expect(refused.json['message']).toMatch(/^the store cannot be written now \(disk I\/O error\)/);
        const upload = await call(s.base, 'POST', '/scenarios', { extends: 'validation-one-truck', id: 'copy-of-one-truck' });
        expect(upload.status).toBe(503);
        expect(upload.json['message']).toBe(t('zh', 'api.storeUnavailable', { cause: 'disk I/O error' }));
        const up = await call(s.base, 'GET', `/runs/${id}`);
        expect(up.json['status']).toBe('failed');

        thaw(db, `${db}-wal`);
        let again: Awaited<ReturnType<typeof call>>;
        do {
          await new Promise((r) => setTimeout(r, 100));
          again = await call(s.base, 'POST', '/runs', { scenarioId: 'validation-one-truck' });
        } while (again.status === 503);
        expect(again.status).toBe(202);
        expect((await until(s.base, again.json['id'], (x) => x['status'] !== 'queued' && x['status'] !== 'running'))['status']).toBe(
          'done',
        );
        // the failed run's end, kept in memory during the outage, is in the store now
        const check = new Database(db, { readonly: true });
        const row = check.prepare('SELECT status, error FROM runs WHERE id = ?').get(id) as { status: string; error: string };
        check.close();
        expect(row.status).toBe('failed');
        expect(JSON.parse(row.error)['error']).toBe('store_unavailable');
      } finally {
        await s.app.close();
      }
    },
  );

  it('--data deleted mid-run: an outage naming the cause, never done; the server stays up and closes cleanly', async () => {
    const s = await start({ workers: 1 });
    try {
      const run = await call(s.base, 'POST', '/runs', { scenarioId: 'huantai-annual', replications: 200_000, seed: 6 });
      const id = run.json['id'];
      await until(s.base, id, (x) => x['progress']['done'] > 0);
      rmSync(s.dir, { recursive: true, force: true });
      const ended = await until(s.base, id, (x) => x['status'] !== 'running');
      expect(ended['status']).toBe('failed');
      expect(ended['error']).toEqual({
        error: 'store_unavailable',
        message: t('en', 'api.storeUnavailable', { cause: t('en', 'store.cause.deleted') }),
      });
      const refused = await call(s.base, 'POST', '/runs', { scenarioId: 'validation-one-truck' });
      expect(refused.status).toBe(503);
      expect(refused.json['message']).toBe(t('zh', 'api.storeUnavailable', { cause: t('zh', 'store.cause.deleted') }));
      expect((await call(s.base, 'GET', '/health')).status).toBe(200);
    } finally {
      await s.app.close();
    }
  });
});

describe('one server per store', () => {
  it('a second server on the same --data refuses naming the holder; dsim serve exits 10', async () => {
    const s = await start({ workers: 1 });
    try {
      let refused: unknown;
      try {
        await buildServer({ ...DEFAULTS, dataDir: s.dir, logger: false });
      } catch (e) {
        refused = e;
      }
      expect(refused).toBeInstanceOf(DsimError);
      const e = refused as DsimError;
      expect(e.code).toBe(ErrorCodes.STORE_LOCKED);
      expect(e.params).toMatchObject({ pid: process.pid, host: hostname(), path: s.dir });
      const r = await serveExit(['--data', s.dir, '--port', String(await freePort())]);
      expect(r.code).toBe(10);
      expect(r.err).toContain(`进程${process.pid}`);
    } finally {
      await s.app.close();
    }
    // given back on close: the next server starts
    const next = await start({ dataDir: s.dir, workers: 1 });
    await next.app.close();
  });

  /** A store whose lease row says what the test wants. */
  const leased = (lease: { host: string; pid: number; heartbeatAt: number }): string => {
    const dir = temp('lease');
    new Store(dir).close();
    const db = new Database(join(dir, 'dsim.sqlite'));
    db.prepare(
      "INSERT INTO lease (id, token, pid, host, started_at, heartbeat_at) VALUES (1, 'other', ?, ?, '2026-01-01T00:00:00Z', ?)",
    ).run(lease.pid, lease.host, lease.heartbeatAt);
    db.close();
    return dir;
  };
  const opens = (dir: string): string => {
    try {
      new Store(dir, { lease: true }).close();
      return 'opened';
    } catch (e) {
      return (e as DsimError).code;
    }
  };

  it('a lease is taken over when its holder is gone: a dead process of this host at once, another host after 15 s without heartbeat', () => {
    const dead = spawnSync(process.execPath, ['-e', '0']).pid!;
    expect(opens(leased({ host: hostname(), pid: dead, heartbeatAt: Date.now() }))).toBe('opened');
    expect(opens(leased({ host: hostname(), pid: process.ppid, heartbeatAt: Date.now() }))).toBe(ErrorCodes.STORE_LOCKED);
    expect(opens(leased({ host: 'another-host', pid: 1, heartbeatAt: Date.now() - 5_000 }))).toBe(ErrorCodes.STORE_LOCKED);
    expect(opens(leased({ host: 'another-host', pid: 1, heartbeatAt: Date.now() - 16_000 }))).toBe('opened');
  });
});

describe('dsim backup', () => {
  /** `dsim backup` as its own process, to its exit. */
  const backup = (args: string[]) =>
    runTracked(process.execPath, ['bin/dsim.js', 'backup', ...args], { env: { ...process.env, LANG: 'en_US.UTF-8', LC_ALL: '' } });

  it('copies a serving store, runs and results included, checked; never overwrites; names a missing store', async () => {
    const s = await start({ workers: 1 });
    const out = join(temp('backup'), 'copy.sqlite');
    try {
      const run = await call(s.base, 'POST', '/runs', { scenarioId: 'validation-one-truck', replications: 30 });
      const done = await until(s.base, run.json['id'], (x) => x['status'] === 'done');
      const r = await backup(['--data', s.dir, out]);
      expect(r.code).toBe(0);
      expect(r.out).toMatch(/^backed up .*dsim\.sqlite to .*copy\.sqlite \(\d+ pages, integrity checked\)\n$/);
      const copy = new Database(out, { readonly: true });
      const row = copy.prepare('SELECT status, result FROM runs WHERE id = ?').get(run.json['id']) as { status: string; result: string };
      copy.close();
      expect(row.status).toBe('done');
      expect(JSON.parse(row.result)).toEqual(done['result']);
      // the server goes on writing after the copy
      expect((await call(s.base, 'POST', '/runs', { scenarioId: 'validation-one-truck' })).status).toBe(202);
      expect((await backup(['--data', s.dir, out])).code).toBe(5);
    } finally {
      await s.app.close();
    }
    const missing = await backup(['--data', join(temp('none'), 'nothing'), join(temp('backup2'), 'x.sqlite')]);
    expect(missing.code).toBe(9);
    expect(missing.err).toMatch(/^dsim: no store at .*nothing\/dsim\.sqlite/);
  });
});

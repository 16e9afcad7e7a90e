/**
 * Distributed runs through a real redis-server: .ci/run starts one and exports DSIM_REDIS_URL;
 * otherwise the test starts its own when `redis-server` is installed, and is skipped (saying so)
 * when neither is available.
 */

import { type ChildProcess, spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Queue, QueueEvents } from 'bullmq';
import { Redis } from 'ioredis';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { ENGINE_VERSION, summarise } from '../../src/kpi/summary.js';
import { JOB_PROTOCOL } from '../../src/run/queue/job.js';
import { BATCH_QUEUE, runKey, unavailableAfterMs } from '../../src/run/queue/redis.js';
import { redisConnection } from '../../src/run/queue/url.js';
import { executeRun } from '../../src/run/runner.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';
import { ended, runTracked, spawnTracked } from '../procs.js';
import { freePort, redisAvailable, startRedis, startWorker, stopAll } from '../redis-helpers.js';

const available = redisAvailable('distributed tests');
const haveRedisBinary = spawnSync('redis-server', ['--version']).status === 0;

const json = (out: Awaited<ReturnType<typeof executeRun>>): string => JSON.stringify(summarise(out.model, out.acc, out.seed));

/** Polls until check() holds (the test's ceiling bounds the wait: the event, not a time, is awaited). */
async function eventually(check: () => Promise<boolean>): Promise<void> {
  while (!(await check())) await new Promise((r) => setTimeout(r, 100));
}

/** Runs the CLI in a child process of the test (test/procs.ts): its exit code and stderr. */
function cli(args: string[], env: Record<string, string> = {}): Promise<{ code: number | null; err: string }> {
  return runTracked(process.execPath, ['bin/dsim.js', ...args], { env: { ...process.env, ...env } });
}

/** Resolves when a batch of the queue at `url` becomes active. */
async function batchActive(url: string): Promise<() => Promise<void>> {
  const events = new QueueEvents(BATCH_QUEUE, { connection: redisConnection(url) });
  await events.waitUntilReady();
  const active = new Promise<void>((r) => events.once('active', () => r()));
  return async () => {
    await active;
    await events.close();
  };
}

describe.skipIf(!available)('distributed runs on BullMQ', () => {
  let url = process.env['DSIM_REDIS_URL'] ?? '';
  let redis: ChildProcess | undefined;
  const workers = new Map<string, ChildProcess>();

  beforeAll(async () => {
    if (!url) {
      const own = await startRedis();
      redis = own.proc;
      url = `redis://127.0.0.1:${own.port}`;
    }
    const q = new Queue(BATCH_QUEUE, { connection: redisConnection(url) });
    await q.obliterate({ force: true });
    await q.close();
    await Promise.all(
      ['A', 'B'].map(async (name) => {
        const w = await startWorker(['--queue', url, '--name', name, '--lock-ms', '2000', '--stalled-ms', '1000']);
        workers.set(name, w.proc);
      }),
    );
  });

  afterAll(() => stopAll([...workers.values(), redis]));

  it('equals the local run for the same seed (two workers)', async () => {
    const { scenario } = loadScenario('huantai/flood-50y');
    const remote = await executeRun(scenario, { queue: url, replications: 300, batchSize: 30 });
    const local = await executeRun(scenario, { replications: 300 });
    expect(remote.replications).toBe(300);
    expect(json(remote)).toBe(json(local));
  });

  it('loses and double-counts nothing when a worker is killed mid-job', async () => {
    const { scenario } = loadScenario('huantai/annual');
    const events = new QueueEvents(BATCH_QUEUE, { connection: redisConnection(url) });
    await events.waitUntilReady();
    const queue = new Queue(BATCH_QUEUE, { connection: redisConnection(url) });
    let killed = false;
    events.on('active', async ({ jobId }) => {
      if (killed) return;
      const job = await queue.getJob(jobId);
      if (job?.processedBy === 'A' || (job && job.processedBy === undefined)) {
        killed = true;
        workers.get('A')!.kill('SIGKILL'); // mid-job: its lock lapses and B runs the job again
      }
    });
    const remote = await executeRun(scenario, { queue: url, replications: 1600, batchSize: 400 });
    await events.close();
    await queue.close();
    expect(killed).toBe(true);
    expect(remote.replications).toBe(1600);
    const local = await executeRun(scenario, { replications: 1600 });
    expect(json(remote)).toBe(json(local));
  });

  it('stops on precision at the same checkpoint as a local run', async () => {
    const { scenario } = loadScenario('huantai/flood-50y');
    const remote = await executeRun(scenario, { queue: url, untilCi: 0.02, maxReplications: 8000, batchSize: 250 });
    const local = await executeRun(scenario, { untilCi: 0.02, maxReplications: 8000 });
    expect(remote.replications).toBe(local.replications);
    expect(remote.stopping).toEqual(local.stopping);
  });

  it('refuses spoofed, malformed, huge and oversized jobs; the next run still equals a local run', async () => {
    const connection = redisConnection(url);
    const queue = new Queue(BATCH_QUEUE, { connection });
    const control = new Redis(connection);
    const run = 'cd'.repeat(12);
    await control.set(runKey(run), '1', 'PX', 600_000); // a live run (for as long as the test's ceiling), so only the checks can refuse
    const huantai = loadScenario('huantai/flood-50y').scenario;
    const yanzhou = loadScenario('yanzhou/flood-50y').scenario;
    const model = compile(huantai);
    const base = { protocol: JOB_PROTOCOL, engine: ENGINE_VERSION, run, targets: model.targets, seed: 1, from: 0, to: 5 };
    const cases: [string, unknown, RegExp][] = [
      ['spoofed hash', { ...base, scenario: yanzhou, hash: model.hash }, /claims scenario hash [0-9a-f]{16}, but its scenario hashes to/],
      ['string range', { ...base, scenario: huantai, hash: model.hash, from: '0' }, /from: /],
      ['huge range', { ...base, scenario: huantai, hash: model.hash, to: 1e12 }, /to: /],
      ['oversized', { ...base, scenario: { ...huantai, description: 'x'.repeat(5_100_000) }, hash: model.hash }, /characters, more than/],
    ];
    const jobs = await Promise.all(cases.map(([name, data]) => queue.add(name, data, { attempts: 3 })));
    for (const [k, job] of jobs.entries()) {
      await eventually(async () => (await job.getState()) === 'failed');
      const failed = (await queue.getJob(job.id!))!;
      expect(failed.failedReason, cases[k]![0]).toMatch(/^refused: job \d+: /);
      expect(failed.failedReason, cases[k]![0]).toMatch(cases[k]![2]);
      expect(failed.attemptsMade, `${cases[k]![0]}: not retried`).toBe(1);
    }
    await control.del(runKey(run));
    control.disconnect();
    await queue.close();
    // the spoofed job cached nothing under huantai's hash: a huantai run is still exactly the local one
    const remote = await executeRun(huantai, { queue: url, replications: 120, batchSize: 20 });
    const local = await executeRun(huantai, { replications: 120 });
    expect(json(remote)).toBe(json(local));
  });

  it('an interrupted run leaves no batches behind', async () => {
    const { scenario } = loadScenario('huantai/annual');
    const abort = new AbortController();
    const out = await executeRun(scenario, {
      queue: url,
      replications: 6000,
      batchSize: 100,
      signal: abort.signal,
      onProgress: (p) => p.done > 0 && abort.abort(new Error('interrupted')),
    });
    expect(out.interrupted).toBe(true);
    const queue = new Queue(BATCH_QUEUE, { connection: redisConnection(url) });
    const left = async (): Promise<number> => {
      const c = await queue.getJobCounts('waiting', 'delayed', 'prioritized', 'active', 'waiting-children', 'completed');
      return Object.values(c).reduce((a, b) => a + b, 0);
    };
    // pending batches are removed at once; a batch already running finishes (and is removed) or is refused
    await eventually(async () => (await left()) === 0);
    await queue.close();
  });

  it('a coordinator pointed at a closed port exits with the queue-unavailable code, in one line', async () => {
    // exiting at all is the point: a client that retried forever would hang here until the ceiling
    const port = await freePort();
    const r = await cli(['run', 'validation/one-truck', '--queue', `redis://:pw-not-shown@127.0.0.1:${port}`, '--workers', '1']);
    expect(r.code).toBe(7);
    expect(r.err).toBe(`dsim: cannot use the queue at redis://:***@127.0.0.1:${port}: connection refused\n`);
  });
});

describe.skipIf(!haveRedisBinary)('a Redis that dies mid-run', () => {
  it('DSIM_QUEUE_TIMEOUT_MS sets the patience, within 0.5 s to 1 h; anything else is the default 10 s', () => {
    const was = process.env['DSIM_QUEUE_TIMEOUT_MS'];
    try {
      const cases: [string | undefined, number][] = [
        ['1000', 1000],
        ['500', 500],
        ['3600000', 3_600_000],
        ['499', 10_000],
        ['3600001', 10_000],
        ['soon', 10_000],
        [undefined, 10_000],
      ];
      for (const [v, want] of cases) {
        if (v === undefined) delete process.env['DSIM_QUEUE_TIMEOUT_MS'];
        else process.env['DSIM_QUEUE_TIMEOUT_MS'] = v;
        expect(unavailableAfterMs(), String(v)).toBe(want);
      }
    } finally {
      if (was === undefined) delete process.env['DSIM_QUEUE_TIMEOUT_MS'];
      else process.env['DSIM_QUEUE_TIMEOUT_MS'] = was;
    }
  });

  it('the coordinator exits 7 in one line, the worker logs one line and waits', async () => {
    const { port, proc: redis } = await startRedis();
    const queue = `redis://127.0.0.1:${port}`;
    const worker = await startWorker(['--queue', queue]);
    // Redis is killed once a batch of the run is on the worker (an event, not a guess at how long
    // the coordinator takes to start); a 1 s patience (the setting is tested above) ends the run
    const running = await batchActive(queue);
    const run = cli(['run', 'huantai/annual', '-n', '500000', '--queue', queue, '--quiet'], { DSIM_QUEUE_TIMEOUT_MS: '1000' });
    await running();
    redis.kill('SIGKILL');
    const r = await run;
    expect(r.code).toBe(7);
    expect(r.err).toBe(`dsim: lost the queue at ${queue}: connection lost\n`);
    // the worker's one line, then a moment in which a second line would show
    await eventually(async () => worker.log().includes('lost the queue'));
    await new Promise((res) => setTimeout(res, 1500));
    await stopAll([worker.proc]);
    const outages = worker
      .log()
      .split('\n')
      .filter((l) => l.includes('lost the queue'));
    expect(outages.length).toBe(1);
    expect(worker.log()).not.toMatch(/\n\s+at /);
  });
});

describe.skipIf(!haveRedisBinary)('workers and coordinators that die', () => {
  let redis: ChildProcess | undefined;
  let queue = '';
  const started: ChildProcess[] = [];
  beforeAll(async () => {
    const own = await startRedis();
    redis = own.proc;
    queue = `redis://127.0.0.1:${own.port}`;
  });
  afterEach(() => stopAll(started.splice(0)));
  afterAll(() => stopAll([redis]));

  /** A worker of this test (stopped at its end, even when it fails). */
  async function worker(args: string[] = [], env: Record<string, string> = {}): Promise<Awaited<ReturnType<typeof startWorker>>> {
    const w = await startWorker(['--queue', queue, ...args], env);
    started.push(w.proc);
    return w;
  }
  /** A coordinator `dsim run … --queue` in a child process, resolved once a batch of it is running. */
  async function coordinatorRunning(args: string[]): Promise<ChildProcess> {
    const running = await batchActive(queue);
    const p = spawnTracked(process.execPath, ['bin/dsim.js', 'run', ...args, '--queue', queue, '--quiet'], { stdio: 'ignore' });
    started.push(p);
    await running();
    return p;
  }
  const killed = (p: ChildProcess): Promise<unknown> => {
    p.kill('SIGKILL');
    return ended(p) ? Promise.resolve() : new Promise((r) => p.once('exit', r));
  };

  it("a killed coordinator's batches are dropped, not run: the next run waits behind none of them", async () => {
    const w = await worker();
    // 2,000,000 years in 64 batches of 31,250: one is running when the coordinator is killed
    await killed(await coordinatorRunning(['huantai/annual', '-n', '2000000']));
    const from = w.log().length;
    const { scenario } = loadScenario('huantai/flood-50y');
    const remote = await executeRun(scenario, { queue, replications: 300, batchSize: 30 });
    expect(json(remote)).toBe(json(await executeRun(scenario, { replications: 300 })));
    // its connection closed with the process: the batch running stopped and the 63 waiting were
    // dropped before the next run's first batch (one worker, first in first out); no batch of the
    // dead run was finished after it died
    const done = [
      ...w
        .log()
        .slice(from)
        .matchAll(/batch \d+-\d+ of (\w+) done/g),
    ].map((m) => m[1]);
    expect(done.length).toBe(10);
    expect(new Set(done)).toEqual(new Set([remote.model.hash]));
    await eventually(async () => (w.log().match(/dropped job \S+: its run is gone/g) ?? []).length === 64);
  });

  it('a queue worker out of memory ends the run at once: exit 8 naming the batch, the replications and the cap, in zh and en', async () => {
    const w = await worker([], { DSIM_WORKER_HEAP_MB: '64' });
    const en = await cli(['run', 'test/fixtures/hungry.yaml', '-n', '1', '--queue', queue, '--quiet']);
    expect(en.code).toBe(8);
    expect(en.err).toMatch(
      /^dsim: batch 0–1 failed: out of memory in replications 0–0: a worker thread reached its heap limit \(64 MB\); the scenario's replications need more memory than a worker has \(DSIM_WORKER_HEAP_MB sets the limit\)\n$/,
    );
    const zh = await cli(['run', 'test/fixtures/hungry.yaml', '-n', '1', '--queue', queue, '--quiet', '--lang', 'zh']);
    expect(zh.code).toBe(8);
    expect(zh.err).toMatch(/^dsim: 批次 0–1 失败：第 0–0 次重复内存不足：工作线程已达堆内存上限（64 MB）/);
    // not retried: the worker tried the batch once in each run
    expect((w.log().match(/failed job \S+ \(0-1\): out of memory/g) ?? []).length).toBe(2);
    await stopAll([w.proc]);
  });

  it('a batch whose workers keep dying ends the run with exit 11 after its third worker, naming the range', async () => {
    // one replication of the hungry scenario runs for seconds: each worker is killed while it
    // runs it, and the next one started finds the batch stalled (a lock of 1 s, checked every 0.5 s)
    const locks = ['--lock-ms', '1000', '--stalled-ms', '500'];
    const batches = new Queue(BATCH_QUEUE, { connection: redisConnection(queue) });
    let w = await worker([...locks, '--name', 'w1']);
    const run = cli(['run', 'test/fixtures/hungry.yaml', '-n', '1', '--queue', queue, '--quiet']);
    for (let k = 1; k <= 3; k++) {
      const running = async (): Promise<boolean> => (await batches.getJobs(['active'])).some((j) => j.processedBy === `w${k}`);
      await eventually(running);
      await killed(w.proc);
      w = await worker([...locks, '--name', `w${k + 1}`]);
    }
    const r = await run;
    await batches.close();
    await stopAll([w.proc]);
    expect(r.code).toBe(11);
    expect(r.err).toBe(
      'dsim: batch 0–1 failed: the worker running it stopped 3 times (killed, crashed, or out of memory outside its heap); the run is stopped\n',
    );
  });
});

describe.skipIf(!haveRedisBinary)('signed jobs (DSIM_QUEUE_SECRET)', () => {
  let redis: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  let queue = '';
  beforeAll(async () => {
    const own = await startRedis();
    redis = own.proc;
    queue = `redis://127.0.0.1:${own.port}`;
    worker = (await startWorker(['--queue', queue], { DSIM_QUEUE_SECRET: 'k-7f2' })).proc;
  });
  afterAll(() => stopAll([worker, redis]));
  it('a worker with a secret refuses unsigned jobs, and the coordinator reports the cause and the range', async () => {
    const { scenario } = loadScenario('validation/one-truck');
    await expect(executeRun(scenario, { queue, replications: 4, batchSize: 4 })).rejects.toThrow(
      /^batch 0–4 failed: refused: job [\w-]+: unsigned \(this worker requires jobs signed with DSIM_QUEUE_SECRET\)$/,
    );
  });
  it('signed with the same secret, the run equals a local one', async () => {
    process.env['DSIM_QUEUE_SECRET'] = 'k-7f2';
    try {
      const { scenario } = loadScenario('validation/one-truck');
      const remote = await executeRun(scenario, { queue, replications: 8, batchSize: 2 });
      expect(json(remote)).toBe(json(await executeRun(scenario, { replications: 8 })));
    } finally {
      delete process.env['DSIM_QUEUE_SECRET'];
    }
  });
});

describe.skipIf(!haveRedisBinary)('a password-protected Redis', () => {
  const password = 'pw-5d1f';
  let port = 0;
  let redis: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  beforeAll(async () => {
    ({ port, proc: redis } = await startRedis(['--requirepass', password]));
    // the worker takes the URL from the environment: no password in its arguments
    worker = (await startWorker([], { DSIM_QUEUE_URL: `redis://:${password}@127.0.0.1:${port}` })).proc;
  });
  afterAll(() => stopAll([worker, redis]));
  it('runs with the password in the URL, equal to a local run', async () => {
    const { scenario } = loadScenario('yanzhou/flood-50y');
    const remote = await executeRun(scenario, { queue: `redis://:${password}@127.0.0.1:${port}`, replications: 100, batchSize: 25 });
    expect(json(remote)).toBe(json(await executeRun(scenario, { replications: 100 })));
  });
  it('without the password, or with a wrong one, exits 7 at once with one line that shows no password', async () => {
    const none = await cli(['run', 'validation/one-truck', '--queue', `redis://127.0.0.1:${port}`]);
    expect(none.code).toBe(7);
    expect(none.err).toMatch(/^dsim: cannot use the queue at redis:\/\/127\.0\.0\.1:\d+: Redis asks for a password \(NOAUTH\)/);
    const wrong = await cli(['run', 'validation/one-truck', '--queue', 'env:Q'], { Q: `redis://:not-${password}@127.0.0.1:${port}` });
    expect(wrong.code).toBe(7);
    expect(wrong.err).toBe(`dsim: cannot use the queue at redis://:***@127.0.0.1:${port}: wrong user name or password (WRONGPASS)\n`);
    expect(none.err + wrong.err).not.toContain(password);
  });
});

/** A throw-away CA and a server certificate for localhost (openssl), or undefined without openssl. */
function makeCerts(): { dir: string } | undefined {
  if (spawnSync('openssl', ['version']).status !== 0) return undefined;
  const dir = mkdtempSync(join(tmpdir(), 'dsim-tls-'));
  const run = (...args: string[]): boolean => spawnSync('openssl', args, { cwd: dir, stdio: 'ignore' }).status === 0;
  writeFileSync(join(dir, 'ext'), 'subjectAltName=DNS:localhost,IP:127.0.0.1');
  const ok =
    run(
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-keyout',
      'ca.key',
      '-out',
      'ca.pem',
      '-days',
      '2',
      '-subj',
      '/CN=dsim-test-ca',
    ) &&
    run('req', '-newkey', 'rsa:2048', '-nodes', '-keyout', 'srv.key', '-out', 'srv.csr', '-subj', '/CN=localhost') &&
    run(
      'x509',
      '-req',
      '-in',
      'srv.csr',
      '-CA',
      'ca.pem',
      '-CAkey',
      'ca.key',
      '-CAcreateserial',
      '-out',
      'srv.pem',
      '-days',
      '2',
      '-extfile',
      'ext',
    );
  return ok ? { dir } : undefined;
}

const certs = haveRedisBinary ? makeCerts() : undefined;
describe.skipIf(!certs)('Redis over TLS (rediss://) with a password', () => {
  const password = 'tls-pw-93c';
  let port = 0;
  let redis: ChildProcess | undefined;
  let worker: ChildProcess | undefined;
  const env = (): Record<string, string> => ({ DSIM_REDIS_CA_FILE: join(certs!.dir, 'ca.pem') });
  const url = (): string => `rediss://:${password}@localhost:${port}`;
  beforeAll(async () => {
    const d = certs!.dir;
    const tls = [
      '--tls-cert-file',
      join(d, 'srv.pem'),
      '--tls-key-file',
      join(d, 'srv.key'),
      '--tls-ca-cert-file',
      join(d, 'ca.pem'),
      '--tls-auth-clients',
      'no',
      '--requirepass',
      password,
    ];
    ({ port, proc: redis } = await startRedis(tls, (p) => ['--port', '0', '--tls-port', String(p)]));
    worker = (await startWorker([], { ...env(), DSIM_QUEUE_URL: url() })).proc;
  });
  afterAll(() => stopAll([worker, redis]));
  it('runs through TLS with the CA named in DSIM_REDIS_CA_FILE, equal to a local run', async () => {
    process.env['DSIM_REDIS_CA_FILE'] = env()['DSIM_REDIS_CA_FILE'];
    try {
      const { scenario } = loadScenario('validation/one-truck');
      const remote = await executeRun(scenario, { queue: url(), replications: 12, batchSize: 4 });
      expect(json(remote)).toBe(json(await executeRun(scenario, { replications: 12 })));
    } finally {
      delete process.env['DSIM_REDIS_CA_FILE'];
    }
  });
  it('without the CA the certificate is refused: exit 7, one line', async () => {
    const r = await cli(['run', 'validation/one-truck', '--queue', url()]);
    expect(r.code).toBe(7);
    expect(r.err).toMatch(/^dsim: cannot use the queue at rediss:\/\/:\*\*\*@localhost:\d+: TLS failed: .*certificate/);
    expect(r.err).not.toContain(password);
  });
});

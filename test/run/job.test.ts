/**
 * What crosses Redis is checked, without Redis: queue URLs (passwords, TLS, db, env), batch jobs
 * (ranges, sizes, hashes recomputed from content, engine, signatures) and workers' results.
 */
import { describe, expect, it } from 'vitest';
import { KpiAccumulator } from '../../src/kpi/accumulator.js';
import { ENGINE_VERSION } from '../../src/kpi/summary.js';
import { runBatch } from '../../src/run/batch.js';
import { type BatchJob, checkJob, JOB_PROTOCOL, JobRefused, signJob } from '../../src/run/queue/job.js';
import { queueUrl, redactedUrl, redisConnection } from '../../src/run/queue/url.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';

describe('queue URLs', () => {
  it('takes user, password, port, database and TLS, and never echoes a password', () => {
    expect(redisConnection('redis://:s3cret@db.example:6380/2')).toMatchObject({
      host: 'db.example',
      port: 6380,
      password: 's3cret',
      db: 2,
    });
    expect(redisConnection('redis://ops:p%40ss@10.0.0.5')).toMatchObject({
      host: '10.0.0.5',
      port: 6379,
      username: 'ops',
      password: 'p@ss',
    });
    expect(redisConnection('rediss://h:6390').tls).toEqual({ servername: 'h' });
    expect(redisConnection('redis://h').tls).toBeUndefined();
    expect(redactedUrl('redis://:s3cret@h:6380')).toBe('redis://:***@h:6380');
    for (const bad of [
      'http://:s3cret@h:1',
      'redis://:s3cret@h:99999',
      'redis://:s3cret@h:1/x',
      'redis://:s3cret@h:1?tls=1',
      'nonsense s3cret',
    ]) {
      let message = '';
      try {
        redisConnection(bad);
      } catch (e) {
        message = (e as Error).message;
      }
      expect(message, bad).toMatch(/^--queue: /);
      expect(message, bad).not.toContain('s3cret');
    }
  });
  it('env:NAME reads the URL from the environment, so it stays out of process lists', () => {
    expect(queueUrl('env:Q', '--queue', { Q: 'redis://:pw@h:1' })).toBe('redis://:pw@h:1');
    expect(() => queueUrl('env:Q', '--queue', {})).toThrow('--queue: environment variable Q is not set');
    expect(queueUrl('redis://h:1')).toBe('redis://h:1');
  });
});

describe('batch jobs are checked, not obeyed', () => {
  const { scenario } = loadScenario('huantai/flood-50y');
  const other = loadScenario('yanzhou/flood-50y').scenario;
  const model = compile(scenario);
  const job = (o: Partial<BatchJob> = {}): BatchJob => ({
    protocol: JOB_PROTOCOL,
    engine: ENGINE_VERSION,
    run: 'ab'.repeat(12),
    scenario: scenario as unknown as Record<string, unknown>,
    hash: model.hash,
    targets: model.targets,
    seed: 1,
    from: 0,
    to: 10,
    ...o,
  });
  const refusal = (raw: unknown, secret?: string): string => {
    try {
      checkJob(raw, secret, 'job 9');
    } catch (e) {
      expect(e).toBeInstanceOf(JobRefused);
      return (e as Error).message;
    }
    return 'accepted';
  };
  it('accepts a well-formed job and returns the hash it computed', () => {
    expect(checkJob(job()).hash).toBe(model.hash);
  });
  it('refuses a job claiming another scenario\u2019s hash', () => {
    expect(refusal(job({ hash: compile(other).hash }))).toBe(
      `job 9: claims scenario hash ${compile(other).hash}, but its scenario hashes to ${model.hash}`,
    );
  });
  it('refuses string, negative, empty, huge and fractional ranges', () => {
    expect(refusal({ ...job(), from: '0' })).toMatch(/^job 9: from: .*expected number/i);
    expect(refusal(job({ from: -1 }))).toMatch(/^job 9: from: /);
    expect(refusal(job({ from: 5, to: 5 }))).toBe('job 9: to: expected from < to');
    expect(refusal(job({ from: 0, to: 1e12 }))).toMatch(/^job 9: to: /);
    expect(refusal(job({ from: 0, to: 200_000 }))).toBe('job 9: to: expected at most 100000 replications');
    expect(refusal(job({ to: 10.5 }))).toMatch(/^job 9: to: /);
  });
  it('refuses an oversized job, unknown fields, another engine and an invalid scenario', () => {
    expect(refusal({ ...job(), scenario: { ...scenario, description: 'x'.repeat(6_000_000) } })).toMatch(
      /^job 9: \d+ characters, more than/,
    );
    expect(refusal({ ...job(), extra: 1 })).toMatch(/^job 9: \(top level\): Unrecognized key/);
    expect(refusal(job({ engine: '0.0.1' }))).toBe(
      `job 9: made by engine 0.0.1, this worker runs ${ENGINE_VERSION} (results would not merge)`,
    );
    expect(refusal(job({ scenario: { ...scenario, replications: 'many' } as unknown as Record<string, unknown> }))).toContain(
      'replications',
    );
  });
  it('with a shared secret: refuses unsigned and wrongly signed jobs, accepts signed ones', () => {
    const { sig: _none, ...unsigned } = job();
    expect(refusal(unsigned, 'k')).toMatch(/unsigned/);
    expect(refusal(signJob(unsigned, 'other'), 'k')).toMatch(/wrong signature/);
    expect(refusal(signJob(unsigned, 'k'), 'k')).toBe('accepted');
    // a signed job altered after signing
    expect(refusal({ ...signJob(unsigned, 'k'), to: 11 }, 'k')).toMatch(/wrong signature/);
  });
});

describe("a worker's result is checked before it is merged", () => {
  const model = compile(loadScenario('huantai/flood-50y').scenario);
  const good = runBatch(model, { seed: 1, from: 0, to: 3 }).toData();
  it('restores a good result as the trusted path does', () => {
    expect(KpiAccumulator.fromUntrusted(model, JSON.parse(JSON.stringify(good))).toData()).toEqual(
      KpiAccumulator.fromData(model, good).toData(),
    );
  });
  it('refuses a wrong shape, a sketch key that would allocate gigabytes, and another model\u2019s zones', () => {
    const bad = (f: (d: typeof good) => void): string => {
      const d = structuredClone(good);
      f(d);
      try {
        KpiAccumulator.fromUntrusted(model, d);
      } catch (e) {
        return (e as Error).message;
      }
      return 'accepted';
    };
    expect(bad((d) => (d.counters['replications'] = -3))).toMatch(/^counters\.replications: /);
    expect(bad((d) => d.distributions['lossRatio']!.sketch.bins.push([1e9, 1]))).toMatch(/^distributions\.lossRatio\.sketch\.bins/);
    expect(bad((d) => d.zones.pop())).toBe(`zones: ${good.zones.length - 1} entries, expected ${good.zones.length}`);
    expect(bad((d) => delete d.moments['lossCny'])).toBe('missing statistics: lossCny');
  });
});

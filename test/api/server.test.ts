/**
 * The API over real HTTP on a loopback port: the run lifecycle, progress by Server-Sent Events,
 * cancelling, a batch of variants, uploads, limits, the token, restart recovery, and bad input
 * answered with JSON errors while the server stays healthy.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildServer, DEFAULTS } from '../../src/api/server.js';
import { runScenario } from '../../src/run/runner.js';
import { ThreadExecutor } from '../../src/run/thread.js';
import { loadScenario, overlay, validateScenario } from '../../src/scenario/load.js';
import { call, freePort, type Json, launch, ready, start, until, untilStudy } from './http.js';

/** Reads Server-Sent Events until `stop` says so (or the stream ends). */
async function sse(url: string, stop: (e: { id: number; event: string; data: Json }) => boolean, lastEventId?: number) {
  const ctl = new AbortController();
  const res = await fetch(url, { signal: ctl.signal, headers: lastEventId === undefined ? {} : { 'last-event-id': String(lastEventId) } });
  expect(res.headers.get('content-type')).toMatch(/^text\/event-stream/);
  const reader = res.body!.getReader();
  const events: { id: number; event: string; data: Json }[] = [];
  let buf = '';
  for (;;) {
    const { value, done } = await reader.read();
    if (done) break;
    buf += new TextDecoder().decode(value);
    for (let i = buf.indexOf('\n\n'); i >= 0; i = buf.indexOf('\n\n')) {
      const block = buf.slice(0, i);
      buf = buf.slice(i + 2);
      if (block.startsWith(':')) continue;
      const f = Object.fromEntries(block.split('\n').map((l) => [l.slice(0, l.indexOf(':')), l.slice(l.indexOf(':') + 2)]));
      const e = { id: Number(f['id']), event: f['event']!, data: JSON.parse(f['data']!) };
      events.push(e);
      if (stop(e)) {
        ctl.abort();
        return events;
      }
    }
  }
  return events;
}

const inProcess = async (name: string, replications: number, o: Json = {}) => {
  const executor = new ThreadExecutor();
  try {
    return await runScenario(loadScenario(name).scenario, { replications, executor, ...o });
  } finally {
    await executor.close();
  }
};

describe('the API over HTTP', () => {
  let s: Awaited<ReturnType<typeof start>>;
  beforeAll(async () => {
    s = await start({ workers: 2, maxRunning: 2, maxQueued: 16 });
  });
  afterAll(async () => {
    await s.app.close();
  });

  it('a run: 202 with its Location, then done with the result an in-process run gives', async () => {
    const r = await call(s.base, 'POST', '/runs', { scenarioId: 'huantai-flood-50y', replications: 400, seed: 7 });
    expect(r.status).toBe(202);
    expect(r.headers.get('location')).toBe(`/runs/${r.json['id']}`);
    const done = await until(s.base, r.json['id'], (x) => x['status'] === 'done');
    expect(done['progress']).toEqual({ done: 400, total: 400 });
    expect(done['scenario']['hash']).toMatch(/^[0-9a-f]{16}$/);
    expect(done['engineVersion']).toMatch(/^\d+\.\d+\.\d+$/);
    const want = await inProcess('huantai/flood-50y', 400, { seed: 7 });
    expect(JSON.stringify(done['result'])).toBe(JSON.stringify(want));
    // its report: one HTML file, in the language asked (Chinese by default)
    const zh = await fetch(`${s.base}/runs/${r.json['id']}/report`);
    expect(zh.headers.get('content-type')).toMatch(/^text\/html/);
    const html = await zh.text();
    expect(html.includes('受灾群众基本生活在灾后10小时内得到有效救助')).toBe(true);
    expect(/<script[^>]+src=|<link[^>]+href="(?!data:)/.test(html)).toBe(false); // nothing fetched from elsewhere
    const en = await (await fetch(`${s.base}/runs/${r.json['id']}/report`, { headers: { 'accept-language': 'en-GB,en;q=0.9' } })).text();
    expect(en.includes('share of displaced people relieved within 10 h')).toBe(true);
    const list = await call(s.base, 'GET', '/runs?scenario=huantai-flood-50y&status=done');
    expect(list.json['runs'].some((x: Json) => x['id'] === r.json['id'])).toBe(true);
    // pages: newest first, a cursor to the next
    await call(s.base, 'POST', '/runs', { scenarioId: 'validation-one-truck', replications: 5 });
    const p1 = await call(s.base, 'GET', '/runs?limit=1');
    expect(p1.json['runs']).toHaveLength(1);
    const p2 = await call(s.base, 'GET', `/runs?limit=1&cursor=${p1.json['nextCursor']}`);
    expect(p2.json['runs'][0]['id']).toBe(r.json['id']);
    expect((await call(s.base, 'GET', '/runs?cursor=../1')).status).toBe(400);
  });

  it('Server-Sent Events: progress ticks with growing ids, then the result; Last-Event-ID resumes', async () => {
    const r = await call(s.base, 'POST', '/runs', { scenarioId: 'huantai-annual', replications: 3000 });
    const url = `${s.base}/runs/${r.json['id']}/events`;
    const first = await sse(url, (e) => e.event === 'progress');
    const k = first[first.length - 1]!.id;
    expect(k).toBeGreaterThan(0);
    const rest = await sse(url, (e) => e.event === 'result', k);
    expect(rest.every((e) => e.id > k)).toBe(true);
    const ids = rest.map((e) => e.id);
    expect([...ids].sort((a, b) => a - b)).toEqual(ids);
    const end = rest[rest.length - 1]!;
    expect(end.event).toBe('result');
    expect(end.data['status']).toBe('done');
    expect(end.data['result']['replications']).toBe(3000);
    // after the end: the result straight away
    const again = await sse(url, () => false, end.id);
    expect(again.map((e) => e.event)).toEqual(['result']);
  });

  it('cancel: the run stops and keeps what was merged, marked cancelled', async () => {
    // the DELETE answers once the run has stopped: a run that went on would answer after all
    // 200,000 years (minutes), with all of them, which the last line rules out
    const r = await call(s.base, 'POST', '/runs', { scenarioId: 'huantai-annual', replications: 200_000 });
    await until(s.base, r.json['id'], (x) => x['progress']['done'] > 0);
    const c = await call(s.base, 'DELETE', `/runs/${r.json['id']}`);
    expect(c.status).toBe(200);
    expect(c.json['status']).toBe('cancelled');
    expect(c.json['result']['interrupted']).toBe(true);
    expect(c.json['result']['replications']).toBeGreaterThan(0);
    expect(c.json['result']['replications']).toBeLessThan(200_000);
    expect((await call(s.base, 'DELETE', `/runs/${r.json['id']}`)).status).toBe(409);
    expect((await call(s.base, 'GET', '/health')).json['status']).toBe('ok');
  });

  it('a batch of three variants shares its floods (common random numbers); less bedding relieves fewer', async () => {
    const b = await call(s.base, 'POST', '/runs/batch', {
      scenarioId: 'huantai-flood-50y',
      replications: 300,
      variants: [
        { name: 'as planned' },
        { name: 'little bedding', overrides: { resources: { warehouses: [{ id: 'county-reserve', stock: { bedding: 500 } }] } } },
        { name: '12 h deadline', deadlineHours: 12 },
      ],
    });
    expect(b.status).toBe(202);
    expect(b.json['runs']).toHaveLength(3);
    const runs = await Promise.all(b.json['runs'].map((x: Json) => until(s.base, x['id'], (y) => y['status'] === 'done')));
    const [base, few, late] = runs.map((x) => x['result']['kpis']);
    expect(few['displacedPeople']).toEqual(base['displacedPeople']); // the same floods
    expect(few['reliefWithinDeadline']['mean']).toBeLessThan(base['reliefWithinDeadline']['mean']);
    expect(late['reliefWithinDeadline']['deadlineHours']).toBe(12);
    expect(late['reliefWithinDeadline']['mean']).toBeGreaterThanOrEqual(base['reliefWithinDeadline']['mean']);
    expect(new Set(runs.map((x) => x['batchId']))).toEqual(new Set([b.json['batchId']]));
  });

  it('uploads a YAML scenario extending a bundled one by id, gives it back as YAML, runs it', async () => {
    const yaml = 'extends: validation-one-truck\nid: my-one-truck\nname: "My one truck"\nreplications: 20\n';
    const up = await call(s.base, 'POST', '/scenarios', yaml, { 'content-type': 'application/yaml' });
    expect(up.status).toBe(201);
    expect(up.json).toMatchObject({ id: 'my-one-truck', origin: 'uploaded', hazards: ['flood'] });
    const back = await fetch(`${s.base}/scenarios/my-one-truck`, { headers: { accept: 'application/yaml' } });
    expect(await back.text()).toBe(yaml);
    expect((await call(s.base, 'GET', '/scenarios/my-one-truck')).json['name']).toBe('My one truck');
    expect((await call(s.base, 'GET', '/scenarios')).json['scenarios'].some((x: Json) => x['id'] === 'my-one-truck')).toBe(true);
    const r = await call(s.base, 'POST', '/runs', { scenarioId: 'my-one-truck' });
    const done = await until(s.base, r.json['id'], (x) => x['status'] === 'done');
    expect(done['result']['replications']).toBe(20);
    expect((await call(s.base, 'POST', '/scenarios', yaml, { 'content-type': 'application/yaml' })).status).toBe(409); // never overwritten
  });

  it('an upload keeps its Chinese name, is replaced as a new version, and is deleted only while nothing names it', async () => {
    const v1 = 'extends: validation-one-truck\nid: county-v\nname: "County"\nnameZh: "本县情景"\nreplications: 20\n';
    expect((await call(s.base, 'POST', '/scenarios', v1, { 'content-type': 'application/yaml' })).json['version']).toBe(1);
    const listed = (await call(s.base, 'GET', '/scenarios')).json['scenarios'].find((x: Json) => x['id'] === 'county-v');
    expect(listed).toMatchObject({ nameZh: '本县情景', version: 1, origin: 'uploaded' });
    // a new version: same id, its content replaced, the first kept in the list of versions
    const v2 = `${v1}resources:\n  fleet:\n    - { id: truck, count: 2 }\n`;
    const put = await call(s.base, 'PUT', '/scenarios/county-v', v2, { 'content-type': 'application/yaml' });
    expect([put.status, put.json['version']]).toEqual([200, 2]);
    expect((await call(s.base, 'GET', '/scenarios/county-v')).json['resources']['fleet'][0]['count']).toBe(2);
    const versions = (await call(s.base, 'GET', '/scenarios/county-v/versions')).json['versions'];
    expect(versions.map((v: Json) => v['version'])).toEqual([1, 2]);
    expect(versions[0]['hash']).not.toBe(versions[1]['hash']);
    // a body naming another id is refused: a version keeps its id
    const other = await call(s.base, 'PUT', '/scenarios/county-v', v1.replace('id: county-v', 'id: county-w'), {
      'content-type': 'application/yaml',
    });
    expect(other.status).toBe(400);
    expect(other.json['message']).toBe('情景编号为“county-w”，而不是“county-v”：新版本须保持原编号');
    // deleted while nothing names it; not once a run does; never a bundled one
    const spare = v1.replace('id: county-v', 'id: county-spare');
    await call(s.base, 'POST', '/scenarios', spare, { 'content-type': 'application/yaml' });
    expect((await fetch(`${s.base}/scenarios/county-spare`, { method: 'DELETE' })).status).toBe(204);
    expect((await call(s.base, 'GET', '/scenarios/county-spare')).status).toBe(404);
    const run = await call(s.base, 'POST', '/runs', { scenarioId: 'county-v' });
    await until(s.base, run.json['id'], (x) => x['status'] === 'done');
    const kept = await call(s.base, 'DELETE', '/scenarios/county-v');
    expect([kept.status, kept.json['message']]).toEqual([
      409,
      '情景“county-v”被1次模拟或研究引用，须保留以便查看其结果（可改为保存新版本）',
    ]);
    expect((await call(s.base, 'DELETE', '/scenarios/huantai-flood-50y')).status).toBe(409);
  });

  it('bad input gets a 4xx JSON error naming the field, and nothing stored is lost', async () => {
    const before = (await call(s.base, 'GET', '/runs?limit=200')).json['runs'].length;
    const bad = async (status: number, error: string, method: string, path: string, body?: unknown, headers?: Record<string, string>) => {
      const r = await call(s.base, method, path, body, headers);
      expect(r.status, `${method} ${path}`).toBe(status);
      expect(r.json['error']).toBe(error);
      expect(typeof r.json['message']).toBe('string');
      return r.json;
    };
    await bad(400, 'invalid_json', 'POST', '/runs', '{"scenarioId": ');
    const types = await bad(400, 'invalid_request', 'POST', '/runs', { scenarioId: 'huantai-flood-50y', replications: 'many' });
    expect(types['details'][0]['path']).toBe('body.replications');
    // a request's problems are told like a scenario's: in the language asked, with the value sent
    const neg = await bad(400, 'invalid_request', 'POST', '/runs', { scenarioId: 'huantai-flood-50y', replications: -5 });
    expect(neg['details']).toEqual([{ path: 'body.replications', code: 'too_small', message: '应为>= 1的数字，实际为-5' }]);
    const negEn = await bad(400, 'invalid_request', 'POST', '/runs?lang=en', { scenarioId: 'huantai-flood-50y', replications: -5 });
    expect(negEn['details']).toEqual([{ path: 'body.replications', code: 'too_small', message: 'expected a number >= 1, got -5' }]);
    const both = await bad(400, 'invalid_request', 'POST', '/runs', { scenarioId: 'huantai-flood-50y', scenario: {} });
    expect(both['details']).toContainEqual({ path: 'body.scenarioId', code: 'custom', message: 'scenarioId与scenario须且只须给出其一' });
    const huge = await bad(400, 'invalid_request', 'POST', '/runs', { scenarioId: 'huantai-flood-50y', replications: 1e12 });
    expect(huge['details'][0]['path']).toBe('body.replications');
    await bad(400, 'invalid_request', 'POST', '/runs', { scenarioId: '../../etc/passwd' });
    await bad(404, 'not_found', 'POST', '/runs', { scenarioId: 'no-such-scenario' });
    await bad(400, 'invalid_request', 'GET', '/scenarios/..%2F..%2Fetc%2Fpasswd');
    await bad(400, 'invalid_request', 'GET', '/runs/-x');
    await bad(404, 'not_found', 'GET', '/runs/x.y'); // an id like the scenario format's: dots allowed
    await bad(404, 'not_found', 'GET', '/runs/nosuchrun');
    const yamlSyntax = await bad(400, 'invalid_scenario', 'POST', '/scenarios', 'id: [unclosed\n', { 'content-type': 'application/yaml' });
    expect(yamlSyntax['details'][0]['message']).toMatch(/YAML/);
    // a scenario's problems in the language asked: Chinese first, English when the client prefers it
    const invalid = { scenario: { schemaVersion: 1, id: 'x', name: 'y', seed: -1 } };
    const zh = await bad(400, 'invalid_scenario', 'POST', '/runs', invalid);
    expect(zh['message']).toMatch(/情景中有\d+处问题/);
    expect(zh['details']).toContainEqual({ path: 'seed', code: 'too_small', message: '应为>= 0的数字，实际为-1' });
    const en = await bad(400, 'invalid_scenario', 'POST', '/runs', invalid, { 'accept-language': 'en-GB,en;q=0.9,zh;q=0.5' });
    expect(en['details']).toContainEqual({ path: 'seed', code: 'too_small', message: 'expected a number >= 0, got -1' });
    expect((await bad(400, 'invalid_scenario', 'POST', '/runs?lang=en', invalid))['details']).toEqual(en['details']);
    const bomb = [
      'a: &a ["x","x","x","x","x","x","x","x","x"]',
      ...'bcdefghij'.split('').map((c, i) => `${c}: &${c} [${Array(9).fill(`*${'abcdefghij'[i]}`).join(',')}]`),
    ].join('\n');
    await bad(400, 'invalid_scenario', 'POST', '/scenarios', bomb, { 'content-type': 'application/yaml' });
    await bad(400, 'invalid_scenario', 'POST', '/scenarios', 'extends: ../../../etc/passwd\nid: x\n', {
      'content-type': 'application/yaml',
    });
    const wrong = await bad(400, 'invalid_scenario', 'POST', '/scenarios', {
      ...loadScenario('validation/one-truck').scenario,
      id: 'neg',
      replications: -1,
    });
    expect(wrong['details'].map((d: Json) => d['path'])).toContain('replications');
    const over = await bad(400, 'invalid_scenario', 'POST', '/runs', {
      scenarioId: 'huantai-flood-50y',
      overrides: { resources: { fleet: [{ id: 'support-fleet', count: -3 }] } },
    });
    expect(over['details'][0]['path']).toBe('resources.fleet[0].count');
    // a misspelled id is refused naming the ids there are, not added as a new warehouse
    const typo = await bad(400, 'invalid_scenario', 'POST', '/runs', {
      scenarioId: 'huantai-flood-50y',
      overrides: { resources: { warehouses: [{ id: 'county-reserv', stock: { bedding: 9000 } }] } },
    });
    expect(typo['details'][0]['path']).toBe('overrides.resources.warehouses[0].id');
    expect(typo['details'][0]['message']).toContain('已有编号：county-reserve, qifeng-point, maqiao-point');
    await bad(413, 'body_too_large', 'POST', '/scenarios', JSON.stringify({ pad: 'x'.repeat(3 * 1024 * 1024) }));
    await bad(415, 'unsupported_media_type', 'POST', '/runs', '<run/>', { 'content-type': 'application/xml' });
    await bad(409, 'conflict', 'POST', '/scenarios', loadScenario('validation/one-truck').scenario);
    await bad(404, 'not_found', 'GET', '/nowhere');
    expect((await call(s.base, 'GET', '/health')).json['status']).toBe('ok');
    expect((await call(s.base, 'GET', '/runs?limit=200')).json['runs'].length).toBe(before);
  });

  it('sweeps and sizings: stored with every point, the same figures as in-process, cancellable', async () => {
    const sw = await call(s.base, 'POST', '/sweeps', {
      scenarioId: 'validation-one-truck',
      replications: 10,
      ranges: [{ path: 'resources.fleet[truck].count', from: 1, to: 3, step: 1 }],
    });
    expect(sw.status).toBe(202);
    expect(sw.headers.get('location')).toBe(`/sweeps/${sw.json['id']}`);
    const poll = (path: string) => untilStudy(s.base, path);
    const done = await poll(`/sweeps/${sw.json['id']}`);
    expect(done['status']).toBe('done');
    const { runSweep } = await import('../../src/studies/compare.js');
    const want = await runSweep(
      loadScenario('validation/one-truck').scenario,
      [{ path: 'resources.fleet[truck].count', values: [1, 2, 3] }],
      { replications: 10 },
    );
    expect(JSON.stringify(done['result'])).toBe(JSON.stringify(want));
    expect(done['result']['points']).toEqual([[1], [2], [3]]);
    const sz = await call(s.base, 'POST', '/sizings', {
      scenarioId: 'validation-one-truck',
      vary: 'resources.fleet[truck].count',
      target: 'relief-within-deadline',
      min: 1,
      max: 8,
      replications: 40,
    });
    expect(sz.status).toBe(202);
    const sized = await poll(`/sizings/${sz.json['id']}`);
    expect(sized['result']).toMatchObject({ kind: 'dsim.sizing', answer: 2 });
    expect(sized['result']['probes'].length).toBe(sized['progress']['done']);
    // each study's report: the same page as the CLI writes, in the language asked
    const { renderSizingReport, renderSweepReport } = await import('../../src/report/study-html.js');
    const page = async (path: string, headers: Record<string, string> = {}) => {
      const res = await fetch(s.base + path, { headers });
      expect(res.headers.get('content-type')).toMatch(/^text\/html/);
      return res.text();
    };
    expect(await page(`/sweeps/${sw.json['id']}/report?lang=en`)).toBe(renderSweepReport(want, 'en'));
    expect(await page(`/sizings/${sz.json['id']}/report`)).toBe(renderSizingReport(sized['result'], 'zh'));
    expect(await page(`/sizings/${sz.json['id']}/report`, { 'accept-language': 'en-US' })).toBe(renderSizingReport(sized['result'], 'en'));
    // refused before anything is queued: a path that is not there, a target the scenario lacks
    const badPath = await call(s.base, 'POST', '/sizings', {
      scenarioId: 'validation-one-truck',
      vary: 'resources.fleet[nope].count',
      target: 'relief-within-deadline',
      max: 5,
    });
    expect(badPath.status).toBe(400);
    // told in the API's default language, Chinese, naming the id and the ids there are
    expect(badPath.json['message']).toBe('--set resources.fleet[nope].count：没有编号为“nope”的项；已有编号：truck');
    const badTarget = await call(s.base, 'POST', '/sizings', {
      scenarioId: 'validation-one-truck',
      vary: 'resources.fleet[truck].count',
      target: 'nope',
      max: 5,
    });
    expect(badTarget.status).toBe(400);
    // a long sizing cancelled
    const long = await call(s.base, 'POST', '/sizings', {
      scenarioId: 'huantai-annual',
      vary: 'resources.warehouses[county-reserve].stock.bedding',
      target: 'relief-within-deadline',
      max: 100000,
      replications: 5000,
    });
    await new Promise((res) => setTimeout(res, 300));
    const c = await call(s.base, 'DELETE', `/sizings/${long.json['id']}`);
    expect(c.json['status']).toBe('cancelled');
    const none = await call(s.base, 'GET', `/sizings/${long.json['id']}/report?lang=en`);
    expect(none.status).toBe(409);
    expect(none.json['message']).toBe(`sizing "${long.json['id']}" is cancelled: it has no result yet`);
    expect((await call(s.base, 'GET', `/sizings/${long.json['id']}/report`)).json['message']).toBe(
      `规模测算“${long.json['id']}”的状态为已取消：尚无结果`,
    );
    expect((await call(s.base, 'GET', `/sweeps/${long.json['id']}`)).status).toBe(404); // a sizing is not a sweep
  });

  it('a paired comparison (POST /comparisons): the same figures as dsim compare; an unknown id refused before it runs', async () => {
    const res = await call(s.base, 'POST', '/comparisons', {
      scenarioId: 'validation-one-truck',
      replications: 20,
      variants: [{ name: 'one truck' }, { name: 'two trucks', overrides: { resources: { fleet: [{ id: 'truck', count: 2 }] } } }],
    });
    expect(res.status).toBe(202);
    const done = await untilStudy(s.base, `/comparisons/${res.json['id']}`);
    expect(done['status']).toBe('done');
    const { comparePaired } = await import('../../src/studies/compare.js');
    const base = loadScenario('validation/one-truck').scenario;
    const { withValue } = await import('../../src/studies/size.js');
    const want = await comparePaired(
      [
        { name: 'one truck', scenario: base },
        { name: 'two trucks', scenario: withValue(base, 'resources.fleet[truck].count', 2) },
      ],
      { replications: 20 },
    );
    expect(JSON.stringify(done['result'])).toBe(JSON.stringify(want));
    // the headline: +37.5 points, paired, zero width (the one-truck case is deterministic)
    expect(done['result']['metrics'][0]['differences'][0]).toMatchObject({ mean: 0.375, ci95: [0.375, 0.375], significant: true });
    const typo = await call(s.base, 'POST', '/comparisons', {
      scenarioId: 'validation-one-truck',
      variants: [{ name: 'a' }, { name: 'b', overrides: { resources: { fleet: [{ id: 'trucks', count: 2 }] } } }],
    });
    expect(typo.status).toBe(400);
    expect(typo.json['details'][0]['path']).toBe('overrides.resources.fleet[0].id');
  });

  it('what binds (POST /binds): the same study as the CLI’s, its page in the language asked; unknown fields refused', async () => {
    const res = await call(s.base, 'POST', '/binds', { scenarioId: 'validation-one-truck', replications: 20, deadlineHours: 8 });
    expect(res.status).toBe(202);
    expect(res.headers.get('location')).toBe(`/binds/${res.json['id']}`);
    const done = await untilStudy(s.base, `/binds/${res.json['id']}`);
    expect(done['status']).toBe('done');
    const { findBinds } = await import('../../src/studies/binds.js');
    const want = await findBinds(loadScenario('validation/one-truck').scenario, { replications: 20, deadlineHours: 8 });
    expect(JSON.stringify(done['result'])).toBe(JSON.stringify(want));
    expect(done['result']['smallest']['ids']).toEqual(['trucks']);
    const { renderBindsReport } = await import('../../src/report/study-html.js');
    const html = await (await fetch(`${s.base}/binds/${res.json['id']}/report`)).text();
    expect(html).toBe(renderBindsReport(want, 'zh'));
    expect(html).toContain('运输车辆');
    // a run of the same scenario, seed and deadline shows that study in its report; another seed says how to get one
    const reportOf = async (body: Json) => {
      const r = await call(s.base, 'POST', '/runs', body);
      await until(s.base, r.json['id'], (x) => x['status'] === 'done');
      return (await fetch(`${s.base}/runs/${r.json['id']}/report?lang=en`)).text();
    };
    const same = await reportOf({ scenarioId: 'validation-one-truck', replications: 20, deadlineHours: 8 });
    const { bindsAnswer } = await import('../../src/report/binds.js');
    expect(same).toContain(bindsAnswer(want, 'en'));
    const other = await reportOf({ scenarioId: 'validation-one-truck', replications: 20, deadlineHours: 8, seed: 5 });
    expect(other).not.toContain(bindsAnswer(want, 'en'));
    expect(other).toContain('What binds has not been run for this scenario, seed and deadline yet');
    const bad = await call(s.base, 'POST', '/binds', { scenarioId: 'validation-one-truck', relax: ['trucks'] });
    expect(bad.status).toBe(400);
    expect(JSON.stringify(bad.json)).toContain('relax');
    // overrides (the console's advanced JSON) under the study, listed among its assumptions in words; a misspelled id refused
    const fleet = { resources: { fleet: [{ id: 'truck', count: 2 }] } };
    const two = await call(s.base, 'POST', '/binds', {
      scenarioId: 'validation-one-truck',
      replications: 20,
      deadlineHours: 8,
      overrides: fleet,
    });
    const twoDone = await untilStudy(s.base, `/binds/${two.json['id']}`);
    const twoWant = await findBinds(validateScenario(overlay(loadScenario('validation/one-truck').scenario, fleet), 'x'), {
      replications: 20,
      deadlineHours: 8,
      overrides: fleet,
    });
    expect(JSON.stringify(twoDone['result'])).toBe(JSON.stringify(twoWant));
    expect(twoDone['result']['base']['share']).toBeGreaterThan(done['result']['base']['share']);
    expect(twoDone['result']['assumptions']['set']).toEqual([
      { path: 'resources.fleet[truck].count', value: 2, words: { zh: '运输车 · 车辆数', en: 'Truck · vehicles' } },
    ]);
    const twoPage = await (await fetch(`${s.base}/binds/${two.json['id']}/report`)).text();
    expect(twoPage).toContain('运输车 · 车辆数');
    const typo = await call(s.base, 'POST', '/binds', {
      scenarioId: 'validation-one-truck',
      overrides: { resources: { fleet: [{ id: 'trucks', count: 2 }] } },
    });
    expect([typo.status, typo.json['details'][0]['path']]).toEqual([400, 'overrides.resources.fleet[0].id']);
  });

  it('writes a drill script in the format and language asked, the same as the CLI; refuses bad requests naming the field', async () => {
    const { buildDrill } = await import('../../src/drill/build.js');
    const { renderDrill } = await import('../../src/drill/render.js');
    const body = { scenarioId: 'huantai-flood-50y', replications: 100, format: 'json', start: '2027-07-21 06:00', compress: 2 };
    const res = await fetch(`${s.base}/drills`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(body),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const local = await buildDrill(loadScenario('huantai/flood-50y').scenario, { replications: 100 });
    expect(await res.text()).toBe(
      renderDrill(local, 'json', { lang: 'zh', audience: 'controller', compress: 2, start: '2027-07-21 06:00' }),
    );
    const md = await fetch(`${s.base}/drills`, {
      method: 'POST',
      headers: { 'content-type': 'application/json', 'accept-language': 'en' },
      body: JSON.stringify({ scenarioId: 'huantai-flood-50y', replications: 100, audience: 'players' }),
    });
    expect(md.headers.get('content-type')).toMatch(/^text\/markdown/);
    expect(await md.text()).toBe(renderDrill(local, 'md', { lang: 'en', audience: 'players', compress: 1 }));
    // the tabletop exercise and the evaluator's guide, as the CLI tells them
    for (const asked of [
      { audience: 'players', mode: 'tabletop' },
      { audience: 'evaluator', mode: 'functional' },
    ] as const) {
      const r = await fetch(`${s.base}/drills`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenarioId: 'huantai-flood-50y', replications: 100, compress: 3.5, ...asked }),
      });
      expect(await r.text()).toBe(renderDrill(local, 'md', { lang: 'zh', compress: 3.5, ...asked }));
    }
    const bad = async (b: unknown) => (await call(s.base, 'POST', '/drills', b)).json;
    expect((await bad({ scenarioId: 'huantai-annual', replications: 100 }))['message']).toContain('--hazard');
    expect((await bad({ scenarioId: 'huantai-annual', hazard: 'tsunami' }))['message']).toMatch(/tsunami：情景中没有此灾种/);
    expect((await bad({ scenarioId: 'huantai-flood-50y', severity: 'p90', replication: 3 }))['details'][0]['path']).toBe(
      'body.replication',
    );
    expect((await bad({ scenarioId: 'huantai-flood-50y', start: 'tomorrow' }))['message']).toContain('YYYY-MM-DD HH:mm');
    expect((await bad({ scenarioId: 'huantai-flood-50y', compress: 0.5 }))['error']).toBe('invalid_request');
    expect((await bad({ scenarioId: 'huantai-flood-50y', audience: 'press' }))['details'][0]['path']).toBe('body.audience');
    expect((await bad({ scenarioId: 'huantai-flood-50y', replications: 1e9 }))['details'][0]['path']).toBe('body.replications');
  });

  it('serves its OpenAPI document (the one committed in schema/openapi.json) and a docs page', async () => {
    const doc = (await call(s.base, 'GET', '/openapi.json')).json;
    const { readFileSync } = await import('node:fs');
    expect(doc).toEqual(JSON.parse(readFileSync('schema/openapi.json', 'utf8')));
    expect(Object.keys(doc['paths'])).toEqual(expect.arrayContaining(['/runs', '/runs/{id}/events', '/runs/batch', '/scenarios/{id}']));
    const docs = await fetch(`${s.base}/docs/`);
    expect(docs.status).toBe(200);
    // every operation has a summary and a description, in English here and in Chinese when asked
    const ops = Object.values(doc['paths'] as Record<string, Record<string, Json>>).flatMap((o) => Object.values(o));
    for (const op of ops) expect([typeof op['summary'], typeof op['description']], op['operationId']).toEqual(['string', 'string']);
    expect(doc['paths']['/binds']['post']['summary']).toBe('Start a what-binds study');
    const zh = (await call(s.base, 'GET', '/openapi.json?lang=zh')).json;
    expect(zh['paths']['/binds']['post']['summary']).toBe('开始制约因素分析');
    expect(zh['info']['description']).toContain('洪水、火灾和危险化学品泄漏');
    // the docs page at /docs?lang=zh fetches its document from /docs/json: in the page's language
    const page = await (
      await fetch(`${s.base}/docs/json`, { headers: { referer: `${s.base}/docs/?lang=zh`, 'accept-language': 'en' } })
    ).json();
    expect(page.paths['/runs'].post.summary).toBe('开始模拟');
  });
});

describe('limits and the token', () => {
  it('refuses a run beyond the running and waiting slots with 429 and Retry-After', async () => {
    const s = await start({ workers: 1, maxRunning: 1, maxQueued: 1 });
    try {
      const one = await call(s.base, 'POST', '/runs', { scenarioId: 'huantai-annual', replications: 100_000 });
      const two = await call(s.base, 'POST', '/runs', { scenarioId: 'huantai-annual', replications: 100_000 });
      expect([one.status, two.status]).toEqual([202, 202]);
      const three = await call(s.base, 'POST', '/runs', { scenarioId: 'huantai-annual', replications: 100 });
      expect(three.status).toBe(429);
      expect(three.json['error']).toBe('too_many_runs');
      expect(Number(three.headers.get('retry-after'))).toBeGreaterThan(0);
      // the queued one starts when a slot frees
      await call(s.base, 'DELETE', `/runs/${one.json['id']}`);
      await until(s.base, two.json['id'], (x) => x['status'] === 'running');
      await call(s.base, 'DELETE', `/runs/${two.json['id']}`);
    } finally {
      await s.app.close();
    }
  });
  it('rate-limits a client', async () => {
    const s = await start({ rateLimit: 3 });
    try {
      const codes = [];
      for (let i = 0; i < 5; i++) codes.push((await call(s.base, 'GET', '/scenarios')).status);
      expect(codes).toEqual([200, 200, 200, 429, 429]);
      expect((await call(s.base, 'GET', '/health')).status).toBe(200); // health checks are not limited
    } finally {
      await s.app.close();
    }
  });
  it('with a token: 401 without it or with a wrong one, 200 with it; health stays open', async () => {
    const s = await start({ token: 's3cret-token' });
    try {
      const no = await call(s.base, 'GET', '/runs');
      expect(no.status).toBe(401);
      expect(no.json['error']).toBe('unauthorised');
      expect((await call(s.base, 'GET', '/runs', undefined, { authorization: 'Bearer wrong' })).status).toBe(401);
      expect((await call(s.base, 'GET', '/runs', undefined, { authorization: 'Bearer s3cret-token' })).status).toBe(200);
      expect((await call(s.base, 'GET', '/health')).status).toBe(200);
    } finally {
      await s.app.close();
    }
  });
  it('refuses to listen beyond loopback without a token', async () => {
    await expect(buildServer({ ...DEFAULTS, host: '0.0.0.0', logger: false })).rejects.toThrow(/without a token/);
  });
});

describe('restart recovery', () => {
  it('a server killed with SIGKILL mid-run resumes the run from its checkpoint and ends with the uninterrupted JSON', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-restart-'));
    const port = await freePort();
    const base = `http://127.0.0.1:${port}`;
    let child = launch(port, dir);
    try {
      await ready(base, child);
      const r = await call(base, 'POST', '/runs', { scenarioId: 'huantai-annual', replications: 6000, seed: 3 });
      await until(base, r.json['id'], (x) => x['checkpoint']['done'] >= 600);
      child.kill('SIGKILL');
      await new Promise((res) => child.once('exit', res));
      child = launch(port, dir);
      await ready(base, child);
      const done = await until(base, r.json['id'], (x) => x['status'] === 'done');
      const want = await inProcess('huantai/annual', 6000, { seed: 3 });
      expect(JSON.stringify(done['result'])).toBe(JSON.stringify(want));
    } finally {
      child.kill('SIGKILL');
    }
  });
});

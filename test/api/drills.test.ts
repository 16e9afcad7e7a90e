/**
 * Drills are jobs like runs, over real HTTP: a drill answered in the request takes a running
 * slot (429 with Retry-After when none is free) and stops when its client goes away (the slot
 * back and the CPU idle); an asynchronous drill is a stored resource whose script, told in any
 * format and language, is the one the library writes.
 */
import { describe, expect, it } from 'vitest';
import { buildDrill } from '../../src/drill/build.js';
import { renderDrill } from '../../src/drill/render.js';
import { ThreadExecutor } from '../../src/run/thread.js';
import { loadScenario } from '../../src/scenario/load.js';
import { call, type Json, start } from './http.js';

/** Polls /health until `pred` holds (a generous ceiling: the event, not a time, is what is awaited). */
async function health(base: string, pred: (h: Json) => boolean): Promise<Json> {
  for (;;) {
    const h = (await call(base, 'GET', '/health')).json;
    if (pred(h)) return h;
    await new Promise((r) => setTimeout(r, 25));
  }
}

describe('drills answered in the request', () => {
  it('take a running slot: with every slot busy a drill is refused 429 with Retry-After', async () => {
    const s = await start({ workers: 1, maxRunning: 1, maxQueued: 0 });
    try {
      const run = await call(s.base, 'POST', '/runs', { scenarioId: 'huantai-annual', replications: 400_000 });
      expect(run.status).toBe(202);
      await health(s.base, (h) => h['runs']['running'] === 1);
      const drill = await call(s.base, 'POST', '/drills?lang=en', { scenarioId: 'validation-one-truck', replications: 20 });
      expect(drill.status).toBe(429);
      expect(drill.json['error']).toBe('too_many_runs');
      expect(drill.headers.get('retry-after')).toBe('10');
      await call(s.base, 'DELETE', `/runs/${run.json['id']}`);
    } finally {
      await s.app.close();
    }
  });

  it('stop when the client goes away: the slot comes back and the CPU goes idle', async () => {
    const s = await start({ workers: 1, maxRunning: 1 });
    try {
      const gone = new AbortController();
      const pending = fetch(`${s.base}/drills`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ scenarioId: 'huantai-annual', hazard: 'chemical-parks', replications: 1_000_000 }),
        signal: gone.signal,
      }).catch((e: Error) => e);
      await health(s.base, (h) => h['runs']['running'] === 1);
      gone.abort();
      expect(await pending).toBeInstanceOf(Error);
      await health(s.base, (h) => h['runs']['running'] === 0);
      // idle: the process (this thread and the pool's worker) spends little CPU over the next half second
      const c0 = process.cpuUsage();
      const t0 = process.hrtime.bigint();
      await new Promise((r) => setTimeout(r, 500));
      const cpuMs = (process.cpuUsage(c0).user + process.cpuUsage(c0).system) / 1000;
      const wallMs = Number(process.hrtime.bigint() - t0) / 1e6;
      expect(cpuMs / wallMs).toBeLessThan(0.5);
      // the slot is free for the next one
      const next = await call(s.base, 'POST', '/drills', { scenarioId: 'validation-one-truck', replications: 20, format: 'json' });
      expect(next.status).toBe(200);
    } finally {
      await s.app.close();
    }
  });
});

describe('asynchronous drills', () => {
  it('are stored resources: 202, then the script the library writes, in any format and language', async () => {
    const s = await start({ workers: 1 });
    try {
      const posted = await call(s.base, 'POST', '/drills', { scenarioId: 'huantai-flood-50y', replications: 200, seed: 11, async: true });
      expect(posted.status).toBe(202);
      const id = posted.json['id'] as string;
      expect(posted.headers.get('location')).toBe(`/drills/${id}`);
      let view: Json = {};
      while (!['done', 'failed'].includes(view['status'])) {
        await new Promise((r) => setTimeout(r, 50));
        view = (await call(s.base, 'GET', `/drills/${id}`)).json;
      }
      expect(view['status']).toBe('done');
      expect(view['kind']).toBe('drill');
      const executor = new ThreadExecutor();
      const want = await buildDrill(loadScenario('huantai/flood-50y').scenario, { replications: 200, seed: 11, executor });
      await executor.close();
      const res = await fetch(`${s.base}/drills/${id}/script?format=csv&lang=en&audience=players`);
      expect(res.headers.get('content-type')).toBe('text/csv; charset=utf-8');
      // the bytes as sent (fetch's text() would drop the CSV's byte-order mark)
      expect(Buffer.from(await res.arrayBuffer()).toString('utf8')).toBe(
        renderDrill(want, 'csv', { lang: 'en', audience: 'players', compress: 1 }),
      );
      const md = await fetch(`${s.base}/drills/${id}/script`);
      expect(await md.text()).toBe(renderDrill(want, 'md', { lang: 'zh', audience: 'controller', compress: 1 }));
    } finally {
      await s.app.close();
    }
  });
});

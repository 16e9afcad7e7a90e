#!/usr/bin/env node
/**
 * The API's event loop under load: GET /health latency with autocannon while a 2-worker run is
 * going, against the same server idle. Reproduce: `npm run build && node bench/api-health.js`
 * (options: --seconds S, --connections C, --workers W).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import autocannon from 'autocannon';

const { values } = parseArgs({ options: { seconds: { type: 'string' }, connections: { type: 'string' }, workers: { type: 'string' } } });
const seconds = Number(values.seconds ?? 10);
const connections = Number(values.connections ?? 10);
const workers = values.workers ?? '2';

const port = await new Promise((resolve) => {
  const s = createServer().listen(0, '127.0.0.1', () => {
    const p = s.address().port;
    s.close(() => resolve(p));
  });
});
const base = `http://127.0.0.1:${port}`;
const dir = mkdtempSync(join(tmpdir(), 'dsim-bench-api-'));
const server = spawn(
  process.execPath,
  ['bin/dsim.js', 'serve', '--port', String(port), '--data', dir, '--workers', workers, '--rate-limit', '10000000', '--log-level', 'warn'],
  { stdio: 'inherit' },
);
try {
  for (let i = 0; ; i++) {
    try {
      if ((await fetch(`${base}/health`)).ok) break;
    } catch {}
    if (i > 200) throw new Error('the server did not start');
    await new Promise((r) => setTimeout(r, 50));
  }
  const load = async (label) => {
    const r = await autocannon({ url: `${base}/health`, connections, duration: seconds });
    const l = r.latency;
    console.log(
      `${label.padEnd(28)} ${String(Math.round(r.requests.average)).padStart(6)} req/s   latency ms: p50 ${l.p50}  p99 ${l.p99}  max ${l.max}   errors ${r.errors + r.non2xx}`,
    );
    return r;
  };
  console.log(`GET /health, ${connections} connections, ${seconds} s each, server with --workers ${workers}`);
  await load('idle');
  const run = await (
    await fetch(`${base}/runs`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify({ scenarioId: 'huantai-annual', replications: 1_000_000 }),
    })
  ).json();
  await new Promise((r) => setTimeout(r, 1000));
  await load(`during a ${workers}-worker run`);
  const status = await (await fetch(`${base}/runs/${run.id}`)).json();
  console.log(`the run meanwhile: ${status.progress.done} of ${status.progress.total} replications`);
  await fetch(`${base}/runs/${run.id}`, { method: 'DELETE' });
} finally {
  server.kill('SIGTERM');
  await new Promise((r) => server.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}

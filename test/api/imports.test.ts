/**
 * POST /imports over real HTTP: the sample county's files as multipart/form-data become a stored
 * scenario, answered with its findings (in the request's language), manifest and QA report; what
 * cannot be used is refused from the catalogue, naming the file as the client sent it, and the
 * uploaded files are deleted either way.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { encodeGbk } from '../../src/geo/text.js';
import { writeSampleCounty } from '../../src/import/sample.js';
import { call, type Json, start, until } from './http.js';

const SAMPLE = join(mkdtempSync(join(tmpdir(), 'dsim-api-sample-')), 'demo');
const FILES = writeSampleCounty(SAMPLE).filter(
  (f) => !['townships.geojson', 'townships.topojson', 'census.csv', 'import.yaml'].includes(f),
);
const SPEC = readFileSync(join(SAMPLE, 'import.yaml'), 'utf8');

function form(spec: string | undefined, files: [string, Uint8Array][]): FormData {
  const f = new FormData();
  if (spec !== undefined) f.append('spec', spec);
  for (const [name, bytes] of files) f.append('file', new Blob([new Uint8Array(bytes)]), name);
  return f;
}
const sample = (): [string, Uint8Array][] => FILES.map((f) => [f, readFileSync(join(SAMPLE, f))]);

async function post(base: string, body: FormData | string, query = '', headers: Record<string, string> = {}) {
  const res = await fetch(`${base}/imports${query}`, { method: 'POST', body, headers });
  return { status: res.status, json: (await res.json()) as Json, headers: res.headers };
}
const leftovers = () => readdirSync(tmpdir()).filter((d) => d.startsWith('dsim-api-import-')).length;

describe('POST /imports', () => {
  it('takes a running slot: with every slot busy an import is refused 429 with Retry-After', async () => {
    const s = await start({ workers: 1, maxRunning: 1, maxQueued: 0 });
    try {
      const run = await call(s.base, 'POST', '/runs', { scenarioId: 'huantai-annual', replications: 400_000 });
      expect(run.status).toBe(202);
      while ((await call(s.base, 'GET', '/health')).json['runs']['running'] !== 1) {
        await new Promise((r) => setTimeout(r, 25));
      }
      const r = await post(s.base, form(SPEC, sample()), '?lang=en');
      expect([r.status, r.json['error'], r.headers.get('retry-after')]).toEqual([429, 'too_many_runs', '10']);
      await call(s.base, 'DELETE', `/runs/${run.json['id']}`);
    } finally {
      await s.app.close();
    }
  });
  it('stores the imported scenario and answers with its findings, manifest and QA report; the same again is a conflict', async () => {
    const s = await start({ workers: 1 });
    const before = leftovers();
    try {
      const r = await post(s.base, form(SPEC, sample()), '?lang=zh');
      expect(r.status).toBe(201);
      expect(r.headers.get('location')).toBe('/scenarios/demo-county-flood-50y');
      expect(r.json['scenario']).toMatchObject({
        id: 'demo-county-flood-50y',
        nameZh: '示范县：50年一遇洪水',
        origin: 'uploaded',
        hazards: ['flood'],
      });
      expect(r.json['findings'].map((f: Json) => f['code'])).toContain('facility-converted');
      expect(r.json['findings'].find((f: Json) => f['code'] === 'facility-converted')['message']).toContain(
        '设施 fire-hekou：坐标为 GCJ-02',
      );
      // Files are named as the client sent them: no server folder in the answer.
      expect(JSON.stringify(r.json)).not.toContain(tmpdir());
      expect(r.json['manifest']['inputs'].map((i: Json) => i['path'])).toContain('townships.shp');
      expect(r.json['report']['html']).toContain('<svg');
      expect(r.json['report']['markdown']).toContain('# 导入报告：示范县：50年一遇洪水');
      const stored = await fetch(`${s.base}/scenarios/demo-county-flood-50y`);
      expect(stored.status).toBe(200);
      expect(((await stored.json()) as Json)['district']['zones']).toHaveLength(9);
      // A run of it: its report (the console shows the same page) draws the townships from the
      // polygons the store keeps with the scenario.
      const run = await call(s.base, 'POST', '/runs', { scenarioId: 'demo-county-flood-50y', replications: 20 });
      expect(run.status).toBe(202);
      await until(s.base, run.json['id'], (x) => x['status'] === 'done');
      const page = await (await fetch(`${s.base}/runs/${run.json['id']}/report?lang=zh`)).text();
      expect(page).toContain('id="map-real"');
      expect((page.match(/class="zone"/g) ?? []).length).toBe(9);
      const again = await post(s.base, form(SPEC, sample()), '?lang=en');
      expect([again.status, again.json['error']]).toEqual([409, 'conflict']);
      expect(leftovers()).toBe(before);
    } finally {
      await s.app.close();
    }
  });
  it('refuses what it cannot use, from the catalogue, naming the file as sent; deletes the upload', async () => {
    const s = await start({ workers: 1 });
    const before = leftovers();
    try {
      const missing = await post(
        s.base,
        form(
          SPEC,
          sample().filter(([n]) => n !== 'roads.overpass.json'),
        ),
        '?lang=en',
      );
      expect([missing.status, missing.json['message']]).toEqual([400, 'spec roads: "roads.overpass.json" is not among the uploaded files']);
      const zh = await post(
        s.base,
        form(
          SPEC,
          sample().filter(([n]) => n !== 'roads.overpass.json'),
        ),
        '?lang=zh',
      );
      expect(zh.json['message']).toBe('spec 的 roads：“roads.overpass.json”不在所上传的文件之中');
      // A path is cut to its last name by the multipart reader; a name that is not plain is refused.
      const badName = await post(s.base, form(SPEC, [['.env', new Uint8Array([1])]]), '?lang=en');
      expect([badName.status, badName.json['message']]).toEqual([400, expect.stringContaining('file name ".env"')]);
      const census = sample().map(([n, b]): [string, Uint8Array] =>
        n === 'census-gbk.csv' ? [n, encodeGbk('代码,名称,常住人口\n370999002,城关街道,118000\n')] : [n, b],
      );
      const broken = await post(s.base, form(SPEC, census), '?lang=en');
      expect(broken.status).toBe(400);
      expect(broken.json['error']).toBe('DSIM_ERR_IMPORT_INPUT');
      expect(broken.json['message']).toMatch(
        /^census-gbk\.csv: no census figure for zone 南山镇 \(370999101\); every zone needs its population$/,
      );
      const noSpec = await post(s.base, form(undefined, sample()), '?lang=en');
      expect([noSpec.status, noSpec.json['message']]).toEqual([400, expect.stringContaining('no spec field')]);
      const badSpec = await post(s.base, form('template: t.yaml\nzones: 5\nroads: [', []), '?lang=en');
      expect([badSpec.status, badSpec.json['error']]).toEqual([400, 'invalid_scenario']);
      const json = await post(s.base, JSON.stringify({ spec: SPEC }), '?lang=en', { 'content-type': 'application/json' });
      expect([json.status, json.json['error']]).toEqual([415, 'unsupported_media_type']);
      const many = await post(
        s.base,
        form(
          SPEC,
          Array.from({ length: 41 }, (_, i) => [`f${i}.csv`, new Uint8Array([65])]),
        ),
        '?lang=en',
      );
      expect([many.status, many.json['error']]).toEqual([413, 'body_too_large']);
      expect(leftovers()).toBe(before);
    } finally {
      await s.app.close();
    }
  });
});

/**
 * A county's first hour (issue 24 item 6): a file that extends a bundled scenario from any folder,
 * `dsim init`, a YAML saved by Windows Notepad (GBK "ANSI", UTF-16 "Unicode"), `--version`, and a
 * server that says where to open it and what to do when its port is taken.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { serve } from '../../src/api/server.js';
import { DsimError, ErrorCodes } from '../../src/errors.js';
import { encodeGbk } from '../../src/geo/text.js';
import { loadScenario, onNotice } from '../../src/scenario/load.js';
import { dsim } from '../helpers.js';
import { spawnTracked } from '../procs.js';

const dir = () => mkdtempSync(join(tmpdir(), 'dsim-first-hour-'));

describe('a county’s own scenario', () => {
  afterEach(() => onNotice(() => {}));

  it('extends a bundled scenario by id or by name from any folder; a name that is neither is refused naming it', () => {
    const d = dir();
    // the README's my-county.yaml, as written
    const file = join(d, 'my-county.yaml');
    writeFileSync(
      file,
      'extends: huantai-flood-50y\nid: huantai-more-bedding\nname: "Huantai, 15,000 quilts"\nresources:\n  warehouses:\n    - { id: county-reserve, stock: { bedding: 15000 } }\n',
    );
    const base = loadScenario('huantai/flood-50y').scenario;
    const mine = loadScenario(file).scenario;
    expect(mine.resources.warehouses.map((w) => [w.id, w.stock['bedding']])).toEqual(
      base.resources.warehouses.map((w) => [w.id, w.id === 'county-reserve' ? 15000 : w.stock['bedding']]),
    );
    expect(mine.resources.warehouses[0]!.stock['food']).toBe(base.resources.warehouses[0]!.stock['food']);
    writeFileSync(join(d, 'b.yaml'), 'extends: huantai/flood-50y\nid: b\n');
    expect(loadScenario(join(d, 'b.yaml')).scenario.district).toEqual(base.district);
    writeFileSync(join(d, 'c.yaml'), 'extends: nowhere-county\nid: c\n');
    expect(() => loadScenario(join(d, 'c.yaml'))).toThrow(/"nowhere-county": no such file next to this scenario, nor a bundled scenario/);
    writeFileSync(join(d, 'e.yaml'), 'extends: ../../etc/passwd\nid: e\n');
    expect(() => loadScenario(join(d, 'e.yaml'))).toThrow(/outside this scenario's folder and is not a bundled scenario/);
  });

  it('dsim init writes a commented file that validates and changes nothing until edited', async () => {
    const d = dir();
    const file = join(d, 'my-county.yaml');
    const r = await dsim('init', join(d, 'my-county'), '--from', 'huantai/flood-50y', '--lang', 'zh');
    expect(r.code).toBe(0);
    const text = readFileSync(file, 'utf8');
    // Chinese first, then English; every warehouse named, with its stock and the items' units
    expect(text.split('\n')[0]).toMatch(/^# 本县（区）情景，以“桓台县：50年一遇洪水/);
    expect(text).toContain('- id: county-reserve  # 县应急物资储备中心 / County emergency supplies reserve centre');
    expect(text).toContain('衣被（床）bedding (quilts)');
    const base = loadScenario('huantai/flood-50y').scenario;
    const mine = loadScenario(file).scenario;
    expect(mine.id).toBe('my-county');
    expect(mine.resources).toEqual(base.resources);
    expect(mine.targets).toEqual(base.targets);
    // edited: one stock changed, the rest kept
    writeFileSync(file, text.replace('bedding: 5000,', 'bedding: 12000,'));
    expect(loadScenario(file).scenario.resources.warehouses[0]!.stock).toEqual({ ...base.resources.warehouses[0]!.stock, bedding: 12000 });
    // never overwrites without --force; an id the format refuses is said before anything is written
    const again = await dsim('init', join(d, 'my-county'));
    expect(again.code).toBe(5);
    expect(again.err).toContain('already exists');
    expect((await dsim('init', join(d, 'my-county'), '--force')).code).toBe(0);
    expect((await dsim('init', join(d, 'my county'))).err).toContain('cannot be a scenario id');
  });

  it('reads a YAML saved as GBK (Notepad "ANSI") and says so; refuses UTF-16 with the fix', () => {
    const d = dir();
    const file = join(d, 'gbk.yaml');
    writeFileSync(file, encodeGbk('extends: huantai-flood-50y\nid: gbk-county\nname: "x"\nnameZh: "桓台县：衣被加倍"\n'));
    const told: string[] = [];
    onNotice((key, params) => told.push(`${key} ${params['file']}`));
    expect(loadScenario(file).scenario.nameZh).toBe('桓台县：衣被加倍');
    expect(told).toEqual([`notice.gbk ${file}`]);
    const u16 = join(d, 'u16.yaml');
    writeFileSync(u16, Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from('id: x\n', 'utf16le')]));
    expect(() => loadScenario(u16)).toThrow(/UTF-16.*save it as UTF-8/);
  });

  it('--version names the package and the engine', async () => {
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    const { ENGINE_VERSION } = await import('../../src/kpi/summary.js');
    expect((await dsim('--version')).out).toBe(`dsim ${pkg.version} (engine ${ENGINE_VERSION}, Node.js ${process.version})\n`);
    expect((await dsim('version', '--lang', 'zh')).out).toContain(`（引擎 ${ENGINE_VERSION}`);
  });
});

describe('dsim serve, first start', () => {
  it('a busy port is a clear error naming the port and --port, and the store is let go', async () => {
    const holder = createServer();
    const port = await new Promise<number>((res) => holder.listen(0, '127.0.0.1', () => res((holder.address() as { port: number }).port)));
    const data = dir();
    const options = {
      host: '127.0.0.1',
      port,
      dataDir: data,
      workers: 1,
      maxRunning: 1,
      maxQueued: 1,
      maxReplications: 1000,
      bodyLimit: 1 << 20,
      rateLimit: 100,
      logger: false as const,
    };
    try {
      const e = await serve(options).catch((x: unknown) => x);
      expect(e).toBeInstanceOf(DsimError);
      expect((e as DsimError).code).toBe(ErrorCodes.LISTEN);
      expect((e as DsimError).message).toContain(`cannot listen on 127.0.0.1:${port}: another program already uses that port`);
      expect((e as DsimError).message).toContain(`--port ${port + 1}`);
    } finally {
      holder.close();
    }
    // the failed start released the store: a server on a free port opens it at once
    const app = await serve({ ...options, port: 0 });
    await app.close();
  });

  it('prints the address to open, in the language asked', async () => {
    const proc = spawnTracked(process.execPath, [
      'bin/dsim.js',
      'serve',
      '--port',
      '0',
      '--data',
      dir(),
      '--workers',
      '1',
      '--log-level',
      'warn',
      '--lang',
      'zh',
    ]);
    try {
      const line = await new Promise<string>((resolve, reject) => {
        let out = '';
        proc.stdout!.on('data', (b: Buffer) => {
          out += b.toString('utf8');
          if (out.includes('\n')) resolve(out.split('\n')[0]!);
        });
        proc.on('exit', (code) => reject(new Error(`serve exited ${code} before printing: ${out}`)));
      });
      const url = /http:\/\/127\.0\.0\.1:\d+\//.exec(line)?.[0];
      expect(line).toMatch(/^服务已启动：在浏览器中打开 http:\/\/127\.0\.0\.1:\d+\/ 使用控制台/);
      expect((await fetch(`${url}health`)).ok).toBe(true);
    } finally {
      proc.kill('SIGKILL');
    }
  });
});

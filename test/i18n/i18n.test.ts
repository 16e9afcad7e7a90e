import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { formatMoney, formatNumber } from '../../src/i18n/format.js';
import { EN, langFromEnv, placeholders, t, ZH } from '../../src/i18n/messages.js';
import { renderTable } from '../../src/report/table.js';
import { dsim, runBundled } from '../helpers.js';

describe('the message catalogues', () => {
  it('have the same keys and the same placeholders in Chinese and English', () => {
    expect(Object.keys(ZH).sort()).toEqual(Object.keys(EN).sort());
    for (const key of Object.keys(EN) as (keyof typeof EN)[]) {
      expect(placeholders(ZH[key]), key).toEqual(placeholders(EN[key]));
      expect(ZH[key].trim(), key).not.toBe('');
    }
  });
  it('fill placeholders, and take the language from the locale', () => {
    expect(t('zh', 'kpi.relief', { hours: 10 })).toBe('受灾群众10小时内得到救助的比例');
    expect(langFromEnv({ LANG: 'zh_CN.UTF-8' })).toBe('zh');
    expect(langFromEnv({ LANG: 'en_US.UTF-8', LC_ALL: 'zh_TW' })).toBe('zh');
    expect(langFromEnv({ LANG: 'C.UTF-8' })).toBe('en');
  });
});

describe('numbers', () => {
  it('money in 亿元/万元 in Chinese, grouped CNY in English, never scientific notation', () => {
    expect(formatMoney('zh', 5.74e8)).toBe('5.74亿元');
    expect(formatMoney('zh', 4_128_752)).toBe('413万元');
    expect(formatMoney('zh', 950)).toBe('950元');
    expect(formatMoney('en', 5.74e8)).toBe('574,000,000 CNY');
    expect(formatNumber(1e12)).toBe('1,000,000,000,000');
    expect(formatNumber(9.16e-4)).toBe('0.000916');
    for (const x of [1e7, 5.74e8, 3.2e-5, 123456789.123]) expect(formatNumber(x)).not.toMatch(/e[+-]/i);
  });
});

describe('a Chinese table', () => {
  const r = runBundled('huantai/annual', { replications: 60 });
  const table = renderTable(r, 'zh');
  it('has no untranslated English label (scenario names as written aside)', () => {
    const lines = table.split('\n').slice(1); // the first line is the scenario's own name
    const zoneNames = new Set(r.zones.map((z) => `${z.id} ${z.name}`));
    const words = lines
      .map((l) => [...zoneNames].reduce((a, name) => a.replace(name, ''), l))
      .join('\n')
      .match(/[A-Za-z]{3,}/g);
    const allowed = new Set(['AEGL', 'GDP']);
    expect((words ?? []).filter((w) => !allowed.has(w))).toEqual([]);
  });
  it('lines its columns up by display width (a Chinese character takes two columns)', () => {
    const lines = table.split('\n');
    // the rows under a header rule, as many as the table has
    const rowsUnder = (header: string, n: number) => {
      const at = lines.findIndex((l) => l.startsWith(header));
      const rule = lines[at + 1]!;
      expect(rule).toMatch(/^-+( +-+)+$/);
      return { rule, rows: lines.slice(at + 2, at + 2 + n) };
    };
    for (const [header, n] of [
      ['区域', r.zones.length],
      ['目标', r.targets.length],
      ['指标', 6],
    ] as const) {
      const { rule, rows } = rowsUnder(header, n);
      for (const row of rows) expect(stringWidth(row), row).toBe(stringWidth(rule));
    }
  });
  it('speaks the plans’ targets and money', () => {
    expect(table).toContain('受灾群众基本生活在灾后10小时内得到有效救助的比例');
    expect(table).toContain('亿元国内生产总值生产安全事故死亡率≤0.01');
    expect(table).toMatch(/\d万元/);
    expect(table).not.toMatch(/\de[+-]\d/);
  });
});

describe('dsim run --lang and --csv', () => {
  it('writes the tables as UTF-8 CSV with a byte-order mark, in the language asked', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'dsim-csv-'));
    const r = await dsim('run', 'validation/one-truck', '--lang', 'zh', '--csv', dir, '--no-timing');
    expect(r.code).toBe(0);
    expect(r.out).toContain('受灾群众8小时内得到救助的比例');
    const kpis = readFileSync(join(dir, 'kpis.csv'), 'utf8');
    expect(kpis.charCodeAt(0)).toBe(0xfeff);
    expect(kpis.split('\r\n')[0]).toBe('\ufeff指标,样本数,均值,ci95_low,ci95_high,p50,p90,p95,p99');
    const zones = readFileSync(join(dir, 'zones.csv'), 'utf8').split('\r\n');
    expect(zones[1]!.startsWith('A,Flooded zone,2400,')).toBe(true);
    expect((await dsim('run', 'validation/one-truck', '--lang', 'fr')).err).toMatch(/--lang: expected zh or en/);
    expect((await dsim('run', 'validation/one-truck', '--csv', join(dir, 'nope'))).code).toBe(5);
  });
});

describe('compare and size in Chinese', () => {
  it('label their tables from the catalogue', async () => {
    const c = await dsim(
      'compare',
      'validation/one-truck',
      '--set',
      'resources.fleet[truck].count=2',
      '-n',
      '3',
      '--lang',
      'zh',
      '--workers',
      '1',
    );
    expect(c.out).toContain('受灾群众时限内得到救助的比例（逐次模拟）');
    expect(c.out).toMatch(/B − A（95%置信区间）/);
    const z = await dsim(
      'size',
      'validation/one-truck',
      '--vary',
      'resources.fleet[truck].count',
      '--target',
      'relief-within-deadline',
      '--min',
      '1',
      '--max',
      '8',
      '-n',
      '40',
      '--workers',
      '1',
      '--lang',
      'zh',
    );
    expect(z.out).toContain('以不低于90.0%的概率达标的最小 resources.fleet[truck].count：2');
  });
});

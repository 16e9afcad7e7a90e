import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { formatMoney, formatNumber } from '../../src/i18n/format.js';
import { AREAS, EN, langFromEnv, type MessageKey, placeholders, t, ZH } from '../../src/i18n/messages.js';
import { SUBSTANCES } from '../../src/physics/chemical/substances.js';
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
  it('are split by area (src/i18n/catalogue/) with no key in two areas, each area the same keys in both languages', () => {
    const areas = Object.values(AREAS);
    const keys = areas.flatMap((a) => Object.keys(a.en));
    expect(new Set(keys).size).toBe(keys.length);
    expect(keys.length).toBe(Object.keys(EN).length);
    for (const a of areas) expect(Object.keys(a.zh).sort()).toEqual(Object.keys(a.en).sort());
  });
  it('name every substance dsim knows', () => {
    for (const id of Object.keys(SUBSTANCES)) expect(EN).toHaveProperty(`substance.${id}` satisfies string as MessageKey);
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
  it('has no untranslated English label, scenario and zone names included', () => {
    // the scenario's id and hash are identifiers, not labels
    const words = table
      .replace(r.scenario.id, '')
      .replace(r.scenario.hash, '')
      .match(/[A-Za-z]{3,}/g);
    const allowed = new Set(['AEGL', 'GDP']);
    expect((words ?? []).filter((w) => !allowed.has(w))).toEqual([]);
    expect(table.split('\n')[0]).toContain('桓台县：全年');
    expect(table).toContain('Z3 起凤镇（马踏湖畔）');
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
    expect(kpis.split('\r\n')[0]).toBe('\ufeff指标,样本数,均值,95%置信下限,95%置信上限,p50,p90,p95,p99');
    // every header and text cell of every table in Chinese: no Latin word but ids and the quantiles' names
    for (const name of ['kpis.csv', 'targets.csv', 'zones.csv', 'stockouts.csv']) {
      const text = readFileSync(join(dir, name), 'utf8');
      // the first column of the target, zone and stock-out tables is the id
      const cells = text
        .split('\r\n')
        .map((line) => (name === 'kpis.csv' ? line : line.split(',').slice(1).join(',')))
        .join('\n');
      const words = (cells.match(/[A-Za-z]{3,}/g) ?? []).filter((w) => !['GDP', 'AEGL'].includes(w));
      expect(words, name).toEqual([]);
    }
    const zones = readFileSync(join(dir, 'zones.csv'), 'utf8').split('\r\n');
    expect(zones[1]!.startsWith('A,受淹区,2400,')).toBe(true);
    expect((await dsim('run', 'validation/one-truck', '--lang', 'fr')).err).toMatch(/--lang: expected one of zh, en, got "fr"/);
    // a missing folder is made (the README's --csv tables/ from a fresh clone); a missing parent is a typo, refused
    expect((await dsim('run', 'validation/one-truck', '-n', '10', '--csv', join(dir, 'tables'))).code).toBe(0);
    expect(readFileSync(join(dir, 'tables', 'targets.csv'), 'utf8').charCodeAt(0)).toBe(0xfeff);
    const typo = await dsim('run', 'validation/one-truck', '--csv', join(dir, 'no', 'such'));
    expect(typo.code).toBe(5);
    expect(typo.err).toContain(`${join(dir, 'no')} does not exist`);
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
    expect(z.out).toContain('以不低于90.0%的概率达标的最小 运输车 · 车辆数：2');
    // --report on compare and sweep writes the study's page in the language asked
    const dir = mkdtempSync(join(tmpdir(), 'dsim-study-'));
    const cmp = join(dir, 'compare.html');
    const sw = join(dir, 'sweep.html');
    expect(
      (
        await dsim(
          'compare',
          'validation/one-truck',
          '--set',
          'resources.fleet[truck].count=2',
          '-n',
          '3',
          '--workers',
          '1',
          '--lang',
          'zh',
          '--report',
          cmp,
        )
      ).code,
    ).toBe(0);
    expect(readFileSync(cmp, 'utf8')).toMatch(/<html lang="zh-CN">[\s\S]*2个方案对比[\s\S]*与方案A之差/);
    const swr = await dsim(
      'sweep',
      'validation/one-truck',
      '--set',
      'resources.fleet[truck].count=1..2',
      '-n',
      '3',
      '--workers',
      '1',
      '--lang',
      'en',
      '--report',
      sw,
    );
    expect(swr.code).toBe(0);
    expect(readFileSync(sw, 'utf8')).toMatch(/<html lang="en">[\s\S]*Sweep: Truck · vehicles/);
    expect(
      (await dsim('sweep', 'validation/one-truck', '--set', 'resources.fleet[truck].count=1..2', '--report', join(dir, 'no/such/x.html')))
        .code,
    ).toBe(5);
  });
});

/** Latin words of three letters or more in `text`, less the identifiers it is expected to quote. */
function englishWords(text: string, identifiers: readonly string[]): string[] {
  const rest = identifiers.reduce((a, id) => a.split(id).join(''), text);
  return rest.match(/[A-Za-z]{3,}/g) ?? [];
}

describe('errors in Chinese and English', () => {
  const dir = mkdtempSync(join(tmpdir(), 'dsim-i18n-'));
  const bad = join(dir, 'bad.yaml');
  writeFileSync(
    bad,
    'schemaVersion: 1\nid: x\nname: y\nseed: -1\nreplications: [1]\nfoo: 2\n' +
      'district: { name: d, gdpCnyPerYear: 1e9, zones: [{ id: A, name: a, population: 10, households: 3, position: { xKm: 0, yKm: 0 } }] }\n' +
      'roads: { links: [{ from: A, to: B, lengthKm: 1 }] }\n',
  );
  it('a scenario’s problems, each with the file and the field, told in the language asked', async () => {
    const zh = await dsim('validate', bad, '--lang', 'zh');
    expect(zh.code).toBe(3);
    expect(zh.err).toContain('bad.yaml：情景中有');
    expect(zh.err).toContain(`${bad}：seed：应为>= 0的数字，实际为-1`);
    expect(zh.err).toContain(`${bad}：replications：应为数字，实际为列表`);
    expect(zh.err).toContain(`${bad}：foo：未知字段（请检查拼写）`);
    expect(zh.err).toContain(`${bad}：resources：缺少此项：应为对象`);
    expect(zh.err).toContain('roads.links[0].to：未知区域“B”；已定义的区域："A"');
    // nothing English in the messages (after the file and the field path each line starts with)
    const messages = zh.err
      .split('\n')
      .slice(1)
      .map((l) => l.replace(/^\s*[^：]+：[^：]+：/, ''));
    expect(englishWords(messages.join('\n'), [])).toEqual([]);
    const en = await dsim('validate', bad, '--lang', 'en');
    expect(en.err).toContain(`${bad}: seed: expected a number >= 0, got -1`);
    expect(en.err).toContain(`${bad}: roads.links[0].to: unknown zone "B"; zones are: "A"`);
    expect(en.err.split('\n').length).toBe(zh.err.split('\n').length);
  });
  it('command-line mistakes follow --lang, else the locale', async () => {
    expect((await dsim('run', 'validation/one-truck', '-n', 'abc', '--lang', 'zh')).err).toBe(
      'dsim: --replications：应为1至10000000之间的整数，实际为“abc”\n',
    );
    const saved = process.env['LANG'];
    process.env['LANG'] = 'zh_CN.UTF-8';
    try {
      const r = await dsim('run', 'no/such-scenario');
      expect(r.code).toBe(4);
      expect(r.err).toBe('dsim: no/such-scenario：找不到此情景文件，也没有此名称的内置情景（见 `dsim list`）\n');
    } finally {
      if (saved === undefined) delete process.env['LANG'];
      else process.env['LANG'] = saved;
    }
  });
  it('option, --set, sizing and refinement mistakes are told in Chinese too, naming the option or the field', async () => {
    const zh = async (...args: string[]) => (await dsim(...args, '--lang', 'zh')).err.split('\n')[0];
    expect(await zh('run', 'validation/one-truck', '--set', 'x=1')).toBe('dsim: 未知选项--set');
    expect(await zh('run', 'validation/one-truck', '--json')).toBe('dsim: 选项--json需要一个取值');
    expect(await zh('compare', 'validation/one-truck', '--set', 'resources.fleet[nope].count=3')).toBe(
      'dsim: --set resources.fleet[nope].count：没有编号为“nope”的项；已有编号：truck',
    );
    expect(await zh('compare', 'validation/one-truck', '--set', 'resources..x=3')).toBe(
      'dsim: --set resources..x：“.”应跟在键名或列表项之后',
    );
    expect(await zh('compare', 'validation/one-truck', '--set', 'resources.fleet[5].count=3')).toBe(
      'dsim: --set resources.fleet[5].count：序号5超出列表的1项',
    );
    expect(
      await zh('size', 'validation/one-truck', '--vary', 'resources.fleet[0].count', '--target', 'relief-within-deadline', '--max', 'abc'),
    ).toBe('dsim: --max：应为0至1e12之间的数字，实际为“abc”');
    // a refinement of the schema (a triangular mode outside min..max) names its catalogue message
    const tri = join(dir, 'tri.yaml');
    writeFileSync(
      tri,
      readFileSync('scenarios/validation/one-truck.yaml', 'utf8').replace(
        /^(\s*)activationMinutes: 60$/m,
        '$1activationMinutes: { dist: triangular, min: 3, mode: 2, max: 1 }',
      ),
    );
    const v = await dsim('validate', tri, '--lang', 'zh');
    expect(v.err).toContain('response.activationMinutes.mode：应满足 min ≤ mode ≤ max');
    expect((await dsim('validate', tri, '--lang', 'en')).err).toContain('response.activationMinutes.mode: expected min <= mode <= max');
  });
  it("--help in Chinese: every command with what it does, and one command's usage", async () => {
    const top = await dsim('--help', '--lang', 'zh');
    expect(top.code).toBe(0);
    expect(top.out.split('\n')[0]).toBe('dsim — 灾害与突发事件情景蒙特卡洛模拟器');
    for (const c of ['run', 'size', 'drill', 'serve', 'plume'] as const) expect(top.out).toContain(t('zh', `help.${c}`));
    const one = await dsim('size', '--help', '--lang', 'zh');
    expect(one.out.startsWith('用法：dsim size SCENARIO')).toBe(true);
    expect(one.out).toContain('求以所要求的置信度达到目标的最小储备');
    expect((await dsim('size', '--help', '--lang', 'en')).out.startsWith('usage: dsim size SCENARIO')).toBe(true);
  });
  it('plume and backtest print Chinese tables', async () => {
    const p = await dsim('plume', '--substance', 'chlorine', '--rate-g-s', '1000', '--wind-m-s', '3', '--stability', 'D', '--lang', 'zh');
    expect(p.code).toBe(0);
    expect(p.out).toContain('氯气（AEGL-1/2/3，60分钟）');
    expect(p.out).toContain('下风向距离（米）');
    expect(englishWords(p.out, ['Britter', 'McQuaid', 'Briggs', 'AEGL', 'alpha'])).toEqual([]);
    const en = await dsim('plume', '--substance', 'chlorine', '--rate-g-s', '1000', '--wind-m-s', '3', '--stability', 'D', '--lang', 'en');
    // the same zones in either language
    const numbers = (text: string) =>
      text
        .split('\n')
        .filter((l) => /^\d /.test(l))
        .map((l) => l.replace(/\s+/g, ' '));
    expect(numbers(p.out)).toEqual(numbers(en.out));
    expect(numbers(p.out)).toHaveLength(3);
  });
});

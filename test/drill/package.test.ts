/**
 * Drill packages (issue 25): the players' message slips carry world injects only — no unit the
 * model dispatched, no outcome the model produced, calls addressed to the alarm centre — on every
 * bundled district and hazard; response levels come from the plan's rules (a test plan) and never
 * from the outcome; the evaluator's guide is an instrument with blank cells and templates; and
 * `--package DIR` writes the three documents in four formats with an index.
 */
import { mkdtempSync, readdirSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { buildDrill } from '../../src/drill/build.js';
import { DRILL_FORMATS, renderDrill, renderDrillRows, tabletopRows } from '../../src/drill/render.js';
import type { Drill } from '../../src/drill/script.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario, overlay, validateScenario } from '../../src/scenario/load.js';
import type { Scenario } from '../../src/scenario/schema.js';
import { traceReplication } from '../../src/studies/trace.js';
import { dsim } from '../helpers.js';

const DISTRICTS = ['huantai', 'linqing', 'yanzhou', 'taierzhuang', 'zibo-hitech'];

/** The drilled replication's trace (the hazard alone, one occurrence, as the drill runs it). */
function traceOf(d: Drill, scenario: Scenario) {
  const model = compile({ ...scenario, mode: 'event', hazards: scenario.hazards.filter((h) => h.id === d.hazard.id) });
  return traceReplication(model, d.seed, d.replication, model.targets);
}

describe('the players’ documents', () => {
  it('carry no dispatched unit and no outcome, on every bundled district and hazard, in every format and language', async () => {
    let drills = 0;
    for (const district of DISTRICTS) {
      for (const file of ['flood-50y', 'annual']) {
        const { scenario } = loadScenario(`${district}/${file}`);
        const hazards = file === 'annual' ? scenario.hazards.map((h) => h.id) : [undefined];
        for (const hazard of hazards) {
          const d = await buildDrill(scenario, { replications: 40, ...(hazard !== undefined && { hazard }) });
          drills++;
          const stations = new Map(scenario.resources.stations.map((st) => [st.id, st]));
          const dispatched = new Set(
            d.injects
              .flatMap((x) => (Array.isArray(x.answer?.['units']) ? (x.answer['units'] as string[]) : []))
              .map((u) => u.split('/')[0]!),
          );
          for (const lang of ['zh', 'en'] as const) {
            const controller = renderDrillRows(d, { lang, audience: 'controller', compress: 1 });
            const outcomes = controller.injects.filter((x) => x.origin === 'outcome').map((x) => x.message);
            for (const format of DRILL_FORMATS) {
              const out = renderDrill(d, format, { lang, audience: 'players', compress: 1 });
              const where = `${district}/${file} ${hazard ?? ''} ${lang} ${format}`;
              for (const id of dispatched) {
                const st = stations.get(id);
                if (!st) continue;
                expect(out, where).not.toContain(lang === 'zh' ? (st.nameZh ?? st.name ?? id) : (st.name ?? id));
              }
              for (const m of outcomes) expect(out, where).not.toContain(m);
              expect(out, where).not.toMatch(lang === 'zh' ? /模型处置|态势卡|死亡\d/ : /What the model did|state card|deaths/);
            }
          }
          // calls for help reach the alarm centre, whoever is sent
          for (const x of d.injects.filter((y) => y.kind === 'rescue-calls' || y.kind === 'fire' || y.kind === 'wildfire-crews'))
            expect(x.to).toEqual([{ role: 'alarm' }]);
          // wording: no degenerate range, no "0 late", replications counted from 1
          const zh = renderDrill(d, 'md', { lang: 'zh', audience: 'controller', compress: 1 });
          expect(zh).not.toMatch(/用时(\d+)[至～]\1分钟|(?<!\d)0起超过|第0次模拟|差于约0\.0%/);
          const en = renderDrill(d, 'md', { lang: 'en', audience: 'controller', compress: 1 });
          expect(en).not.toMatch(/\b1 (deaths|calls|roads|fires)\b|\b(\d+)–\2 min/);
          // the government reported to is the district's own
          const gov = { county: '县政府', city: '市政府', district: '区政府', zone: '管委会' }[scenario.plan!.government];
          if (d.injects.some((x) => x.kind === 'deadline')) expect(zh).toContain(`并向${gov}报告`);
          // no calls in the replication: the response row says so, not "not reached"
          if (d.facts.responses === 0 && zh.includes('响应时间：报警至队伍到场')) expect(zh).toContain('本次模拟无救援呼叫，不适用');
          // no raw id (a-b) and no zone code (Z3) in the Chinese text outside the technical note
          for (const audience of ['controller', 'evaluator', 'players'] as const) {
            const body = renderDrill(d, 'md', { lang: 'zh', audience, compress: 1 }).split('## 技术附注')[0]!;
            expect(body.match(/[a-z]+-[a-z]+|\bZ\d+\b/g) ?? [], `${district}/${file} ${hazard ?? ''} ${audience}`).toEqual([]);
          }
        }
      }
    }
    expect(drills).toBeGreaterThan(15);
  });
});

describe('wildfire drills (Huantai’s Matahu reed fires)', () => {
  it('pick the replication by area burned, not by a loss that ties at 0, and say when a fire burned out rather than was put out', async () => {
    const annual = loadScenario('huantai/annual').scenario;
    const picks = new Set<number>();
    for (const severity of ['p50', 'p90', 'worst'] as const) {
      const d = await buildDrill(annual, { replications: 200, hazard: 'matahu-reed-fires', severity });
      expect(d.choice.kpi).toBe('burnedHa');
      picks.add(d.replication);
      const zh = renderDrill(d, 'md', { lang: 'zh', audience: 'controller', compress: 1 });
      const trace = traceOf(d, annual);
      for (const x of d.injects.filter((y) => y.kind === 'wildfire-contained')) {
        const putOut = trace.events[x.events[0]!]!.putOut;
        expect(x.facts['putOut']).toBe(putOut === false ? 0 : 1);
        expect(zh).toContain(putOut === false ? '自然熄灭（非扑救熄灭）' : `起火后${x.facts['hours']}小时火灾扑灭`);
      }
    }
    // by loss, p50, p90 and the worst were all replication 0; by area they differ
    expect(picks.size).toBeGreaterThan(1);
  });
});

describe('roads', () => {
  it('read by their two towns, or by their own name where the scenario gives one', async () => {
    const base = loadScenario('huantai/flood-50y').scenario;
    const named = structuredClone(base);
    const link = named.roads.links.find((l) => l.from === 'Z1' && l.to === 'Z3')!;
    link.nameZh = '桓台—起凤公路';
    const plain = renderDrill(await buildDrill(base, { replications: 40 }), 'md', { lang: 'zh', audience: 'players', compress: 1 });
    const withName = renderDrill(await buildDrill(validateScenario(named, 'test'), { replications: 40 }), 'md', {
      lang: 'zh',
      audience: 'players',
      compress: 1,
    });
    expect(plain).toContain('索镇街道（县城）—起凤镇（马踏湖畔）');
    expect(withName).toContain('桓台—起凤公路');
    expect(withName).not.toContain('索镇街道（县城）—起凤镇（马踏湖畔）');
  });
});

describe('response levels', () => {
  it('come from the plan’s rules on the first assessment, never from the outcome', async () => {
    const base = loadScenario('huantai/flood-50y').scenario;
    const withLevels = validateScenario(
      overlay(base, {
        plan: {
          responseLevels: [
            { hazard: 'flood', level: 'III', displacedAtLeast: 1000, source: 'a test plan' },
            { hazard: 'flood', level: 'II', displacedAtLeast: 5000, source: 'a test plan' },
            { hazard: 'flood', level: 'I', displacedAtLeast: 20000, source: 'a test plan' },
          ],
        },
      }),
      'test',
    );
    const d = await buildDrill(withLevels, { replications: 40 });
    const flood = d.injects.find((x) => x.kind === 'flood')!;
    const people = Number(flood.facts['people']);
    expect(people).toBeGreaterThan(5000);
    expect(people).toBeLessThan(20000);
    expect(flood.level).toBe('II');
    expect(d.injects.filter((x) => x.level !== undefined)).toHaveLength(1);
    const md = renderDrill(d, 'md', { lang: 'zh', audience: 'controller', compress: 1 });
    expect(md).toContain('| II级 |');
    expect(md).not.toContain('未规定响应分级');
  });
});

describe('the evaluator’s guide', () => {
  it('lists critical tasks with a standard and the model’s reference, blank cells to fill, and the report templates', async () => {
    const d = await buildDrill(loadScenario('huantai/flood-50y').scenario, { replications: 40 });
    const r = renderDrillRows(d, { lang: 'zh', audience: 'evaluator', compress: 1 });
    expect(r.injects).toEqual([]);
    const relief = r.tasks.find((x) => x.point.startsWith('受灾群众基本生活'))!;
    expect(relief.standard).toBe('灾后10小时内基本生活得到有效救助（规划目标）');
    const deadline = d.injects.find((x) => x.kind === 'deadline')!;
    expect(relief.reference).toBe(
      `灾后10小时${Number(deadline.facts['displaced']).toLocaleString('en-US')}名受灾群众中${Number(deadline.facts['relieved']).toLocaleString('en-US')}人得到救助`,
    );
    const md = renderDrill(d, 'md', { lang: 'zh', audience: 'evaluator', compress: 1 });
    for (const h of [
      '## 优点',
      '## 不足',
      '## 改进建议',
      '评估人员：',
      '## 模板：演练评估报告',
      '## 模板：演练总结报告',
      '## 模板：改进计划表',
      '| 问题 | 整改措施 | 责任单位 | 完成时限 | 复查 |',
    ])
      expect(md).toContain(h);
    // the blank columns: actual time, observations, rating, score
    expect(md).toMatch(/\| 实际时间 \| 观察记录 \| 评定（优\/良\/中\/差） \| 评分 \|/);
    expect(md).toContain('参演人员依据预案和有关规定评判');
  });
});

describe('a tabletop exercise', () => {
  it('gives the Huantai flood phases, time jumps with the situation, questions and, for the controller, the model’s outcomes', async () => {
    const d = await buildDrill(loadScenario('huantai/flood-50y').scenario, { replications: 40 });
    const c = tabletopRows(d, { lang: 'zh', audience: 'controller', compress: 1, mode: 'tabletop' });
    expect(c.phases.map((p) => p.phase)).toEqual(['预警与会商', '响应启动', '抢险救援', '转移安置与救助', '响应终止与恢复']);
    expect(c.phases[0]!.jump).toMatch(/^推演从T\+00:00开始（灾害发生前\d+(\.\d)?小时），态势如下：$/);
    expect(c.phases[2]!.jump).toMatch(/^推演时间跳至T\+\d\d:\d\d（灾后\d+(\.\d)?小时），态势如下：$/);
    for (const p of c.phases.slice(0, 4)) expect(p.questions.length).toBeGreaterThanOrEqual(2);
    expect(c.phases[1]!.questions[0]).toBe('依据《桓台县应急管理体系建设规划（2021—2025）》应启动何种响应？依据哪一条？由谁启动？');
    expect(c.phases.flatMap((p) => p.reference).length).toBeGreaterThan(0);
    // the players' copy: the same situations and questions, no outcome
    const p = tabletopRows(d, { lang: 'zh', audience: 'players', compress: 1, mode: 'tabletop' });
    expect(p.phases.map((x) => x.questions)).toEqual(c.phases.map((x) => x.questions));
    expect(p.phases.flatMap((x) => x.reference)).toEqual([]);
    const md = renderDrill(d, 'md', { lang: 'zh', audience: 'players', compress: 1, mode: 'tabletop' });
    expect(md).toContain('### 导调问题（每题讨论15分钟）');
    for (const m of c.phases.flatMap((x) => x.reference)) expect(md).not.toContain(m);
  });
});

describe('a demonstration drill', () => {
  it('gives the controller a script from the same injects — narration with each phase announced once, the sender’s words, the answer, the model’s handling performed — and the players the functional slips', async () => {
    const d = await buildDrill(loadScenario('huantai/flood-50y').scenario, { replications: 40 });
    const view = { lang: 'zh', audience: 'controller', compress: 1, mode: 'demonstration' } as const;
    const r = renderDrillRows(d, view);
    const script = r.script!;
    expect(script.map((x) => x.n)).toEqual(r.injects.map((x) => x.n));
    // each phase announced once, where the script first enters it
    const phases = [...new Set(r.injects.map((x) => x.phase))];
    for (const phase of phases) {
      const announced = script.filter((x) => x.narration.startsWith(`现在演练进入“${phase}”阶段。`));
      expect(announced.map((x) => x.n)).toEqual([r.injects.find((x) => x.phase === phase)!.n]);
    }
    script.forEach((x, i) => {
      const row = r.injects[i]!;
      expect(x.narration).toContain(`模拟时间${row.sim}，${row.message}`);
      expect(x.dialogue[0]).toBe(`${row.from}（对${x.dialogue[1]!.split('：')[0]}）：“${row.message}”`);
      if (row.origin === 'outcome') expect(x.dialogue.slice(1)).toEqual([`${x.dialogue[1]!.split('：')[0]}：“收到。”`]);
      else {
        expect(x.dialogue[1]).toMatch(new RegExp(`^[^：]+：“收到！${row.action.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}”$`));
        // the model's handling of a world inject, where it has one, is what the players perform
        expect(x.dialogue.slice(2)).toEqual(row.answer === '' ? [] : [`（演示：${row.answer}）`]);
      }
    });
    expect(script.some((x) => x.dialogue.length === 3)).toBe(true);
    // in the documents: a section in md and html, two more columns in csv; the functional drill has none
    const md = renderDrill(d, 'md', view);
    expect(md).toContain('## 演示脚本（解说词、指令与对白）');
    expect(md).toContain('示范演练：参演人员按下方“指令与对白”演示');
    expect(renderDrill(d, 'html', view)).toContain('<table class="left script">');
    const csv = renderDrill(d, 'csv', view).split('\r\n');
    expect(csv[0]!.endsWith(',解说词,指令与对白')).toBe(true);
    const functional = { ...view, mode: 'functional' } as const;
    expect(renderDrillRows(d, functional).script).toBeUndefined();
    expect(renderDrill(d, 'md', functional)).not.toContain('演示脚本');
    // the players' slips are the functional drill's, byte for byte
    for (const format of DRILL_FORMATS)
      expect(renderDrill(d, format, { ...view, audience: 'players' })).toBe(renderDrill(d, format, { ...functional, audience: 'players' }));
  });
});

describe('a chemical release drill', () => {
  it('names the wind direction from the wind rose (else says it is taken on site), stages the buses upwind and prompts the 1-hour report', async () => {
    const annual = loadScenario('huantai/annual').scenario;
    const onSite = await buildDrill(annual, { replications: 40, hazard: 'chemical-parks', severity: 'worst' });
    const zh = (d: typeof onSite) => renderDrill(d, 'md', { lang: 'zh', audience: 'controller', compress: 1 });
    expect(zh(onSite)).toContain('现场风向以现场实测为准');
    const withRose = validateScenario(overlay(annual, { hazards: [{ id: 'chemical-parks', weather: { windFrom: { NE: 1 } } }] }), 'test');
    const d = await buildDrill(withRose, { replications: 40, hazard: 'chemical-parks', severity: 'worst' });
    const text = zh(d);
    expect(text).toContain('现场东北风（下风向为西南方向）');
    // the same replication: the wind rose does not change what is simulated
    expect(d.replication).toBe(onSite.replication);
    expect(d.facts).toEqual(onSite.facts);
    const release = d.injects.find((x) => x.kind === 'release')!;
    // the summary counts the release's own people (above AEGL-2, evacuated), not "0 displaced"
    const done = d.injects.find((x) => x.kind === 'evacuation-completed');
    expect(text).toContain(
      `本次模拟情况：AEGL-2范围内${Number(release.facts['aegl2']).toLocaleString('en-US')}人，转移${Number(done?.facts['people'] ?? 0).toLocaleString('en-US')}人`,
    );
    const due = d.injects.find((x) => x.kind === 'report-due')!;
    expect(due.minutes - release.minutes).toBe(60);
    expect(due.origin).toBe('world');
    expect(text).toContain('事故发生已满60分钟：上级应急管理部门来电询问事故信息报告情况。');
    if (d.injects.some((x) => x.kind === 'evacuation-started')) expect(text).toContain('转移车辆在警戒区上风向边缘集结');
    // the site by its zone, kind and substance, never its id
    expect(text).toContain('马桥镇（石化）化工园区（');
    expect(text.split('## 技术附注')[0]).not.toContain('maqiao-park');
    // calls about poisoned people 20 minutes after the release, to the alarm centre and the medical
    // group, with the people in the cloud's reach: a world inject the players get
    const calls = d.injects.find((x) => x.kind === 'casualties')!;
    expect(calls.minutes - release.minutes).toBe(20);
    expect(calls.origin).toBe('world');
    expect(calls.to.map((r) => r.role)).toEqual(['alarm', 'medical']);
    expect([calls.facts['aegl2'], calls.facts['aegl3']]).toEqual([release.facts['aegl2'], release.facts['aegl3']]);
    // by severity: the exposure bands, each person in one band (critical above AEGL-3, serious from
    // AEGL-2 to -3, mild from AEGL-1 to -2), summing to those above AEGL-1
    const [a1, a2, a3] = ['aegl1', 'aegl2', 'aegl3'].map((k) => Number(release.facts[k]));
    expect([calls.facts['critical'], calls.facts['serious'], calls.facts['mild']]).toEqual([a3, a2! - a3!, a1! - a2!]);
    const n = (x: number) => x.toLocaleString('en-US');
    const slips = renderDrill(d, 'md', { lang: 'zh', audience: 'players', compress: 1 });
    expect(slips).toContain(
      `危重（AEGL-3以上，可能危及生命）约${n(a3!)}人；重症（AEGL-2～AEGL-3，可能造成严重、持久伤害）约${n(a2! - a3!)}人`,
    );
    expect(slips).toContain('周边群众陆续求助');
    // then the designated hospital (played by the control cell) reports its walk-ins an hour after
    // the release, to the medical group and the headquarters: a world inject with the same bands
    const walkIns = d.injects.find((x) => x.kind === 'hospital-arrivals')!;
    expect(walkIns.minutes - release.minutes).toBe(60);
    expect(walkIns.origin).toBe('world');
    expect(walkIns.from.role).toBe('hospital');
    expect(walkIns.to.map((r) => r.role)).toEqual(['medical', 'hq']);
    expect(walkIns.facts['mild']).toBe(a1! - a2!);
    expect(slips).toContain(`定点救治医院报告：`);
    expect(slips).toContain(`轻症约${n(a1! - a2!)}人`);
  });
});

describe('an urban-fire drill', () => {
  it('follows the replication’s worst fire alone (by deaths, then loss), its loss the controller’s answer only', async () => {
    const annual = loadScenario('huantai/annual').scenario;
    const d = await buildDrill(annual, { replications: 40, hazard: 'urban-fires', severity: 'p90' });
    const trace = traceOf(d, annual);
    const fires = trace.events.filter((e) => e.kind === 'fire-controlled');
    expect(fires.length).toBeGreaterThan(1); // the fires of the horizon, of which the drill takes one
    const worst = [...fires].sort((a, b) => (b.deaths ?? 0) - (a.deaths ?? 0) || (b.lossCny ?? 0) - (a.lossCny ?? 0))[0]!;
    expect(d.fire).toMatchObject({ fires: trace.events.filter((e) => e.kind === 'fire-ignited').length, lossCny: worst.lossCny });
    // one call, its dispatch, its end: no other fire of the year
    const calls = d.injects.filter((x) => x.kind === 'fire');
    expect(calls).toHaveLength(1);
    expect(calls[0]!.facts['calls']).toBe(1);
    expect(trace.events[calls[0]!.events[0]!]!.incident).toBe(worst.incident);
    const controlled = d.injects.filter((x) => x.kind === 'fire-controlled');
    expect(controlled).toHaveLength(1);
    expect(controlled[0]!.answer).toEqual({ lossCny: worst.lossCny, deaths: worst.deaths });
    const zh = renderDrill(d, 'md', { lang: 'zh', audience: 'controller', compress: 1 });
    expect(zh).toContain(`本脚本只演练其中最严重的一起（先看死亡人数，再看损失）`);
    expect(zh).toContain('模型结果：直接经济损失');
    const slips = renderDrill(d, 'md', { lang: 'zh', audience: 'players', compress: 1 });
    expect(slips).not.toContain('直接经济损失');
    expect(slips).toContain('火警1起');
  });
});

describe('a flood drill’s shelters', () => {
  it('hear of the first displaced people arriving on their own three hours after the onset, at the largest shelter', async () => {
    const { scenario } = loadScenario('huantai/flood-50y');
    const d = await buildDrill(scenario, { replications: 40 });
    const onset = d.injects.find((x) => x.kind === 'flood')!;
    const x = d.injects.find((y) => y.kind === 'shelter-check')!;
    expect(x.minutes - onset.minutes).toBe(180);
    expect(x.origin).toBe('world');
    const largest = [...scenario.district.zones].sort((a, b) => b.shelterPlaces - a.shelterPlaces)[0]!;
    expect(x.zone).toBe(largest.id);
    expect(x.facts['places']).toBe(largest.shelterPlaces);
    const slips = renderDrill(d, 'md', { lang: 'zh', audience: 'players', compress: 1 });
    expect(slips).toContain(
      `${largest.nameZh}安置点（可安置${largest.shelterPlaces.toLocaleString('en-US')}人）报告：已有转移群众自行到达`,
    );
  });
});

describe('dsim drill --package', () => {
  it('writes the three documents in four formats and an index linking them', async () => {
    const dir = join(mkdtempSync(join(tmpdir(), 'dsim-package-')), 'drill');
    const r = await dsim(
      'drill',
      'validation/one-truck',
      '-n',
      '40',
      '--workers',
      '1',
      '--lang',
      'zh',
      '--package',
      dir,
      '--duration',
      '2h',
    );
    expect([r.code, r.err]).toEqual([0, expect.stringContaining('已将14个文件写入')]);
    const files = readdirSync(dir).sort();
    expect(files).toEqual(
      ['controller', 'evaluator', 'players']
        .flatMap((a) => DRILL_FORMATS.map((f) => `${a}.${f}`))
        .concat(['index.html', 'index.md'])
        .sort(),
    );
    const index = readFileSync(join(dir, 'index.md'), 'utf8');
    for (const f of files.filter((x) => !x.startsWith('index'))) expect(index).toContain(`(${f})`);
    // --duration 2h: the clock is compressed so the drill fits (the compression is written in the header)
    expect(readFileSync(join(dir, 'controller.md'), 'utf8')).toMatch(/模拟时间按\d+(\.\d+)?:1压缩/);
  });
});

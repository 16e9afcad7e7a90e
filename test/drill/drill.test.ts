/**
 * Drill scripts (issue 13): every inject stands for trace events of the chosen replication at their
 * times; the evaluation sheet's achieved values are that replication's KPIs, counted again here
 * from its trace; the severity choice is the replication the accumulator keeps; Chinese and English
 * scripts carry the same injects; the same arguments give the same bytes, on any executor.
 */
import { describe, expect, it } from 'vitest';
import { buildDrill } from '../../src/drill/build.js';
import { renderDrill } from '../../src/drill/render.js';
import type { Drill, InjectKind } from '../../src/drill/script.js';
import { LOSS_BIAS } from '../../src/kpi/loss-bias.js';
import type { TraceKind } from '../../src/response/trace.js';
import { WorkerPool } from '../../src/run/pool.js';
import { executeRun, resultOf } from '../../src/run/runner.js';
import { compile } from '../../src/scenario/compile.js';
import { loadScenario } from '../../src/scenario/load.js';
import { traceReplication } from '../../src/studies/trace.js';
import { dsim } from '../helpers.js';

/** The trace events each inject kind may stand for. */
const SOURCES: Record<InjectKind, readonly TraceKind[]> = {
  flood: ['flood'],
  'roads-closed': ['road-closed'],
  'roads-reopened': ['road-reopened'],
  'rescue-calls': ['alarm'],
  fire: ['alarm'],
  'fire-controlled': ['fire-controlled'],
  wildfire: ['wildfire-ignited'],
  'wildfire-crews': ['alarm'],
  'wildfire-contained': ['wildfire-contained'],
  release: ['release'],
  'shelter-ordered': ['shelter-ordered'],
  'evacuation-started': ['evacuation-started'],
  'evacuation-progress': ['evacuation-progress'],
  'release-stopped': ['release-stopped'],
  'evacuation-completed': ['evacuation-completed'],
  'first-relief': ['convoy-delivered'],
  'stock-out': ['stock-out'],
  'mutual-aid': ['mutual-aid-arrived'],
  deadline: ['deadline'],
  // before the onset (at the flood's warning lead time, and halfway): they stand for the flood
  warning: ['flood'],
  'water-level': ['flood'],
  // the report limit after a release, the first disaster report after a flood (they stand for the onset)
  'report-due': ['release'],
  'report-asked': ['flood'],
  // the calls about poisoned people after a release, the first arrivals at a shelter after a flood
  casualties: ['release'],
  'hospital-arrivals': ['release'],
  'shelter-check': ['flood'],
  end: [],
};
/** Injects the script adds around the trace: the warnings before the onset, the stand-down. */
const ADDED = new Set<InjectKind>([
  'warning',
  'water-level',
  'report-due',
  'report-asked',
  'casualties',
  'hospital-arrivals',
  'shelter-check',
  'end',
]);
/** Trace events that are situations (each must appear in exactly one inject); the rest are what players do. */
const SITUATIONS = new Set<TraceKind>([
  'flood',
  'road-closed',
  'road-reopened',
  'alarm',
  'fire-controlled',
  'wildfire-ignited',
  'wildfire-contained',
  'release',
  'shelter-ordered',
  'evacuation-started',
  'evacuation-progress',
  'release-stopped',
  'evacuation-completed',
  'stock-out',
  'mutual-aid-arrived',
  'deadline',
]);

const flood = loadScenario('huantai/flood-50y').scenario;
const N = 300;

function traceOf(d: Drill, scenario = flood) {
  const model = compile({ ...scenario, mode: 'event', hazards: scenario.hazards.filter((h) => h.id === d.hazard.id) });
  return traceReplication(model, d.seed, d.replication, model.targets);
}

describe('a flood drill (huantai/flood-50y, p90)', async () => {
  const d = await buildDrill(flood, { replications: N, severity: 'p90' });
  const trace = traceOf(d);

  it('picks the replication the accumulator keeps for the p90 of the share relieved', async () => {
    const run = resultOf(await executeRun(flood, { replications: N }));
    expect(d.replication).toBe(run.representativeReplications.reliefShare.p90);
    expect(d.choice).toMatchObject({ by: 'severity', severity: 'p90', kpi: 'reliefShare' });
    expect(d.choice.value).toBeCloseTo(trace.facts.relievedByDeadline / trace.facts.displaced, 12);
    // worse than about 90% of the replications (the representative lies in the p90's ≈1% bin)
    expect(d.choice.worseThan!).toBeGreaterThan(0.8);
    expect(d.choice.worseThan!).toBeLessThanOrEqual(0.9);
  });

  it('maps every inject to trace events of that replication at the inject’s time, and every situation to one inject', () => {
    expect(d.injects.length).toBeGreaterThan(10);
    expect(d.injects.length).toBeLessThanOrEqual(60);
    const used = new Map<number, number>();
    for (const x of d.injects) {
      if (ADDED.has(x.kind)) continue;
      expect(x.events.length, `inject ${x.n}`).toBeGreaterThan(0);
      expect(x.minutes, `inject ${x.n}`).toBe(trace.events[x.events[0]!]!.minutes);
      for (const i of x.events) {
        expect(SOURCES[x.kind], `inject ${x.n} ${x.kind}`).toContain(trace.events[i]!.kind);
        used.set(i, (used.get(i) ?? 0) + 1);
      }
    }
    trace.events.forEach((e, i) => {
      if (SITUATIONS.has(e.kind)) expect(used.get(i), `${e.kind} at ${e.minutes}`).toBe(1);
    });
    // numbered in time order
    expect(d.injects.map((x) => x.n)).toEqual(d.injects.map((_, k) => k + 1));
    for (let k = 1; k < d.injects.length; k++) expect(d.injects[k]!.minutes).toBeGreaterThanOrEqual(d.injects[k - 1]!.minutes);
  });

  it('opens with the warning at the flood’s lead time, has phases, ends with the stand-down, and invents no response level', () => {
    const onset = trace.events.find((e) => e.kind === 'flood')!;
    const [warning, level, first] = d.injects;
    expect([warning!.kind, level!.kind, first!.kind]).toEqual(['warning', 'water-level', 'flood']);
    expect(warning!.minutes).toBeCloseTo(onset.minutes - onset.warningLeadHours! * 60, 9);
    expect(warning!.phase).toBe('warning');
    expect(first!.phase).toBe('activation');
    expect(d.injects.at(-1)!.kind).toBe('end');
    expect(d.injects.at(-1)!.phase).toBe('recovery');
    // phases never go back (warning → activation → rescue/relief → recovery)
    const order = ['warning', 'activation', 'rescue', 'relief', 'recovery'];
    expect(order.indexOf(d.injects.at(-2)!.phase)).toBeLessThan(4);
    expect(first!.facts['people']).toBe(Math.round(onset.people!));
    // Huantai's plan defines no levels: none is given, and the controller is told to fill it in by the plan
    expect(d.injects.filter((x) => x.level !== undefined)).toEqual([]);
    const md = renderDrill(d, 'md', { lang: 'zh', audience: 'controller', compress: 1 });
    expect(md).toContain('《桓台县应急管理体系建设规划（2021—2025）》未规定响应分级，请按预案填写（本脚本不自拟级别）。');
    expect(md).not.toMatch(/[IV]+级/);
  });

  it('marks the turning points: the flood, the first road cut, the first late calls, the first stock-out, aid arriving, the deadline', () => {
    const decisive = d.injects.filter((x) => x.decisive).map((x) => x.kind);
    for (const k of ['flood', 'roads-closed', 'rescue-calls', 'stock-out', 'mutual-aid', 'deadline'] as const)
      expect(decisive).toContain(k);
    const deadline = d.injects.find((x) => x.kind === 'deadline')!;
    expect(deadline.minutes).toBe(10 * 60);
    expect(deadline.facts['relieved']).toBe(Math.round(trace.facts.relievedByDeadline));
  });

  it('gives each rescue-call inject the model’s answer, counted from the trace', () => {
    for (const x of d.injects.filter((y) => y.kind === 'rescue-calls')) {
      const incidents = x.events.map((i) => trace.events[i]!.incident!);
      const onScene = trace.events.filter((e) => e.kind === 'on-scene' && incidents.includes(e.incident!));
      expect(x.answer!['reached']).toBe(onScene.length);
      expect(x.answer!['late']).toBe(incidents.length - onScene.filter((e) => e.responseMinutes! <= 120).length);
      expect(x.facts['calls']).toBe(incidents.length);
    }
  });

  it('evaluates with what this replication achieved, counted again from its trace, and the run’s P(met)', async () => {
    const row = (id: string) => d.evaluation.find((e) => e.id === id)!;
    expect(row('relief-within-deadline').achieved).toBeCloseTo(trace.facts.relievedByDeadline / trace.facts.displaced, 12);
    const calls = trace.events.filter((e) => e.kind === 'alarm').length;
    const within = trace.events.filter((e) => e.kind === 'on-scene' && e.responseMinutes! <= 120).length;
    expect(row('response-time').achieved).toBeCloseTo(within / calls, 12);
    expect(row('response-time').met).toBe(within === calls);
    expect(row('loss-ratio').achieved).toBeCloseTo(trace.facts.lossCny / flood.district.gdpCnyPerYear, 12);
    const run = resultOf(await executeRun(flood, { replications: N }));
    for (const t of run.targets) expect(row(t.id).target).toEqual(t);
    expect(row('obs:response-mean').achieved).toBeCloseTo(
      trace.events.filter((e) => e.kind === 'on-scene').reduce((a, e) => a + e.responseMinutes!, 0) / trace.facts.responses,
      9,
    );
  });

  it('tells the same injects in Chinese and English, and the players get the injects without the answers', () => {
    const zh = JSON.parse(renderDrill(d, 'json', { lang: 'zh', audience: 'controller', compress: 1 }));
    const en = JSON.parse(renderDrill(d, 'json', { lang: 'en', audience: 'controller', compress: 1 }));
    const shape = (j: Drill) =>
      j.injects.map((x) => ({ n: x.n, minutes: x.minutes, kind: x.kind, events: x.events, from: x.from, to: x.to }));
    expect(shape(zh)).toEqual(shape(en));
    expect(zh.text.injects.map((x: { message: string }) => x.message)).not.toEqual(
      en.text.injects.map((x: { message: string }) => x.message),
    );
    const onset = d.injects.findIndex((x) => x.kind === 'flood');
    expect(zh.text.injects[onset].message).toBe(
      `预计发生50年一遇洪水，低洼地区约${Number(d.injects[onset]!.facts['people']).toLocaleString('en-US')}人需紧急转移。`,
    );
    // the players' slips: the world injects only, in the same words, with no answer and no outcome
    const players = JSON.parse(renderDrill(d, 'json', { lang: 'zh', audience: 'players', compress: 1 }));
    expect(players.kind).toBe('dsim.drill.slips');
    const world = zh.text.injects.filter((x: { origin: string }) => x.origin === 'world');
    expect(players.slips.map((x: { message: string }) => x.message)).toEqual(world.map((x: { message: string }) => x.message));
    expect(players.slips.length).toBeLessThan(zh.text.injects.length);
    expect(Object.keys(players.slips[0]).sort()).toEqual(['at', 'delivery', 'from', 'message', 'n', 'to']);
    expect(JSON.stringify(players)).not.toMatch(/evaluation|answer|deaths|态势卡/);
    const md = renderDrill(d, 'md', { lang: 'zh', audience: 'players', compress: 1 });
    expect(md).not.toContain('能力评估附表');
    expect(md).not.toContain('模型处置');
    expect(md.match(/【演练】 消息单 第\d+号/g)).toHaveLength(players.slips.length);
  });

  it('names stations, warehouses, fleets and mutual aid by their scenario names, not their ids, in either language', () => {
    const md = (lang: 'zh' | 'en') => renderDrill(d, 'md', { lang, audience: 'controller', compress: 1 });
    const { scenario } = loadScenario('huantai/flood-50y');
    const r = scenario.resources;
    const units = [...r.stations, ...r.warehouses, ...r.fleet, ...r.mutualAid];
    const zh = md('zh');
    const en = md('en');
    // every unit the script mentions appears by name, none by id
    const mentioned = units.filter((u) => zh.includes(u.nameZh!));
    expect(mentioned.map((u) => u.id)).toEqual(expect.arrayContaining(['county-reserve', 'zibo-reserve']));
    for (const u of units) {
      expect(zh, u.id).not.toContain(u.id);
      expect(en, u.id).not.toContain(u.id);
    }
    // a stock-out names its warehouse in the message; teams are told as station/type by name
    const stockOut = d.injects.find((x) => x.kind === 'stock-out' && x.from.unit === 'county-reserve')!;
    expect(zh).toMatch(new RegExp(`\\| ${stockOut.n} \\|[^\\n]*县应急物资储备中心[^\\n]*库存耗尽`));
    expect(zh).toMatch(/消防救援站\/水上救援 ×\d/);
    expect(en).toMatch(/fire station\/water rescue ×\d/);
  });

  it('states the back-tests’ loss bias beside the loss it reports, to controllers, not on the players’ slips', () => {
    const controller = renderDrill(d, 'md', { lang: 'zh', audience: 'controller', compress: 1 });
    expect(controller).toContain(`回测显示模型损失约为实际的${LOSS_BIAS.flood}倍`);
    expect(renderDrill(d, 'md', { lang: 'en', audience: 'controller', compress: 1 })).toContain(`about ${LOSS_BIAS.flood} times`);
    expect(renderDrill(d, 'md', { lang: 'zh', audience: 'players', compress: 1 })).not.toContain('回测显示');
  });

  it('maps simulated time to the drill clock: from --start, compressed', () => {
    const j = JSON.parse(renderDrill(d, 'json', { lang: 'en', audience: 'controller', compress: 2, start: '2027-07-21 06:00' }));
    const start = Date.UTC(2027, 6, 21, 6, 0);
    const first = d.injects[0]!.minutes;
    d.injects.forEach((x, k) => {
      const at = new Date(start + Math.round((x.minutes - first) / 2) * 60_000).toISOString().slice(0, 16).replace('T', ' ');
      expect(j.text.injects[k].at, `inject ${x.n}`).toBe(at);
    });
    const csv = renderDrill(d, 'csv', { lang: 'zh', audience: 'controller', compress: 1 });
    expect(
      csv.startsWith(
        '\ufeff序号,演练时间,模拟时间,阶段,类型,发送方,接收方,注入方式,情景信息,预期行动,关联目标,响应级别,关键,模型处置,负责导调员,实际注入时间,参演方响应记录\r\n',
      ),
    ).toBe(true);
    expect(csv.split('\r\n').filter((l) => l !== '')).toHaveLength(d.injects.length + 1);
  });

  it('is the same byte for byte for the same arguments, in one thread or on a pool', async () => {
    const pool = new WorkerPool(2);
    try {
      const again = await buildDrill(flood, { replications: N, severity: 'p90', executor: pool });
      for (const f of ['md', 'html', 'json', 'csv'] as const) {
        expect(renderDrill(again, f, { lang: 'zh', audience: 'controller', compress: 2, start: '2027-07-21 06:00' })).toBe(
          renderDrill(d, f, { lang: 'zh', audience: 'controller', compress: 2, start: '2027-07-21 06:00' }),
        );
      }
    } finally {
      await pool.close();
    }
  });
});

describe('a chemical release drill (huantai/annual --hazard chemical-parks)', async () => {
  const annual = loadScenario('huantai/annual').scenario;
  const d = await buildDrill(annual, { replications: 1000, severity: 'p99', hazard: 'chemical-parks' });
  const trace = traceOf(d, annual);

  it('runs the release alone as events and picks the p99 by deaths', async () => {
    const alone = { ...annual, mode: 'event' as const, hazards: annual.hazards.filter((h) => h.id === 'chemical-parks') };
    const run = resultOf(await executeRun(alone, { replications: 1000 }));
    expect(d.replication).toBe(run.representativeReplications.deaths.p99);
    expect(d.choice.kpi).toBe('deaths');
    expect(d.choice.value).toBe(trace.facts.deaths);
  });

  it('opens with the release, with no level taken from its deaths, then the evacuation of the AEGL-2 zone', () => {
    const release = d.injects[0]!;
    expect(release.kind).toBe('release');
    const deaths = trace.facts.deaths;
    // the plan defines no levels; a level from the final death toll (Decree 493 grades accidents afterwards) is not given
    expect(release.level).toBeUndefined();
    expect(release.answer!['deaths']).toBe(deaths);
    const evac = trace.events.find((e) => e.kind === 'evacuation-completed');
    if (evac) {
      expect(d.injects.at(-2)!.kind).toBe('evacuation-completed');
      expect(d.evaluation.find((e) => e.id === 'obs:aegl2-evacuation')!.achieved).toBeCloseTo(evac.minutes / 60, 12);
    }
    // targets a release cannot judge (relief of the displaced, rescue calls) are left off the sheet
    expect(d.evaluation.map((e) => e.id)).not.toContain('relief-within-deadline');
  });
});

describe('dsim drill on the command line', () => {
  it('writes the script, and refuses what it cannot use, naming the option', async () => {
    const r = await dsim('drill', 'validation/one-truck', '-n', '40', '--workers', '1', '--lang', 'en', '--format', 'md');
    expect(r.code).toBe(0);
    expect(r.out).toMatch(/^# Controller’s guide: Validation: one zone, one warehouse, one truck/);
    expect(r.out).toContain('## Capability annex (for planners)');
    const several = await dsim('drill', 'huantai/annual', '-n', '40', '--workers', '1', '--lang', 'en');
    expect(several.code).toBe(2);
    expect(several.err).toContain(
      'give --hazard ID to drill one of them: xiaoqing-backwater-50y, urban-fires, matahu-reed-fires, chemical-parks',
    );
    expect((await dsim('drill', 'huantai/annual', '--hazard', 'tsunami', '--lang', 'zh')).err).toContain(
      '--hazard tsunami：情景中没有此灾种',
    );
    expect((await dsim('drill', 'validation/one-truck', '--start', '2027-02-30 06:00', '--lang', 'en')).err).toContain(
      '--start: expected a date and time YYYY-MM-DD HH:mm, got "2027-02-30 06:00"',
    );
    expect((await dsim('drill', 'validation/one-truck', '--compress', '0.5', '--lang', 'en')).err).toContain(
      '--compress must be a number from 1 to 365 (simulated minutes per drill minute), got "0.5"',
    );
    expect((await dsim('drill', 'validation/one-truck', '--duration', 'soon', '--lang', 'en')).err).toContain(
      '--duration must be a drill length',
    );
    expect((await dsim('drill', 'validation/one-truck', '--format', 'pdf', '--lang', 'en')).code).toBe(2);
    expect((await dsim('drill', 'validation/one-truck', '-n', '40', '-r', '40', '--lang', 'en')).err).toContain('--replication 40');
  });
});

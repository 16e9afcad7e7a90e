import { availableParallelism } from 'node:os';
import stringWidth from 'string-width';
import { DsimError, ErrorCodes } from '../../errors.js';
import { formatMoney } from '../../i18n/format.js';
import { EN, itemName, type Lang, localName, type MessageKey, teamTypeName, t as tr } from '../../i18n/messages.js';
import { EXEMPLAR_KPIS } from '../../kpi/accumulator.js';
import { SEVERITIES } from '../../kpi/summary.js';
import { padToWidth } from '../../report/table.js';
import { evaluatedTargets, type Overrides, withOverrides } from '../../run/local.js';
import { executeRun, resultOf } from '../../run/runner.js';
import { compile } from '../../scenario/compile.js';
import { loadScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/schema.js';
import { traceReplication } from '../../studies/trace.js';
import { choiceOption, intOption, langOption, modeOption, parse } from '../args.js';
import { writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

const USAGE = COMMAND_USAGE.trace;

/** Day d, hh:mm of simulated minutes. */
function clock(minutes: number): string {
  const m = Math.floor(minutes);
  const d = Math.floor(m / 1440);
  const hh = String(Math.floor((m % 1440) / 60)).padStart(2, '0');
  const mm = String(m % 60).padStart(2, '0');
  return `${d > 0 ? `d${d} ` : ''}${hh}:${mm}`;
}

/** Prints one replication's timeline: replication N exactly as the run simulated it. */
export async function traceCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      replication: { type: 'string', short: 'r' },
      severity: { type: 'string' },
      kpi: { type: 'string' },
      replications: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      mode: { type: 'string' },
      json: { type: 'string' },
      lang: { type: 'string' },
    },
    USAGE,
  );
  const lang = langOption(values.lang);
  if (positionals.length !== 1) throw DsimError.of(ErrorCodes.USAGE, 'err.oneScenario', { command: 'trace' }, `\nusage: ${USAGE}`);
  let replication = intOption('replication', values.replication, 0, 1e12);
  const severity = choiceOption('severity', values.severity, SEVERITIES);
  if ((replication === undefined) === (severity === undefined)) {
    throw DsimError.of(ErrorCodes.USAGE, 'err.replicationOrSeverity', {}, `\nusage: ${USAGE}`);
  }
  const kpi = choiceOption('kpi', values.kpi, EXEMPLAR_KPIS) ?? 'reliefShare';
  const replications = intOption('replications', values.replications, 1, 10_000_000);
  const mode = modeOption(values.mode);
  const { scenario } = loadScenario(positionals[0]!);
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER) ?? scenario.seed;
  const overrides: Overrides = {
    ...(mode && { mode }),
    seed,
    ...(replications !== undefined && { replications }),
  };
  if (severity !== undefined) {
    // the run first (same seed and count as `dsim run`), then its representative replication
    const run = resultOf(await executeRun(scenario, { ...overrides, workers: availableParallelism() }));
    const picked = run.representativeReplications[kpi][severity];
    if (picked === null) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.kpiNoValue', { kpi });
    replication = picked;
    process.stderr.write(`dsim: ${tr(lang, 'trace.picked', { replication: picked, severity, kpi, replications: run.replications })}\n`);
  }
  const model = compile(withOverrides(scenario, overrides));
  const targets = evaluatedTargets(model, overrides);
  const t = traceReplication(model, seed, replication!, targets);
  if (values.json !== undefined) {
    writeOutput(values.json, `${JSON.stringify(t, null, 2)}\n`);
    if (values.json === '-') return 0;
  }
  const f = t.facts;
  const kindOf = (e: (typeof t.events)[number]) => tr(lang, `event.${e.kind}` as MessageKey);
  // widths by reduce: a long trace (validation/mmc: hundreds of thousands of events) overflows a spread
  const kindWidth = t.events.reduce((w, e) => Math.max(w, stringWidth(kindOf(e))), 4);
  const named = entityNamer(scenario, lang);
  const entityWidth = Math.min(
    40,
    t.events.reduce((w, e) => Math.max(w, stringWidth(named(e.entity))), 8),
  );
  const zoneWidth = Math.min(
    24,
    t.events.reduce((w, e) => Math.max(w, stringWidth(e.zone === undefined ? '' : named(e.zone))), 4),
  );
  const lines = [
    tr(lang, 'trace.header', {
      name: localName(lang, scenario),
      id: t.scenario.id,
      seed,
      replication: replication!,
      events: t.events.length,
    }),
    tr(lang, 'trace.facts', {
      displaced: Math.round(f.displaced).toLocaleString('en-US'),
      relieved: Math.round(f.relieved).toLocaleString('en-US'),
      byDeadline: Math.round(f.relievedByDeadline).toLocaleString('en-US'),
      hours: targets.reliefDeadlineHours,
      responses: f.responses,
      loss: formatMoney(lang, f.lossCny),
    }),
    '',
    ...t.events.map((e) => {
      const detail = [
        e.incident !== undefined ? tr(lang, 'trace.incident', { n: e.incident }) : '',
        e.responseMinutes !== undefined ? tr(lang, 'trace.response', { minutes: e.responseMinutes.toFixed(1) }) : '',
        e.people !== undefined && e.people > 0 ? tr(lang, 'trace.people', { people: Math.round(e.people) }) : '',
        e.areaHa !== undefined ? tr(lang, 'trace.burned', { ha: e.areaHa.toFixed(1) }) : '',
        e.items
          ? Object.entries(e.items)
              .map(([k, u]) => `${itemName(lang, k)} ${u}`)
              .join(', ')
          : '',
      ].filter((x) => x !== '');
      return `${clock(e.minutes).padStart(9)}  ${padToWidth(kindOf(e), kindWidth)} ${padToWidth(named(e.entity), entityWidth)} ${padToWidth(e.zone === undefined ? '' : named(e.zone), zoneWidth)} ${detail.join(lang === 'zh' ? '；' : '; ')}`;
    }),
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
  return 0;
}

/**
 * A trace entity in the reader's words: a team ("fire-maqiao/water-rescue#1") by its station's and
 * type's names, a vehicle ("support-fleet#3") by its fleet's, a warehouse or mutual aid by its
 * name, a zone and a road ("Z1-Z3") by their zones' names, a call as such; anything else as written.
 */
export function entityNamer(s: Scenario, lang: Lang): (entity: string) => string {
  const r = s.resources;
  const units = new Map<string, { name?: string | undefined; nameZh?: string | undefined }>();
  for (const u of [...r.stations, ...r.warehouses, ...r.fleet, ...(r.mutualAid ?? [])]) units.set(u.id, u);
  const zones = new Map(s.district.zones.map((z) => [z.id, z]));
  // a hazard by its kind's name and its id ("洪水 xiaoqing-backwater-50y")
  const hazards = new Map(s.hazards.map((h) => [h.id, h.type]));
  const unit = (id: string) => {
    const u = units.get(id);
    return (lang === 'zh' ? (u?.nameZh ?? u?.name) : u?.name) ?? id;
  };
  const zone = (id: string) => {
    const z = zones.get(id);
    return z ? localName(lang, z) : id;
  };
  return (entity) => {
    if (entity === 'incident') return tr(lang, 'trace.call');
    if (`targetName.${entity}` in EN) return tr(lang, `targetName.${entity}` as MessageKey);
    const first = /^(.+)\/first-response$/.exec(entity);
    if (first && hazards.has(first[1]!)) return tr(lang, 'trace.firstResponse');
    const team = /^(.+)\/([^/#]+)#(\d+)$/.exec(entity);
    if (team) return `${unit(team[1]!)} ${teamTypeName(lang, team[2]!)} ${team[3]}`;
    const vehicle = /^(.+)#(\d+)$/.exec(entity);
    if (vehicle && units.has(vehicle[1]!)) return `${unit(vehicle[1]!)} ${vehicle[2]}`;
    if (units.has(entity)) return unit(entity);
    if (zones.has(entity)) return zone(entity);
    const kind = hazards.get(entity);
    if (kind !== undefined && `hazardKind.${kind}` in EN) return `${tr(lang, `hazardKind.${kind}` as MessageKey)} ${entity}`;
    const road = /^(.+)-(.+)$/.exec(entity);
    if (road && zones.has(road[1]!) && zones.has(road[2]!)) return `${zone(road[1]!)}—${zone(road[2]!)}`;
    return entity;
  };
}

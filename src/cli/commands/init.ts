/**
 * `dsim init NAME [--from SCENARIO]`: a county's first scenario file, written to extend a bundled
 * one. It lists what a planner changes first — each warehouse's stock per item, each fleet's
 * vehicles, each station's teams, the relief deadline and share — with the base's current values,
 * each unit's name and the item's unit in comments, Chinese first. Values equal to the base change
 * nothing until edited (lists merge by id); a team list is written whole, as the overlay replaces
 * it. The file validates as written (tested).
 */
import { existsSync } from 'node:fs';
import { basename, extname } from 'node:path';
import { DsimError, ErrorCodes } from '../../errors.js';
import { itemName, type Lang, localName, t, teamTypeName } from '../../i18n/messages.js';
import { itemUnit } from '../../scenario/describe.js';
import { loadScenario } from '../../scenario/load.js';
import type { Scenario } from '../../scenario/schema.js';
import { langOption, parse } from '../args.js';
import { writeResult } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

/** The base a county starts from when `--from` is not given. */
export const DEFAULT_BASE = 'huantai/flood-50y';

const ID = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/;

/** A YAML scalar: numbers as written, strings quoted (JSON strings are YAML). */
const scalar = (v: unknown): string => (typeof v === 'number' || typeof v === 'boolean' ? String(v) : JSON.stringify(v));

/** A flat object as one YAML flow map. */
const flow = (o: Readonly<Record<string, unknown>>): string =>
  `{ ${Object.entries(o)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => `${k}: ${scalar(v)}`)
    .join(', ')} }`;

/** "中文 / English" for a comment. */
const both = (key: Parameters<typeof t>[1], params: Readonly<Record<string, string | number>> = {}) =>
  `${t('zh', key, params)} / ${t('en', key, params)}`;

const names = (x: { readonly id: string; readonly name?: string | undefined; readonly nameZh?: string | undefined }) =>
  [...new Set([x.nameZh, x.name].filter((n) => n !== undefined))].join(' / ') || x.id;

/** The starting file's text: a scenario extending `base` (named `baseRef`), with id `id`. */
export function starterYaml(base: Scenario, baseRef: string, id: string): string {
  const unit = (lang: Lang, item: string) => itemUnit(base, item, lang) ?? '';
  const lines: string[] = [
    `# ${t('zh', 'init.h1', { base: localName('zh', base), id: base.id })}`,
    `# ${t('en', 'init.h1', { base: localName('en', base), id: base.id })}`,
    `# ${t('zh', 'init.h2')}`,
    `# ${t('en', 'init.h2')}`,
    `# ${t('zh', 'init.h3')}`,
    `# ${t('en', 'init.h3')}`,
    '#',
    `#   npx dsim validate ${id}.yaml --lang zh`,
    `#   npx dsim run ${id}.yaml --lang zh --report ${id}.html`,
    `#   npx dsim binds ${id}.yaml --lang zh`,
    `extends: ${baseRef}`,
    `id: ${id}`,
    `name: ${scalar(`${id}: ${base.name}`)}`,
    `nameZh: ${scalar(`${id}：${localName('zh', base)}`)}`,
    `seed: ${base.seed}`,
    '',
  ];
  const r = base.resources;
  lines.push('resources:');
  if (r.warehouses.length > 0) {
    lines.push(`  # ${both('init.warehouses')}`, '  warehouses:');
    for (const w of r.warehouses) {
      lines.push(`    - id: ${w.id}  # ${names(w)}`);
      lines.push(`      stock: ${flow(w.stock)}`);
      const en = (i: string) => (unit('en', i) === itemName('en', i) ? itemName('en', i) : `${itemName('en', i)} (${unit('en', i)})`);
      const items = Object.keys(w.stock).map((i) => `${itemName('zh', i)}（${unit('zh', i)}）${en(i)}`);
      lines.push(`      # ${items.join(' · ')}`);
    }
  }
  if (r.fleet.length > 0) {
    lines.push(`  # ${both('init.fleet')}`, '  fleet:');
    for (const f of r.fleet) lines.push(`    - { id: ${f.id}, count: ${f.count} }  # ${names(f)}`);
  }
  if (r.stations.length > 0) {
    lines.push(`  # ${both('init.stations')}`, '  stations:');
    for (const s of r.stations) {
      lines.push(`    - id: ${s.id}  # ${names(s)}`, '      teams:');
      for (const team of s.teams)
        lines.push(
          `        - ${flow(team as Record<string, unknown>)}  # ${teamTypeName('zh', team.type)} / ${teamTypeName('en', team.type)}`,
        );
    }
  }
  lines.push(
    '',
    `# ${both('init.targets')}`,
    'targets:',
    `  reliefDeadlineHours: ${base.targets.reliefDeadlineHours}  # ${both('init.deadline')}`,
    `  reliefShare: ${base.targets.reliefShare}`,
    '',
  );
  return lines.join('\n');
}

/** `dsim init NAME [--from SCENARIO] [--force]`: writes NAME.yaml in this folder. */
export function initCommand(args: string[]): number {
  const { values, positionals } = parse(
    args,
    { from: { type: 'string' }, force: { type: 'boolean' }, lang: { type: 'string' } },
    COMMAND_USAGE.init,
  );
  if (positionals.length !== 1) throw DsimError.of(ErrorCodes.USAGE, 'err.initName', {}, `\nusage: ${COMMAND_USAGE.init}`);
  const raw = positionals[0]!;
  const file = extname(raw) === '.yaml' || extname(raw) === '.yml' ? raw : `${raw}.yaml`;
  const id = basename(file).replace(/\.ya?ml$/, '');
  if (!ID.test(id)) throw DsimError.of(ErrorCodes.USAGE, 'err.initId', { id });
  if (existsSync(file) && !values.force) throw DsimError.of(ErrorCodes.OUTPUT, 'err.initExists', { file });
  const from = values.from ?? DEFAULT_BASE;
  const { scenario } = loadScenario(from);
  const text = starterYaml(scenario, scenario.id, id);
  writeResult(file, text);
  process.stdout.write(`${t(langOption(values.lang), 'init.written', { file, base: scenario.id })}\n`);
  return 0;
}

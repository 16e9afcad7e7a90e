/**
 * `dsim migrate FILE`: a scenario written for an older engine, upgraded in place (its comments
 * and order kept), the original kept beside it as FILE.bak (or FILE.bak1, … : never overwritten),
 * and the result validated. `--out FILE|-` writes the upgrade elsewhere and leaves FILE alone.
 */
import { copyFileSync, existsSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { parseDocument } from 'yaml';
import { DsimError, ErrorCodes, ScenarioError } from '../../errors.js';
import { type Lang, t } from '../../i18n/messages.js';
import { displayPath, parseScenario, readScenarioFile } from '../../scenario/load.js';
import { migrateDocument } from '../../scenario/migrate.js';
import { langOption, parse } from '../args.js';
import { writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

export function migrateCommand(args: string[]): number {
  const { values, positionals } = parse(args, { out: { type: 'string' }, lang: { type: 'string' } }, COMMAND_USAGE.migrate);
  const lang = langOption(values.lang);
  if (positionals.length !== 1) throw DsimError.of(ErrorCodes.USAGE, 'migrate.one', {}, `\nusage: ${COMMAND_USAGE.migrate}`);
  const arg = positionals[0]!;
  if (!existsSync(arg) || !statSync(arg).isFile()) throw DsimError.of(ErrorCodes.SCENARIO_NOT_FOUND, 'err.scenarioNotFound', { name: arg });
  const file = resolve(arg);
  const shown = displayPath(file);
  const original = readScenarioFile(file);
  const doc = parseDocument(original, { uniqueKeys: true });
  // not YAML at all: the loader tells where, with the line
  if (doc.errors.length > 0) parseScenario(original, shown);
  const notices = migrateDocument(doc);
  const say = (line: string) => process.stderr.write(`${line}\n`);
  if (notices.length === 0) {
    say(t(lang, 'migrate.none', { file: shown }));
    return 0;
  }
  for (const n of notices) say(`${shown}: ${t(lang, n.key, { path: n.path })}`);
  const text = doc.toString({ lineWidth: 0 });
  const target = values.out ?? file;
  if (target === file) {
    const backup = freeName(`${file}.bak`);
    copyFileSync(file, backup);
    writeOutput(file, text);
    say(t(lang, 'migrate.written', { file: shown, backup: displayPath(backup) }));
  } else {
    writeOutput(target, text);
    if (target !== '-') say(t(lang, 'migrate.writtenTo', { file: shown, target }));
  }
  return validated(text, target === '-' ? shown : displayPath(resolve(target)), dirname(file), lang);
}

/** The first of NAME, NAME1, NAME2, … that does not exist. */
function freeName(name: string): string {
  let k = 0;
  while (existsSync(k === 0 ? name : `${name}${k}`)) k++;
  return k === 0 ? name : `${name}${k}`;
}

/** Checks the upgraded text; 0 when it is a valid scenario now, 3 with its problems otherwise. */
function validated(text: string, shown: string, dir: string, lang: Lang): number {
  try {
    const s = parseScenario(text, shown, dir);
    process.stderr.write(`${t(lang, 'validate.ok', { file: shown, id: s.id })}\n`);
    return 0;
  } catch (e) {
    if (!(e instanceof ScenarioError)) throw e;
    process.stderr.write(`${e.text(lang)}\n`);
    return 3;
  }
}

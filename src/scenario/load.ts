/**
 * Reading scenario files: YAML text → plain data → zod-validated `Scenario` → cross-reference
 * checks. Every problem is collected (not thrown one at a time) and reported with the file, the
 * path inside it and, for YAML syntax errors, the line.
 */
import { existsSync, readdirSync, readFileSync, realpathSync, statSync } from 'node:fs';
import { dirname, isAbsolute, join, relative, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseDocument } from 'yaml';
import type { z } from 'zod';
import { DsimError, ErrorCodes, issue, ScenarioError, type ScenarioIssue } from '../errors.js';
import { decode } from '../geo/text.js';
import { EN, type MessageKey } from '../i18n/messages.js';
import { DEFAULT_ITEM_PRIORITY, DEFAULT_RELIEF_NORMS } from './defaults.js';
import { isObject } from './fields.js';
import { pendingUpgrades } from './migrate.js';
import { checkReferences } from './references.js';
import { type Scenario, scenarioSchema } from './schema.js';

/** The folder of bundled scenarios (works from src/ under vitest and from dist/). */
export const SCENARIO_DIR = fileURLToPath(new URL('../../scenarios/', import.meta.url));

const MAX_FILE_BYTES = 5_000_000;

/** Formats a zod/JS path as `a.b[2].c`. */
export function formatPath(path: readonly PropertyKey[]): string {
  let out = '';
  for (const p of path) {
    if (typeof p === 'number') out += `[${p}]`;
    else out += out === '' ? String(p) : `.${String(p)}`;
  }
  return out;
}

/** Parses YAML text into plain data, or returns the syntax issues with their lines. */
export function parseYaml(text: string): { data: unknown; issues: ScenarioIssue[] } {
  if (text.trim() === '') return { data: undefined, issues: [issue('', 'empty', 'err.empty')] };
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: true });
  if (doc.errors.length > 0) {
    const issues = doc.errors.map((e) => {
      const line = e.linePos?.[0]?.line;
      const detail = (e.message.split('\n')[0] ?? '').replace(/ at line \d+, column (\d+):?$/, ' (column $1)');
      return issue('', 'yaml', 'err.yaml', { detail }, line);
    });
    return { data: undefined, issues };
  }
  let data: unknown;
  try {
    data = doc.toJS({ maxAliasCount: 100 });
  } catch (e) {
    // e.g. an alias bomb ("billion laughs"): YAML that expands beyond what a scenario needs
    return { data: undefined, issues: [issue('', 'yaml', 'err.yamlExpand', { detail: (e as Error).message })] };
  }
  if (data === null || data === undefined) {
    return { data, issues: [issue('', 'empty', 'err.noScenario')] };
  }
  return { data, issues: [] };
}

/** What was found: the value itself where that is short (numbers, strings), else its kind, told in the issue's language. */
function describe(value: unknown): string | { key: MessageKey } {
  if (value === null) return { key: 'type.null' };
  if (Array.isArray(value)) return { key: 'type.array' };
  if (typeof value === 'number') return Number.isFinite(value) ? String(value) : `${value} (not finite)`;
  if (typeof value === 'string') return JSON.stringify(value.length > 40 ? `${value.slice(0, 40)}…` : value);
  return typeAt(typeof value);
}

/** A JSON type's name as the catalogue has it (`type.number` …), for the issue's parameters. */
function typeAt(name: string): string | { key: MessageKey } {
  const key = TYPE_KEYS[name];
  return key ? { key } : name;
}

const TYPE_KEYS: Record<string, MessageKey> = {
  number: 'type.number',
  int: 'type.number',
  string: 'type.string',
  boolean: 'type.boolean',
  object: 'type.object',
  array: 'type.array',
  null: 'type.null',
};

function valueAt(data: unknown, path: readonly PropertyKey[]): unknown {
  let v: unknown = data;
  for (const p of path) {
    if (v === null || typeof v !== 'object') return undefined;
    v = (v as Record<PropertyKey, unknown>)[p];
  }
  return v;
}

/** Picks the most informative branch of a failed union (the one that got past the type check). */
function unionBranch(issue: z.core.$ZodIssueInvalidUnion): z.core.$ZodIssue[] | undefined {
  const specific = issue.errors.filter((branch) =>
    branch.some((i) => i.path.length > 0 || (i.code !== 'invalid_type' && i.code !== 'invalid_value')),
  );
  return specific.length === 1 ? specific[0] : undefined;
}

/** Turns zod issues into dsim issues: one per problem, with a path and what was expected, told from the catalogue. */
export function zodIssues(error: { readonly issues: readonly z.core.$ZodIssue[] }, data: unknown): ScenarioIssue[] {
  const out: ScenarioIssue[] = [];
  const visit = (zi: z.core.$ZodIssue, prefix: readonly PropertyKey[]): void => {
    const path = [...prefix, ...zi.path];
    const where = formatPath(path);
    const got = describe(valueAt(data, path));
    if (zi.code === 'unrecognized_keys') {
      for (const key of zi.keys) out.push(issue(formatPath([...path, key]), 'unknown_key', 'err.unknownKey'));
      return;
    }
    if (zi.code === 'invalid_union') {
      const branch = unionBranch(zi);
      if (branch) {
        for (const i of branch) visit(i, path);
        return;
      }
      const options = (zi as { options?: unknown[] }).options;
      out.push(
        options
          ? issue(where, 'invalid_union', 'err.oneOf', { options: options.map((o) => JSON.stringify(o)).join(', '), got })
          : issue(where, 'invalid_union', 'err.distribution', { got }),
      );
      return;
    }
    if (zi.code === 'invalid_type') {
      const expected = typeAt(zi.expected);
      out.push(
        valueAt(data, path) === undefined
          ? issue(where, zi.code, 'err.missing', { expected })
          : issue(where, zi.code, 'err.expectedGot', { expected, got }),
      );
    } else if (zi.code === 'invalid_value') {
      out.push(issue(where, zi.code, 'err.oneOf', { options: zi.values.map((o) => JSON.stringify(o)).join(', '), got }));
    } else if (zi.code === 'too_small' || zi.code === 'too_big') {
      const small = zi.code === 'too_small';
      const bound = String(small ? zi.minimum : zi.maximum);
      const numeric = zi.origin === 'number' || zi.origin === 'int' || zi.origin === 'bigint';
      const op = small ? (zi.inclusive === false ? '>' : '>=') : zi.inclusive === false ? '<' : '<=';
      const key: MessageKey = numeric ? (small ? 'err.numberMin' : 'err.numberMax') : small ? 'err.sizeMin' : 'err.sizeMax';
      out.push(issue(where, zi.code, key, { op, bound, got }));
    } else {
      // a refinement names its catalogue message in params.key; else zod's English is all there is
      const key = zi.code === 'custom' ? zi.params?.['key'] : undefined;
      out.push(
        typeof key === 'string' && key in EN
          ? issue(where, zi.code, key as MessageKey)
          : { path: where, code: zi.code, message: zi.message },
      );
    }
  };
  for (const zi of error.issues) visit(zi, []);
  return out;
}

/** Raw data with the schema's list and norm defaults filled in, so references can be followed before defaults apply. */
function withListDefaults(data: unknown): unknown {
  if (!isObject(data)) return data;
  const r = isObject(data['resources']) ? data['resources'] : {};
  const roads = isObject(data['roads']) ? data['roads'] : {};
  const response = isObject(data['response']) ? data['response'] : {};
  return {
    ...data,
    roads: { links: [], ...roads },
    resources: { stations: [], warehouses: [], fleet: [], mutualAid: [], ...r },
    reliefNorms: data['reliefNorms'] ?? DEFAULT_RELIEF_NORMS,
    response: { itemPriority: [...DEFAULT_ITEM_PRIORITY], ...response },
    hazards: Array.isArray(data['hazards']) ? data['hazards'] : [],
  };
}

/** Validates already-parsed data; throws ScenarioError listing every problem. */
export function validateScenario(data: unknown, file: string): Scenario {
  const parsed = scenarioSchema().safeParse(data);
  if (!parsed.success) {
    const issues = zodIssues(parsed.error, data);
    // Where the structure allows, reference problems are reported with the schema's, not after them.
    let refs: ScenarioIssue[] = [];
    try {
      refs = checkReferences(withListDefaults(data) as Scenario, true);
    } catch {
      // the structure is too broken to follow references; the schema issues say why
    }
    const seen = new Set(issues.map((i) => i.path));
    // fields of an older engine: say what upgrades them
    const old = pendingUpgrades(data).length > 0 ? [issue('', 'migrate', 'err.migrateHint', { file })] : [];
    throw new ScenarioError(file, [...issues, ...refs.filter((i) => !seen.has(i.path)), ...old]);
  }
  const refIssues = checkReferences(parsed.data);
  if (refIssues.length > 0) throw new ScenarioError(file, refIssues);
  return parsed.data;
}

/** Parses and validates scenario text (YAML or JSON); `extends` is resolved against `dir` when given. */
export function parseScenario(text: string, file: string, dir?: string): Scenario {
  const { data, issues } = parseYaml(text);
  if (issues.length > 0) throw new ScenarioError(file, issues);
  return validateScenario(dir === undefined ? data : resolveExtends(data, file, dir, [file]), file);
}

/** A list the overlay merges item by item: every item an object with a string `id`. */
const byId = (xs: unknown): xs is Record<string, unknown>[] =>
  Array.isArray(xs) && xs.length > 0 && xs.every((x) => isObject(x) && typeof x['id'] === 'string');

/**
 * Overlays `child` on `base`: objects merge key by key; lists whose items all have an `id` merge
 * item by item (same id: merged; new id: appended); any other value replaces. An object given a
 * new `name` and no `nameZh` loses the parent's `nameZh`.
 */
export function overlay(base: unknown, child: unknown): unknown {
  if (isObject(base) && isObject(child)) {
    const out: Record<string, unknown> = { ...base };
    for (const [k, v] of Object.entries(child)) out[k] = k in base ? overlay(base[k], v) : v;
    // a new name without a Chinese one must not keep the parent's: zh output would show the
    // parent's name for the variant
    if ('name' in child && !('nameZh' in child)) delete out['nameZh'];
    return out;
  }
  if (byId(base) && byId(child)) {
    const out = [...base];
    for (const c of child) {
      const i = out.findIndex((b) => b['id'] === c['id']);
      if (i >= 0) out[i] = overlay(out[i], c) as Record<string, unknown>;
      else out.push(c);
    }
    return out;
  }
  return child;
}

/**
 * Items of `child`'s lists with ids that `base` lacks at the same place (the overlay would append
 * them): one issue each at `path`, naming the ids there are. Overrides change what a scenario has;
 * a misspelled id must not add a warehouse.
 */
export function appendedByOverlay(base: unknown, child: unknown, path: string): ScenarioIssue[] {
  if (isObject(base) && isObject(child))
    return Object.entries(child).flatMap(([k, v]) => (k in base ? appendedByOverlay(base[k], v, `${path}.${k}`) : []));
  if (!byId(base) || !Array.isArray(child)) return [];
  const known = base.map((b) => b['id'] as string);
  return child.flatMap((c, i) => {
    if (!isObject(c) || typeof c['id'] !== 'string') return [];
    const at = base.find((b) => b['id'] === c['id']);
    if (at === undefined) return [issue(`${path}[${i}].id`, 'unknown_id', 'api.unknownId', { id: c['id'], known: known.join(', ') })];
    return appendedByOverlay(at, c, `${path}[${i}]`);
  });
}

/**
 * A scenario may say `extends: other.yaml` (a file in the same folder or below it) and give only
 * what differs; or it may name a bundled scenario, by name (`huantai/flood-50y`) or by id
 * (`huantai-flood-50y`), from any folder: a county's file starts from one of ours. A file next to
 * it wins over a bundled one of the same name. Chains are followed; cycles and paths leaving the
 * folder are errors.
 */
function resolveExtends(data: unknown, file: string, dir: string, chain: string[], root = dir): unknown {
  if (!isObject(data) || data['extends'] === undefined) return data;
  const { extends: parent, ...rest } = data;
  const fail = (message: string): never => {
    throw new ScenarioError(file, [{ path: 'extends', code: 'invalid_extends', message }]);
  };
  if (typeof parent !== 'string' || parent === '')
    return fail('expected the name of a scenario file in the same folder, or a bundled scenario (dsim list)');
  let target = resolve(dir, parent);
  let parentRoot = root;
  const inside = (p: string, folder: string): boolean => {
    const rel = relative(folder, p);
    return !(rel.startsWith('..') || isAbsolute(rel));
  };
  const here = inside(target, root) && existsSync(target) && statSync(target).isFile();
  if (!here) {
    const bundled = bundledFile(parent);
    if (bundled === undefined) {
      if (!inside(target, root)) return fail(`"${parent}" is outside this scenario's folder and is not a bundled scenario`);
      return fail(`"${parent}": no such file next to this scenario, nor a bundled scenario of that name or id (dsim list)`);
    }
    target = bundled;
    parentRoot = dirname(bundled);
  }
  // Symbolic links are followed only when they stay inside the folder.
  if (!inside(realpathSync(target), realpathSync(parentRoot)))
    return fail(`"${parent}" is a link to a file outside this scenario's folder`);
  const shown = displayPath(target);
  if (chain.includes(shown)) return fail(`"${parent}" extends back to this file (${[...chain, shown].join(' -> ')})`);
  const { data: base, issues } = parseYaml(readScenarioFile(target));
  if (issues.length > 0) throw new ScenarioError(shown, issues);
  return overlay(resolveExtends(base, shown, dirname(target), [...chain, shown], parentRoot), rest);
}

/** The file of a bundled scenario named by its name (`huantai/flood-50y`) or its id (`huantai-flood-50y`), if any. */
export function bundledFile(nameOrId: string): string | undefined {
  try {
    return resolveScenarioPath(nameOrId, false);
  } catch {
    // not a bundled name: an id?
  }
  if (!/^[A-Za-z0-9][A-Za-z0-9_.-]{0,63}$/.test(nameOrId)) return undefined;
  for (const name of listBundled()) {
    const file = resolveScenarioPath(name, false);
    const id = /^id:\s*["']?([A-Za-z0-9_.-]+)["']?\s*$/m.exec(readFileSync(file, 'utf8'))?.[1];
    if (id === nameOrId) return file;
  }
  return undefined;
}

/**
 * Resolves what a user typed: an existing file path, or a bundled scenario name such as
 * `huantai/flood-50y` (with or without `.yaml`) under scenarios/.
 */
export function resolveScenarioPath(arg: string, files = true): string {
  if (files && existsSync(arg) && statSync(arg).isFile()) return resolve(arg);
  const candidates = [arg, `${arg}.yaml`, `${arg}.yml`].map((c) => resolve(SCENARIO_DIR, c));
  for (const c of candidates) {
    const rel = relative(SCENARIO_DIR, c);
    if (rel.startsWith('..') || isAbsolute(rel)) continue; // never step outside the scenario folder
    if (!existsSync(c) || !statSync(c).isFile()) continue;
    const real = relative(realpathSync(SCENARIO_DIR), realpathSync(c));
    if (real.startsWith('..') || isAbsolute(real)) continue; // nor through a link
    return c;
  }
  throw DsimError.of(ErrorCodes.SCENARIO_NOT_FOUND, 'err.scenarioNotFound', { name: arg });
}

/** Reads a scenario file (or a parent it extends) within the size limit. */
export function readScenarioFile(file: string): string {
  const size = statSync(file).size;
  if (size > MAX_FILE_BYTES) {
    throw new ScenarioError(displayPath(file), [issue('', 'too_big', 'err.fileTooBig', { size, max: MAX_FILE_BYTES })]);
  }
  const bytes = readFileSync(file);
  const shown = displayPath(file);
  // Windows Notepad's "Unicode" (UTF-16) cannot be YAML text here: refused with the fix.
  if ((bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0xfe && bytes[1] === 0xff))
    throw new ScenarioError(shown, [issue('', 'encoding', 'err.utf16')]);
  const { text, encoding } = decode(bytes);
  if (encoding === 'gbk') {
    // Notepad's "ANSI" on a Chinese Windows: GBK, read as GB18030 (its superset), and said.
    if (text.includes('\uFFFD')) throw new ScenarioError(shown, [issue('', 'encoding', 'err.notText')]);
    notice('notice.gbk', { file: shown });
  }
  return text;
}

type Notice = (key: MessageKey, params: Readonly<Record<string, string>>) => void;
let notice: Notice = () => {};

/**
 * Where the loader tells what it did that the user should know and that is not an error (a file
 * read as GBK): the CLI prints it on stderr in the user's language; by default it is dropped.
 */
export function onNotice(f: Notice): void {
  notice = f;
}

/** Loads a scenario from a path or bundled name. */
export function loadScenario(arg: string): { scenario: Scenario; file: string } {
  const file = resolveScenarioPath(arg);
  return { scenario: parseScenario(readScenarioFile(file), displayPath(file), dirname(file)), file };
}

/** A path as the user would like to read it: relative to the working directory when inside it. */
export function displayPath(file: string): string {
  const rel = relative(process.cwd(), file);
  return rel.startsWith('..') || isAbsolute(rel) ? file : rel;
}

/** Lists the bundled scenarios as names usable with `dsim run`. */
export function listBundled(dir = SCENARIO_DIR, prefix = ''): string[] {
  const out: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true }).sort((a, b) => a.name.localeCompare(b.name))) {
    if (entry.isDirectory()) out.push(...listBundled(join(dir, entry.name), `${prefix}${entry.name}/`));
    else if (/\.ya?ml$/.test(entry.name)) out.push(`${prefix}${entry.name.replace(/\.ya?ml$/, '')}`);
  }
  return out;
}

/**
 * `--set PATH=VALUE`: one value of a scenario changed by its path, for comparisons, sweeps and
 * sizing. A path is keys joined by dots; a list item is picked by `[id]` (the item whose `id` is
 * that) or `[n]` (its index): `resources.fleet[support-fleet].count`,
 * `resources.warehouses[county-reserve].stock.bedding`, `hazards[0].event.returnPeriodYears`.
 * The scenario is validated again afterwards, so a value out of range is reported with its path.
 */
import { DsimError, ErrorCodes, type Params } from '../errors.js';
import type { MessageKey } from '../i18n/messages.js';
import { isObject } from './fields.js';
import type { Scenario } from './schema.js';

type Step = { readonly key: string } | { readonly id: string } | { readonly index: number };

function bad(path: string, key: MessageKey, params: Params = {}): never {
  throw DsimError.of(ErrorCodes.RUN_OPTION, key, { path, ...params });
}

/** Splits a path into steps; throws naming the path when it does not parse. */
export function parsePath(path: string): Step[] {
  const steps: Step[] = [];
  const re = /([A-Za-z_][A-Za-z0-9_]*)|\[([^\]]+)\]|(\.)/y;
  let expectKey = true;
  let i = 0;
  while (i < path.length) {
    re.lastIndex = i;
    const m = re.exec(path);
    if (!m) bad(path, 'err.setUnreadable', { rest: path.slice(i) });
    if (m[1] !== undefined) {
      if (!expectKey) bad(path, 'err.setDotBefore', { key: m[1] });
      steps.push({ key: m[1] });
      expectKey = false;
    } else if (m[2] !== undefined) {
      const sel = m[2].trim();
      steps.push(/^\d+$/.test(sel) ? { index: Number(sel) } : { id: sel });
      expectKey = false;
    } else {
      if (expectKey) bad(path, 'err.setDotAfter');
      expectKey = true;
    }
    i = re.lastIndex;
  }
  if (steps.length === 0 || expectKey) bad(path, 'err.setEmpty');
  return steps;
}

/** A value as typed: a number, true/false, JSON for objects and lists, else the text. */
export function parseValue(raw: string): unknown {
  const t = raw.trim();
  if (/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(t)) return Number(t);
  if (t === 'true' || t === 'false') return t === 'true';
  if (t.startsWith('{') || t.startsWith('[')) {
    try {
      return JSON.parse(t);
    } catch {
      // not JSON: kept as text, and the schema will say what was expected
    }
  }
  return t;
}

/** `PATH=VALUE` split at the first "=". */
export function parseAssignment(arg: string): { path: string; value: unknown } {
  const eq = arg.indexOf('=');
  if (eq <= 0) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.setForm', { arg });
  return { path: arg.slice(0, eq).trim(), value: parseValue(arg.slice(eq + 1)) };
}

/** A copy of `data` with the value at `path` replaced (the path must exist up to its last key). */
export function setPath(data: unknown, path: string, value: unknown): unknown {
  const steps = parsePath(path);
  const at = (node: unknown, k: number): unknown => {
    const step = steps[k]!;
    const last = k === steps.length - 1;
    if ('key' in step) {
      if (!isObject(node)) bad(path, 'err.setNotObject', { key: step.key });
      if (!last && !(step.key in node)) bad(path, 'err.setNoKey', { key: step.key, keys: Object.keys(node).join(', ') });
      return { ...node, [step.key]: last ? value : at(node[step.key], k + 1) };
    }
    if (!Array.isArray(node)) bad(path, 'err.setNoList');
    const i = 'index' in step ? step.index : node.findIndex((x) => isObject(x) && x['id'] === step.id);
    if (i < 0 || i >= node.length) {
      const ids = node
        .filter(isObject)
        .map((x) => x['id'])
        .filter((x) => typeof x === 'string');
      if ('id' in step) bad(path, 'err.setNoId', { id: step.id, ids: ids.join(', ') });
      bad(path, 'err.setIndex', { index: i, count: node.length });
    }
    const out = [...node];
    out[i] = last ? value : at(node[i], k + 1);
    return out;
  };
  return at(data, 0);
}

/** The value at `path`, or undefined. */
export function getPath(data: unknown, path: string): unknown {
  let node = data;
  for (const step of parsePath(path)) {
    if ('key' in step) node = isObject(node) ? node[step.key] : undefined;
    else if (Array.isArray(node)) node = 'index' in step ? node[step.index] : node.find((x) => isObject(x) && x['id'] === step.id);
    else return undefined;
  }
  return node;
}

/**
 * The leaves of a partial scenario (overrides) as assignments, the inverse of `setPath`: keys by
 * dots, list items by `[id]` where they have one (else `[n]`); a list of plain values is one leaf.
 */
export function leafAssignments(partial: unknown, prefix = ''): { path: string; value: unknown }[] {
  if (isObject(partial)) {
    return Object.entries(partial).flatMap(([k, v]) =>
      k === 'id' && prefix !== '' ? [] : leafAssignments(v, prefix === '' ? k : `${prefix}.${k}`),
    );
  }
  if (Array.isArray(partial) && partial.some((x) => isObject(x) || Array.isArray(x))) {
    return partial.flatMap((x, i) => leafAssignments(x, `${prefix}[${isObject(x) && typeof x['id'] === 'string' ? x['id'] : i}]`));
  }
  return prefix === '' ? [] : [{ path: prefix, value: partial }];
}

/** Applies assignments in order (validation is the caller's: `validateScenario` names the path). */
export function applySets(s: Scenario, sets: readonly { path: string; value: unknown }[]): unknown {
  let data: unknown = s;
  for (const a of sets) data = setPath(data, a.path, a.value);
  return data;
}

/** The number at `path`; throws naming the path (and the ids or keys there) when there is none. */
export function numberAt(data: unknown, path: string): number {
  setPath(data, path, 0); // follows the path, saying where it fails
  const v = getPath(data, path);
  if (v === undefined) bad(path, 'err.setNothing');
  if (typeof v !== 'number') bad(path, 'err.setNotNumber', { value: JSON.stringify(v) });
  return v;
}

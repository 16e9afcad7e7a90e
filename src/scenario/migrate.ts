/**
 * Scenario files written for an older engine, upgraded (issue 26, item 7). Each upgrade knows how
 * to recognise the old form on plain data (so a file that fails validation can say `dsim migrate`
 * would fix it) and how to rewrite it in the YAML document, keeping the file's comments, order
 * and styles. Every upgrade tells what it did; none invents a figure the old file did not hold
 * without saying so.
 *
 * - engine 0.6.0: a chemical hazard's `releasesPerYear`, `releaseFraction` and `releaseMinutes`
 *   became release classes (`releaseClasses`); the old three make one class, "release".
 * - engine 0.14.0: sheltering counts the load until the all-clear, `airingMinutes` after the
 *   release stops; a sheltering policy without it gets 0, the old behaviour (aired at once).
 */
import { type Document, isMap, isScalar, isSeq, type YAMLMap } from 'yaml';
import type { MessageKey } from '../i18n/messages.js';
import { isObject } from './fields.js';

/** What one upgrade did, where in the file. */
export interface MigrationNotice {
  readonly path: string;
  readonly key: MessageKey;
}

type Plain = Record<string, unknown>;

interface Upgrade {
  readonly key: MessageKey;
  /** Whether the hazard (plain data) is in the old form. */
  readonly applies: (h: Plain) => boolean;
  /** Rewrites the hazard's node in place. */
  readonly apply: (h: YAMLMap, doc: Document) => void;
}

/** Replaces the pair keyed `old` by `key: value` at the same place (appended when absent). */
function replaceKey(map: YAMLMap, old: string, key: string, value: unknown, doc: Document): void {
  const node = doc.createPair(key, value);
  const i = map.items.findIndex((p) => String(isScalar(p.key) ? p.key.value : p.key) === old);
  if (i < 0) {
    map.items.push(node);
    return;
  }
  // the comment above the old key stays above the new one
  const before = map.items[i]!.key;
  if (isScalar(before) && isScalar(node.key)) {
    node.key.commentBefore = before.commentBefore;
    node.key.spaceBefore = before.spaceBefore;
  }
  map.items.splice(i, 1, node);
}

const UPGRADES: readonly Upgrade[] = [
  {
    key: 'migrate.releaseClasses',
    applies: (h) => h['type'] === 'chemical' && 'releasesPerYear' in h && !('releaseClasses' in h),
    apply: (h, doc) => {
      // the old values' own nodes, so their style (a flow map on one line) stays
      const value = (k: string) => h.get(k, true);
      const cls: Plain = { id: 'release', perYear: value('releasesPerYear') };
      const fraction = value('releaseFraction');
      const minutes = value('releaseMinutes');
      if (fraction !== undefined) cls['fraction'] = fraction;
      if (minutes !== undefined) cls['minutes'] = minutes;
      cls['source'] = 'migrated by dsim migrate from releasesPerYear, releaseFraction and releaseMinutes (before engine 0.6.0)';
      replaceKey(h, 'releasesPerYear', 'releaseClasses', [cls], doc);
      h.delete('releaseFraction');
      h.delete('releaseMinutes');
    },
  },
  {
    key: 'migrate.airing',
    applies: (h) => {
      const a = h['protectiveAction'];
      return h['type'] === 'chemical' && isObject(a) && a['policy'] !== 'evacuate' && a['policy'] !== undefined && !('airingMinutes' in a);
    },
    apply: (h) => {
      const a = h.get('protectiveAction', true);
      if (isMap(a)) a.set('airingMinutes', 0);
    },
  },
];

/** Each hazard in the old form, by index, with the upgrade it needs. */
function pending(data: unknown): { index: number; upgrade: Upgrade }[] {
  if (!isObject(data) || !Array.isArray(data['hazards'])) return [];
  return data['hazards'].flatMap((h, index) =>
    isObject(h) ? UPGRADES.filter((u) => u.applies(h)).map((upgrade) => ({ index, upgrade })) : [],
  );
}

const notice = (p: { index: number; upgrade: Upgrade }): MigrationNotice => ({ path: `hazards[${p.index}]`, key: p.upgrade.key });

/** The upgrades a scenario's plain data needs (empty for a current file). */
export function pendingUpgrades(data: unknown): MigrationNotice[] {
  return pending(data).map(notice);
}

/** Upgrades the document in place; returns what was done. */
export function migrateDocument(doc: Document): MigrationNotice[] {
  const todo = pending(doc.toJS({ maxAliasCount: 100 }));
  const hazards = doc.get('hazards', true);
  if (isSeq(hazards))
    for (const { index, upgrade } of todo) {
      const node = hazards.items[index];
      if (isMap(node)) upgrade.apply(node, doc);
    }
  return todo.map(notice);
}

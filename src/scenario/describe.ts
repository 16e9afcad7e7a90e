/**
 * A scenario path in words, for pages a planner reads: `resources.warehouses[county-reserve].stock.bedding`
 * becomes "县应急物资储备中心 · 衣被（床）" / "County emergency supplies reserve centre · bedding
 * (quilts)". Each list item by its name (`nameZh` in Chinese), a team by its type's name, a stock
 * by its item and unit, the last key by the catalogue's field label; what has no name is kept as
 * written, so the words never lose what the path says.
 */
import { EN, itemName, type Lang, type MessageKey, t, teamTypeName } from '../i18n/messages.js';
import { DEFAULT_RELIEF_NORMS } from './defaults.js';
import { isObject } from './fields.js';
import type { Scenario } from './schema.js';
import { parsePath } from './set.js';

/** An item's unit in `lang` ("床", "quilts"), from the scenario's relief norms or the defaults. */
export function itemUnit(s: Scenario, item: string, lang: Lang): string | undefined {
  const norms = { ...DEFAULT_RELIEF_NORMS, ...(s.reliefNorms ?? {}) } as Record<string, { unit?: string }>;
  const u = norms[item]?.unit;
  if (u === undefined) return undefined;
  return `unit.${u}` in EN ? t(lang, `unit.${u}` as MessageKey) : u;
}

/** The path in words, in `lang` (parts joined by " · "). */
export function pathLabel(s: Scenario, path: string, lang: Lang): string {
  const parts: string[] = [];
  let node: unknown = s;
  let parentKey = '';
  let listKey = '';
  const steps = parsePath(path);
  steps.forEach((step, i) => {
    const last = i === steps.length - 1;
    if ('key' in step) {
      if (parentKey === 'stock') {
        const unit = itemUnit(s, step.key, lang);
        const name = itemName(lang, step.key);
        parts.push(unit === undefined || unit === name ? name : lang === 'zh' ? `${name}（${unit}）` : `${name} (${unit})`);
      } else if (last) {
        // a fleet's count is its vehicles, a team's its teams
        const key = step.key === 'count' && (listKey === 'fleet' || listKey === 'teams') ? `field.${listKey}Count` : `field.${step.key}`;
        parts.push(key in EN ? t(lang, key as MessageKey) : step.key);
      }
      node = isObject(node) ? node[step.key] : undefined;
      parentKey = step.key;
      return;
    }
    const list = Array.isArray(node) ? node : [];
    const item = 'index' in step ? list[step.index] : list.find((x) => isObject(x) && x['id'] === step.id);
    const named = isObject(item) ? item : {};
    const name = lang === 'zh' && typeof named['nameZh'] === 'string' ? named['nameZh'] : named['name'];
    const kind = typeof named['type'] === 'string' ? `hazardKind.${named['type']}` : '';
    if (typeof name === 'string') parts.push(name);
    else if (parentKey === 'teams' && typeof named['type'] === 'string') parts.push(teamTypeName(lang, named['type']));
    else if (parentKey === 'hazards' && kind in EN) parts.push(t(lang, kind as MessageKey));
    else parts.push('id' in step ? step.id : `#${step.index + 1}`);
    node = item;
    listKey = parentKey;
    parentKey = '';
  });
  return parts.join(' · ');
}

/** The path in both languages. */
export function pathLabels(s: Scenario, path: string): { readonly zh: string; readonly en: string } {
  return { zh: pathLabel(s, path, 'zh'), en: pathLabel(s, path, 'en') };
}

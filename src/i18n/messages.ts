/**
 * What dsim says to people, in Chinese and English: one catalogue per language with the same keys
 * and the same `{placeholders}` (a test fails when they differ). Users are county emergency
 * offices: Chinese is the default wherever the locale says so. Targets are worded as the plans word
 * them. Knows nothing else of dsim (the lowest layer, beside errors.ts).
 */

import { EN_API, ZH_API } from './catalogue/api.js';
import { EN_DRILLS, ZH_DRILLS } from './catalogue/drills.js';
import { EN_ERRORS, ZH_ERRORS } from './catalogue/errors.js';
import { EN_IMPORTS, ZH_IMPORTS } from './catalogue/imports.js';
import { EN_REPORTS, ZH_REPORTS } from './catalogue/reports.js';
import { EN_TABLES, ZH_TABLES } from './catalogue/tables.js';

export type Lang = 'zh' | 'en';
export const LANGS: readonly Lang[] = ['zh', 'en'];

/** Every English message, by area (src/i18n/catalogue/). */
export const EN = { ...EN_TABLES, ...EN_REPORTS, ...EN_ERRORS, ...EN_API, ...EN_DRILLS, ...EN_IMPORTS } as const;

export type MessageKey = keyof typeof EN;

/** Every Chinese message: the same keys. */
export const ZH: Record<MessageKey, string> = { ...ZH_TABLES, ...ZH_REPORTS, ...ZH_ERRORS, ...ZH_API, ...ZH_DRILLS, ...ZH_IMPORTS };

/** The areas of the catalogue, each a pair of languages (the test checks they share no key). */
export const AREAS = {
  tables: { en: EN_TABLES, zh: ZH_TABLES },
  reports: { en: EN_REPORTS, zh: ZH_REPORTS },
  errors: { en: EN_ERRORS, zh: ZH_ERRORS },
  api: { en: EN_API, zh: ZH_API },
  drills: { en: EN_DRILLS, zh: ZH_DRILLS },
  imports: { en: EN_IMPORTS, zh: ZH_IMPORTS },
} as const;

const CATALOGUES: Record<Lang, Record<MessageKey, string>> = { en: EN, zh: ZH };

/** The message `key` in `lang`, its `{placeholders}` filled. */
export function t(lang: Lang, key: MessageKey, params: Readonly<Record<string, string | number>> = {}): string {
  return CATALOGUES[lang][key].replace(/\{(\w+)\}/g, (m, name: string) => (name in params ? String(params[name]) : m));
}

/** The placeholders a message uses, sorted (for the catalogue test). */
export function placeholders(text: string): string[] {
  return [...text.matchAll(/\{(\w+)\}/g)].map((m) => m[1]!).sort();
}

/** zh when the locale says Chinese (LC_ALL, LC_MESSAGES, LANG, e.g. zh_CN.UTF-8), else en. */
export function langFromEnv(env: Readonly<Record<string, string | undefined>> = process.env): Lang {
  const locale = env['LC_ALL'] || env['LC_MESSAGES'] || env['LANG'] || '';
  return /^zh/i.test(locale) ? 'zh' : 'en';
}

/** A relief item's name in `lang` (items the catalogue does not know keep their scenario name). */
export function itemName(lang: Lang, item: string): string {
  const key = `item.${item}` as MessageKey;
  return key in EN ? t(lang, key) : item;
}

/** A team type's name in `lang` (the catalogue's for the bundled types, else the type as written). */
export function teamTypeName(lang: Lang, type: string): string {
  const key = `team.${type}` as MessageKey;
  return key in EN ? t(lang, key) : type;
}

/** A scenario's or a zone's name in `lang`: its `nameZh` in Chinese when it has one, else `name`. */
export function localName(lang: Lang, x: { readonly name: string; readonly nameZh?: string | undefined }): string {
  return lang === 'zh' && x.nameZh !== undefined ? x.nameZh : x.name;
}

/**
 * Numbers as people read them: never scientific notation in a table; thousands separators in
 * English; money in 万元/亿元 in Chinese and in CNY with separators in English.
 */
import type { Lang } from './messages.js';

/** A number with about `digits` significant digits: grouped when large, plain decimals when small. */
export function formatNumber(x: unknown, digits = 3): string {
  if (x === null || x === undefined) return '—';
  if (typeof x !== 'number') return String(x);
  if (!Number.isFinite(x)) return x > 0 ? '∞' : x < 0 ? '−∞' : '—';
  const a = Math.abs(x);
  if (a >= 1000) return Math.round(x).toLocaleString('en-US');
  if (a === 0) return '0';
  // toPrecision writes decimals down to 1e-6; below that a share of a person is noise anyway
  if (a < 1e-6) return x > 0 ? '<0.000001' : '>−0.000001';
  return Number(x.toPrecision(digits)).toString();
}

export function formatPercent(x: unknown): string {
  return typeof x === 'number' && Number.isFinite(x) ? `${(x * 100).toFixed(1)}%` : '—';
}

/** Money: 亿元 / 万元 / 元 in Chinese, grouped CNY in English. */
export function formatMoney(lang: Lang, cny: unknown): string {
  if (typeof cny !== 'number' || !Number.isFinite(cny)) return '—';
  if (lang === 'en') return `${Math.round(cny).toLocaleString('en-US')} CNY`;
  const a = Math.abs(cny);
  if (a >= 1e8) return `${Number((cny / 1e8).toPrecision(3))}亿元`;
  if (a >= 1e4) return `${Number((cny / 1e4).toPrecision(3))}万元`;
  return `${Math.round(cny)}元`;
}

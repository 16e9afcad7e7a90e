/**
 * Response levels (I–IV) of the county plans and national rules: by people displaced for floods,
 * by deaths for accidents, by area burned for forest fires.
 */
import type { ResponseLevel } from './script.js';

/**
 * County flood response levels by people displaced. The plans size relief reserves for the
 * evacuees of a Level II response (000 L93, 003 L173) and count them at 5,000 people (002 L320;
 * 004 L231: 5,000–7,000): Level II from 5,000. The others are estimates around it (the plans give
 * no thresholds, 001.md §4): Level I from 10,000, III from 1,000, IV below.
 */
export const FLOOD_LEVELS: readonly [number, ResponseLevel][] = [
  [10_000, 'I'],
  [5_000, 'II'],
  [1_000, 'III'],
  [0, 'IV'],
];
/** Accidents by deaths (生产安全事故报告和调查处理条例, 国务院令第493号, art. 3): ≥30 特别重大, 10–29 重大, 3–9 较大, else 一般. */
export const DEATH_LEVELS: readonly [number, ResponseLevel][] = [
  [30, 'I'],
  [10, 'II'],
  [3, 'III'],
  [0, 'IV'],
];
/** Forest fires by area burned (森林防火条例 art. 40): ≥1,000 ha 特别重大, 100–1,000 重大, 1–100 较大, else 一般. */
export const FOREST_LEVELS: readonly [number, ResponseLevel][] = [
  [1000, 'I'],
  [100, 'II'],
  [1, 'III'],
  [0, 'IV'],
];
export const levelOf = (table: readonly [number, ResponseLevel][], x: number): ResponseLevel => table.find(([from]) => x >= from)![1];

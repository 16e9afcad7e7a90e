/**
 * A bag of named mergeable statistics (counters, moments, distributions, and lists of them):
 * merged, sent between threads and restored generically, so a KPI slice declares its fields once.
 */
import { Distribution, type DistributionData } from './distribution.js';
import { Moments, type MomentsData } from './moments.js';

/** An integer tally, merged by addition. */
export class Counter {
  n = 0;
  add(k = 1): void {
    this.n += k;
  }
}

export type Stat = Counter | Moments | Distribution | readonly Stat[];
export type Bag = { readonly [key: string]: Stat };

export type StatData = { c: number } | { m: MomentsData } | { d: DistributionData } | StatData[];
export type BagData = Record<string, StatData>;

function mergeStat(a: Stat, b: Stat): void {
  if (a instanceof Counter) a.add((b as Counter).n);
  else if (a instanceof Moments) a.merge(b as Moments);
  else if (a instanceof Distribution) a.merge(b as Distribution);
  else a.forEach((x, i) => mergeStat(x, (b as readonly Stat[])[i]!));
}

function statData(a: Stat): StatData {
  if (a instanceof Counter) return { c: a.n };
  if (a instanceof Moments) return { m: a.toData() };
  if (a instanceof Distribution) return { d: a.toData() };
  return a.map(statData);
}

/** Merges `from` into `into` (bags of the same shape). */
export function mergeBag(into: Bag, from: Bag): void {
  for (const k of Object.keys(into)) mergeStat(into[k]!, from[k]!);
}

export function bagToData(b: Bag): BagData {
  return Object.fromEntries(Object.keys(b).map((k) => [k, statData(b[k]!)]));
}

/**
 * Merges data sent by `bagToData` into an empty bag of the same shape; throws on data of another
 * shape (the caller names the source).
 */
export function mergeBagData(into: Bag, d: BagData): void {
  const restore = (a: Stat, x: StatData | undefined, path: string): void => {
    if (x === undefined) throw new Error(`missing statistic ${path}`);
    if (a instanceof Counter && 'c' in x && Number.isSafeInteger(x.c)) a.add(x.c);
    else if (a instanceof Moments && 'm' in x) a.merge(Moments.fromData(x.m));
    else if (a instanceof Distribution && 'd' in x) a.merge(Distribution.fromData(x.d));
    else if (Array.isArray(a) && Array.isArray(x) && a.length === x.length) a.forEach((s, i) => restore(s, x[i], `${path}[${i}]`));
    else throw new Error(`statistic ${path} has the wrong shape`);
  };
  for (const k of Object.keys(into)) restore(into[k]!, d[k], k);
}

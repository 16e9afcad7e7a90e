/**
 * What `dsim binds` prints: the base share relieved, each relaxation alone, all together, all but
 * one, the best set of each size, and the smallest set that reaches the target, in zh or en.
 */
import { itemName, type Lang, t, teamTypeName } from '../i18n/messages.js';
import type { Binds, Effect } from '../studies/binds.js';
import { grid, pct, type Row } from './table.js';

/** A relaxation in words: "衣被库存不限", "运输车辆增至 20 倍". */
export function relaxationName(lang: Lang, id: string): string {
  const [kind, what] = id.split(':') as [string, string | undefined];
  if (kind === 'stock') return t(lang, 'binds.r.stock', { item: itemName(lang, what ?? '') });
  if (kind === 'teams') return t(lang, 'binds.r.teams', { team: teamTypeName(lang, what ?? '') });
  if (kind === 'trucks') return t(lang, 'binds.r.trucks');
  if (kind === 'roads') return t(lang, 'binds.r.roads');
  return t(lang, 'binds.r.activation');
}

/** A change in percentage points, signed, with its interval: "+17.7 [+15.1, +20.2]". */
function points(x: number | null, ci: readonly [number | null, number | null]): string {
  const p = (v: number | null) => {
    if (v === null) return '—';
    const r = Math.round(v * 1000) / 10;
    return r === 0 ? '0.0' : `${r > 0 ? '+' : '−'}${Math.abs(r).toFixed(1)}`;
  };
  return ci[0] === null ? p(x) : `${p(x)} [${p(ci[0])}, ${p(ci[1])}]`;
}

const joined = (lang: Lang, ids: readonly string[]) => ids.map((id) => relaxationName(lang, id)).join(lang === 'zh' ? '、' : ' + ');

function row(label: string, e: Effect): Row {
  return [label, pct(e.share), points(e.shareDelta, e.shareDeltaCi95), pct(e.pMet), points(e.pMetDelta, e.pMetDeltaCi95)];
}

/** The one sentence a planner needs: which purchase, alone or together, reaches the target. */
export function bindsAnswer(b: Binds, lang: Lang): string {
  const base = pct(b.base.share);
  const target = pct(b.target);
  if (b.smallest)
    return t(lang, b.smallest.ids.length === 1 ? 'binds.answer1' : 'binds.answer', {
      set: joined(lang, b.smallest.ids),
      hours: b.deadlineHours,
      base,
      share: pct(b.smallest.share),
      target,
    });
  const best = b.bestBySize[b.bestBySize.length - 1] ?? [...b.alone].sort((x, y) => (y.share ?? 0) - (x.share ?? 0))[0];
  return t(lang, 'binds.none', {
    target,
    hours: b.deadlineHours,
    base,
    all: pct(b.all.share),
    set: best ? joined(lang, best.ids) : '—',
    share: pct(best?.share ?? null),
  });
}

/** The three tables of a what-binds study as data: each relaxation alone (and all), all but one, the best set of each size. */
export function bindsTables(b: Binds, lang: Lang): { head: string[]; alone: Row[]; allBut: Row[]; sets: Row[] } {
  return {
    head: [
      t(lang, 'binds.h.relaxed'),
      t(lang, 'binds.h.share'),
      t(lang, 'binds.h.delta'),
      t(lang, 'binds.h.pmet'),
      t(lang, 'binds.h.pdelta'),
    ],
    alone: [
      [t(lang, 'binds.base'), pct(b.base.share), '', pct(b.base.pMet), ''],
      ...b.alone.map((e) => row(relaxationName(lang, e.ids[0]!), e)),
      row(t(lang, 'binds.all'), b.all),
    ],
    allBut: b.allBut.map((e, i) => row(t(lang, 'binds.allBut', { name: relaxationName(lang, b.relaxations[i]!.id) }), e)),
    sets: b.bestBySize.map((e) => row(joined(lang, e.ids), e)),
  };
}

/** What binds's header line: replications, seed, deadline, target. */
export function bindsHeader(b: Binds, lang: Lang): string {
  return t(lang, 'binds.header', {
    replications: b.replications.toLocaleString('en-US'),
    seed: b.seed,
    hours: b.deadlineHours,
    target: pct(b.target),
  });
}

export function renderBinds(b: Binds, lang: Lang = 'en'): string {
  const { head, alone, allBut, sets } = bindsTables(b, lang);
  return [
    bindsHeader(b, lang),
    '',
    t(lang, 'binds.alone'),
    grid(head, alone),
    '',
    t(lang, 'binds.without'),
    grid(head, allBut),
    ...(sets.length > 0 ? ['', t(lang, 'binds.sets'), grid(head, sets)] : []),
    '',
    bindsAnswer(b, lang),
    '',
    t(lang, 'binds.note', { batches: b.batches }),
  ].join('\n');
}

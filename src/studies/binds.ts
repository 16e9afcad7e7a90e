/**
 * What binds relief, by counterfactual: each constraint class relaxed alone — one relief item's
 * stock made unlimited, the trucks, one team type, road closures, the activation delay — then
 * all of them, then all but one, every variant on the same replications (common random numbers:
 * the same floods, the same displaced, the same calls). For each: the change in the headline
 * share relieved within the deadline (people relieved / people displaced, summed over the
 * replications), with a paired 95% interval over BATCHES contiguous batches of replications
 * (Law & Kelton, "Simulation Modeling and Analysis", §9.5.3) taken as clusters of a ratio
 * estimator (Cochran 1977, Sampling Techniques, §6.4, as stats/ratio.ts): each batch's
 * linearised paired difference (y_b − R x_b)/x̄ of the variant minus the base's, a t-interval
 * centred on the difference of the ratios of sums — so the interval holds the estimate even when
 * few replications have people displaced (annual runs: most years have no flood; a mean of
 * per-batch shares did not, and printed +62.2 [+0.4, +38.4]), and in P(target met), with Newcombe's paired interval from the replications' met
 * flags (stats/newcombe.ts; all-but-one is paired with all). Then the smallest set of
 * relaxations whose share reaches the target, searched over the subsets of those that matter
 * (all of them when at most six matter, else up to triples). This answers "which purchase, alone or together, moves the target", which the share of
 * waiting people by first blocking cause (kept in the run report as a diagnostic) does not.
 */
import type { RunResult } from '../kpi/result.js';
import { r7, summarise } from '../kpi/summary.js';
import { evaluatedTargets } from '../run/local.js';
import { PairedAccumulator } from '../run/paired.js';
import { compile } from '../scenario/compile.js';
import { validateScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { meanCi95 } from '../stats/interval.js';
import { type AssumptionOptions, type Assumptions, assumptionsOf } from './assumptions.js';
import { pairedProbabilityCi } from './compare.js';

/** Contiguous batches of replications (clusters) for the interval of a change in the share relieved. */
export const BATCHES = 20;
/** Trucks and teams relaxed are multiplied by this (as good as unlimited for a county's event). */
export const PLENTY = 20;
/** A stock relaxed is this many units (the schema's bound: unlimited for any county). */
const UNLIMITED_STOCK = 1e12;
/** Every subset of the relaxations that matter is tried when there are at most this many (2⁶ runs); else up to triples. */
const MAX_ALL_SUBSETS = 6;

export type RelaxationKind = 'stock' | 'trucks' | 'teams' | 'roads' | 'activation';

export interface Relaxation {
  readonly id: string;
  readonly kind: RelaxationKind;
  /** The item (stock) or team type (teams). */
  readonly what?: string;
  readonly apply: (s: Scenario) => Scenario;
}

/** The constraint classes of a scenario that can be relaxed, in a fixed order. */
export function relaxations(s: Scenario): Relaxation[] {
  const out: Relaxation[] = [];
  const items = [...new Set(s.resources.warehouses.flatMap((w) => Object.keys(w.stock)))];
  for (const item of items)
    out.push({
      id: `stock:${item}`,
      kind: 'stock',
      what: item,
      apply: (x) => ({
        ...x,
        resources: {
          ...x.resources,
          warehouses: x.resources.warehouses.map((w) => (item in w.stock ? { ...w, stock: { ...w.stock, [item]: UNLIMITED_STOCK } } : w)),
        },
      }),
    });
  if (s.resources.fleet.length > 0)
    out.push({
      id: 'trucks',
      kind: 'trucks',
      apply: (x) => ({
        ...x,
        resources: { ...x.resources, fleet: x.resources.fleet.map((f) => ({ ...f, count: Math.max(1, f.count) * PLENTY })) },
      }),
    });
  const types = [...new Set(s.resources.stations.flatMap((st) => st.teams.map((t) => t.type)))];
  for (const type of types)
    out.push({
      id: `teams:${type}`,
      kind: 'teams',
      what: type,
      apply: (x) => ({
        ...x,
        resources: {
          ...x.resources,
          stations: x.resources.stations.map((st) => ({
            ...st,
            teams: st.teams.map((t) => (t.type === type ? { ...t, count: Math.max(1, t.count) * PLENTY } : t)),
          })),
        },
      }),
    });
  if (s.roads.links.length > 0)
    out.push({
      id: 'roads',
      kind: 'roads',
      apply: (x) => ({ ...x, roads: { ...x.roads, links: x.roads.links.map((l) => ({ ...l, closesAtDepthM: 100 })) } }),
    });
  out.push({ id: 'activation', kind: 'activation', apply: (x) => ({ ...x, response: { ...x.response, activationMinutes: 0 } }) });
  return out;
}

export interface Effect {
  /** The relaxations applied. */
  readonly ids: readonly string[];
  /** The headline share relieved within the deadline with them, and its change from the base (95% interval over batches, ratio estimator). */
  readonly share: number | null;
  readonly shareDelta: number | null;
  readonly shareDeltaCi95: [number | null, number | null];
  /** P(relief target met) with them, and its change from the base (paired 95% interval). */
  readonly pMet: number | null;
  readonly pMetDelta: number | null;
  readonly pMetDeltaCi95: [number | null, number | null];
}

export interface Binds {
  readonly kind: 'dsim.binds';
  readonly schemaVersion: 1;
  readonly scenarioId: string;
  readonly seed: number;
  readonly replications: number;
  readonly batches: number;
  readonly deadlineHours: number;
  /** The relief share target (targets.reliefShare). */
  readonly target: number;
  readonly base: { readonly share: number | null; readonly pMet: number | null };
  readonly relaxations: readonly { readonly id: string; readonly kind: RelaxationKind; readonly what?: string }[];
  /** Each relaxation alone. */
  readonly alone: readonly Effect[];
  /** All relaxations together. */
  readonly all: Effect;
  /** All but one: the change is against `all` (what losing that one costs when everything else is plentiful). */
  readonly allBut: readonly Effect[];
  /** The relaxations that matter: a significant gain alone, or a significant loss when the only one missing. */
  readonly matters: readonly string[];
  /** The smallest set whose share reaches the target, with its effect; null when none tried does. */
  readonly smallest: Effect | null;
  /** The best set of each size tried (2, 3, …): what buying together does. */
  readonly bestBySize: readonly Effect[];
  /** What the answer rests on: the base scenario, its fixed changes, the deadline, replications and seed. */
  readonly assumptions: Assumptions;
}

export interface BindsOptions extends AssumptionOptions {
  readonly replications: number;
  readonly seed?: number;
  /** The relief deadline judged, instead of the scenario's targets.reliefDeadlineHours. */
  readonly deadlineHours?: number;
  readonly onProgress?: (done: number, total: number) => void;
  readonly signal?: AbortSignal;
}

const RELIEF_TARGET = 'relief-within-deadline';

/** Variants run together on the same replications, in BATCHES batches; per variant its merged result and per batch its people relieved and displaced. */
async function runBatched(
  scenarios: readonly Scenario[],
  seed: number,
  replications: number,
  deadlineHours: number | undefined,
  references: readonly number[],
  progress: (done: number) => void,
  signal?: AbortSignal,
): Promise<{ results: RunResult[]; merged: PairedAccumulator; batchSums: BatchSums[][]; batchPMet: (number | null)[][] }> {
  const models = scenarios.map((s) => compile(s));
  const targets = models.map((m) => evaluatedTargets(m, deadlineHours === undefined ? {} : { deadlineHours }));
  const merged = new PairedAccumulator(models, targets, references);
  const batchSums: BatchSums[][] = scenarios.map(() => []);
  const batchPMet: (number | null)[][] = scenarios.map(() => []);
  const batches = Math.min(BATCHES, replications);
  for (let b = 0; b < batches; b++) {
    if (signal?.aborted) throw signal.reason;
    const from = Math.floor((b * replications) / batches);
    const to = Math.floor(((b + 1) * replications) / batches);
    const p = new PairedAccumulator(models, targets, references).addRange(seed, from, to);
    models.forEach((m, k) => {
      const r = summarise(m, p.accs[k]!, seed);
      const { x, y } = p.accs[k]!.reliefPeople;
      batchSums[k]!.push(y.count > 0 ? { relieved: y.mean * y.count, displaced: x.mean * x.count } : { relieved: 0, displaced: 0 });
      const t = r.targets.find((x) => x.id === RELIEF_TARGET);
      batchPMet[k]!.push(t && t.judged > 0 ? t.pMet : null);
    });
    merged.merge(p);
    progress(to);
    await new Promise((res) => setImmediate(res));
  }
  return { results: models.map((m, k) => summarise(m, merged.accs[k]!, seed)), merged, batchSums, batchPMet };
}

/** One batch's people relieved within the deadline and people displaced (0 and 0 when none were). */
interface BatchSums {
  readonly relieved: number;
  readonly displaced: number;
}

/**
 * The 95% interval of R_b − R_a, each R a ratio of sums over all batches: a t-interval (B − 1
 * degrees of freedom) on the batches' linearised differences, centred on R_b − R_a, within ±1.
 */
export function ratioDifferenceCi(a: readonly BatchSums[], b: readonly BatchSums[]): [number | null, number | null] {
  const n = a.length;
  const sum = (xs: readonly BatchSums[], f: (x: BatchSums) => number) => xs.reduce((s, x) => s + f(x), 0);
  const [da, db] = [sum(a, (x) => x.displaced), sum(b, (x) => x.displaced)];
  if (n < 2 || da <= 0 || db <= 0) return [null, null];
  const [ra, rb] = [sum(a, (x) => x.relieved) / da, sum(b, (x) => x.relieved) / db];
  const e = a.map((x, i) => (b[i]!.relieved - rb * b[i]!.displaced) / (db / n) - (x.relieved - ra * x.displaced) / (da / n));
  const variance = e.reduce((s, v) => s + v * v, 0) / (n - 1);
  const [lo, hi] = meanCi95(rb - ra, variance, n);
  return [r7(Math.max(-1, lo)), r7(Math.min(1, hi))];
}

/** Newcombe's paired interval of the change in P(met), from the replications' met flags (variant k against its reference). */
function pMetInterval(k: number, against: number, p: PairedAccumulator): [number | null, number | null] {
  if (p.references[k] !== against) throw new Error(`binds: variant ${k} is paired with ${p.references[k]}, not ${against}`);
  const j = p.metricIds.indexOf(`target:${RELIEF_TARGET}`);
  if (j < 0) return [null, null];
  return pairedProbabilityCi(p.paired[k]![j]![0]!, p.diffs[k]![j]!);
}

function effect(ids: readonly string[], k: number, against: number, run: Awaited<ReturnType<typeof runBatched>>): Effect {
  const share = (i: number) => run.results[i]!.kpis.reliefWithinDeadline.mean ?? null;
  const pMet = (i: number) => run.results[i]!.targets.find((t) => t.id === RELIEF_TARGET)?.pMet ?? null;
  const [s, s0, p, p0] = [share(k), share(against), pMet(k), pMet(against)];
  const same = <T>(a: readonly T[], b: readonly T[]) => a.every((x, i) => JSON.stringify(x) === JSON.stringify(b[i]));
  const [bs, bs0, bp, bp0] = [run.batchSums[k]!, run.batchSums[against]!, run.batchPMet[k]!, run.batchPMet[against]!];
  return {
    ids,
    share: s,
    shareDelta: s !== null && s0 !== null ? r7(s - s0) : null,
    shareDeltaCi95: same(bs, bs0) ? [0, 0] : ratioDifferenceCi(bs0, bs),
    pMet: p,
    pMetDelta: p !== null && p0 !== null ? r7(p - p0) : null,
    pMetDeltaCi95: same(bp, bp0) ? [0, 0] : pMetInterval(k, against, run.merged),
  };
}

export async function findBinds(scenario: Scenario, o: BindsOptions): Promise<Binds> {
  const seed = o.seed ?? scenario.seed;
  const rs = relaxations(scenario);
  const applyAll = (ids: readonly string[]) => {
    let s = scenario;
    for (const r of rs) if (ids.includes(r.id)) s = r.apply(s);
    return validateScenario(s, `relaxed: ${ids.join(', ') || 'none'}`);
  };
  const allIds = rs.map((r) => r.id);
  const sets: string[][] = [[], ...rs.map((r) => [r.id]), allIds, ...rs.map((r) => allIds.filter((id) => id !== r.id))];
  const total = o.replications * 2;
  // The base, each alone and all against the base; each all-but-one against all (index 1 + n).
  const references = sets.map((_, i) => (i > 1 + rs.length ? 1 + rs.length : 0));
  const first = await runBatched(
    sets.map(applyAll),
    seed,
    o.replications,
    o.deadlineHours,
    references,
    (done) => o.onProgress?.(done, total),
    o.signal,
  );
  const n = rs.length;
  const alone = rs.map((r, i) => effect([r.id], 1 + i, 0, first));
  const all = effect(allIds, 1 + n, 0, first);
  const allBut = rs.map((r, i) =>
    effect(
      allIds.filter((id) => id !== r.id),
      2 + n + i,
      1 + n,
      first,
    ),
  );
  const target = scenario.targets.reliefShare;
  // Those that matter: a significant gain alone, or a significant loss when the only one missing.
  const significant = (c: [number | null, number | null], sign: 1 | -1) =>
    c[0] !== null && c[1] !== null && (sign > 0 ? c[0] > 0 : c[1] < 0);
  const matters = rs
    .filter((_, i) => significant(alone[i]!.shareDeltaCi95, 1) || significant(allBut[i]!.shareDeltaCi95, -1))
    .map((r) => r.id);
  const reaches = (e: Effect) => e.share !== null && e.share >= target;
  let smallest: Effect | null = alone.filter(reaches).sort((a, b) => (b.share ?? 0) - (a.share ?? 0))[0] ?? null;
  const bestBySize: Effect[] = [];
  if (matters.length >= 2) {
    const subsets: string[][] = [];
    const largest = matters.length <= MAX_ALL_SUBSETS ? matters.length : 3;
    for (let size = 2; size <= largest; size++) {
      const pick = (start: number, acc: string[]) => {
        if (acc.length === size) return void subsets.push(acc);
        for (let i = start; i < matters.length; i++) pick(i + 1, [...acc, matters[i]!]);
      };
      pick(0, []);
    }
    const second = await runBatched(
      [[], ...subsets].map(applyAll),
      seed,
      o.replications,
      o.deadlineHours,
      [[], ...subsets].map(() => 0),
      (done) => o.onProgress?.(o.replications + done, total),
      o.signal,
    );
    const effects = subsets.map((ids, i) => effect(ids, 1 + i, 0, second));
    for (let size = 2; size <= largest; size++) {
      const best = effects.filter((e) => e.ids.length === size).sort((a, b) => (b.share ?? 0) - (a.share ?? 0))[0];
      if (best) bestBySize.push(best);
    }
    // The fewest relaxations that reach the target; among those, the highest share.
    smallest ??= effects.filter(reaches).sort((a, b) => a.ids.length - b.ids.length || (b.share ?? 0) - (a.share ?? 0))[0] ?? null;
  }
  o.onProgress?.(total, total);
  const base = first.results[0]!;
  return {
    kind: 'dsim.binds',
    schemaVersion: 1,
    scenarioId: scenario.id,
    seed,
    replications: o.replications,
    batches: Math.min(BATCHES, o.replications),
    deadlineHours: base.kpis.reliefWithinDeadline.deadlineHours,
    target,
    base: { share: base.kpis.reliefWithinDeadline.mean ?? null, pMet: base.targets.find((t) => t.id === RELIEF_TARGET)?.pMet ?? null },
    relaxations: rs.map((r) => ({ id: r.id, kind: r.kind, ...(r.what !== undefined && { what: r.what }) })),
    alone,
    all,
    allBut,
    matters,
    smallest,
    bestBySize,
    assumptions: assumptionsOf(scenario, [], { ...o, seed }),
  };
}

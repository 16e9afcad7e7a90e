/**
 * Reserve sizing: the smallest value of one scenario quantity (a stock, a fleet, a team count) at
 * which P(a target is met) reaches a confidence. Each probe is a run of the scenario with the
 * value set, on the same seed, so every probe sees the same floods (common random numbers) and
 * P(met) moves only with the value; the search is a bisection (on integers for counts). The
 * answer comes with its uncertainty: the probed values whose 95% interval of P(met) straddles the
 * confidence, where more replications would be needed to decide, and the smallest value whose
 * interval clears it (the same search on the lower bound). A search whose replications cannot
 * show the confidence at all (10 of 10 met: lower bound 72%) is refused before it runs.
 */
import { DsimError, ErrorCodes, type Params } from '../errors.js';
import type { Executor } from '../run/executor.js';
import { executeRun, resultOf } from '../run/runner.js';
import { scenarioHash } from '../scenario/compile.js';
import { validateScenario } from '../scenario/load.js';
import type { Scenario } from '../scenario/schema.js';
import { numberAt, setPath } from '../scenario/set.js';
import { trialsToShow, wilsonCi95 } from '../stats/interval.js';
import { type AssumptionOptions, type Assumptions, assumptionsOf } from './assumptions.js';

export interface SizeOptions {
  /** The scenario path varied, e.g. `resources.warehouses[county-reserve].stock.bedding`. */
  readonly path: string;
  /** Target id (as in the result's targets, e.g. `relief-within-deadline`). */
  readonly target: string;
  readonly confidence: number;
  readonly min: number;
  readonly max: number;
  /** Search whole numbers (counts, units); else down to `resolution`. */
  readonly integer: boolean;
  readonly resolution?: number;
  readonly replications: number;
  readonly seed?: number;
  readonly deadlineHours?: number;
  readonly executor: Executor;
  readonly onProbe?: (p: Probe) => void;
  /** The fixed changes already applied to the scenario, recorded with the answer. */
  readonly set?: AssumptionOptions['set'];
}

export interface Probe {
  readonly value: number;
  /** The headline share relieved within the deadline at this value (people-weighted, as run prints it); null when no one is displaced. */
  readonly share: number | null;
  readonly pMet: number | null;
  readonly ci95: [number | null, number | null];
  readonly judged: number;
  readonly replications: number;
  readonly wallMs: number;
}

export interface Sizing {
  readonly kind: 'dsim.sizing';
  readonly schemaVersion: 1;
  readonly scenario: { readonly id: string; readonly hash: string };
  readonly path: string;
  readonly target: string;
  readonly targetDescription: string;
  readonly confidence: number;
  readonly seed: number;
  /** The smallest value probed whose P(met) reached the confidence; null if even `max` does not. */
  readonly answer: number | null;
  /** Values probed whose P(met) interval contains the confidence (the answer is uncertain between them). */
  readonly uncertain: [number, number] | null;
  /**
   * The smallest value whose 95% lower bound of P(met) reaches the confidence: what the planner can
   * buy knowing the target is met with it (null when even the largest value does not show it).
   */
  readonly confidentAnswer: number | null;
  readonly probes: Probe[];
  readonly replicationsTotal: number;
  readonly wallMs: number;
  /** What the answer rests on, in words (absent in results stored before 0.10). */
  readonly assumptions?: Assumptions;
  /** The target as the run states it, for its sentence in either language. */
  readonly targetSpec?: TargetSpec;
}

/** What a target's sentence needs (report/table.ts targetText). */
export interface TargetSpec {
  readonly id: string;
  readonly description: string;
  readonly unit: string;
  readonly threshold: number;
  readonly required: number;
  readonly annual: boolean;
}

/** The scenario with `path` set to `value`, validated (an out-of-range value names the path). */
export function withValue(s: Scenario, path: string, value: number): Scenario {
  return validateScenario(setPath(s, path, value), `${path}=${value}`);
}

/**
 * Why `replications` cannot show P(met) ≥ confidence even when every one meets the target (the
 * catalogue's err.tooFewToShow parameters), or null when they can. The CLI and the API refuse
 * such a search before it runs.
 */
export function tooFewToShow(replications: number, confidence: number): Params | null {
  const needed = trialsToShow(confidence);
  if (replications >= needed) return null;
  return {
    replications,
    confidence: `${Math.round(confidence * 1000) / 10}%`,
    lower: `${Math.round(wilsonCi95(replications, replications)[0] * 1000) / 10}%`,
    needed,
  };
}

function refuseTooFew(replications: number, confidence: number): void {
  const why = tooFewToShow(replications, confidence);
  if (why) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.tooFewToShow', why);
}

export async function sizeReserve(scenario: Scenario, o: SizeOptions): Promise<Sizing> {
  const started = performance.now();
  numberAt(scenario, o.path);
  if (!(o.min < o.max)) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.minBelowMax', { min: o.min, max: o.max });
  const seed = o.seed ?? scenario.seed;
  const probes = new Map<number, Probe>();
  let description = '';
  let spec: TargetSpec | undefined;
  const probe = async (value: number): Promise<Probe> => {
    const known = probes.get(value);
    if (known) return known;
    const t0 = performance.now();
    const s = withValue(scenario, o.path, value);
    const out = await executeRun(s, {
      replications: o.replications,
      seed,
      executor: o.executor,
      ...(o.deadlineHours !== undefined && { deadlineHours: o.deadlineHours }),
    });
    const result = resultOf(out);
    const t = result.targets.find((x) => x.id === o.target);
    if (!t)
      throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.noSuchTarget', {
        target: o.target,
        known: result.targets.map((x) => x.id).join(', '),
      });
    description = t.description;
    spec = {
      id: t.id,
      description: t.description,
      unit: t.unit,
      threshold: t.threshold,
      required: t.required,
      annual: result.mode === 'annual',
    };
    const p: Probe = {
      value,
      share: result.kpis.reliefWithinDeadline.mean ?? null,
      pMet: t.pMet,
      ci95: t.ci95,
      judged: t.judged,
      replications: out.replications,
      wallMs: performance.now() - t0,
    };
    probes.set(value, p);
    o.onProbe?.(p);
    return p;
  };
  refuseTooFew(o.replications, o.confidence);
  const meets = (p: Probe): boolean => p.pMet !== null && p.pMet >= o.confidence;
  const shows = (p: Probe): boolean => p.ci95[0] !== null && p.ci95[0] >= o.confidence;
  const step = o.integer ? 1 : (o.resolution ?? (o.max - o.min) / 1024);
  /** The smallest value in [from, o.max] where `holds` holds (assumed monotone), by bisection; null if not even at o.max. */
  const smallest = async (from: number, holds: (p: Probe) => boolean): Promise<number | null> => {
    if (!holds(await probe(o.max))) return null;
    let lo = from;
    let hi = o.max;
    if (holds(await probe(lo))) return lo;
    while (hi - lo > step) {
      const mid = o.integer ? Math.floor((lo + hi) / 2) : (lo + hi) / 2;
      if (holds(await probe(mid))) hi = mid;
      else lo = mid;
    }
    return hi;
  };
  const answer = await smallest(o.min, meets);
  // The same search on the interval's lower bound, from the answer up: the value to buy with confidence.
  const confidentAnswer = answer === null ? null : await smallest(answer, shows);
  const straddle = [...probes.values()]
    .filter((p) => p.ci95[0] !== null && p.ci95[1] !== null && p.ci95[0] <= o.confidence && o.confidence <= p.ci95[1])
    .map((p) => p.value);
  const ends = answer === null ? straddle : [...straddle, answer];
  return {
    kind: 'dsim.sizing',
    schemaVersion: 1,
    scenario: { id: scenario.id, hash: scenarioHash(scenario) },
    path: o.path,
    target: o.target,
    targetDescription: description,
    confidence: o.confidence,
    seed,
    answer,
    uncertain: straddle.length > 0 ? [Math.min(...ends), Math.max(...ends)] : null,
    confidentAnswer,
    probes: [...probes.values()].sort((a, b) => a.value - b.value),
    replicationsTotal: [...probes.values()].reduce((a, p) => a + p.replications, 0),
    wallMs: performance.now() - started,
    assumptions: assumptionsOf(scenario, [o.path], { ...o, seed }),
    ...(spec !== undefined && { targetSpec: spec }),
  };
}

/** One quantity of a cheapest-combination search: its values and what a unit costs. */
export interface CostedRange {
  readonly path: string;
  readonly values: readonly number[];
  readonly costPerUnit: number;
}

export interface CheapestOptions {
  readonly ranges: readonly CostedRange[];
  readonly target: string;
  readonly confidence: number;
  readonly replications: number;
  readonly seed?: number;
  readonly deadlineHours?: number;
  readonly executor: Executor;
  readonly onProbe?: (p: Probe & { readonly point: readonly number[] }) => void;
  /** The fixed changes already applied to the scenario, recorded with the answer. */
  readonly set?: AssumptionOptions['set'];
}

export interface Cheapest {
  readonly kind: 'dsim.cheapest';
  readonly schemaVersion: 1;
  readonly scenario: { readonly id: string; readonly hash: string };
  readonly paths: string[];
  readonly target: string;
  readonly confidence: number;
  readonly seed: number;
  /** The cheapest grid point meeting the target with the confidence (values by path), and its cost; null if none. */
  readonly answer: { readonly point: number[]; readonly cost: number; readonly pMet: number | null } | null;
  /** The cheapest point whose 95% lower bound of P(met) reaches the confidence; null if none of the grid shows it. */
  readonly confidentAnswer: { readonly point: number[]; readonly cost: number; readonly pMet: number | null } | null;
  /** Points run, cheapest first, up to the answer. */
  readonly probes: (Probe & { readonly point: number[]; readonly cost: number })[];
  readonly replicationsTotal: number;
  readonly wallMs: number;
  /** What the answer rests on, in words (absent in results stored before 0.10). */
  readonly assumptions?: Assumptions;
}

/**
 * The cheapest combination on a grid of several quantities that meets a target with a confidence:
 * points are run from the cheapest up (cost = Σ value × cost per unit, ties in grid order) until
 * one meets it, every point on the same seed (common random numbers).
 */
export async function cheapestCombination(scenario: Scenario, o: CheapestOptions): Promise<Cheapest> {
  const started = performance.now();
  for (const r of o.ranges) numberAt(scenario, r.path);
  const seed = o.seed ?? scenario.seed;
  let points: number[][] = [[]];
  for (const r of o.ranges) points = points.flatMap((p) => r.values.map((v) => [...p, v]));
  const cost = (pt: readonly number[]) => pt.reduce((a, v, i) => a + v * o.ranges[i]!.costPerUnit, 0);
  points.sort((a, b) => cost(a) - cost(b) || a.join().localeCompare(b.join()));
  refuseTooFew(o.replications, o.confidence);
  const probes: Cheapest['probes'] = [];
  let answer: Cheapest['answer'] = null;
  let confidentAnswer: Cheapest['confidentAnswer'] = null;
  for (const pt of points) {
    const t0 = performance.now();
    let s = scenario;
    pt.forEach((v, i) => (s = withValue(s, o.ranges[i]!.path, v)));
    const out = await executeRun(s, {
      replications: o.replications,
      seed,
      executor: o.executor,
      ...(o.deadlineHours !== undefined && { deadlineHours: o.deadlineHours }),
    });
    const result = resultOf(out);
    const targets = result.targets;
    const t = targets.find((x) => x.id === o.target);
    if (!t) throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.noSuchTarget', { target: o.target, known: targets.map((x) => x.id).join(', ') });
    const p = {
      point: pt,
      cost: cost(pt),
      value: pt[0]!,
      share: result.kpis.reliefWithinDeadline.mean ?? null,
      pMet: t.pMet,
      ci95: t.ci95,
      judged: t.judged,
      replications: out.replications,
      wallMs: performance.now() - t0,
    };
    probes.push(p);
    o.onProbe?.(p);
    // Cheapest up: the first point that meets it, then on until one shows it (its interval clears the confidence).
    if (answer === null && t.pMet !== null && t.pMet >= o.confidence) answer = { point: pt, cost: cost(pt), pMet: t.pMet };
    if (t.ci95[0] !== null && t.ci95[0] >= o.confidence) {
      confidentAnswer = { point: pt, cost: cost(pt), pMet: t.pMet };
      break;
    }
  }
  return {
    kind: 'dsim.cheapest',
    schemaVersion: 1,
    scenario: { id: scenario.id, hash: scenarioHash(scenario) },
    paths: o.ranges.map((r) => r.path),
    target: o.target,
    confidence: o.confidence,
    seed,
    answer,
    confidentAnswer,
    probes,
    replicationsTotal: probes.reduce((a, p) => a + p.replications, 0),
    wallMs: performance.now() - started,
    assumptions: assumptionsOf(
      scenario,
      o.ranges.map((r) => r.path),
      { ...o, seed },
    ),
  };
}

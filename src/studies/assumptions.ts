/**
 * What a study's answer rests on, recorded with it so its page can list every assumption in
 * words (issue 24): the base scenario, the fixed changes (overrides and `--set`), what is varied, the deadline
 * judged, the replications and the seed; every path also in the planner's words (scenario/describe.ts).
 */
import { scenarioHash } from '../scenario/compile.js';
import { pathLabels } from '../scenario/describe.js';
import type { Scenario } from '../scenario/schema.js';
import { leafAssignments } from '../scenario/set.js';

export interface Words {
  readonly zh: string;
  readonly en: string;
}

export interface Assumptions {
  readonly base: { readonly id: string; readonly hash: string; readonly name: Words };
  /** The fixed changes applied to the base before the study, each with its path in words. */
  readonly set: readonly { readonly path: string; readonly value: unknown; readonly words: Words }[];
  /** The paths the study varies, in words. */
  readonly vary: Readonly<Record<string, Words>>;
  /** The relief deadline judged (the scenario's unless the study set one). */
  readonly deadlineHours: number;
  readonly replications: number;
  readonly seed: number;
}

export interface AssumptionOptions {
  /** Overrides laid over the base (API requests): listed by their leaves, before `set`. */
  readonly overrides?: unknown;
  /** The fixed changes, as given (the scenario passed already has them). */
  readonly set?: readonly { readonly path: string; readonly value: unknown }[];
  readonly deadlineHours?: number;
}

/** The assumptions of a study of `s` (with its fixed changes applied) varying `vary`. */
export function assumptionsOf(
  s: Scenario,
  vary: readonly string[],
  o: AssumptionOptions & { readonly replications: number; readonly seed: number },
): Assumptions {
  return {
    base: { id: s.id, hash: scenarioHash(s), name: { zh: s.nameZh ?? s.name, en: s.name } },
    set: [...leafAssignments(o.overrides), ...(o.set ?? [])].map((x) => ({ path: x.path, value: x.value, words: pathLabels(s, x.path) })),
    vary: Object.fromEntries(vary.map((p) => [p, pathLabels(s, p)])),
    deadlineHours: o.deadlineHours ?? s.targets.reliefDeadlineHours,
    replications: o.replications,
    seed: o.seed,
  };
}

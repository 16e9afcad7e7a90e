/**
 * Response levels come from the district's plan, or not at all (issue 25). A response level is
 * the commander's initial assessment (初判) when the event starts, by the plan's own trigger rules
 * (scenario `plan.responseLevels`): for a flood the people forecast to be displaced, for a release
 * the people first estimated above AEGL-2. It is never taken from how the event ended — that is an
 * accident's grade (事故分级, 国务院令第493号 art. 3: by deaths, serious injuries including acute
 * poisonings, or loss, set afterwards) or a forest fire's (森林防火条例 art. 40: by forest area
 * damaged), which a drill does not know at the start. None of the five bundled plans defines
 * levels: their drills say so and leave the level to the trainer.
 */
import type { Plan } from '../scenario/schema.js';
import type { ResponseLevel } from './script.js';

/** What is known of the event when it starts. */
export interface FirstAssessment {
  readonly displaced?: number;
  readonly exposed?: number;
}

/** Whether the plan defines response levels for this hazard type. */
export const planDefinesLevels = (plan: Plan | undefined, hazard: string): boolean =>
  (plan?.responseLevels ?? []).some((r) => r.hazard === hazard);

/**
 * The highest level (I highest) whose every stated condition the first assessment meets, by the
 * plan's rules for this hazard type; undefined when none applies or the plan defines none.
 */
export function planLevel(plan: Plan | undefined, hazard: string, a: FirstAssessment): ResponseLevel | undefined {
  const order: ResponseLevel[] = ['I', 'II', 'III', 'IV'];
  const meets = (r: NonNullable<Plan['responseLevels']>[number]) =>
    (r.displacedAtLeast === undefined || (a.displaced ?? -1) >= r.displacedAtLeast) &&
    (r.exposedAtLeast === undefined || (a.exposed ?? -1) >= r.exposedAtLeast) &&
    (r.displacedAtLeast !== undefined || r.exposedAtLeast !== undefined);
  const hit = (plan?.responseLevels ?? []).filter((r) => r.hazard === hazard && meets(r)).map((r) => r.level);
  return order.find((l) => hit.includes(l));
}

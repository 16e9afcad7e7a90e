/**
 * The evaluators' instrument (AQ/T 9009-2015 评估要点; HSEEP's Exercise Evaluation Guide): per
 * objective, the critical tasks of the hazard drilled, each with what to observe, the standard it
 * is judged by — the plan's target, a rule (the 1-hour accident report of 国务院令第493号 art. 9),
 * or the plan's own organisation — and the model's value in this replication as a reference, never
 * as the criterion: players are judged against the plan and the rules.
 *
 * Language-free: render.ts words each task from the catalogue (`task.<id>`, `task.<id>.standard`,
 * `task.<id>.ref.<reference>`), with these numbers.
 */
import type { Targets } from '../scenario/compile.js';
import { hoursOf } from './injects.js';
import { ACCIDENT_REPORT_MINUTES, type CriticalTask, type Inject } from './script.js';

/** Blocked roads reopened within a day (the plans' target, DEVELOPERS.md; 24 h). */
const ROADS_REOPENED_HOURS = 24;

const num = (x: unknown): number => (typeof x === 'number' ? x : 0);

/** The critical tasks of a drill of `hazard` on these injects, with the model's reference values. */
export function tasksOf(
  hazard: string,
  injects: readonly Inject[],
  targets: Targets,
  o: { readonly reportWithinMinutes?: number | undefined; readonly onsetMinutes: number },
): CriticalTask[] {
  const first = (kind: Inject['kind']) => injects.find((x) => x.kind === kind);
  const all = (kind: Inject['kind']) => injects.filter((x) => x.kind === kind);
  const after = (x: Inject | undefined) => (x === undefined ? 0 : hoursOf(x.minutes - o.onsetMinutes));
  const tasks: CriticalTask[] = [];
  const calls = (kind: 'rescue-calls' | 'fire' | 'wildfire-crews', task: string, objective: string, minutes: number) => {
    const xs = all(kind);
    const reached = xs.reduce((a, x) => a + num(x.answer?.['reached']), 0);
    const late = xs.reduce((a, x) => a + num(x.answer?.['late']), 0);
    const fast = xs.map((x) => x.answer?.['fastestMinutes']).filter((v): v is number => typeof v === 'number');
    const slow = xs.map((x) => x.answer?.['slowestMinutes']).filter((v): v is number => typeof v === 'number');
    const count = xs.reduce((a, x) => a + num(x.facts['calls']), 0);
    const fastest = fast.length > 0 ? Math.min(...fast) : 0;
    const slowest = slow.length > 0 ? Math.max(...slow) : 0;
    tasks.push({
      objective,
      task,
      params: { minutes, calls: count, reached, late, fastest, slowest },
      reference:
        count === 0
          ? 'none'
          : reached === 0
            ? 'unreached'
            : fastest === slowest
              ? late > 0
                ? 'oneLate'
                : 'one'
              : late > 0
                ? 'late'
                : 'onTime',
    });
  };
  if (hazard === 'flood') {
    const warning = first('warning');
    tasks.push({
      objective: 'warning',
      task: 'evacuation-order',
      params: { lead: num(warning?.facts['lead']) },
      reference: warning ? 'lead' : 'none',
    });
    tasks.push({ objective: 'command', task: 'activation', params: {}, reference: 'plan' });
    calls('rescue-calls', 'rescue', 'rescue', targets.responseTimeMinutes);
    const closed = all('roads-closed').reduce((a, x) => a + num(x.facts['count']), 0);
    const reopened = all('roads-reopened');
    tasks.push({
      objective: 'rescue',
      task: 'roads',
      params: { hours: ROADS_REOPENED_HOURS, closed, last: reopened.length > 0 ? after(reopened.at(-1)) : 0 },
      reference: closed === 0 ? 'none' : reopened.length > 0 ? 'reopened' : 'closed',
    });
    const stock = first('stock-out');
    tasks.push({ objective: 'relief', task: 'stock', params: { hours: after(stock) }, reference: stock ? 'out' : 'none' });
    const deadline = first('deadline');
    tasks.push({
      objective: 'relief',
      task: 'relief',
      params: {
        hours: targets.reliefDeadlineHours,
        relieved: num(deadline?.facts['relieved']),
        displaced: num(deadline?.facts['displaced']),
      },
      reference: deadline ? 'share' : 'none',
    });
    tasks.push({ objective: 'command', task: 'report', params: {}, reference: 'none' });
  } else if (hazard === 'chemical') {
    const release = first('release');
    tasks.push({
      objective: 'command',
      task: 'accident-report',
      params: { minutes: o.reportWithinMinutes ?? ACCIDENT_REPORT_MINUTES },
      reference: 'none',
    });
    const done = first('evacuation-completed');
    const shelter = first('shelter-ordered');
    tasks.push({
      objective: 'protect',
      task: 'protective-action',
      params: { people: num(release?.facts['aegl2']), hours: after(done ?? shelter) },
      reference: done ? 'evacuated' : shelter ? 'sheltered' : 'none',
    });
    tasks.push({ objective: 'protect', task: 'upwind', params: {}, reference: 'none' });
    tasks.push({ objective: 'rescue', task: 'casualties', params: { deaths: num(release?.answer?.['deaths']) }, reference: 'deaths' });
    const stopped = first('release-stopped');
    tasks.push({ objective: 'protect', task: 'monitoring', params: { hours: after(stopped) }, reference: stopped ? 'stopped' : 'none' });
  } else if (hazard === 'urban-fire') {
    calls('fire', 'fire-circle', 'rescue', targets.fireResponseMinutes ?? 5);
  } else if (hazard === 'wildfire') {
    const out = first('wildfire-contained');
    calls('wildfire-crews', 'wildfire-crews', 'rescue', targets.responseTimeMinutes);
    tasks.push({
      objective: 'rescue',
      task: 'wildfire-attack',
      params: { hours: num(out?.facts['hours']), area: num(out?.facts['areaHa']) },
      reference: out ? 'ended' : 'none',
    });
    tasks.push({ objective: 'protect', task: 'threatened', params: {}, reference: 'none' });
  } else {
    calls('rescue-calls', 'rescue', 'rescue', targets.responseTimeMinutes);
  }
  tasks.push({ objective: 'command', task: 'stand-down', params: {}, reference: 'none' });
  return tasks;
}

/**
 * The team dispatcher on the kernel alone, with hand-computed times: no roads, no turnout, no
 * travel (every team is at every scene at once), so a call's response is its wait in the queue.
 */
import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/kernel/simulation.js';
import type { Incident } from '../../src/response/incident.js';
import { TeamDispatcher } from '../../src/response/teams.js';

interface Answer {
  readonly call: number;
  readonly minutes: number;
  readonly external: boolean;
}

function setup() {
  const sim = new Simulation();
  const teams = new TeamDispatcher(sim, () => 0);
  const answers: Answer[] = [];
  const call = (no: number, types: ReadonlySet<string>, workMinutes: number, externalMinutes?: number): void => {
    const incident: Incident = { timeMinutes: sim.now, zone: 0, workMinutes, people: no };
    teams.alarm({
      incident,
      eligible: types,
      travel: () => 0,
      onScene: (minutes, i, external) => answers.push({ call: i.people, minutes, external }),
      ...(externalMinutes !== undefined && { externalMinutes }),
    });
  };
  return { sim, teams, answers, call };
}

const FIRE = new Set(['fire']);
const HAZMAT = new Set(['hazmat']);

describe('team dispatcher', () => {
  it('a waiting call takes the first free team it may have, first come first served, skipping those it may not', () => {
    const { sim, teams, answers, call } = setup();
    teams.add('fire', 0, 0, 'fire#1');
    sim.at(0, () => call(1, FIRE, 10));
    sim.at(1, () => call(2, HAZMAT, 5)); // no hazmat team yet
    sim.at(2, () => call(3, FIRE, 10));
    sim.at(3, () => call(4, FIRE, 10));
    sim.at(20, () => teams.add('hazmat', 0, 0, 'hazmat#1'));
    sim.run();
    // fire#1: call 1 at 0–10, call 3 at 10–20 (waited 8), call 4 at 20–30 (waited 17)
    // hazmat#1 joins at 20 and takes call 2, waiting since 1 (19)
    expect(answers).toEqual([
      { call: 1, minutes: 0, external: false },
      { call: 3, minutes: 8, external: false },
      { call: 2, minutes: 19, external: false },
      { call: 4, minutes: 17, external: false },
    ]);
    expect(teams.waiting).toBe(0);
  });

  it('a team of a type new to the dispatcher finds the calls already waiting for its type, and later ones', () => {
    const { sim, teams, answers, call } = setup();
    teams.add('fire', 0, 0, 'fire#1');
    sim.at(0, () => call(1, HAZMAT, 5)); // asks for a type that has no team and no bit yet
    sim.at(30, () => teams.add('hazmat', 0, 0, 'hazmat#1')); // mutual aid of a new type
    sim.at(40, () => call(2, HAZMAT, 5));
    sim.run();
    expect(answers).toEqual([
      { call: 1, minutes: 30, external: false },
      { call: 2, minutes: 0, external: false },
    ]);
  });

  it('a call answered from outside leaves the queue, also after the queue has been compacted', () => {
    const { sim, teams, answers, call } = setup();
    teams.add('fire', 0, 0, 'fire#1');
    // 3,000 calls at once, one minute of work each, one team: call k (0-based) waits k minutes,
    // except call 2,500, which a unit from outside answers at 2,000 (the queue was compacted past
    // its first 1,024 places by then); from call 2,501 on each waits one minute less.
    sim.at(0, () => {
      for (let k = 0; k < 3000; k++) call(k, FIRE, 1, k === 2500 ? 2000 : undefined);
    });
    sim.run();
    expect(answers).toHaveLength(3000);
    const byCall = new Map(answers.map((a) => [a.call, a]));
    expect(byCall.get(2500)).toEqual({ call: 2500, minutes: 2000, external: true });
    for (const k of [0, 1, 1024, 1500, 2499]) expect(byCall.get(k)).toEqual({ call: k, minutes: k, external: false });
    for (const k of [2501, 2999]) expect(byCall.get(k)).toEqual({ call: k, minutes: k - 1, external: false });
    expect(sim.now).toBe(2999);
    expect(teams.waiting).toBe(0);
  });
});

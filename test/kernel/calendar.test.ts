import { describe, expect, it } from 'vitest';
import { Simulation } from '../../src/kernel/simulation.js';

describe('event kernel', () => {
  it('runs events in time order, equal times first-scheduled first, and never goes back in time', () => {
    const sim = new Simulation();
    const log: [string, number][] = [];
    const note = (name: string) => () => log.push([name, sim.now]);
    sim.schedule(5, note('b'));
    sim.schedule(1, note('a'));
    sim.schedule(5, note('c'));
    sim.schedule(3, () => {
      note('x')();
      sim.schedule(2, note('d')); // also at 5, scheduled last
    });
    sim.run();
    expect(log).toEqual([
      ['a', 1],
      ['x', 3],
      ['b', 5],
      ['c', 5],
      ['d', 5],
    ]);
  });
  it('stops before events beyond the horizon', () => {
    const sim = new Simulation();
    let ran = 0;
    sim.schedule(10, () => ran++);
    sim.schedule(20, () => ran++);
    sim.run(15);
    expect(ran).toBe(1);
    expect(sim.now).toBe(15);
  });
  it('orders 10,000 random events correctly', () => {
    const sim = new Simulation();
    let last = -1;
    let ok = true;
    let x = 12345;
    for (let i = 0; i < 10000; i++) {
      x = (x * 1103515245 + 12345) % 2147483648;
      sim.schedule(x % 1000, () => {
        if (sim.now < last) ok = false;
        last = sim.now;
      });
    }
    sim.run();
    expect(ok).toBe(true);
    expect(sim.events).toBe(10000);
  });
  it('rejects a negative delay', () => {
    expect(() => new Simulation().schedule(-1, () => {})).toThrow(/negative/);
  });
});

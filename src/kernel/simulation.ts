/**
 * The simulation clock: schedule callbacks in simulated time and run them in (time, sequence)
 * order. Time is a plain number; dsim's models use minutes. The kernel knows nothing of floods.
 */
import { type Action, Calendar } from './calendar.js';

export class Simulation {
  /** Current simulated time. */
  now = 0;
  /** Events executed so far. */
  events = 0;
  private readonly calendar = new Calendar();

  /** Runs `action` after `delay` (>= 0) time units. */
  schedule(delay: number, action: Action): void {
    if (!(delay >= 0)) throw new Error(`kernel: negative or NaN delay ${delay} at t=${this.now}`);
    this.calendar.push(this.now + delay, action);
  }

  /** Runs `action` at absolute time `time` (not before now). */
  at(time: number, action: Action): void {
    this.schedule(Math.max(0, time - this.now), action);
  }

  /** Runs events until the calendar is empty or the next event lies beyond `until`. */
  run(until = Infinity): void {
    const cal = this.calendar;
    while (cal.size > 0) {
      const t = cal.peekTime();
      if (t > until) break;
      this.now = t;
      const action = cal.pop();
      this.events++;
      action();
    }
    if (until !== Infinity && this.now < until) this.now = until;
  }
}

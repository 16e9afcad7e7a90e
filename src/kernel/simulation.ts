/**
 * The simulation clock: schedule callbacks in simulated time and run them in (time, sequence)
 * order. Time is a plain number; dsim's models use minutes. The kernel knows nothing of floods.
 */
import { type Action, Calendar } from './calendar.js';

/** Events between two calls of the interrupt (a power of two: the test is a mask). */
const INTERRUPT_EVERY = 1 << 16;

export class Simulation {
  /**
   * Called every INTERRUPT_EVERY events run or scheduled by a simulation on this thread, when set: a watchdog
   * (the in-thread executor's heap guard) that may throw to stop a replication whose memory grows
   * inside it, before V8 would abort the process.
   */
  static interrupt: (() => void) | undefined;

  /** Current simulated time. */
  now = 0;
  /** Events executed so far. */
  events = 0;
  private readonly calendar = new Calendar();

  /** Events scheduled so far (the interrupt also runs every INTERRUPT_EVERY of them: a calendar can grow before it runs). */
  private scheduled = 0;

  /** Runs `action` after `delay` (>= 0) time units. */
  schedule(delay: number, action: Action): void {
    if (!(delay >= 0)) throw new Error(`kernel: negative or NaN delay ${delay} at t=${this.now}`);
    if ((++this.scheduled & (INTERRUPT_EVERY - 1)) === 0) Simulation.interrupt?.();
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
      if ((++this.events & (INTERRUPT_EVERY - 1)) === 0) Simulation.interrupt?.();
      action();
    }
    if (until !== Infinity && this.now < until) this.now = until;
  }
}

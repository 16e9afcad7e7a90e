/**
 * The calibration workload: a fixed piece of pure JavaScript of the same character as the
 * simulation core (a seeded xorshift stream, a binary heap of events pushed and popped, float
 * arithmetic, typed arrays), and nothing else of dsim. Timed in the same process and rounds as
 * the tasks, it is the yardstick that makes a baseline taken on one machine judge a run on another:
 * the gate compares each task's time divided by the calibration's, not milliseconds.
 */

/** Events pushed and popped per call. */
const EVENTS = 20_000;

/** One calibration unit of work; returns a checksum so the work cannot be optimised away. */
export function calibrationWork(): number {
  let s0 = 0x9e3779b9 | 0;
  let s1 = 0x243f6a88 | 0;
  const next = (): number => {
    // xorshift64 on two 32-bit halves (Marsaglia), a double in [0, 1)
    let x = s0;
    const y = s1;
    s0 = y;
    x ^= x << 23;
    s1 = x ^ y ^ (x >>> 17) ^ (y >>> 26);
    return ((s1 + y) >>> 0) / 4294967296;
  };
  const times = new Float64Array(EVENTS);
  const kinds = new Int32Array(EVENTS);
  let n = 0;
  const push = (t: number, k: number): void => {
    let i = n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (times[p]! <= t) break;
      times[i] = times[p]!;
      kinds[i] = kinds[p]!;
      i = p;
    }
    times[i] = t;
    kinds[i] = k;
  };
  const pop = (): number => {
    const top = times[0]!;
    const t = times[--n]!;
    const k = kinds[n]!;
    let i = 0;
    for (;;) {
      const l = 2 * i + 1;
      if (l >= n) break;
      const c = l + 1 < n && times[l + 1]! < times[l]! ? l + 1 : l;
      if (times[c]! >= t) break;
      times[i] = times[c]!;
      kinds[i] = kinds[c]!;
      i = c;
    }
    times[i] = t;
    kinds[i] = k;
    return top;
  };
  let clock = 0;
  let sum = 0;
  // half the events queued, then each pop schedules a successor: a steady-state event loop
  for (let i = 0; i < EVENTS / 2; i++) push(-Math.log(1 - next()), i & 3);
  for (let i = 0; i < EVENTS * 4; i++) {
    clock = pop();
    sum += clock;
    push(clock - Math.log(1 - next()) * 10, i & 3);
  }
  return sum;
}

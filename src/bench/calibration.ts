/**
 * The calibration workload: a fixed piece of pure JavaScript of the same character as the
 * simulation core, and nothing else of dsim, in two halves of about equal time:
 *   - arithmetic on typed arrays: a seeded xorshift stream and a binary heap of events pushed and
 *     popped (`heapWork`);
 *   - the engine's habits with objects: event records in a heap of objects, a callback per event,
 *     units looked up in a Map by string key (`objectWork`): pointer chasing and property access,
 *     which the typed-array half never exercises. It allocates nothing while timed (see `pool`).
 * Timed in the same process as the tasks, interleaved with them (src/bench/measure.ts), it is the
 * yardstick that makes a baseline taken on one machine judge a run on another: the gate compares
 * each task's time divided by the calibration's, not milliseconds. The object half is there
 * because a machine (or a neighbour) that is slow at memory slows the scenario tasks more than
 * arithmetic: with the typed-array half alone, four memory-thrashing neighbours moved the annual
 * tasks' ratios by +27% to +46% and the M/M/c task's by +4%.
 *
 * Changing this file changes every ratio: refresh bench/baseline.json in the same commit.
 */

/** Events pushed and popped per call. */
const EVENTS = 10_000;

/** One calibration unit of work (both halves); returns a checksum so the work cannot be optimised away. */
export function calibrationWork(): number {
  return heapWork() + objectWork();
}

/** The typed-array half: a steady-state event loop on a binary heap of doubles. */
export function heapWork(): number {
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

interface CalEvent {
  t: number;
  seq: number;
  /** Which handler runs it (a closure of the fixed set, as the kernel calls an event's callback). */
  fn: number;
  unit: CalUnit | undefined;
  people0: number;
  people1: number;
}

interface CalUnit {
  busyUntil: number;
  served: number;
  people: number;
}

/** Events handled per call of the object half. */
const OBJECT_EVENTS = 20_000;

/** Events pending at once (the pool's size). */
const PENDING = 2000;

const UNIT_KEYS = Array.from({ length: 64 }, (_, u) => `u${u}`);

/**
 * The object half's objects, made once per process: it allocates nothing while it is timed, so no
 * garbage collection falls in it — the task's collections (incremental marking steps run on an
 * allocation, in a child whose GC is single-threaded on whoever allocates) are the task's cost, not charged to
 * the calibration beside it. Allocating its records as the engine does, a 25% slowdown of a task
 * read from +11% to +40%, as the slowed task's extra garbage was collected inside the calibration.
 */
let pool: { events: CalEvent[]; heap: CalEvent[]; units: Map<string, CalUnit> } | undefined;

/** The object half: an event loop in the engine's style, on objects, callbacks and a Map. */
export function objectWork(): number {
  let s0 = 0x9e3779b9 | 0;
  let s1 = 0x243f6a88 | 0;
  const next = (): number => {
    let x = s0;
    const y = s1;
    s0 = y;
    x ^= x << 23;
    s1 = x ^ y ^ (x >>> 17) ^ (y >>> 26);
    return ((s1 + y) >>> 0) / 4294967296;
  };
  pool ??= {
    events: Array.from({ length: PENDING + 1 }, () => ({ t: 0, seq: 0, fn: 0, unit: undefined, people0: 0, people1: 0 })),
    heap: new Array<CalEvent>(PENDING + 1),
    units: new Map(UNIT_KEYS.map((k) => [k, { busyUntil: 0, served: 0, people: 0 }])),
  };
  const { events, heap, units } = pool;
  for (const u of units.values()) {
    u.busyUntil = 0;
    u.served = 0;
    u.people = 0;
  }
  let n = 0;
  const before = (a: CalEvent, b: CalEvent): boolean => a.t < b.t || (a.t === b.t && a.seq < b.seq);
  const push = (e: CalEvent): void => {
    let i = n++;
    while (i > 0) {
      const p = (i - 1) >> 1;
      if (before(heap[p]!, e)) break;
      heap[i] = heap[p]!;
      i = p;
    }
    heap[i] = e;
  };
  const pop = (): CalEvent => {
    const top = heap[0]!;
    const last = heap[--n]!;
    if (n > 0) {
      let i = 0;
      for (;;) {
        const l = 2 * i + 1;
        if (l >= n) break;
        const c = l + 1 < n && before(heap[l + 1]!, heap[l]!) ? l + 1 : l;
        if (before(last, heap[c]!)) break;
        heap[i] = heap[c]!;
        i = c;
      }
      heap[i] = last;
    }
    return top;
  };
  let now = 0;
  let seq = 0;
  let sum = 0;
  const handlers: ((e: CalEvent) => void)[] = [
    () => {},
    (e) => {
      e.unit!.busyUntil = now;
      e.unit!.people += e.people0;
    },
  ];
  // the popped event's record is reused for the one it schedules: PENDING events in flight, always
  const schedule = (e: CalEvent, dt: number, fn: number, unit: CalUnit | undefined, p0: number, p1: number): void => {
    e.t = now + dt;
    e.seq = seq++;
    e.fn = fn;
    e.unit = unit;
    e.people0 = p0;
    e.people1 = p1;
    push(e);
  };
  for (let i = 0; i < PENDING; i++) schedule(events[i]!, -Math.log(1 - next()) * 10, 0, undefined, 0, 0);
  for (let i = 0; i < OBJECT_EVENTS; i++) {
    const e = pop();
    now = e.t;
    handlers[e.fn]!(e);
    const u = units.get(UNIT_KEYS[(next() * 64) | 0]!)!;
    u.served++;
    const p0 = next() * 100;
    const p1 = next() * 50;
    sum += p0 + Math.exp(-p1 / 50);
    schedule(e, -Math.log(1 - next()) * 10, 1, u, p0, p1);
  }
  return sum;
}

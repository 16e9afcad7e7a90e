/**
 * The JavaScript floor for the M/M/c benchmark: the C loop (bench/peers/mmc.c) written line for
 * line in JavaScript — a binary heap on typed arrays with integer event kinds, a ring of waiting
 * arrival times, no objects and no callbacks per event — drawing from dsim's own generator
 * (xoshiro128**, src/rng/stream.ts). What it costs against C is what the language costs; what
 * dsim costs against it is what dsim's generality costs (scenario, dispatcher, KPI sketches).
 * Needs dist/ (npm run build).
 *
 * Run:  node bench/peers/mmc_floor.mjs 0.9 0.1 10 2000000 1
 * Prints JSON: {customers, events, wallMs, cpuMs (user + system of the loop), eventsPerSec, meanWait}.
 */
import { streamRng } from '../../dist/rng/stream.js';

const [lambda, mu, c, customers, seed] = process.argv.slice(2).map(Number);
if (!(lambda > 0 && mu > 0 && c >= 1 && customers >= 1 && seed >= 0)) {
  process.stderr.write('usage: node bench/peers/mmc_floor.mjs LAMBDA MU SERVERS CUSTOMERS SEED\n');
  process.exit(2);
}
const rng = streamRng(seed, 0, 'mmc-floor');
const expo = (rate) => -Math.log(1 - rng()) / rate;

let cap = 1024;
let n = 0;
let seqc = 0;
let T = new Float64Array(cap);
let S = new Float64Array(cap);
let K = new Uint8Array(cap); // 0 arrival, 1 departure
let now = 0;

function push(t, kind) {
  if (n === cap) {
    cap *= 2;
    const [t2, s2, k2] = [new Float64Array(cap), new Float64Array(cap), new Uint8Array(cap)];
    t2.set(T);
    s2.set(S);
    k2.set(K);
    [T, S, K] = [t2, s2, k2];
  }
  const seq = seqc++;
  let i = n++;
  while (i > 0) {
    const p = (i - 1) >> 1;
    if (T[p] < t || (T[p] === t && S[p] < seq)) break;
    T[i] = T[p];
    S[i] = S[p];
    K[i] = K[p];
    i = p;
  }
  T[i] = t;
  S[i] = seq;
  K[i] = kind;
}

function pop() {
  const kind = K[0];
  now = T[0];
  const m = --n;
  const lt = T[m];
  const ls = S[m];
  const lk = K[m];
  let i = 0;
  for (;;) {
    const l = 2 * i + 1;
    if (l >= m) break;
    const r = l + 1;
    const ch = r < m && (T[r] < T[l] || (T[r] === T[l] && S[r] < S[l])) ? r : l;
    if (T[ch] > lt || (T[ch] === lt && S[ch] > ls)) break;
    T[i] = T[ch];
    S[i] = S[ch];
    K[i] = K[ch];
    i = ch;
  }
  T[i] = lt;
  S[i] = ls;
  K[i] = lk;
  return kind;
}

const queue = new Float64Array(customers);
let qh = 0;
let qt = 0;
let busy = 0;
let arrived = 0;
let served = 0;
let events = 0;
let waitSum = 0;
const t0 = performance.now();
const cpu0 = process.cpuUsage();
push(expo(lambda), 0);
while (n > 0) {
  const kind = pop();
  events++;
  if (kind === 0) {
    arrived++;
    if (busy < c) {
      busy++;
      served++;
      push(now + expo(mu), 1);
    } else queue[qt++] = now;
    if (arrived < customers) push(now + expo(lambda), 0);
  } else if (qh < qt) {
    waitSum += now - queue[qh++];
    served++;
    push(now + expo(mu), 1);
  } else busy--;
}
const wallMs = performance.now() - t0;
const cpu = process.cpuUsage(cpu0);
const cpuMs = (cpu.user + cpu.system) / 1000;
process.stdout.write(
  `${JSON.stringify({ customers: served, events, wallMs: Math.round(wallMs * 1000) / 1000, cpuMs: Math.round(cpuMs * 1000) / 1000, eventsPerSec: Math.round(events / (wallMs / 1000)), meanWait: waitSum / served })}\n`,
);

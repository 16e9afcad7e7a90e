/**
 * `dsim bench peers`: the same M/M/c model (λ 0.9, μ 0.1, c 10 by default) in dsim's engine, in
 * SimPy (bench/peers/mmc_simpy.py, Debian's python3-simpy), in a plain C event loop with a
 * binary heap (bench/peers/mmc.c, built with gcc) and in that loop written in JavaScript (the
 * language's floor, bench/peers/mmc_floor.mjs), interleaved round by round in one run so the
 * three see the same machine, with the ratios of their median wall times. Every engine reports the
 * mean wait, printed beside the Erlang C value, so one can see they simulate the same queue. A peer
 * that is not installed is reported as missing, never faked.
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { median } from 'simple-statistics';
import { runChild, whileChildren } from './children.js';
import { type MmcParams, runMmc } from './mmc.js';

const PEERS_DIR = fileURLToPath(new URL('../../bench/peers/', import.meta.url));

export interface PeerRun {
  readonly engine: 'dsim' | 'simpy' | 'c' | 'js';
  /** Median wall time over the rounds, ms (null: the peer is missing). */
  readonly wallMs: number | null;
  readonly wallMsByRound: readonly number[];
  readonly meanWait: number | null;
  readonly customers: number | null;
  /** Why it did not run. */
  readonly missing?: string;
}

export interface PeersReport {
  readonly kind: 'dsim.bench.peers';
  readonly params: MmcParams;
  readonly rounds: number;
  /** The exact mean wait in queue of M/M/c (Erlang C). */
  readonly erlangCWait: number;
  readonly runs: readonly PeerRun[];
  /** SimPy's time / dsim's (how many times faster dsim is). */
  readonly simpyOverDsim: number | null;
  /** dsim's time / C's (how many times slower dsim is than the C floor). */
  readonly dsimOverC: number | null;
  /** The JavaScript floor's time / C's: what the language costs. */
  readonly jsOverC: number | null;
}

/** Mean wait in queue of M/M/c: Erlang C probability of waiting / (cμ − λ). */
export function erlangCWait(lambda: number, mu: number, c: number): number {
  const a = lambda / mu;
  const rho = a / c;
  let term = 1;
  let sum = 1;
  for (let k = 1; k < c; k++) {
    term *= a / k;
    sum += term;
  }
  const last = (term * a) / c / (1 - rho);
  return last / (sum + last) / (c * mu - lambda);
}

interface PeerOut {
  wallMs: number;
  meanWait: number;
  customers: number;
}

function parsePeer(text: string, what: string): PeerOut {
  const j = JSON.parse(text) as Partial<PeerOut>;
  if (typeof j.wallMs !== 'number' || typeof j.meanWait !== 'number' || typeof j.customers !== 'number') {
    throw new Error(`${what} printed no {wallMs, meanWait, customers}: ${text.slice(0, 200)}`);
  }
  return { wallMs: j.wallMs, meanWait: j.meanWait, customers: j.customers };
}

/** A peer's run in a tracked child (a signal to this process kills it: src/bench/children.ts). */
async function runPeer(file: string, args: readonly string[], what: string): Promise<PeerOut> {
  const r = await runChild(file, args);
  if (r.code !== 0) throw new Error(`${what} exited with ${r.signal ?? r.code}: ${r.stderr.trim().slice(-2000)}`);
  return parsePeer(r.stdout, what);
}

type Runner = () => PeerOut | Promise<PeerOut>;

/** A runner for each peer, or why it cannot run. */
function peers(p: MmcParams): Record<'simpy' | 'c' | 'js', Runner | string> {
  const args = [String(p.lambda), String(p.mu), String(p.servers), String(p.customers), String(p.seed)];
  const python = '/usr/bin/python3';
  const simpyOk = existsSync(python) && spawnSync(python, ['-c', 'import SimPy.Simulation'], { stdio: 'ignore' }).status === 0;
  const simpy = simpyOk
    ? () => runPeer(python, [join(PEERS_DIR, 'mmc_simpy.py'), ...args], 'SimPy')
    : 'SimPy 2 not installed (apt-get install python3-simpy; bench/peers.sh does it)';
  let c: Runner | string = 'gcc not found (apt-get install gcc)';
  if (spawnSync('gcc', ['--version'], { stdio: 'ignore' }).status === 0) {
    const exe = join(mkdtempSync(join(tmpdir(), 'dsim-mmc-')), 'mmc');
    const built = spawnSync('gcc', ['-O2', '-o', exe, join(PEERS_DIR, 'mmc.c'), '-lm'], { encoding: 'utf8' });
    c = built.status === 0 ? () => runPeer(exe, args, 'the C peer') : `gcc failed: ${built.stderr}`;
  }
  const floor = join(PEERS_DIR, 'mmc_floor.mjs');
  const js = () => runPeer(process.execPath, [floor, ...args], 'the JavaScript floor');
  return { simpy, c, js };
}

/** Runs dsim, SimPy and C on the same M/M/c, `rounds` times each, interleaved (the order rotates each round). */
export async function runPeers(p: MmcParams, rounds: number): Promise<PeersReport> {
  const ps = peers(p);
  const engines: { engine: PeerRun['engine']; run: Runner | string }[] = [
    { engine: 'dsim', run: () => runMmc(p) },
    { engine: 'simpy', run: ps.simpy },
    { engine: 'c', run: ps.c },
    { engine: 'js', run: ps.js },
  ];
  const outs = new Map<string, PeerOut[]>(engines.map((e) => [e.engine, []]));
  await whileChildren(async () => {
    for (let round = 0; round < rounds; round++) {
      // round 0 runs SimPy, C, the floor, then dsim; each round starts one engine later
      for (let k = 1; k <= engines.length; k++) {
        const e = engines[(round + k) % engines.length]!;
        if (typeof e.run !== 'string') outs.get(e.engine)!.push(await e.run());
      }
    }
  });
  const runs: PeerRun[] = engines.map((e) => {
    const o = outs.get(e.engine)!;
    if (typeof e.run === 'string')
      return { engine: e.engine, wallMs: null, wallMsByRound: [], meanWait: null, customers: null, missing: e.run };
    return {
      engine: e.engine,
      wallMs: median(o.map((x) => x.wallMs)),
      wallMsByRound: o.map((x) => x.wallMs),
      meanWait: o[0]!.meanWait,
      customers: o[0]!.customers,
    };
  });
  const wall = (engine: string) => runs.find((r) => r.engine === engine)!.wallMs;
  const d = wall('dsim')!;
  const s = wall('simpy');
  const c = wall('c');
  const js = wall('js');
  return {
    kind: 'dsim.bench.peers',
    params: p,
    rounds,
    erlangCWait: erlangCWait(p.lambda, p.mu, p.servers),
    runs,
    simpyOverDsim: s === null ? null : s / d,
    dsimOverC: c === null ? null : d / c,
    jsOverC: c === null || js === null ? null : js / c,
  };
}

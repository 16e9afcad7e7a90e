/**
 * The child processes a benchmark starts (the suite's measuring children, the peers of `dsim bench
 * peers`), killed if this process exits first (an error) or is stopped by a signal. A signal's
 * default action ends a process without its 'exit' event, so `kill PID` of a `dsim bench` left
 * its child running. While `whileChildren` runs, SIGINT, SIGTERM and SIGHUP kill the children and
 * then end this process by the same signal (its exit status says so, as before). The handlers are
 * in place before the first child is started: a signal that came between a child's start and its
 * handler would end this process and leave the child. A child must be started asynchronously
 * (spawn, not execFileSync): while a synchronous call waits, no handler runs.
 */
import { type ChildProcess, spawn } from 'node:child_process';
import { accessSync, constants, readFileSync } from 'node:fs';
import { delimiter, join } from 'node:path';

const live = new Set<ChildProcess>();
const killLive = (): void => {
  for (const c of live) c.kill('SIGKILL');
};
process.once('exit', killLive);
const STOP_SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;
function onStop(signal: NodeJS.Signals): void {
  killLive();
  disarm();
  process.kill(process.pid, signal);
}
function disarm(): void {
  for (const s of STOP_SIGNALS) process.off(s, onStop);
}

/** Runs `f` with the stop handlers armed: a signal meanwhile kills every tracked child first. */
export async function whileChildren<T>(f: () => Promise<T>): Promise<T> {
  for (const s of STOP_SIGNALS) process.on(s, onStop);
  try {
    return await f();
  } finally {
    disarm();
  }
}

export interface ChildResult {
  readonly code: number | null;
  readonly signal: NodeJS.Signals | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Starts a tracked child and collects its output; rejects only if it could not be started. */
export function runChild(file: string, args: readonly string[]): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(file, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    live.add(child);
    let stdout = '';
    let stderr = '';
    child.stdout.setEncoding('utf8').on('data', (d: string) => {
      stdout += d;
    });
    child.stderr.setEncoding('utf8').on('data', (d: string) => {
      stderr += d;
    });
    child.once('error', (e) => {
      live.delete(child);
      reject(e);
    });
    child.once('close', (code, signal) => {
      live.delete(child);
      resolve({ code, signal, stdout, stderr });
    });
  });
}

/**
 * The CPUs a measuring child may be pinned to: those this process may run on (Linux's
 * Cpus_allowed_list, "0-3,6"), where `taskset` (util-linux, on every Debian) is on the PATH to pin
 * with; none elsewhere, and the children then run where the scheduler puts them.
 *
 * Why pin: a child's two builds (or its task and calibration) take turns on one thread, but the
 * scheduler moves that thread between cores (each move leaves its caches behind), and on a shared
 * machine the cores are not alike (a busy sibling hyperthread, another VM's cache traffic).
 * year:linqing against the same engine in another build, six children each, a 2-vCPU Intel Xeon
 * VM: idle, unpinned their ratios spread 0.96–1.11, pinned 0.95–1.04; with a 25% slowdown and
 * four busy processes, unpinned 1.18–1.32, pinned 1.19–1.24. (Each build in a worker thread of its
 * own, an isolate each, spread further: 0.83–1.17 idle unpinned, 1.09–1.25 slowed, pinned and
 * loaded; not kept.)
 */
export function pinnableCpus(status = '/proc/self/status', path = process.env.PATH ?? ''): number[] {
  if (!path.split(delimiter).some((d) => d !== '' && executable(join(d, 'taskset')))) return [];
  let text: string;
  try {
    text = readFileSync(status, 'utf8');
  } catch {
    return [];
  }
  return parseCpuList(/^Cpus_allowed_list:\s*(\S+)\s*$/m.exec(text)?.[1] ?? '');
}

/** A Linux CPU list ("0-3,6") as its CPUs in order; [] for anything else (nothing is pinned then). */
export function parseCpuList(list: string): number[] {
  const cpus: number[] = [];
  for (const part of list.split(',')) {
    const m = /^(\d{1,4})(?:-(\d{1,4}))?$/.exec(part);
    if (!m) return [];
    const lo = Number(m[1]);
    const hi = Number(m[2] ?? m[1]);
    if (hi < lo) return [];
    for (let c = lo; c <= hi; c++) cpus.push(c);
  }
  return cpus;
}

const executable = (file: string): boolean => {
  try {
    accessSync(file, constants.X_OK);
    return true;
  } catch {
    return false;
  }
};

/** The command that runs `file args` on CPU `cpu` (taskset, which then runs it as itself: same pid), or as it is. */
export function pinnedCommand(cpu: number | undefined, file: string, args: readonly string[]): [string, string[]] {
  return cpu === undefined ? [file, [...args]] : ['taskset', ['--cpu-list', String(cpu), file, ...args]];
}

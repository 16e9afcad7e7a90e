/**
 * Every process a test starts, tracked and killed by id, whatever the test's outcome.
 *
 * - `spawnTracked` starts a child in a process group of its own (its pid is the group's id), so a
 *   kill of the group reaches what the child started in turn (a `dsim serve`'s workers, a shell's
 *   commands). The child is remembered until it exits.
 * - `test/setup-procs.ts` (vitest `setupFiles`) kills every tracked group after each test file,
 *   whether its tests passed or failed, and on the test process's exit.
 * - Every process the suite starts carries `DSIM_TEST_RUN=<this run's id>` in its environment
 *   (set by the global setup, so children started by dsim's own code inherit it too: bench
 *   children, chromium). `test/global-setup.ts`'s teardown looks through /proc for any still alive
 *   once the files have ended: it kills them and fails the run, naming them.
 * - redis-server writes its process title over its environment, so the mark does not show there.
 *   Every process `spawnTracked` starts is therefore also written to the run's ledger (a file
 *   named in `DSIM_TEST_RUN_PIDS`: pid and start time), which the same check reads: a ledger pid
 *   still alive with the start time it had is a leak too, whatever its environment says.
 */
import { type ChildProcess, type SpawnOptions, spawn } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { appendFileSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

/** The environment variable that marks a process as started by this test run. */
export const TEST_RUN_ENV = 'DSIM_TEST_RUN';
/** The environment variable naming the run's ledger of started processes. */
export const TEST_RUN_PIDS_ENV = 'DSIM_TEST_RUN_PIDS';

const tracked = new Set<ChildProcess>();

/** Whether a process has ended (its exit seen). */
export const ended = (p: ChildProcess): boolean => p.exitCode !== null || p.signalCode !== null;

const cleanups: (() => Promise<unknown>)[] = [];

/** Something to stop when the test file ends (a browser playwright started: it has no ChildProcess to track). */
export function atFileEnd(stop: () => Promise<unknown>): void {
  cleanups.push(stop);
}

function track(p: ChildProcess): ChildProcess {
  tracked.add(p);
  const ledger = process.env[TEST_RUN_PIDS_ENV];
  const started = p.pid === undefined ? undefined : startTime(p.pid);
  if (ledger && started !== undefined) appendFileSync(ledger, `${p.pid} ${started}\n`);
  p.once('exit', () => tracked.delete(p));
  // a failed start (no such command) is the caller's to see on 'error'; it is not a live process
  p.once('error', () => tracked.delete(p));
  return p;
}

/** Starts `command` in a process group of its own, tracked until it exits (see the file's comment). */
export function spawnTracked(command: string, args: readonly string[], options: SpawnOptions = {}): ChildProcess {
  return track(spawn(command, args, { ...options, detached: true }));
}

/** Runs `command` (tracked) to its exit: its pid, exit code (null when killed by a signal), stdout and stderr. */
export function runTracked(
  command: string,
  args: readonly string[],
  options: SpawnOptions = {},
): Promise<{ pid: number; code: number | null; signal: NodeJS.Signals | null; out: string; err: string }> {
  return new Promise((resolve, reject) => {
    const p = spawnTracked(command, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    let err = '';
    p.stdout!.on('data', (b: Buffer) => (out += b.toString('utf8')));
    p.stderr!.on('data', (b: Buffer) => (err += b.toString('utf8')));
    p.once('error', reject);
    p.once('close', (code, signal) => resolve({ pid: p.pid!, code, signal, out, err }));
  });
}

/**
 * Resolves once `proc` has written `word` to `stream` (what it wrote so far is in `log()`); rejects,
 * with what it wrote, if it exits first.
 */
export function once(proc: ChildProcess, stream: 'stdout' | 'stderr', word: string): { ready: Promise<void>; log: () => string } {
  let log = '';
  const ready = new Promise<void>((resolve, reject) => {
    proc[stream]!.on('data', (b: Buffer) => {
      log += b.toString();
      if (log.includes(word)) resolve();
    });
    proc.once('exit', (code, signal) => reject(new Error(`${proc.spawnfile} exited (${code ?? signal}) before saying "${word}": ${log}`)));
  });
  return { ready, log: () => log };
}

/** Sends `signal` to a process's whole group; false when the group is gone. */
export function killGroup(pid: number, signal: NodeJS.Signals = 'SIGKILL'): boolean {
  try {
    process.kill(-pid, signal);
    return true;
  } catch {
    return false;
  }
}

/** Kills every tracked process's group at once, or the process where it leads none (synchronous: fit for an 'exit' handler). */
export function killTrackedNow(): void {
  for (const p of tracked) if (p.pid !== undefined && !killGroup(p.pid)) p.kill('SIGKILL');
}

/** Runs the file's cleanups, kills every tracked process's group and resolves once each tracked child has exited. */
export async function killTracked(): Promise<void> {
  await Promise.allSettled(cleanups.splice(0).map((stop) => stop()));
  const live = [...tracked].filter((p) => !ended(p));
  const exits = live.map((p) => new Promise((r) => p.once('exit', r)));
  killTrackedNow();
  await Promise.all(exits);
  tracked.clear();
}

/**
 * Marks this test run (every process started from now on inherits the mark) and returns the check
 * for its end: it kills any marked process still alive, then throws naming them. The run's id
 * begins with this process's pid, so a test that runs vitest can find what that run left.
 */
export function markRun(): () => Promise<void> {
  const run = `${process.pid}-${randomBytes(6).toString('hex')}`;
  process.env[TEST_RUN_ENV] = run;
  const ledger = join(tmpdir(), `dsim-test-run-${run}.pids`);
  writeFileSync(ledger, '');
  process.env[TEST_RUN_PIDS_ENV] = ledger;
  return async () => {
    // vitest's own test processes carry the mark too; they have ended by now, or are ending
    const left = markedProcesses(run).filter((p) => !/\bvitest\b/.test(p.command));
    for (const p of ledgerProcesses(ledger)) if (!left.some((x) => x.pid === p.pid)) left.push(p);
    rmSync(ledger, { force: true });
    if (left.length === 0) return;
    for (const p of left) {
      if (!killGroup(p.pid)) {
        try {
          process.kill(p.pid, 'SIGKILL');
        } catch {
          // gone meanwhile
        }
      }
    }
    await gone(left.map((p) => p.pid));
    // vitest prints a teardown's error but keeps the exit status: set it, so the run fails
    process.exitCode = 1;
    throw new Error(
      `processes started by the tests were still running after them (killed now):\n${left.map((p) => `  pid ${p.pid}: ${p.command}`).join('\n')}`,
    );
  };
}

/**
 * The fields of /proc/PID/stat after the command name (which may hold spaces and parentheses):
 * [0] is field 3, the state; [19] is field 22, the start time. Undefined when the process is gone.
 */
function statFields(pid: number): string[] | undefined {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  } catch {
    return undefined;
  }
}

/** A process's start time (clock ticks since boot); undefined when it is gone. */
const startTime = (pid: number): string | undefined => statFields(pid)?.[19];

/** The ledger's processes still alive as the same process (same start time: a pid reused since is not one). */
function ledgerProcesses(ledger: string): { pid: number; command: string }[] {
  let text = '';
  try {
    text = readFileSync(ledger, 'utf8');
  } catch {
    return [];
  }
  const found: { pid: number; command: string }[] = [];
  for (const line of text.split('\n')) {
    const [pid, started] = line.split(' ').map((x) => x.trim());
    const n = Number(pid);
    if (!Number.isInteger(n) || n <= 0 || !alive(n) || startTime(n) !== started) continue;
    if (found.some((p) => p.pid === n)) continue;
    try {
      found.push({ pid: n, command: readFileSync(`/proc/${n}/cmdline`, 'utf8').split('\0').join(' ').trim() });
    } catch {
      // gone meanwhile
    }
  }
  return found;
}

/** Whether a process is alive: not ended, and not a zombie (ended, not yet reaped by its parent). */
export function alive(pid: number): boolean {
  const state = statFields(pid)?.[0];
  return state !== undefined && state !== 'Z';
}

/** Resolves once none of `pids` is alive (after a SIGKILL: a moment). */
export async function gone(pids: readonly number[]): Promise<void> {
  while (pids.some(alive)) await new Promise((r) => setTimeout(r, 20));
}

/**
 * Processes whose environment carries a test run's mark beginning `run` (Linux /proc; none
 * elsewhere): `DSIM_TEST_RUN=<run>…`.
 */
export function markedProcesses(run: string): { pid: number; command: string }[] {
  const mark = Buffer.from(`\0${TEST_RUN_ENV}=${run}`);
  let pids: number[];
  try {
    pids = readdirSync('/proc')
      .filter((d) => /^\d+$/.test(d))
      .map(Number);
  } catch {
    return [];
  }
  const found: { pid: number; command: string }[] = [];
  for (const pid of pids) {
    try {
      // a zombie's environ reads empty: ended processes are not counted
      const env = Buffer.concat([Buffer.from([0]), readFileSync(`/proc/${pid}/environ`)]);
      if (!env.includes(mark)) continue;
      const command = readFileSync(`/proc/${pid}/cmdline`, 'utf8').split('\0').join(' ').trim();
      found.push({ pid, command });
    } catch {
      // gone meanwhile, or not ours to read
    }
  }
  return found;
}

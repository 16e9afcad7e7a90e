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

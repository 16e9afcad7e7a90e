/**
 * Writing results: to stdout (`-`) or atomically to a file (a temporary file renamed over the
 * target), so a failed or interrupted run never leaves a half-written or emptied result behind.
 */
import { existsSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';
import { DsimError, ErrorCodes } from '../errors.js';

/** Fails early (before a long run) when the result could not be written where asked. */
export function checkOutputTarget(target: string): void {
  if (target === '-') return;
  const dir = dirname(target);
  // No recursive mkdir: a typo in the path should be an error, not a new folder (and Node's
  // recursive mkdir can spin forever on special file systems such as /proc).
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw new DsimError(ErrorCodes.OUTPUT, `${target}: cannot write the result: folder ${dir} does not exist`);
  }
  if (existsSync(target) && statSync(target).isDirectory()) {
    throw new DsimError(ErrorCodes.OUTPUT, `${target}: cannot write the result: it is a folder`);
  }
}

export function writeOutput(target: string, text: string): void {
  if (target === '-') {
    process.stdout.write(text);
    return;
  }
  checkOutputTarget(target);
  const dir = dirname(target);
  const tmp = join(dir, `.${basename(target)}.${process.pid}.tmp`);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    const reason = e instanceof Error ? e.message : String(e);
    throw new DsimError(ErrorCodes.OUTPUT, `${target}: cannot write the result (${reason}); nothing was changed there`);
  }
}

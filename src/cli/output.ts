/**
 * Writing results: to stdout (`-`) or atomically to a file (a temporary file renamed over the
 * target), so a failed or interrupted run never leaves a half-written or emptied result behind.
 */
import { mkdirSync, renameSync, writeFileSync, rmSync } from 'node:fs';
import { dirname, basename, join } from 'node:path';
import { DsimError, ErrorCodes } from '../errors.js';

export function writeOutput(target: string, text: string): void {
  if (target === '-') {
    process.stdout.write(text);
    return;
  }
  const tmp = join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
  try {
    mkdirSync(dirname(target), { recursive: true });
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    const reason = e instanceof Error ? e.message : String(e);
    throw new DsimError(ErrorCodes.OUTPUT, `${target}: cannot write the result (${reason}); nothing was changed there`);
  }
}

/**
 * Writing results: to stdout (`-`) or atomically to a file (a temporary file renamed over the
 * target), so a failed or interrupted run never leaves a half-written or emptied result behind.
 */
import { accessSync, closeSync, constants, existsSync, lstatSync, openSync, renameSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { basename, dirname, join } from 'node:path';
import { DsimError, ErrorCodes } from '../errors.js';

/** Fails early (before a long run) when the result could not be written where asked. */
export function checkOutputTarget(target: string): void {
  if (target === '-') return;
  const dir = dirname(target);
  // No recursive mkdir: a typo in the path should be an error, not a new folder (and Node's
  // recursive mkdir can spin forever on special file systems such as /proc).
  if (!existsSync(dir) || !statSync(dir).isDirectory()) {
    throw DsimError.of(ErrorCodes.OUTPUT, 'err.noFolder', { target, dir });
  }
  // access() alone passes for root on a folder or file made immutable (chattr +i) or on some
  // network mounts: the probe creates the temporary file the write will use, and opens an
  // existing target for writing without changing it.
  try {
    accessSync(dir, constants.W_OK);
    const probe = tempPath(target);
    writeFileSync(probe, '', { flag: 'wx' });
    rmSync(probe, { force: true });
  } catch {
    throw DsimError.of(ErrorCodes.OUTPUT, 'err.notWritable', { target, dir });
  }
  const link = lstatOrUndefined(target);
  if (link?.isSymbolicLink()) {
    throw DsimError.of(ErrorCodes.OUTPUT, 'err.symlink', { target });
  }
  if (link?.isDirectory()) {
    throw DsimError.of(ErrorCodes.OUTPUT, 'err.isFolder', { target });
  }
  if (link?.isFile()) {
    try {
      closeSync(openSync(target, 'r+'));
    } catch (e) {
      const reason = e instanceof Error && 'code' in e ? String(e.code) : String(e);
      throw DsimError.of(ErrorCodes.OUTPUT, 'err.cannotWrite', { target, reason });
    }
  }
}

function tempPath(target: string): string {
  return join(dirname(target), `.${basename(target)}.${process.pid}.tmp`);
}

function lstatOrUndefined(p: string): ReturnType<typeof lstatSync> | undefined {
  try {
    return lstatSync(p);
  } catch {
    return undefined;
  }
}

/**
 * Writes a result; when that fails (the disk filled, the folder vanished during a long run) the
 * result is saved in the temporary folder instead, and the error says where — nothing is lost.
 */
export function writeResult(target: string, text: string): void {
  try {
    writeOutput(target, text);
  } catch (e) {
    if (!(e instanceof DsimError) || target === '-') throw e;
    const rescue = join(tmpdir(), `dsim-result-${process.pid}-${Date.now()}.json`);
    try {
      writeFileSync(rescue, text, { flag: 'wx' });
    } catch {
      throw e;
    }
    throw DsimError.after(e, 'err.savedInstead', { rescue });
  }
}

export function writeOutput(target: string, text: string): void {
  if (target === '-') {
    process.stdout.write(text);
    return;
  }
  checkOutputTarget(target);
  const existing = lstatOrUndefined(target);
  if (existing && !existing.isFile()) {
    // A device or a pipe (/dev/null, a FIFO a reader waits on): written in place. Renaming a
    // temporary file over it would replace the device with a plain file.
    try {
      writeFileSync(target, text);
      return;
    } catch (e) {
      const reason = e instanceof Error ? e.message : String(e);
      throw DsimError.of(ErrorCodes.OUTPUT, 'err.cannotWrite', { target, reason });
    }
  }
  const tmp = tempPath(target);
  try {
    writeFileSync(tmp, text);
    renameSync(tmp, target);
  } catch (e) {
    rmSync(tmp, { force: true });
    const reason = e instanceof Error ? e.message : String(e);
    throw DsimError.of(ErrorCodes.OUTPUT, 'err.cannotWriteUnchanged', { target, reason });
  }
}

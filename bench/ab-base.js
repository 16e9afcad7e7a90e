#!/usr/bin/env node
/**
 * A build of another commit of dsim for the benchmark gate to measure against (`dsim bench
 * --against DIR`): a git worktree of REF (default: `against` in bench/gate.json) in the system's
 * temporary folder, this checkout's node_modules linked into it and its dist/ compiled there with
 * this checkout's TypeScript. Reused when already built; prints the folder.
 *
 *   node bench/ab-base.js [REF]
 *   npx dsim bench --against "$(node bench/ab-base.js)"
 *
 * The commit must be in this clone's history (a shallow clone may lack it: `git fetch --unshallow`).
 */
import { execFileSync } from 'node:child_process';
import { existsSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';

const root = resolve(import.meta.dirname, '..');
const fail = (message) => {
  process.stderr.write(`bench/ab-base.js: ${message}\n`);
  process.exit(1);
};
const git = (...args) => execFileSync('git', ['-C', root, ...args], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] }).trim();

let ref = process.argv[2];
if (ref === undefined) {
  try {
    ref = JSON.parse(readFileSync(join(root, 'bench', 'gate.json'), 'utf8')).against;
  } catch (e) {
    fail(`no REF given and bench/gate.json unreadable: ${e.message}`);
  }
  if (typeof ref !== 'string' || !/^[0-9a-f]{7,40}$/.test(ref)) fail('bench/gate.json: "against" must be a commit hash');
}
let sha;
try {
  sha = git('rev-parse', '--verify', '--quiet', `${ref}^{commit}`);
} catch {
  fail(`${ref} is not a commit of this clone (a shallow clone may lack it: git fetch --unshallow)`);
}
const dir = join(tmpdir(), `dsim-bench-base-${sha.slice(0, 12)}`);
const done = join(dir, '.dsim-built');
if (!existsSync(done)) {
  if (existsSync(dir)) {
    try {
      git('worktree', 'remove', '--force', dir);
    } catch {
      // not a worktree of this clone (or already gone from git's list): the folder goes below
    }
    rmSync(dir, { recursive: true, force: true });
  }
  git('worktree', 'prune');
  git('worktree', 'add', '--detach', '--quiet', dir, sha);
  symlinkSync(join(root, 'node_modules'), join(dir, 'node_modules'), 'dir');
  try {
    execFileSync(process.execPath, [join(root, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.build.json'], {
      cwd: dir,
      stdio: ['ignore', 'ignore', 'inherit'],
    });
  } catch {
    fail(`the build of ${sha} in ${dir} failed (see above)`);
  }
  writeFileSync(done, `${sha}\n`);
}
process.stdout.write(`${dir}\n`);

/**
 * The dsim command line. This file owns the one top-level catch: every error a user can cause is
 * a DsimError with a complete message and maps to an exit status here; anything else is a bug
 * and is reported as one (with its stack only under DSIM_DEBUG=1).
 *
 * Exit status: 0 ok · 1 internal error · 2 usage · 3 invalid scenario · 4 scenario not found ·
 * 5 cannot write output · 6 a benchmark regressed beyond --max-regression · 7 queue unavailable ·
 * 8 out of memory · 9 store · 10 store locked · 11 worker lost · 12 cannot listen · 130 interrupted.
 */
import { readFileSync } from 'node:fs';
import { DsimError, ErrorCodes } from '../errors.js';
import { t } from '../i18n/messages.js';
import { ENGINE_VERSION } from '../kpi/summary.js';
import { onNotice } from '../scenario/load.js';
import { argvLang, parse } from './args.js';
import { backtestCommand } from './commands/backtest.js';
import { backupCommand } from './commands/backup.js';
import { benchCommand } from './commands/bench.js';
import { bindsCommand, compareCommand, sizeCommand, sweepCommand } from './commands/compare.js';
import { drillCommand } from './commands/drill.js';
import { importCommand } from './commands/import.js';
import { initCommand } from './commands/init.js';
import { listCommand } from './commands/list.js';
import { migrateCommand } from './commands/migrate.js';
import { plumeCommand } from './commands/plume.js';
import { runCommand } from './commands/run.js';
import { schemaCommand } from './commands/schema.js';
import { serveCommand } from './commands/serve.js';
import { traceCommand } from './commands/trace.js';
import { validateCommand } from './commands/validate.js';
import { workerCommand } from './commands/worker.js';
import { EXIT_CODES } from './exit-codes.js';
import { COMMAND_USAGE, type CommandName, commandUsage, usage } from './usage.js';

export { EXIT_CODES } from './exit-codes.js';

/** The package's version (package.json, read when asked, not at every command's start). */
const dsimVersion = (): string =>
  (JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as { version: string }).version;

export { USAGE } from './usage.js';

const COMMANDS: Record<string, (args: string[]) => Promise<number> | number> = {
  run: runCommand,
  trace: traceCommand,
  init: initCommand,
  validate: validateCommand,
  migrate: migrateCommand,
  list: listCommand,
  schema: schemaCommand,
  plume: plumeCommand,
  bench: benchCommand,
  backtest: backtestCommand,
  worker: workerCommand,
  serve: serveCommand,
  backup: backupCommand,
  compare: compareCommand,
  sweep: sweepCommand,
  size: sizeCommand,
  binds: bindsCommand,
  drill: drillCommand,
  import: importCommand,
  version: (args) => {
    parse(args, { lang: { type: 'string' } }, COMMAND_USAGE.version);
    process.stdout.write(
      `${t(argvLang(args), 'version.line', { version: dsimVersion(), engine: ENGINE_VERSION, node: process.version })}\n`,
    );
    return 0;
  },
};

export async function main(argv: string[]): Promise<number> {
  const [given, ...rest] = argv;
  const command = given === '--version' || given === '-V' ? 'version' : given;
  const lang = argvLang(rest);
  onNotice((key, params) => process.stderr.write(`dsim: ${t(lang, key, params)}\n`));
  try {
    if (command === undefined || command === '--help' || command === '-h' || command === 'help') {
      process.stdout.write(usage(lang));
      return command === undefined ? 2 : 0;
    }
    const fn = COMMANDS[command];
    if (!fn) throw DsimError.of(ErrorCodes.USAGE, 'err.unknownCommand', { command }, `\n\n${usage(lang)}`);
    if (rest.includes('--help') || rest.includes('-h')) {
      process.stdout.write(commandUsage(command as CommandName, lang));
      return 0;
    }
    return await fn(rest);
  } catch (e) {
    if (e instanceof DsimError) {
      process.stderr.write(`dsim: ${e.text(lang)}\n`);
      return EXIT_CODES[e.code];
    }
    const err = e instanceof Error ? e : new Error(String(e));
    process.stderr.write(`dsim: ${t(lang, 'err.internal', { detail: err.message })}\n`);
    if (process.env['DSIM_DEBUG'] === '1') process.stderr.write(`${err.stack ?? ''}\n`);
    return 1;
  }
}

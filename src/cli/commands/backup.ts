/**
 * `dsim backup --data DIR OUT.sqlite`: an online copy of a server's store, with SQLite's backup
 * API, consistent while `dsim serve` goes on writing (it takes no lease and changes nothing in the
 * store). The copy is checked (integrity_check) before the command says it is done; an existing
 * OUT is never overwritten.
 */
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import Database from 'better-sqlite3';
import { DsimError, ErrorCodes } from '../../errors.js';
import { t } from '../../i18n/messages.js';
import { argvLang, parse } from '../args.js';
import { checkOutputTarget } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

export async function backupCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(args, { data: { type: 'string' }, lang: { type: 'string' } }, COMMAND_USAGE.backup);
  const lang = argvLang(args);
  if (positionals.length !== 1 || values.data === undefined)
    throw DsimError.of(ErrorCodes.USAGE, 'err.backupUsage', {}, `\nusage: ${COMMAND_USAGE.backup}`);
  const file = join(resolve(values.data), 'dsim.sqlite');
  const out = resolve(positionals[0]!);
  if (!existsSync(file)) throw DsimError.of(ErrorCodes.STORE, 'err.storeMissing', { path: file });
  if (existsSync(out)) throw DsimError.of(ErrorCodes.OUTPUT, 'err.backupExists', { target: out });
  checkOutputTarget(out);
  let db: Database.Database;
  try {
    db = new Database(file, { readonly: true, fileMustExist: true });
  } catch (e) {
    throw DsimError.of(ErrorCodes.STORE, 'err.storeCorrupt', { path: file, cause: (e as Error).message });
  }
  try {
    const { totalPages } = await db.backup(out);
    const copy = new Database(out, { readonly: true });
    const check = copy.pragma('integrity_check(1)', { simple: true });
    copy.close();
    if (check !== 'ok') throw DsimError.of(ErrorCodes.STORE, 'err.storeCorrupt', { path: out, cause: String(check) });
    process.stdout.write(`${t(lang, 'backup.done', { pages: totalPages, target: out, store: file })}\n`);
    return 0;
  } catch (e) {
    if (e instanceof DsimError) throw e;
    throw DsimError.of(ErrorCodes.STORE, 'err.storeCorrupt', { path: file, cause: (e as Error).message });
  } finally {
    db.close();
  }
}

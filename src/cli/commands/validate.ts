import { DsimError, ErrorCodes } from '../../errors.js';
import { t } from '../../i18n/messages.js';
import { loadScenario } from '../../scenario/load.js';
import { langOption, parse } from '../args.js';
import { COMMAND_USAGE } from '../usage.js';

/** Checks each file; prints every problem of every file (in zh or en); exit 3 if any file is invalid. */
export function validateCommand(args: string[]): number {
  const { values, positionals: files } = parse(args, { lang: { type: 'string' } }, COMMAND_USAGE.validate);
  const lang = langOption(values.lang);
  if (files.length === 0) throw DsimError.of(ErrorCodes.USAGE, 'validate.none', {}, `\nusage: ${COMMAND_USAGE.validate}`);
  let status = 0;
  for (const f of files) {
    try {
      const { scenario } = loadScenario(f);
      process.stdout.write(`${t(lang, 'validate.ok', { file: f, id: scenario.id })}\n`);
    } catch (e) {
      if (!(e instanceof DsimError)) throw e;
      process.stderr.write(`${e.text(lang)}\n`);
      status = Math.max(status, e.code === ErrorCodes.SCENARIO_NOT_FOUND ? 4 : 3);
    }
  }
  return status;
}

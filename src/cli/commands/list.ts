import { localName } from '../../i18n/messages.js';
import { padToWidth } from '../../report/table.js';
import { listBundled, loadScenario } from '../../scenario/load.js';
import { langOption, parse } from '../args.js';
import { COMMAND_USAGE } from '../usage.js';

/** Lists the bundled scenarios with their names, in `--lang` (a scenario's `nameZh` in Chinese). */
export function listCommand(args: string[] = []): number {
  const { values } = parse(args, { lang: { type: 'string' } }, COMMAND_USAGE.list);
  const lang = langOption(values.lang);
  for (const name of listBundled()) {
    const { scenario } = loadScenario(name);
    process.stdout.write(`${padToWidth(name, 42)} ${localName(lang, scenario)}\n`);
  }
  return 0;
}

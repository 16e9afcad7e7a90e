import { loadScenario } from '../../scenario/load.js';
import { runLocal } from '../../run/local.js';
import { summarise } from '../../kpi/summary.js';
import { renderTable } from '../../report/table.js';
import { DsimError, ErrorCodes } from '../../errors.js';
import { intOption, numberOption, parse } from '../args.js';
import { checkOutputTarget, writeOutput } from '../output.js';
import { progressBar } from '../progress.js';

const USAGE =
  'dsim run SCENARIO [--mode event|annual] [--replications N] [--seed S] [--deadline-hours H] [--json FILE|-] [--no-timing] [--quiet]';

export function runCommand(args: string[]): number {
  const { values, positionals } = parse(
    args,
    {
      replications: { type: 'string', short: 'n' },
      seed: { type: 'string' },
      'deadline-hours': { type: 'string' },
      json: { type: 'string' },
      'no-timing': { type: 'boolean' },
      quiet: { type: 'boolean', short: 'q' },
      mode: { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length !== 1) throw new DsimError(ErrorCodes.USAGE, `run takes one scenario\nusage: ${USAGE}`);
  const replications = intOption('replications', values.replications, 1, 10_000_000);
  const seed = intOption('seed', values.seed, 0, Number.MAX_SAFE_INTEGER);
  const deadlineHours = numberOption('deadline-hours', values['deadline-hours'], 720);
  const mode = values.mode;
  if (mode !== undefined && mode !== 'event' && mode !== 'annual') {
    throw new DsimError(ErrorCodes.RUN_OPTION, `--mode: expected event or annual, got "${mode}"`);
  }
  if (values.json !== undefined) checkOutputTarget(values.json);
  const { scenario } = loadScenario(positionals[0]!);
  const bar = progressBar(scenario.id);
  const out = runLocal(scenario, {
    ...(seed !== undefined && { seed }),
    ...(replications !== undefined && { replications }),
    ...(deadlineHours !== undefined && { deadlineHours }),
    ...(mode !== undefined && { mode }),
    onProgress: bar.update,
  });
  bar.end();
  const result = summarise(out.model, out.acc, out.seed, values['no-timing'] ? undefined : { wallMs: out.wallMs });
  const json = values.json;
  if (json !== undefined) writeOutput(json, `${JSON.stringify(result, null, 2)}\n`);
  if (json !== '-' && !values.quiet) process.stdout.write(renderTable(result));
  return 0;
}

import { DsimError, ErrorCodes } from '../../errors.js';
import { loadScenario } from '../../scenario/load.js';

/** Checks each file; prints every problem of every file; exit 3 if any file is invalid. */
export function validateCommand(files: string[]): number {
  if (files.length === 0) throw new DsimError(ErrorCodes.USAGE, 'validate takes one or more scenario files\nusage: dsim validate FILE...');
  let status = 0;
  for (const f of files) {
    try {
      const { scenario } = loadScenario(f);
      process.stdout.write(`${f}: ok (${scenario.id})\n`);
    } catch (e) {
      if (!(e instanceof DsimError)) throw e;
      process.stderr.write(`${e.message}\n`);
      status = Math.max(status, e.code === ErrorCodes.SCENARIO_NOT_FOUND ? 4 : 3);
    }
  }
  return status;
}

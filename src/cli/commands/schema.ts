import { scenarioJsonSchema } from '../../scenario/schema.js';
import { parse } from '../args.js';
import { writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

/** Prints (or writes) the JSON Schema generated from the zod scenario schema. */
export function schemaCommand(args: string[]): number {
  const { values } = parse(args, { out: { type: 'string' } }, COMMAND_USAGE.schema);
  writeOutput(values.out ?? '-', `${JSON.stringify(scenarioJsonSchema(), null, 2)}\n`);
  return 0;
}

import { resultJsonSchema } from '../../kpi/result.js';
import { scenarioJsonSchema } from '../../scenario/schema.js';
import { parse } from '../args.js';
import { writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

/** Prints (or writes) the JSON Schema generated from the zod scenario schema, or with --result the result's. */
export function schemaCommand(args: string[]): number {
  const { values } = parse(args, { out: { type: 'string' }, result: { type: 'boolean' } }, COMMAND_USAGE.schema);
  const schema = values.result ? resultJsonSchema() : scenarioJsonSchema();
  writeOutput(values.out ?? '-', `${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}

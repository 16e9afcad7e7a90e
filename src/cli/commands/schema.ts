import { resultJsonSchema } from '../../kpi/result.js';
import { scenarioJsonSchema } from '../../scenario/schema.js';
import { parse } from '../args.js';
import { writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

/**
 * Prints (or writes) the JSON Schema generated from the zod scenario schema, with --result the
 * result's, with --openapi the API's OpenAPI document (generated from the routes' zod schemas).
 */
export async function schemaCommand(args: string[]): Promise<number> {
  const { values } = parse(
    args,
    { out: { type: 'string' }, result: { type: 'boolean' }, openapi: { type: 'boolean' } },
    COMMAND_USAGE.schema,
  );
  const schema = values.openapi
    ? await (await import('../../api/openapi.js')).openapiDocument()
    : values.result
      ? resultJsonSchema()
      : scenarioJsonSchema();
  writeOutput(values.out ?? '-', `${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}

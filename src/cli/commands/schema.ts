import { resultJsonSchema } from '../../kpi/result.js';
import { scenarioJsonSchema } from '../../scenario/schema.js';
import { langOption, parse } from '../args.js';
import { writeOutput } from '../output.js';
import { COMMAND_USAGE } from '../usage.js';

/**
 * Prints (or writes) the JSON Schema generated from the zod scenario schema, with --result the
 * result's, with --openapi the API's OpenAPI document (generated from the routes' zod schemas).
 */
export async function schemaCommand(args: string[]): Promise<number> {
  const { values } = parse(
    args,
    // --lang is taken so every command takes it; the schemas' descriptions are the API's, in English (a technical document)
    { out: { type: 'string' }, result: { type: 'boolean' }, openapi: { type: 'boolean' }, lang: { type: 'string' } },
    COMMAND_USAGE.schema,
  );
  langOption(values.lang);
  const schema = values.openapi
    ? await (await import('../../api/openapi.js')).openapiDocument()
    : values.result
      ? resultJsonSchema()
      : scenarioJsonSchema();
  writeOutput(values.out ?? '-', `${JSON.stringify(schema, null, 2)}\n`);
  return 0;
}

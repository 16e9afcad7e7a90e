/**
 * The result's zod schema is the one source of its shape: the committed JSON Schema is generated
 * from it, and the results of bundled scenarios of every hazard and mode parse under it unchanged
 * (z.object strips unknown keys, so equality also shows nothing in a result escapes the schema).
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { RunResult, resultJsonSchema } from '../../src/kpi/result.js';
import { runBundled } from '../helpers.js';

describe('the result schema', () => {
  it('the committed schema/result.schema.json is the one the zod schema generates (run `npm run schema`)', () => {
    const committed = JSON.parse(readFileSync('schema/result.schema.json', 'utf8'));
    expect(committed).toEqual(JSON.parse(JSON.stringify(resultJsonSchema())));
  });
  for (const name of ['huantai/flood-50y', 'huantai/annual', 'zibo-hitech/annual', 'validation/mmc']) {
    it(`${name}: the result parses under the schema unchanged`, () => {
      const r = JSON.parse(JSON.stringify(runBundled(name, { seed: 7, replications: name === 'validation/mmc' ? 1 : 30 })));
      expect(RunResult.parse(r)).toEqual(r);
    });
  }
  it('a result with a wrong type is refused with the path of the field', () => {
    const r = JSON.parse(JSON.stringify(runBundled('huantai/flood-50y', { seed: 7, replications: 5 })));
    r.kpis.lossRatio.mean = 'high';
    const parsed = RunResult.safeParse(r);
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.path).toEqual(['kpis', 'lossRatio', 'mean']);
  });
});

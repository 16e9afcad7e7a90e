/**
 * The OpenAPI document of the server, generated from the routes' zod schemas without listening
 * (for `dsim schema --openapi` and the drift test of schema/openapi.json).
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { ThreadExecutor } from '../run/thread.js';
import { buildServer, DEFAULTS } from './server.js';

export async function openapiDocument(): Promise<unknown> {
  const dir = mkdtempSync(join(tmpdir(), 'dsim-openapi-'));
  const executor = new ThreadExecutor();
  try {
    const { app } = await buildServer({ ...DEFAULTS, dataDir: dir, logger: false, executor });
    await app.ready();
    const doc = app.swagger();
    await app.close();
    return doc;
  } finally {
    await executor.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

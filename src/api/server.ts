/**
 * `dsim serve`: a fastify server that runs the scenarios. Cross-cutting concerns are plugins
 * (plugins/: errors and the catalogue, the bearer token, rate limits, YAML bodies); each resource
 * is a route plugin (routes/) that owns its zod schemas and receives the shared context
 * (context.ts). Bodies are validated by those schemas and the scenario schema, which reports the
 * same field-path problems as the CLI; the OpenAPI document is generated from them. Runs execute
 * on one long-lived executor shared by every run (run-manager.ts) and are stored in SQLite
 * (store.ts), so the event loop only answers requests. Every error is JSON `{error, message, details}`.
 */
import Fastify, { type FastifyInstance } from 'fastify';
import { serializerCompiler, validatorCompiler } from 'fastify-type-provider-zod';
import { DsimError, ErrorCodes } from '../errors.js';
import type { Executor } from '../run/executor.js';
import { WorkerPool } from '../run/pool.js';
import { apiContext, loadBundled } from './context.js';
import { isLoopback, newId } from './http.js';
import auth from './plugins/auth.js';
import errors, { frameworkErrors } from './plugins/errors.js';
import limits from './plugins/limits.js';
import yaml from './plugins/yaml.js';
import { batchRoutes } from './routes/batches.js';
import { consoleRoutes } from './routes/console.js';
import { drillRoutes } from './routes/drills.js';
import { healthRoutes } from './routes/health.js';
import { importRoutes } from './routes/imports.js';
import { openapiRoutes } from './routes/openapi.js';
import { reportRoutes } from './routes/reports.js';
import { runRoutes } from './routes/runs.js';
import { scenarioRoutes } from './routes/scenarios.js';
import { studyRoutes } from './routes/studies.js';
import { RunManager } from './run-manager.js';
import { Store } from './store/store.js';
import { StudyManager } from './study-manager.js';

export interface ServeOptions {
  readonly host: string;
  readonly port: number;
  /** Folder of the SQLite store. */
  readonly dataDir: string;
  readonly workers: number;
  /** `redis://…`: run on `dsim worker` processes instead of a local pool. */
  readonly queue?: string;
  /** Bearer token; required when the server listens on anything but loopback. */
  readonly token?: string;
  readonly maxRunning: number;
  readonly maxQueued: number;
  readonly maxReplications: number;
  /** Request body limit, bytes. */
  readonly bodyLimit: number;
  /** Requests per client per minute (health checks excepted). */
  readonly rateLimit: number;
  /** Most milliseconds a request body may take to arrive: 408 after (default 30 s). */
  readonly bodyTimeoutMs?: number;
  /** pino options, or false for none. */
  readonly logger: boolean | { level: string };
  /** An executor to use instead of making one (tests); the caller closes it. */
  readonly executor?: Executor;
}

export const DEFAULTS = {
  host: '127.0.0.1',
  port: 8080,
  dataDir: './dsim-data',
  workers: 1,
  maxRunning: 2,
  maxQueued: 16,
  maxReplications: 1_000_000,
  bodyLimit: 2 * 1024 * 1024,
  rateLimit: 600,
  bodyTimeoutMs: 30_000,
} as const;

/** Node's own bound on receiving a whole request (headers and body), beyond the body deadline. */
const REQUEST_TIMEOUT_MS = 120_000;

/** Builds the server (not listening yet): plugins, routes, store, run manager. */
export async function buildServer(
  o: ServeOptions,
): Promise<{ app: FastifyInstance; store: Store; manager: RunManager; studies: StudyManager }> {
  if (!isLoopback(o.host) && !o.token) {
    throw new DsimError(
      ErrorCodes.USAGE,
      `refusing to listen on ${o.host} without a token: anyone who can reach it could run and read scenarios; give --token or DSIM_TOKEN`,
    );
  }
  const app = Fastify({
    logger: o.logger,
    bodyLimit: o.bodyLimit,
    genReqId: () => newId('q'),
    requestTimeout: REQUEST_TIMEOUT_MS,
    frameworkErrors,
  });
  app.setValidatorCompiler(validatorCompiler);
  app.setSerializerCompiler(serializerCompiler);
  const store = new Store(o.dataDir, { log: app.log, lease: true });
  const executor: Executor =
    o.executor ??
    (o.queue !== undefined
      ? await (await import('../run/queue/coordinator.js')).QueueExecutor.connect(o.queue)
      : new WorkerPool(Math.max(1, o.workers)));
  const manager = new RunManager(store, executor, app.log, { maxRunning: o.maxRunning, maxQueued: o.maxQueued });
  const studies = new StudyManager(store, app.log, 1);
  const ctx = apiContext({
    store,
    manager,
    studies,
    executor,
    limits: { maxReplications: o.maxReplications, maxQueued: o.maxQueued },
    bundled: loadBundled(),
    started: Date.now(),
  });

  await app.register(errors);
  await app.register(limits, { rateLimit: o.rateLimit, bodyTimeoutMs: o.bodyTimeoutMs ?? DEFAULTS.bodyTimeoutMs });
  await app.register(auth, { token: o.token });
  await app.register(yaml);
  await app.register(openapiRoutes);
  await app.register(healthRoutes, ctx);
  await app.register(consoleRoutes);
  await app.register(scenarioRoutes, ctx);
  await app.register(runRoutes, ctx);
  await app.register(batchRoutes, ctx);
  await app.register(reportRoutes, ctx);
  await app.register(studyRoutes, ctx);
  await app.register(drillRoutes, ctx);
  await app.register(importRoutes, ctx);

  app.addHook('onClose', async () => {
    await studies.close();
    await manager.close();
    if (!o.executor) await executor.close();
    store.close();
  });
  return { app, store, manager, studies };
}

/** Starts the server: builds it, resumes the runs a previous server left, listens. */
export async function serve(o: ServeOptions): Promise<FastifyInstance> {
  const { app, manager, studies } = await buildServer(o);
  try {
    await app.listen({ host: o.host, port: o.port });
  } catch (e) {
    await app.close(); // the store's lease goes with it
    const code = (e as NodeJS.ErrnoException).code;
    const key =
      code === 'EADDRINUSE'
        ? 'err.portBusy'
        : code === 'EACCES'
          ? 'err.portDenied'
          : code === 'EADDRNOTAVAIL'
            ? 'err.hostNotHere'
            : undefined;
    if (key === undefined) throw e;
    throw DsimError.of(ErrorCodes.LISTEN, key, { host: o.host, port: o.port, next: o.port === 65535 ? 8080 : o.port + 1 });
  }
  const resumed = manager.recover() + studies.recover();
  if (resumed > 0) app.log.info({ resumed }, 'resumed runs left by the previous server');
  return app;
}

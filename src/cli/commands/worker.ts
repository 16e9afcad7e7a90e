import { availableParallelism } from 'node:os';
import { DsimError, ErrorCodes } from '../../errors.js';
import { queueUrl, redactedUrl, redisConnection } from '../../run/queue/url.js';
import { intOption, parse } from '../args.js';
import { COMMAND_USAGE } from '../usage.js';

const USAGE = COMMAND_USAGE.worker;

/** Runs batch jobs from the queue on this machine's cores until SIGINT or SIGTERM. */
export async function workerCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      queue: { type: 'string' },
      workers: { type: 'string', short: 'w' },
      name: { type: 'string' },
      'lock-ms': { type: 'string' },
      'stalled-ms': { type: 'string' },
    },
    USAGE,
  );
  if (positionals.length > 0) throw DsimError.of(ErrorCodes.USAGE, 'err.unexpectedArgument', { arg: positionals[0]! }, `\nusage: ${USAGE}`);
  const queue = queueUrl(
    values.queue ?? 'env:DSIM_QUEUE_URL',
    values.queue === undefined ? 'DSIM_QUEUE_URL (no --queue given)' : '--queue',
  );
  redisConnection(queue); // a malformed URL is a usage error, before BullMQ loads
  const workers = intOption('workers', values.workers, 1, 1024) ?? availableParallelism();
  const lockDurationMs = intOption('lock-ms', values['lock-ms'], 500, 3_600_000) ?? 10_000;
  const stalledIntervalMs = intOption('stalled-ms', values['stalled-ms'], 200, 3_600_000) ?? 5_000;
  const { startQueueWorker } = await import('../../run/queue/worker.js'); // BullMQ loads only here
  const stop = await startQueueWorker(queue, {
    workers,
    ...(values.name !== undefined && { name: values.name }),
    locks: { lockDurationMs, stalledIntervalMs },
    log: (line) => process.stderr.write(`dsim worker: ${line}\n`),
  });
  process.stderr.write(`dsim worker: ready on ${redactedUrl(queue)} with ${workers} thread(s)\n`);
  await new Promise<void>((resolve) => {
    process.once('SIGINT', resolve);
    process.once('SIGTERM', resolve);
  });
  await stop();
  return 0;
}

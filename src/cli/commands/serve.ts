import { DEFAULTS, serve } from '../../api/server.js';
import { DsimError, ErrorCodes } from '../../errors.js';
import { t } from '../../i18n/messages.js';
import { intOption, langOption, parse } from '../args.js';
import { COMMAND_USAGE } from '../usage.js';

/** Starts the HTTP API; runs until SIGINT or SIGTERM, then stops taking requests and closes cleanly. */
export async function serveCommand(args: string[]): Promise<number> {
  const { values, positionals } = parse(
    args,
    {
      host: { type: 'string' },
      port: { type: 'string' },
      data: { type: 'string' },
      workers: { type: 'string' },
      queue: { type: 'string' },
      token: { type: 'string' },
      'max-runs': { type: 'string' },
      'max-queued': { type: 'string' },
      'max-replications': { type: 'string' },
      'rate-limit': { type: 'string' },
      'log-level': { type: 'string' },
      lang: { type: 'string' },
    },
    COMMAND_USAGE.serve,
  );
  if (positionals.length > 0)
    throw DsimError.of(ErrorCodes.USAGE, 'err.unexpectedArgument', { arg: positionals[0]! }, `\nusage: ${COMMAND_USAGE.serve}`);
  const level = values['log-level'] ?? 'info';
  const levels = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
  if (!levels.includes(level))
    throw DsimError.of(ErrorCodes.USAGE, 'err.choiceOption', { name: 'log-level', choices: levels.join(', '), raw: level });
  const queue =
    values.queue === undefined ? undefined : values.queue.startsWith('env:') ? process.env[values.queue.slice(4)] : values.queue;
  if (values.queue !== undefined && !queue)
    throw DsimError.of(ErrorCodes.USAGE, 'err.envUnset', { option: '--queue', value: values.queue });
  const token = values.token ?? process.env['DSIM_TOKEN'];
  const app = await serve({
    host: values.host ?? DEFAULTS.host,
    port: intOption('port', values.port, 0, 65535) ?? DEFAULTS.port,
    dataDir: values.data ?? DEFAULTS.dataDir,
    workers: intOption('workers', values.workers, 1, 1024) ?? DEFAULTS.workers,
    ...(queue !== undefined && { queue }),
    ...(token !== undefined && token !== '' && { token }),
    maxRunning: intOption('max-runs', values['max-runs'], 1, 1000) ?? DEFAULTS.maxRunning,
    maxQueued: intOption('max-queued', values['max-queued'], 0, 100_000) ?? DEFAULTS.maxQueued,
    maxReplications: intOption('max-replications', values['max-replications'], 1, 1e9) ?? DEFAULTS.maxReplications,
    bodyLimit: DEFAULTS.bodyLimit,
    rateLimit: intOption('rate-limit', values['rate-limit'], 1, 1e7) ?? DEFAULTS.rateLimit,
    logger: { level },
  });
  // The address to open: the one it listens on (the port the system gave for --port 0); this machine's for every address.
  const address = app.server.address();
  const port = typeof address === 'object' && address !== null ? address.port : values.port;
  const host = values.host ?? DEFAULTS.host;
  const shown = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  process.stdout.write(`${t(langOption(values.lang), 'serve.listening', { url: `http://${shown}:${port}/` })}\n`);
  await new Promise<void>((resolve) => {
    const stop = (): void => {
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      void app.close().then(resolve);
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
  });
  return 0;
}

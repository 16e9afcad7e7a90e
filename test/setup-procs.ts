/**
 * In every test file (vitest `setupFiles`): the processes its tests started (test/procs.ts) are
 * killed, each by its group's id, when the file ends, whether its tests passed or failed, and
 * when the test process exits.
 */
import { afterAll } from 'vitest';
import { killTracked, killTrackedNow } from './procs.js';

afterAll(killTracked);
process.once('exit', killTrackedNow);

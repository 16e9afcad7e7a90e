/** The exit status of each error code: the one mapping the CLI (main.ts) and its commands use. */
import { type ErrorCode, ErrorCodes } from '../errors.js';

export const EXIT_CODES: Record<ErrorCode, number> = {
  [ErrorCodes.USAGE]: 2,
  [ErrorCodes.RUN_OPTION]: 2,
  [ErrorCodes.SCENARIO_INVALID]: 3,
  [ErrorCodes.IMPORT_INPUT]: 3,
  [ErrorCodes.SCENARIO_NOT_FOUND]: 4,
  [ErrorCodes.OUTPUT]: 5,
  // 6: a benchmark regressed (bench --compare)
  [ErrorCodes.QUEUE_UNAVAILABLE]: 7,
  [ErrorCodes.OUT_OF_MEMORY]: 8,
  [ErrorCodes.STORE]: 9,
  [ErrorCodes.STORE_UNAVAILABLE]: 9,
  [ErrorCodes.STORE_LOCKED]: 10,
  [ErrorCodes.WORKER_LOST]: 11,
  [ErrorCodes.LISTEN]: 12,
};

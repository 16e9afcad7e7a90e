/**
 * dsim's error catalogue. Every error a user can cause carries a stable code, and the CLI maps
 * each code to an exit status in one place (cli/main.ts). Internal bugs are plain `Error`s.
 */

/** One problem found in a scenario, kept as data (after zod's issues): where, what, expected. */
export interface ScenarioIssue {
  /** Dotted path inside the file, e.g. `resources.warehouses[2].stock.tents`; `` for the root. */
  readonly path: string;
  readonly code: string;
  readonly message: string;
  /** 1-based line in the source file when known (YAML syntax errors). */
  readonly line?: number;
}

export const ErrorCodes = {
  SCENARIO_NOT_FOUND: 'DSIM_ERR_SCENARIO_NOT_FOUND',
  SCENARIO_INVALID: 'DSIM_ERR_SCENARIO_INVALID',
  RUN_OPTION: 'DSIM_ERR_RUN_OPTION',
  OUTPUT: 'DSIM_ERR_OUTPUT',
  USAGE: 'DSIM_ERR_USAGE',
  QUEUE_UNAVAILABLE: 'DSIM_ERR_QUEUE_UNAVAILABLE',
  OUT_OF_MEMORY: 'DSIM_ERR_OUT_OF_MEMORY',
} as const;
export type ErrorCode = (typeof ErrorCodes)[keyof typeof ErrorCodes];

/** Base class of the errors a user can cause and fix; the message is complete and printable. */
export class DsimError extends Error {
  constructor(
    readonly code: ErrorCode,
    message: string,
  ) {
    super(message);
    this.name = 'DsimError';
  }
}

/** A scenario file that cannot be used: every issue found, each with its path. */
export class ScenarioError extends DsimError {
  constructor(
    readonly file: string,
    readonly issues: readonly ScenarioIssue[],
  ) {
    super(ErrorCodes.SCENARIO_INVALID, formatIssues(file, issues));
    this.name = 'ScenarioError';
  }
}

export function formatIssues(file: string, issues: readonly ScenarioIssue[]): string {
  const lines = issues.map((i) => {
    const where = i.line !== undefined ? `${file}:${i.line}` : file;
    const path = i.path === '' ? '(top level)' : i.path;
    return `${where}: ${path}: ${i.message}`;
  });
  const head = `${file}: ${issues.length} problem${issues.length === 1 ? '' : 's'} in the scenario`;
  return [head, ...lines.map((l) => `  ${l}`)].join('\n');
}

/**
 * dsim's error catalogue. Every error a user can cause carries a stable code, and the CLI maps
 * each code to an exit status in one place (cli/main.ts). Internal bugs are plain `Error`s.
 * An error or issue built from a message key (`DsimError.of`, `issue`) can be told in Chinese or
 * English (`errorText`, `issueText`); its `message` is always the English text.
 */
import { type Lang, type MessageKey, t } from './i18n/messages.js';

/** A message's parameters; a `{ key }` parameter is itself a catalogue message (a type name) told in the same language. */
export type Params = Readonly<Record<string, string | number | { readonly key: MessageKey }>>;

/** The message `key` in `lang`, its parameters filled (`{ key }` parameters told in `lang` too). */
export function tell(lang: Lang, key: MessageKey, params: Params = {}): string {
  const plain: Record<string, string | number> = {};
  for (const [name, v] of Object.entries(params)) plain[name] = typeof v === 'object' ? t(lang, v.key) : v;
  return t(lang, key, plain);
}

/** One problem found in a scenario, kept as data (after zod's issues): where, what, expected. */
export interface ScenarioIssue {
  /** Dotted path inside the file, e.g. `resources.warehouses[2].stock.tents`; `` for the root. */
  readonly path: string;
  readonly code: string;
  readonly message: string;
  /** 1-based line in the source file when known (YAML syntax errors). */
  readonly line?: number;
  /** The message's catalogue key and its parameters, when it has one (else `message` is all there is). */
  readonly key?: MessageKey;
  readonly params?: Params;
}

/** An issue whose message comes from the catalogue (told in English in `message`). */
export function issue(path: string, code: string, key: MessageKey, params: Params = {}, line?: number): ScenarioIssue {
  const base = { path, code, message: tell('en', key, params), key, params };
  return line === undefined ? base : { ...base, line };
}

/** An issue's message in `lang` (English when it was not built from the catalogue). */
export function issueText(i: ScenarioIssue, lang: Lang): string {
  return i.key ? tell(lang, i.key, i.params ?? {}) : i.message;
}

/** What a client of the API sees of an issue: path, code, the message in `lang`, the line. */
export function publicIssue(i: ScenarioIssue, lang: Lang): { path: string; code: string; message: string; line?: number } {
  const out = { path: i.path, code: i.code, message: issueText(i, lang) };
  return i.line === undefined ? out : { ...out, line: i.line };
}

export const ErrorCodes = {
  SCENARIO_NOT_FOUND: 'DSIM_ERR_SCENARIO_NOT_FOUND',
  SCENARIO_INVALID: 'DSIM_ERR_SCENARIO_INVALID',
  RUN_OPTION: 'DSIM_ERR_RUN_OPTION',
  OUTPUT: 'DSIM_ERR_OUTPUT',
  USAGE: 'DSIM_ERR_USAGE',
  QUEUE_UNAVAILABLE: 'DSIM_ERR_QUEUE_UNAVAILABLE',
  OUT_OF_MEMORY: 'DSIM_ERR_OUT_OF_MEMORY',
  /** A worker died running a batch, more often than a batch is retried (killed, crashed, memory outside its heap). */
  WORKER_LOST: 'DSIM_ERR_WORKER_LOST',
  /** The server's store cannot be opened: not a folder, corrupt, read-only, written by a newer dsim. */
  STORE: 'DSIM_ERR_STORE',
  /** A file given to `dsim import` cannot be used (exit 3, like an invalid scenario). */
  IMPORT_INPUT: 'DSIM_ERR_IMPORT_INPUT',
  /** Another server holds the store's lease. */
  STORE_LOCKED: 'DSIM_ERR_STORE_LOCKED',
  /** A write refused while the store is failing (the API's 503 store_unavailable; never an exit). */
  STORE_UNAVAILABLE: 'DSIM_ERR_STORE_UNAVAILABLE',
  /** The server cannot listen where asked: the port is taken or not allowed, the address is not this machine's. */
  LISTEN: 'DSIM_ERR_LISTEN',
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

  /** The message key and parameters when built with `of`; `suffix` is appended in either language (e.g. usage). */
  key?: MessageKey;
  params?: Params;
  suffix = '';

  /** An error whose message comes from the catalogue; `suffix` is kept as is (a usage line, a path). */
  static of(code: ErrorCode, key: MessageKey, params: Params = {}, suffix = ''): DsimError {
    const e = new DsimError(code, tell('en', key, params) + suffix);
    e.key = key;
    e.params = params;
    e.suffix = suffix;
    return e;
  }

  /** An error that continues `first` (e.g. "…; the result was saved to X instead"), told in the same language. */
  static after(first: DsimError, key: MessageKey, params: Params = {}): DsimError {
    const e = new DsimError(first.code, first.message + tell('en', key, params));
    e.key = key;
    e.params = params;
    e.first = first;
    return e;
  }

  first?: DsimError;

  /** The message in `lang`. */
  text(lang: Lang): string {
    const own = this.key ? tell(lang, this.key, this.params ?? {}) + this.suffix : this.message;
    return this.first ? this.first.text(lang) + own : own;
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

  override text(lang: Lang): string {
    return formatIssues(this.file, this.issues, lang);
  }
}

/** The first line of a scenario's problems: the file and how many, in `lang`. */
export function issuesHead(file: string, count: number, lang: Lang = 'en'): string {
  return t(lang, count === 1 ? 'err.headOne' : 'err.head', { file, count });
}

/** Every issue of a scenario file, one per line, each with the file, the line when known and the field. */
export function formatIssues(file: string, issues: readonly ScenarioIssue[], lang: Lang = 'en'): string {
  const sep = lang === 'zh' ? '：' : ': ';
  const lines = issues.map((i) => {
    const where = i.line !== undefined ? `${file}:${i.line}` : file;
    const path = i.path === '' ? t(lang, 'err.topLevel') : i.path;
    return `${where}${sep}${path}${sep}${issueText(i, lang)}`;
  });
  return [issuesHead(file, issues.length, lang), ...lines.map((l) => `  ${l}`)].join('\n');
}

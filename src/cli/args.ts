/**
 * Argument parsing on node:util parseArgs (no dependency), with errors that name the option.
 */
import { type ParseArgsConfig, parseArgs } from 'node:util';
import { DsimError, ErrorCodes } from '../errors.js';
import { type Lang, langFromEnv } from '../i18n/messages.js';

export function parse<T extends NonNullable<ParseArgsConfig['options']>>(args: string[], options: T, usage: string) {
  try {
    return parseArgs({ args, options, allowPositionals: true, strict: true });
  } catch (e) {
    throw parseError(e, usage);
  }
}

/**
 * node:util parseArgs's errors, told from the catalogue by their code (the option is the quoted
 * part of node's English message: "Unknown option '--x'", "Option '-n, --replications <value>'
 * argument missing", "Option '--quiet' does not take an argument"); anything else as node said it.
 */
function parseError(e: unknown, usage: string): DsimError {
  const message = e instanceof Error ? e.message : String(e);
  const code = (e as { code?: string }).code;
  const quoted = /'([^']+)'/.exec(message)?.[1]?.replace(/ <value>$/, '');
  const suffix = `\nusage: ${usage}`;
  if (quoted !== undefined && code === 'ERR_PARSE_ARGS_UNKNOWN_OPTION')
    return DsimError.of(ErrorCodes.USAGE, 'err.unknownOption', { option: quoted }, suffix);
  if (quoted !== undefined && code === 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE') {
    const key = /does not take an argument/.test(message) ? 'err.optionNoValue' : 'err.optionNeedsValue';
    return DsimError.of(ErrorCodes.USAGE, key, { option: quoted }, suffix);
  }
  return new DsimError(ErrorCodes.USAGE, `${message}${suffix}`);
}

/** A whole number option within [min, max], or undefined when absent. */
export function intOption(name: string, raw: string | undefined, min: number, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (!/^\s*\d+\s*$/.test(raw) || !Number.isSafeInteger(v) || v < min || v > max) {
    throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.intOption', { name, min, max, raw });
  }
  return v;
}

/** A positive number option up to max, or undefined when absent. */
export function numberOption(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v <= 0 || v > max) {
    throw DsimError.of(ErrorCodes.RUN_OPTION, 'err.numberOption', { name, max, raw });
  }
  return v;
}

/** `raw` when it is one of `choices`, undefined when absent, else an error naming the option and the choices. */
export function choiceOption<T extends string>(name: string, raw: string | undefined, choices: readonly T[]): T | undefined {
  if (raw === undefined) return undefined;
  if ((choices as readonly string[]).includes(raw)) return raw as T;
  throw choiceError(name, choices, raw);
}

/** `--mode event|annual`, or undefined when absent. */
export function modeOption(raw: string | undefined): 'event' | 'annual' | undefined {
  return choiceOption('mode', raw, ['event', 'annual']);
}

/** `--lang zh|en`, else the locale's (LANG=zh_CN… → zh). */
export function langOption(raw: string | undefined): Lang {
  return choiceOption('lang', raw, ['zh', 'en'] as const) ?? langFromEnv();
}

/** `--NAME: expected a, b or c, got "raw"`. */
export function choiceError(name: string, choices: readonly string[], raw: string): DsimError {
  return DsimError.of(ErrorCodes.RUN_OPTION, 'err.choiceOption', { name, choices: choices.join(', '), raw });
}

/** The language of what the command prints, read before the command parses its options: `--lang` in argv, else the locale. */
export function argvLang(argv: readonly string[]): Lang {
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i]!;
    const v = a === '--lang' ? argv[i + 1] : a.startsWith('--lang=') ? a.slice(7) : undefined;
    if (v === 'zh' || v === 'en') return v;
  }
  return langFromEnv();
}

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
    const reason = e instanceof Error ? e.message : String(e);
    throw new DsimError(ErrorCodes.USAGE, `${reason}\nusage: ${usage}`);
  }
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

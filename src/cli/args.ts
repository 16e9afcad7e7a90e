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
    throw new DsimError(ErrorCodes.RUN_OPTION, `--${name}: expected a whole number from ${min} to ${max}, got "${raw}"`);
  }
  return v;
}

/** A positive number option up to max, or undefined when absent. */
export function numberOption(name: string, raw: string | undefined, max: number): number | undefined {
  if (raw === undefined) return undefined;
  const v = Number(raw);
  if (raw.trim() === '' || !Number.isFinite(v) || v <= 0 || v > max) {
    throw new DsimError(ErrorCodes.RUN_OPTION, `--${name}: expected a number above 0 and at most ${max}, got "${raw}"`);
  }
  return v;
}

/** `--mode event|annual`, or undefined when absent. */
export function modeOption(raw: string | undefined): 'event' | 'annual' | undefined {
  if (raw === undefined || raw === 'event' || raw === 'annual') return raw;
  throw new DsimError(ErrorCodes.RUN_OPTION, `--mode: expected event or annual, got "${raw}"`);
}

/** `--lang zh|en`, else the locale's (LANG=zh_CN… → zh). */
export function langOption(raw: string | undefined): Lang {
  if (raw === undefined) return langFromEnv();
  if (raw === 'zh' || raw === 'en') return raw;
  throw new DsimError(ErrorCodes.RUN_OPTION, `--lang: expected zh or en, got "${raw}"`);
}

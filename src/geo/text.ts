/**
 * Text files as Chinese offices write them: UTF-8 with or without a byte-order mark, or GBK
 * (Excel's "CSV" on a Chinese Windows, a Shapefile's .dbf). The encoding is sniffed — a BOM
 * decides; else bytes that are valid UTF-8 are UTF-8; else GB18030 (a superset of GBK) — or
 * forced, and the answer says which and how it was found, for the manifest. CSV parsing is
 * csv-parse's (RFC 4180 quoting, embedded newlines), not a split on commas.
 */
import { parse } from 'csv-parse/sync';

export type Encoding = 'utf-8' | 'gbk';

export interface Decoded {
  text: string;
  encoding: Encoding;
  /** 'bom', 'valid-utf-8', 'fallback', 'forced' or a sidecar such as '.cpg'. */
  how: string;
}

export function decode(bytes: Uint8Array, forced?: Encoding): Decoded {
  const bom = bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf;
  if (forced !== undefined) {
    const body = forced === 'utf-8' && bom ? bytes.subarray(3) : bytes;
    return { text: new TextDecoder(forced === 'gbk' ? 'gb18030' : 'utf-8').decode(body), encoding: forced, how: 'forced' };
  }
  if (bom) return { text: new TextDecoder('utf-8').decode(bytes.subarray(3)), encoding: 'utf-8', how: 'bom' };
  try {
    return { text: new TextDecoder('utf-8', { fatal: true }).decode(bytes), encoding: 'utf-8', how: 'valid-utf-8' };
  } catch {
    return { text: new TextDecoder('gb18030').decode(bytes), encoding: 'gbk', how: 'fallback' };
  }
}

/** An encoding name as a .cpg file or a user writes it. */
export function encodingNamed(name: string): Encoding | undefined {
  const n = name
    .trim()
    .toLowerCase()
    .replace(/[\s_-]/g, '');
  if (n === 'utf8' || n === '65001') return 'utf-8';
  if (['gbk', 'gb2312', 'gb18030', '936', 'cp936', 'ansi936'].includes(n)) return 'gbk';
  return undefined;
}

/** Rows of a CSV as records keyed by the header (trimmed); every value a trimmed string. */
export function csvRecords(text: string): { header: string[]; rows: Record<string, string>[] } {
  return recordsOf(parse(text, { relaxColumnCount: true, skipEmptyLines: true, trim: true }) as string[][]);
}

/** A table (a CSV's or a worksheet's rows) as records keyed by its first row; blank rows left out. */
export function recordsOf(table: readonly (readonly string[])[]): { header: string[]; rows: Record<string, string>[] } {
  const header = (table[0] ?? []).map((h) => h.trim());
  const rows = table
    .slice(1)
    .filter((r) => r.some((v) => v.trim() !== ''))
    .map((r) => Object.fromEntries(header.map((h, i) => [h, (r[i] ?? '').trim()])));
  return { header, rows };
}

let gbkTable: Map<string, number[]> | undefined;

/**
 * Text as GBK bytes (Node decodes GBK but has no encoder): the inverse of the decoder over every
 * two-byte code, built once. For writing sample files as a Chinese office's software would.
 */
export function encodeGbk(text: string): Uint8Array {
  if (!gbkTable) {
    gbkTable = new Map();
    const d = new TextDecoder('gbk');
    for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = d.decode(new Uint8Array([a, b]));
        if (ch.length === 1 && ch !== '\ufffd' && !gbkTable.has(ch)) gbkTable.set(ch, [a, b]);
      }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = gbkTable.get(ch);
      if (!bytes) throw new RangeError(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}

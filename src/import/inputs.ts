/**
 * The files of an import as evidence: each read once within a size limit, hashed, and entered in
 * the manifest with its format, CRS and encoding and how each was determined; and the findings
 * (coded, told in zh and en) that the QA report lists. Nothing read is trusted: every failure is
 * a catalogued error naming the file.
 */
import { createHash } from 'node:crypto';
import { closeSync, existsSync, openSync, readFileSync, readSync, statSync } from 'node:fs';
import { basename } from 'node:path';
import { DsimError, ErrorCodes, type Params } from '../errors.js';
import { csvRecords, decode, type Encoding, recordsOf } from '../geo/text.js';
import { readXlsx, XlsxError } from '../geo/xlsx.js';
import { ZipError, zipEntries, zipRead } from '../geo/zip.js';
import type { MessageKey } from '../i18n/messages.js';

export const MAX_VECTOR_BYTES = 512 * 1024 * 1024;

export interface InputRecord {
  role: MessageKey;
  roleParams?: Params;
  path: string;
  bytes: number;
  sha256: string;
  format: string;
  crs?: string;
  crsHow?: string;
  encoding?: string;
  encodingHow?: string;
}

export interface Finding {
  level: 'error' | 'warning';
  code: string;
  key: MessageKey;
  params: Params;
  /** The zone, link or facility it concerns. */
  subject?: string;
}

export function importError(key: MessageKey, params: Params): DsimError {
  return DsimError.of(ErrorCodes.IMPORT_INPUT, key, params);
}

export class ImportLog {
  readonly inputs: InputRecord[] = [];
  readonly findings: Finding[] = [];

  warn(code: string, key: MessageKey, params: Params, subject?: string): void {
    this.findings.push({ level: 'warning', code, key, params, ...(subject !== undefined && { subject }) });
  }

  /** Reads a file whole (vector layers, tables) within `limit` bytes and records it. */
  read(
    path: string,
    role: MessageKey,
    format: string,
    limit = MAX_VECTOR_BYTES,
    roleParams?: Params,
  ): { bytes: Uint8Array; record: InputRecord } {
    const size = sizeOf(path);
    if (size > limit) throw importError('imp.err.tooBig', { file: path, size, limit });
    const bytes = readFileSync(path);
    const record: InputRecord = { role, path, bytes: size, sha256: sha256(bytes), format, ...(roleParams && { roleParams }) };
    this.inputs.push(record);
    return { bytes, record };
  }

  /**
   * The members of a ZIP archive, read whole within the vector limit (bombs refused: zip.ts),
   * each recorded as `archive.zip!/member` with its own size and SHA-256.
   */
  readZip(path: string, role: MessageKey, roleParams?: Params): Map<string, { path: string; bytes: Uint8Array; record: InputRecord }> {
    const { bytes } = this.read(path, role, 'ZIP archive', MAX_VECTOR_BYTES, roleParams);
    const out = new Map<string, { path: string; bytes: Uint8Array; record: InputRecord }>();
    try {
      for (const e of zipEntries(bytes, { maxEntryBytes: MAX_VECTOR_BYTES, maxTotalBytes: MAX_VECTOR_BYTES })) {
        const data = zipRead(bytes, e);
        const member = `${path}!/${e.name}`;
        const record: InputRecord = {
          role,
          path: member,
          bytes: data.length,
          sha256: sha256(data),
          format: 'member of a ZIP archive',
          ...(roleParams && { roleParams }),
        };
        this.inputs.push(record);
        out.set(e.name, { path: member, bytes: data, record });
      }
    } catch (e) {
      if (e instanceof ZipError) throw importError('imp.err.zip', { file: path, reason: e.message });
      throw e;
    }
    return out;
  }

  /**
   * A table of records: a CSV (UTF-8 with or without a BOM, or GBK; sniffed unless `encoding`,
   * a fallback reported) or an Excel workbook's first sheet (.xlsx).
   */
  readTable(
    path: string,
    role: MessageKey,
    encoding: Encoding | undefined,
  ): { header: string[]; rows: Record<string, string>[]; record: InputRecord } {
    if (/\.xls$/i.test(path)) throw importError('imp.err.xls', { file: path });
    if (/\.xlsx$/i.test(path)) {
      const { bytes, record } = this.read(path, role, 'Excel workbook (.xlsx), first sheet');
      record.encoding = 'utf-8';
      record.encodingHow = 'Office Open XML is UTF-8';
      try {
        return { ...recordsOf(readXlsx(bytes)), record };
      } catch (e) {
        if (e instanceof XlsxError) throw importError('imp.err.xlsx', { file: path, reason: e.message });
        throw e;
      }
    }
    const { bytes, record } = this.read(path, role, 'CSV');
    const d = decode(bytes, encoding);
    record.encoding = d.encoding;
    record.encodingHow = d.how;
    if (d.how === 'fallback') this.warn('encoding-fallback', 'imp.w.encoding', { file: fileLabel(path), encoding: d.encoding, how: d.how });
    return { ...csvRecords(d.text), record };
  }

  /** Records a file read by a streaming reader (rasters). */
  record(path: string, role: MessageKey, format: string, roleParams?: Params): InputRecord {
    const record: InputRecord = { role, path, bytes: sizeOf(path), sha256: sha256File(path), format, ...(roleParams && { roleParams }) };
    this.inputs.push(record);
    return record;
  }
}

function sizeOf(path: string): number {
  if (!existsSync(path) || !statSync(path).isFile()) throw importError('imp.err.noFile', { file: path });
  return statSync(path).size;
}

export function sha256(bytes: Uint8Array): string {
  return createHash('sha256').update(bytes).digest('hex');
}

function sha256File(path: string): string {
  const h = createHash('sha256');
  // Large rasters: hashed in 8 MiB pieces, never held whole.
  const fd = openSync(path, 'r');
  try {
    const buf = Buffer.alloc(8 * 1024 * 1024);
    for (let n = readSync(fd, buf); n > 0; n = readSync(fd, buf)) h.update(buf.subarray(0, n));
  } finally {
    closeSync(fd);
  }
  return h.digest('hex');
}

/** A short name for messages and `source` strings. */
export function fileLabel(path: string): string {
  return basename(path);
}

/** JSON from bytes, or a catalogued error naming the file. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (e) {
    throw importError('imp.err.json', { file, reason: e instanceof Error ? e.message : String(e) });
  }
}

/**
 * ZIP archives, read from memory (a zipped Shapefile from the 自然资源局, an .xlsx) and written
 * (test fixtures and the sample county). The central directory is the truth (APPNOTE 6.3.10
 * §4.3.12): each member's name, method (stored or deflate), sizes and CRC-32. Everything is
 * checked before inflating: the member count, the declared sizes against a limit, the ratio of
 * declared to compressed size (a bomb declares honestly and compresses 1000:1), encryption and
 * ZIP64 (refused, with the reason). Inflation stops at the declared size (a bomb that lies is
 * cut there) and the CRC-32 must match. Names are UTF-8 when flagged (bit 11) or valid as such,
 * else GBK, as Chinese Windows writes them.
 * https://pkware.cachefly.net/webdocs/casestudies/APPNOTE.TXT
 */
import { crc32, deflateRawSync, inflateRawSync } from 'node:zlib';

export class ZipError extends Error {}

export interface ZipEntry {
  name: string;
  method: number;
  compressedSize: number;
  size: number;
  crc: number;
  localOffset: number;
}

export interface ZipLimits {
  /** Most bytes one member may inflate to. */
  maxEntryBytes: number;
  /** Most bytes all members together may inflate to. */
  maxTotalBytes: number;
  maxEntries: number;
}

const DEFAULT_LIMITS: ZipLimits = { maxEntryBytes: 512 * 1024 * 1024, maxTotalBytes: 1024 * 1024 * 1024, maxEntries: 10_000 };
/** Above this size, a member inflating more than MAX_RATIO times is taken for a bomb. */
const RATIO_FLOOR = 16 * 1024 * 1024;
const MAX_RATIO = 200;

function decodeName(bytes: Uint8Array, utf8: boolean): string {
  if (utf8) return new TextDecoder().decode(bytes);
  try {
    return new TextDecoder('utf-8', { fatal: true }).decode(bytes);
  } catch {
    return new TextDecoder('gb18030').decode(bytes);
  }
}

/** The members of an archive, from its central directory, checked against `limits`. */
export function zipEntries(bytes: Uint8Array, limits: Partial<ZipLimits> = {}): ZipEntry[] {
  const lim = { ...DEFAULT_LIMITS, ...limits };
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  // The end-of-central-directory record: the last 22 bytes plus a comment of up to 65,535.
  let eocd = -1;
  for (let i = bytes.length - 22; i >= Math.max(0, bytes.length - 22 - 65_535); i--)
    if (v.getUint32(i, true) === 0x06054b50) {
      eocd = i;
      break;
    }
  if (eocd < 0) throw new ZipError('no end of central directory: not a ZIP archive, or cut short');
  const count = v.getUint16(eocd + 10, true);
  const dirSize = v.getUint32(eocd + 12, true);
  const dirAt = v.getUint32(eocd + 16, true);
  if (count === 0xffff || dirAt === 0xffffffff) throw new ZipError('a ZIP64 archive (over 65,535 members or 4 GB): not supported');
  if (count > lim.maxEntries) throw new ZipError(`${count} members, more than the ${lim.maxEntries} read`);
  if (dirAt + dirSize > eocd) throw new ZipError(`the central directory (${dirSize} bytes at ${dirAt}) runs past its end record`);
  const entries: ZipEntry[] = [];
  let total = 0;
  let p = dirAt;
  for (let k = 0; k < count; k++) {
    if (p + 46 > eocd || v.getUint32(p, true) !== 0x02014b50) throw new ZipError(`central directory entry ${k + 1} at byte ${p} is broken`);
    const flags = v.getUint16(p + 8, true);
    const method = v.getUint16(p + 10, true);
    const crc = v.getUint32(p + 16, true);
    const compressedSize = v.getUint32(p + 20, true);
    const size = v.getUint32(p + 24, true);
    const nameLen = v.getUint16(p + 28, true);
    const extraLen = v.getUint16(p + 30, true);
    const commentLen = v.getUint16(p + 32, true);
    const localOffset = v.getUint32(p + 42, true);
    if (p + 46 + nameLen > eocd) throw new ZipError(`central directory entry ${k + 1} runs past the directory`);
    const name = decodeName(bytes.subarray(p + 46, p + 46 + nameLen), (flags & 0x800) !== 0);
    p += 46 + nameLen + extraLen + commentLen;
    if (name.endsWith('/')) continue; // a folder
    if (flags & 0x1) throw new ZipError(`${name}: encrypted (a password-protected archive); unzip it first`);
    if (size === 0xffffffff || compressedSize === 0xffffffff) throw new ZipError(`${name}: a ZIP64 member (over 4 GB): not supported`);
    if (method !== 0 && method !== 8) throw new ZipError(`${name}: compression method ${method} (only stored and deflate are read)`);
    if (size > lim.maxEntryBytes)
      throw new ZipError(`${name}: declares ${size} bytes, more than the ${lim.maxEntryBytes} read from one member`);
    if (size > RATIO_FLOOR && size > MAX_RATIO * Math.max(1, compressedSize))
      throw new ZipError(`${name}: ${compressedSize} bytes that inflate to ${size}, over ${MAX_RATIO}:1 (a zip bomb?)`);
    total += size;
    if (total > lim.maxTotalBytes) throw new ZipError(`its members declare over ${lim.maxTotalBytes} bytes in all`);
    entries.push({ name, method, compressedSize, size, crc, localOffset });
  }
  return entries;
}

/** One member's bytes: inflated up to its declared size and no further, its CRC-32 checked. */
export function zipRead(bytes: Uint8Array, e: ZipEntry): Uint8Array {
  const v = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const at = e.localOffset;
  if (at + 30 > bytes.length || v.getUint32(at, true) !== 0x04034b50) throw new ZipError(`${e.name}: no local header at byte ${at}`);
  const start = at + 30 + v.getUint16(at + 26, true) + v.getUint16(at + 28, true);
  if (start + e.compressedSize > bytes.length) throw new ZipError(`${e.name}: its ${e.compressedSize} bytes run past the archive's end`);
  const data = bytes.subarray(start, start + e.compressedSize);
  let out: Uint8Array;
  if (e.method === 0) out = data;
  else {
    try {
      out = e.size === 0 ? new Uint8Array(0) : inflateRawSync(data, { maxOutputLength: e.size });
    } catch (err) {
      const tooBig = (err as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE';
      throw new ZipError(
        tooBig
          ? `${e.name}: inflates past the ${e.size} bytes it declares (a zip bomb?)`
          : `${e.name}: does not inflate (${(err as Error).message})`,
      );
    }
  }
  if (out.length !== e.size) throw new ZipError(`${e.name}: ${out.length} bytes, not the ${e.size} it declares`);
  if (crc32(out) !== e.crc) throw new ZipError(`${e.name}: its CRC-32 does not match (a damaged archive)`);
  return out;
}

/** An archive of `files` (deflated unless `store`); a name given as bytes is written as is, without the UTF-8 flag (GBK, say). */
export function writeZip(files: readonly { name: string | Uint8Array; data: Uint8Array }[], options: { store?: boolean } = {}): Buffer {
  const locals: Buffer[] = [];
  const central: Buffer[] = [];
  let offset = 0;
  for (const f of files) {
    const utf8 = typeof f.name === 'string';
    const name = utf8 ? Buffer.from(f.name as string) : Buffer.from(f.name as Uint8Array);
    const body = options.store ? Buffer.from(f.data) : deflateRawSync(f.data);
    const crc = crc32(f.data);
    const flags = utf8 ? 0x800 : 0;
    const method = options.store ? 0 : 8;
    // The fields a local header (at 4) and its central entry (at 6, after "version made by") share.
    const common = (b: Buffer, at: number) => {
      b.writeUInt16LE(20, at); // version needed
      b.writeUInt16LE(flags, at + 2);
      b.writeUInt16LE(method, at + 4);
      b.writeUInt32LE(crc, at + 10);
      b.writeUInt32LE(body.length, at + 14);
      b.writeUInt32LE(f.data.length, at + 18);
      b.writeUInt16LE(name.length, at + 22);
    };
    const local = Buffer.alloc(30);
    local.writeUInt32LE(0x04034b50, 0);
    common(local, 4);
    const dir = Buffer.alloc(46);
    dir.writeUInt32LE(0x02014b50, 0);
    dir.writeUInt16LE(20, 4); // version made by
    common(dir, 6);
    dir.writeUInt32LE(offset, 42);
    locals.push(local, name, body);
    central.push(dir, name);
    offset += 30 + name.length + body.length;
  }
  const dirBytes = Buffer.concat(central);
  const end = Buffer.alloc(22);
  end.writeUInt32LE(0x06054b50, 0);
  end.writeUInt16LE(files.length, 8);
  end.writeUInt16LE(files.length, 10);
  end.writeUInt32LE(dirBytes.length, 12);
  end.writeUInt32LE(offset, 16);
  return Buffer.concat([...locals, dirBytes, end]);
}

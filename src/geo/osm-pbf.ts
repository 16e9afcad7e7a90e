/**
 * OpenStreetMap PBF (.osm.pbf), read in one pass into typed arrays, and written (for the test
 * fixtures, the sample county and the benchmark). The format: a sequence of blobs, each a 4-byte
 * big-endian header length, a BlobHeader ("OSMHeader" | "OSMData", datasize) and a Blob (raw or
 * zlib); an OSMData blob is a PrimitiveBlock of string table and groups of nodes, dense nodes and
 * ways, coordinates in units of `granularity` nanodegrees from an offset, ids and coordinates
 * delta-coded. https://wiki.openstreetmap.org/wiki/PBF_Format
 *
 * Only what a road network needs is kept: every node's id and position (to resolve way refs;
 * ways come after nodes in a sorted file, and nodes carry no tags a road needs) and the ways a
 * caller's filter keeps, with the tags it names. Relations are skipped. The format's own limits
 * are enforced before anything is allocated: a BlobHeader over 64 KiB, a blob over 32 MiB (as
 * stored or inflated), a compression other than zlib, a required feature not understood
 * (history files), a truncated or lying field: each a PbfError naming the byte offset.
 * The research (real-data-import.md §0) measured no npm reader fast enough for a county extract.
 */
import { deflateSync, inflateSync } from 'node:zlib';
import { ProtoReader, ProtoWriter, packed } from './protobuf.js';

export const MAX_HEADER_BYTES = 64 * 1024;
export const MAX_BLOB_BYTES = 32 * 1024 * 1024;
const FEATURES = new Set(['OsmSchema-V0.6', 'DenseNodes']);

export class PbfError extends Error {}

export interface OsmWays {
  count: number;
  ids: Float64Array;
  /** Way k's node ids are refs[refStart[k]] … refs[refStart[k + 1] − 1]. */
  refStart: Uint32Array;
  refs: Float64Array;
  /** The tags asked for (`tagKeys`), per way. */
  tags: Record<string, string>[];
}

export interface OsmData {
  nodes: { count: number; ids: Float64Array; lon: Float64Array; lat: Float64Array; sorted: boolean };
  ways: OsmWays;
}

export interface ReadOptions {
  /** Tags kept on each way (and offered to `keepWay`). */
  tagKeys: readonly string[];
  /** Keeps a way by its tags (those in tagKeys); all ways when absent. */
  keepWay?: (tags: Record<string, string>) => boolean;
}

/** A growable Float64Array. */
class Column {
  data = new Float64Array(1024);
  length = 0;
  push(v: number): void {
    if (this.length === this.data.length) {
      const next = new Float64Array(Math.ceil(this.data.length * 1.5));
      next.set(this.data);
      this.data = next;
    }
    this.data[this.length++] = v;
  }
  view(): Float64Array {
    return this.data.subarray(0, this.length);
  }
}

export function readOsmPbf(bytes: Uint8Array, options: ReadOptions): OsmData {
  const keys = new Set(options.tagKeys);
  const nodeIds = new Column();
  const lon = new Column();
  const lat = new Column();
  const wayIds = new Column();
  const refs = new Column();
  const refStart: number[] = [0];
  const tags: Record<string, string>[] = [];
  let sorted = true;
  let lastId = -Infinity;
  const addNode = (id: number, x: number, y: number) => {
    if (id <= lastId) sorted = false;
    lastId = id;
    nodeIds.push(id);
    lon.push(x);
    lat.push(y);
  };
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  let pos = 0;
  let sawHeader = false;
  while (pos < bytes.length) {
    const at = pos;
    if (bytes.length - pos < 4) throw new PbfError(`truncated blob header length at byte ${at}`);
    const headerLen = view.getUint32(pos);
    pos += 4;
    if (headerLen > MAX_HEADER_BYTES)
      throw new PbfError(`blob header of ${headerLen} bytes at byte ${at} (the format allows ${MAX_HEADER_BYTES})`);
    if (headerLen > bytes.length - pos) throw new PbfError(`truncated blob header at byte ${at}`);
    const header = blobHeader(new ProtoReader(bytes, pos, pos + headerLen), at);
    pos += headerLen;
    if (header.datasize > MAX_BLOB_BYTES)
      throw new PbfError(`blob of ${header.datasize} bytes at byte ${at} (the format allows ${MAX_BLOB_BYTES})`);
    if (header.datasize > bytes.length - pos) throw new PbfError(`truncated blob at byte ${at}: ${header.datasize} bytes declared`);
    const data = blobData(bytes.subarray(pos, pos + header.datasize), at);
    pos += header.datasize;
    try {
      if (header.type === 'OSMHeader') {
        checkFeatures(new ProtoReader(data));
        sawHeader = true;
      } else if (header.type === 'OSMData') {
        if (!sawHeader) throw new PbfError('an OSMData blob before the OSMHeader');
        primitiveBlock(new ProtoReader(data), {
          node: addNode,
          way(id, wayRefs, wayTags) {
            if (options.keepWay && !options.keepWay(wayTags)) return;
            wayIds.push(id);
            for (const r of wayRefs) refs.push(r);
            refStart.push(refs.length);
            tags.push(wayTags);
          },
          keys,
        });
      } // other blob types are skipped, as the format says
    } catch (e) {
      if (e instanceof PbfError) throw e;
      throw new PbfError(`blob at byte ${at}: ${e instanceof Error ? e.message : String(e)}`);
    }
  }
  if (!sawHeader) throw new PbfError('no OSMHeader blob: not an OSM PBF file');
  return {
    nodes: { count: nodeIds.length, ids: nodeIds.view(), lon: lon.view(), lat: lat.view(), sorted },
    ways: { count: wayIds.length, ids: wayIds.view(), refStart: Uint32Array.from(refStart), refs: refs.view(), tags },
  };
}

function blobHeader(r: ProtoReader, at: number): { type: string; datasize: number } {
  let type = '';
  let datasize = -1;
  try {
    while (!r.done) {
      const { field, wire } = r.key();
      if (field === 1 && wire === 2) type = new TextDecoder().decode(r.bytes());
      else if (field === 3 && wire === 0) datasize = r.varint();
      else r.skip(wire);
    }
  } catch (e) {
    throw new PbfError(`blob header at byte ${at}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (datasize < 0) throw new PbfError(`blob header at byte ${at} without datasize`);
  return { type, datasize };
}

function blobData(blob: Uint8Array, at: number): Uint8Array {
  const r = new ProtoReader(blob);
  let raw: Uint8Array | undefined;
  let zlib: Uint8Array | undefined;
  let rawSize = -1;
  let other = 0;
  try {
    while (!r.done) {
      const { field, wire } = r.key();
      if (field === 1 && wire === 2) raw = r.bytes();
      else if (field === 2 && wire === 0) rawSize = r.varint();
      else if (field === 3 && wire === 2) zlib = r.bytes();
      else if (field >= 4 && field <= 7) {
        other = field;
        r.skip(wire);
      } else r.skip(wire);
    }
  } catch (e) {
    throw new PbfError(`blob at byte ${at}: ${e instanceof Error ? e.message : String(e)}`);
  }
  if (raw) return raw;
  if (!zlib) {
    const name = { 4: 'lzma', 5: 'bzip2', 6: 'lz4', 7: 'zstd' }[other] ?? 'none';
    throw new PbfError(`blob at byte ${at}: compression ${name} is not supported (zlib or raw only)`);
  }
  if (!(rawSize >= 0 && rawSize <= MAX_BLOB_BYTES))
    throw new PbfError(`blob at byte ${at} declares ${rawSize} bytes inflated (the format allows ${MAX_BLOB_BYTES})`);
  let out: Buffer;
  try {
    out = inflateSync(zlib, { maxOutputLength: Math.max(1, rawSize) });
  } catch (e) {
    throw new PbfError(
      `blob at byte ${at} does not inflate to its declared ${rawSize} bytes: ${e instanceof Error ? e.message : String(e)}`,
    );
  }
  if (out.length !== rawSize) throw new PbfError(`blob at byte ${at} inflates to ${out.length} bytes, not the ${rawSize} declared`);
  return out;
}

function checkFeatures(r: ProtoReader): void {
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 4 && wire === 2) {
      const f = new TextDecoder().decode(r.bytes());
      if (!FEATURES.has(f))
        throw new PbfError(`the file requires "${f}", which this reader does not understand (history or a newer schema)`);
    } else r.skip(wire);
  }
}

interface Sink {
  node(id: number, lon: number, lat: number): void;
  way(id: number, refs: number[], tags: Record<string, string>): void;
  keys: ReadonlySet<string>;
}

function primitiveBlock(r: ProtoReader, sink: Sink): void {
  let strings: Uint8Array[] = [];
  const groups: ProtoReader[] = [];
  let granularity = 100;
  let latOffset = 0;
  let lonOffset = 0;
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1 && wire === 2) strings = stringTable(r.message());
    else if (field === 2 && wire === 2) groups.push(r.message());
    else if (field === 17 && wire === 0) granularity = r.varint();
    else if (field === 19 && wire === 0) latOffset = signed64(r.varint());
    else if (field === 20 && wire === 0) lonOffset = signed64(r.varint());
    else r.skip(wire);
  }
  const decoder = new TextDecoder();
  const text = new Map<number, string>();
  const str = (i: number): string => {
    let s = text.get(i);
    if (s === undefined) {
      const b = strings[i];
      if (!b) throw new PbfError(`string ${i} outside the block's table of ${strings.length}`);
      s = decoder.decode(b);
      text.set(i, s);
    }
    return s;
  };
  // Divided, not multiplied by 1e-9: 116500000000 / 1e9 is 116.5 exactly, as the decimal in a JSON file reads.
  const toLat = (v: number) => (latOffset + granularity * v) / 1e9;
  const toLon = (v: number) => (lonOffset + granularity * v) / 1e9;
  for (const g of groups) {
    while (!g.done) {
      const { field, wire } = g.key();
      if (field === 1 && wire === 2) plainNode(g.message(), sink, toLon, toLat);
      else if (field === 2 && wire === 2) denseNodes(g.message(), sink, toLon, toLat);
      else if (field === 3 && wire === 2) way(g.message(), sink, str);
      else g.skip(wire);
    }
  }
}

/** An int64 read as an unsigned varint: two's complement above 2⁶³. */
function signed64(v: number): number {
  return v >= 2 ** 63 ? v - 2 ** 64 : v;
}

function stringTable(r: ProtoReader): Uint8Array[] {
  const out: Uint8Array[] = [];
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1 && wire === 2) out.push(r.bytes());
    else r.skip(wire);
  }
  return out;
}

type Scale = (v: number) => number;

function plainNode(r: ProtoReader, sink: Sink, toLon: Scale, toLat: Scale): void {
  let id = 0;
  let la = Number.NaN;
  let lo = Number.NaN;
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1 && wire === 0) id = r.svarint();
    else if (field === 8 && wire === 0) la = r.svarint();
    else if (field === 9 && wire === 0) lo = r.svarint();
    else r.skip(wire);
  }
  if (Number.isFinite(la) && Number.isFinite(lo)) sink.node(id, toLon(lo), toLat(la));
}

function denseNodes(r: ProtoReader, sink: Sink, toLon: Scale, toLat: Scale): void {
  let ids: number[] = [];
  let lats: number[] = [];
  let lons: number[] = [];
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1 && wire === 2) ids = packed(r, true);
    else if (field === 8 && wire === 2) lats = packed(r, true);
    else if (field === 9 && wire === 2) lons = packed(r, true);
    else r.skip(wire);
  }
  if (lats.length !== ids.length || lons.length !== ids.length)
    throw new PbfError(`dense nodes with ${ids.length} ids, ${lats.length} latitudes and ${lons.length} longitudes`);
  let id = 0;
  let la = 0;
  let lo = 0;
  for (let i = 0; i < ids.length; i++) {
    id += ids[i]!;
    la += lats[i]!;
    lo += lons[i]!;
    sink.node(id, toLon(lo), toLat(la));
  }
}

function way(r: ProtoReader, sink: Sink, str: (i: number) => string): void {
  let id = 0;
  let keys: number[] = [];
  let vals: number[] = [];
  let deltas: number[] = [];
  while (!r.done) {
    const { field, wire } = r.key();
    if (field === 1 && wire === 0) id = r.varint();
    else if (field === 2 && wire === 2) keys = packed(r, false);
    else if (field === 3 && wire === 2) vals = packed(r, false);
    else if (field === 8 && wire === 2) deltas = packed(r, true);
    else r.skip(wire);
  }
  if (keys.length !== vals.length) throw new PbfError(`way ${id}: ${keys.length} keys for ${vals.length} values`);
  const tags: Record<string, string> = {};
  for (let i = 0; i < keys.length; i++) {
    const k = str(keys[i]!);
    if (sink.keys.has(k)) tags[k] = str(vals[i]!);
  }
  let ref = 0;
  for (let i = 0; i < deltas.length; i++) deltas[i] = ref += deltas[i]!;
  sink.way(id, deltas, tags);
}

// ---------------------------------------------------------------------------------------------
// Writing

export interface PbfNodes {
  id: ArrayLike<number>;
  lon: ArrayLike<number>;
  lat: ArrayLike<number>;
}

export interface PbfWay {
  id: number;
  refs: readonly number[];
  tags: Readonly<Record<string, string>>;
}

/**
 * Editing metadata as an extract carries it (version, timestamp, changeset, user), made up from
 * the entity's id: readers must skip it, and it is most of a real file's bytes.
 */
function infoOf(id: number): { version: number; timestamp: number; changeset: number; uid: number } {
  const h = Math.imul(id ^ (id >>> 13), 0x5bd1e995) >>> 0;
  return {
    version: 1 + (h % 7),
    timestamp: 1_300_000_000 + (h % 400_000_000),
    changeset: 10_000_000 + (h % 90_000_000),
    uid: 1 + (h % 5000),
  };
}

/**
 * An .osm.pbf of the nodes (dense, granularity 100 nanodegrees) and ways, `blockSize` entities
 * a block, zlib-compressed unless `compress` is false, with made-up editing metadata when `info`;
 * sorted by type then id when given so.
 */
export function writeOsmPbf(
  nodes: PbfNodes,
  ways: Iterable<PbfWay>,
  options: { blockSize?: number; compress?: boolean; info?: boolean } = {},
): Buffer {
  const size = options.blockSize ?? 8000;
  const compress = options.compress ?? true;
  const users = options.info ? Array.from({ length: 50 }, (_, i) => `mapper${i}`) : [];
  const chunks: Uint8Array[] = [];
  const header = new ProtoWriter().string(4, 'OsmSchema-V0.6').string(4, 'DenseNodes').string(16, 'dsim');
  chunks.push(...blob('OSMHeader', header.finish(), compress));
  for (let start = 0; start < nodes.id.length; start += size) {
    const end = Math.min(nodes.id.length, start + size);
    const ids: number[] = [];
    const lats: number[] = [];
    const lons: number[] = [];
    let [pid, pla, plo] = [0, 0, 0];
    for (let i = start; i < end; i++) {
      const id = nodes.id[i]!;
      const la = Math.round(nodes.lat[i]! * 1e7);
      const lo = Math.round(nodes.lon[i]! * 1e7);
      ids.push(id - pid);
      lats.push(la - pla);
      lons.push(lo - plo);
      [pid, pla, plo] = [id, la, lo];
    }
    const dense = new ProtoWriter().packed(1, ids, true);
    if (options.info) {
      const cols: number[][] = [[], [], [], [], []];
      const prev = [0, 0, 0, 0];
      for (let i = start; i < end; i++) {
        const f = infoOf(nodes.id[i]!);
        const now = [f.timestamp, f.changeset, f.uid, (f.uid % users.length) + 1];
        cols[0]!.push(f.version);
        now.forEach((v, k) => cols[k + 1]!.push(v - prev[k]!));
        prev.splice(0, 4, ...now);
      }
      const info = new ProtoWriter().packed(1, cols[0]!, false);
      for (let k = 1; k < 5; k++) info.packed(k + 1, cols[k]!, true);
      dense.bytes(5, info.finish());
    }
    dense.packed(8, lats, true).packed(9, lons, true);
    const group = new ProtoWriter().bytes(2, dense.finish());
    const table = new ProtoWriter().string(1, '');
    for (const u of users) table.string(1, u);
    const block = new ProtoWriter().bytes(1, table.finish()).bytes(2, group.finish());
    chunks.push(...blob('OSMData', block.finish(), compress));
  }
  let batch: PbfWay[] = [];
  const flush = () => {
    if (batch.length === 0) return;
    const table = new Map<string, number>([['', 0], ...users.map((u, i): [string, number] => [u, i + 1])]);
    const index = (s: string) => {
      let i = table.get(s);
      if (i === undefined) {
        i = table.size;
        table.set(s, i);
      }
      return i;
    };
    const group = new ProtoWriter();
    for (const w of batch) {
      const entries = Object.entries(w.tags);
      const deltas = w.refs.map((r, i) => r - (i > 0 ? w.refs[i - 1]! : 0));
      const msg = new ProtoWriter()
        .varint(1, w.id)
        .packed(
          2,
          entries.map(([k]) => index(k)),
          false,
        )
        .packed(
          3,
          entries.map(([, v]) => index(v)),
          false,
        )
        .packed(8, deltas, true);
      if (options.info) {
        const f = infoOf(w.id);
        const info = new ProtoWriter()
          .varint(1, f.version)
          .varint(2, f.timestamp)
          .varint(3, f.changeset)
          .varint(4, f.uid)
          .varint(5, (f.uid % users.length) + 1);
        msg.bytes(4, info.finish());
      }
      group.bytes(3, msg.finish());
    }
    const st = new ProtoWriter();
    for (const s of table.keys()) st.string(1, s);
    const block = new ProtoWriter().bytes(1, st.finish()).bytes(2, group.finish());
    chunks.push(...blob('OSMData', block.finish(), compress));
    batch = [];
  };
  for (const w of ways) {
    batch.push(w);
    if (batch.length >= size) flush();
  }
  flush();
  return Buffer.concat(chunks);
}

function blob(type: string, data: Uint8Array, compress: boolean): Uint8Array[] {
  const body = compress ? new ProtoWriter().varint(2, data.length).bytes(3, deflateSync(data)) : new ProtoWriter().bytes(1, data);
  const b = body.finish();
  const h = new ProtoWriter().string(1, type).varint(3, b.length).finish();
  const len = new Uint8Array(4);
  new DataView(len.buffer).setUint32(0, h.length);
  return [len, h, b];
}

import { deflateSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { MAX_BLOB_BYTES, PbfError, type PbfWay, readOsmPbf, writeOsmPbf } from '../../src/geo/osm-pbf.js';
import { ProtoReader, ProtoWriter } from '../../src/geo/protobuf.js';

// An encoder written here from the specification (protobuf.dev encoding; wiki PBF_Format field
// numbers), sharing nothing with src/geo, so a field number wrong in both reader and writer shows.
const varint = (n: number): number[] => {
  const out: number[] = [];
  while (n >= 128) {
    out.push((n % 128) + 128);
    n = Math.floor(n / 128);
  }
  out.push(n);
  return out;
};
const zz = (n: number) => (n < 0 ? -2 * n - 1 : 2 * n);
const vf = (field: number, n: number) => [...varint(field * 8), ...varint(n)];
const ld = (field: number, bytes: number[]) => [...varint(field * 8 + 2), ...varint(bytes.length), ...bytes];
const str = (field: number, s: string) => ld(field, [...new TextEncoder().encode(s)]);
const pk = (field: number, ns: number[], signed: boolean) =>
  ld(
    field,
    ns.flatMap((n) => varint(signed ? zz(n) : n)),
  );
const frame = (type: string, blob: number[]) => {
  const header = [...str(1, type), ...vf(3, blob.length)];
  return [(header.length >>> 24) & 255, (header.length >>> 16) & 255, (header.length >>> 8) & 255, header.length & 255, ...header, ...blob];
};
const rawBlob = (data: number[]) => ld(1, data);
const zlibBlob = (data: number[], rawSize = data.length) => [...vf(2, rawSize), ...ld(3, [...deflateSync(Uint8Array.from(data))])];
const HEADER = frame('OSMHeader', rawBlob([...str(4, 'OsmSchema-V0.6'), ...str(4, 'DenseNodes'), ...str(16, 'hand')]));
const bytes = (...parts: number[][]) => Uint8Array.from(parts.flat());

/**
 * A block with granularity 1000 nanodegrees and offsets 30° N, 117° E: dense nodes 10, 11, 12 at
 * (117.002, 30.001), (117.003, 30.0015), (117.003, 30.003); a plain node 20 at (117.1, 30.2);
 * way 5 (10, 11, 12) primary, oneway, named; way 6 (12, 20, 99) residential, 99 absent; way 7
 * a waterway (no highway).
 */
const STRINGS = ['', 'highway', 'primary', 'oneway', 'yes', 'name', '国道', 'residential', 'waterway', 'river'];
const s = (t: string) => STRINGS.indexOf(t);
const dense = ld(2, [...pk(1, [10, 1, 1], true), ...pk(8, [1000, 500, 1500], true), ...pk(9, [2000, 1000, 0], true)]);
const plain = ld(1, [...vf(1, zz(20)), ...vf(8, zz(200_000)), ...vf(9, zz(100_000))]);
const ways = [
  ld(3, [
    ...vf(1, 5),
    ...pk(2, [s('highway'), s('oneway'), s('name')], false),
    ...pk(3, [s('primary'), s('yes'), s('国道')], false),
    ...pk(8, [10, 1, 1], true),
  ]),
  ld(3, [...vf(1, 6), ...pk(2, [s('highway')], false), ...pk(3, [s('residential')], false), ...pk(8, [12, 8, 79], true)]),
  ld(3, [...vf(1, 7), ...pk(2, [s('waterway')], false), ...pk(3, [s('river')], false), ...pk(8, [10, 2], true)]),
].flat();
const BLOCK = [
  ...ld(
    1,
    STRINGS.flatMap((t) => str(1, t)),
  ),
  ...ld(2, [...dense, ...plain]),
  ...ld(2, ways),
  ...vf(17, 1000),
  ...vf(19, 30e9),
  ...vf(20, 117e9),
];

describe('protocol buffers', () => {
  it('reads the encoding guide’s examples: 150 is 08 96 01; −2 zigzags to 3; 2⁴⁰ takes six bytes', () => {
    const r = new ProtoReader(Uint8Array.from([0x08, 0x96, 0x01, 0x03, 0x80, 0x80, 0x80, 0x80, 0x80, 0x20]));
    expect(r.key()).toEqual({ field: 1, wire: 0 });
    expect(r.varint()).toBe(150);
    expect(r.svarint()).toBe(-2);
    expect(r.varint()).toBe(2 ** 40);
    expect(r.done).toBe(true);
    expect([...new ProtoWriter().varint(1, 150).finish()]).toEqual([0x08, 0x96, 0x01]);
  });
  it('refuses to read past a message or a field', () => {
    expect(() => new ProtoReader(Uint8Array.from([0x96])).varint()).toThrow(/truncated varint at byte 1/);
    expect(() => new ProtoReader(Uint8Array.from([0x05, 1, 2])).bytes()).toThrow(/5 bytes at byte 1 runs past/);
  });
});

describe('OSM PBF', () => {
  it('reads a hand-encoded file: granularity, offsets, dense and plain nodes, ways by tag', () => {
    const osm = readOsmPbf(bytes(HEADER, frame('OSMData', zlibBlob(BLOCK))), {
      tagKeys: ['highway', 'oneway'],
      keepWay: (t) => t['highway'] !== undefined,
    });
    expect([...osm.nodes.ids]).toEqual([10, 11, 12, 20]);
    expect(osm.nodes.sorted).toBe(true);
    const near = (a: Float64Array, b: number[]) => b.forEach((v, i) => expect(a[i]).toBeCloseTo(v, 9));
    near(osm.nodes.lon, [117.002, 117.003, 117.003, 117.1]);
    near(osm.nodes.lat, [30.001, 30.0015, 30.003, 30.2]);
    expect(osm.ways.count).toBe(2);
    expect([...osm.ways.ids]).toEqual([5, 6]);
    expect([...osm.ways.refStart]).toEqual([0, 3, 6]);
    expect([...osm.ways.refs]).toEqual([10, 11, 12, 12, 20, 99]);
    expect(osm.ways.tags).toEqual([{ highway: 'primary', oneway: 'yes' }, { highway: 'residential' }]);
  });

  it('writes what it reads: unsorted nodes, blocks of a few entities, raw and zlib, editing metadata skipped', () => {
    const nodes = { id: [3, 1, 2, 7], lon: [116.5, 116.25, 116.125, 116], lat: [36, 36.5, 36.25, 36.75] };
    const list: PbfWay[] = [
      { id: 1, refs: [1, 2, 3], tags: { highway: 'trunk', maxspeed: '80' } },
      { id: 2, refs: [3, 7], tags: { highway: 'track' } },
    ];
    for (const [compress, info] of [
      [true, false],
      [false, true],
    ]) {
      const osm = readOsmPbf(writeOsmPbf(nodes, list, { blockSize: 2, compress, info }), { tagKeys: ['highway', 'maxspeed'] });
      expect([...osm.nodes.ids]).toEqual(nodes.id);
      expect(osm.nodes.sorted).toBe(false);
      expect([...osm.nodes.lon]).toEqual(nodes.lon);
      expect([...osm.nodes.lat]).toEqual(nodes.lat);
      expect(osm.ways.tags).toEqual(list.map((w) => w.tags));
      expect([...osm.ways.refs]).toEqual([1, 2, 3, 3, 7]);
    }
  });

  it('refuses a hostile or broken file before allocating, naming the byte', () => {
    const read = (b: Uint8Array) => () => readOsmPbf(b, { tagKeys: ['highway'] });
    const good = bytes(HEADER, frame('OSMData', zlibBlob(BLOCK)));
    // A header length of 4 GB, a blob claiming 2 GB, a blob inflating to 2 GB.
    expect(read(Uint8Array.from([0xff, 0xff, 0xff, 0xf0, 0, 0]))).toThrow(/blob header of 4294967280 bytes at byte 0/);
    const huge = [...str(1, 'OSMData'), ...vf(3, 2 ** 31)];
    expect(read(bytes(HEADER, [0, 0, 0, huge.length, ...huge]))).toThrow(new RegExp(`blob of 2147483648 bytes at byte ${HEADER.length}`));
    expect(read(bytes(HEADER, frame('OSMData', zlibBlob(BLOCK, 2 ** 31))))).toThrow(/declares 2147483648 bytes inflated/);
    expect(MAX_BLOB_BYTES).toBe(32 * 1024 * 1024);
    // A blob that inflates to more than it declares: stopped at the declared size.
    expect(read(bytes(HEADER, frame('OSMData', zlibBlob(BLOCK, 10))))).toThrow(/does not inflate to its declared 10 bytes/);
    expect(read(bytes(HEADER, frame('OSMData', [...vf(2, 10), ...ld(4, [1, 2, 3])])))).toThrow(/compression lzma is not supported/);
    const history = frame('OSMHeader', rawBlob([...str(4, 'OsmSchema-V0.6'), ...str(4, 'HistoricalInformation')]));
    expect(read(bytes(history))).toThrow(/requires "HistoricalInformation"/);
    expect(read(good.subarray(0, good.length - 7))).toThrow(/truncated blob at byte/);
    expect(read(bytes(frame('OSMData', zlibBlob(BLOCK))))).toThrow(/before the OSMHeader/);
    expect(read(new TextEncoder().encode('{"elements": []}'))).toThrow(PbfError);
    expect(read(Uint8Array.from([0, 0, 0, 3, 0x18, 0x80, 0x80]))).toThrow(/blob header at byte 0: truncated varint at byte 7/);
    // A way pointing past its block's string table.
    const badWay = [...ld(1, str(1, '')), ...ld(2, ld(3, [...vf(1, 1), ...pk(2, [5], false), ...pk(3, [6], false)]))];
    expect(read(bytes(HEADER, frame('OSMData', rawBlob(badWay))))).toThrow(/string 5 outside the block's table of 1/);
  });
});

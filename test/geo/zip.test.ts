import { deflateRawSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { readXlsx, writeXlsx } from '../../src/geo/xlsx.js';
import { writeZip, ZipError, zipEntries, zipRead } from '../../src/geo/zip.js';
import { encodeGbk } from './gbk.js';

/** An archive laid out byte by byte from APPNOTE §4.3: one stored member "a.txt" holding "hi" (CRC-32 0xd8932aac). */
function handZip(): Uint8Array {
  const u16 = (n: number) => [n & 255, n >> 8];
  const u32 = (n: number) => [n & 255, (n >> 8) & 255, (n >> 16) & 255, n >>> 24];
  const name = [...Buffer.from('a.txt')];
  const local = [
    ...u32(0x04034b50),
    ...u16(10),
    ...u16(0),
    ...u16(0),
    ...u16(0),
    ...u16(0),
    ...u32(0xd8932aac),
    ...u32(2),
    ...u32(2),
    ...u16(5),
    ...u16(0),
    ...name,
    0x68,
    0x69,
  ];
  const central = [
    ...u32(0x02014b50),
    ...u16(20),
    ...u16(10),
    ...u16(0),
    ...u16(0),
    ...u16(0),
    ...u16(0),
    ...u32(0xd8932aac),
    ...u32(2),
    ...u32(2),
    ...u16(5),
    ...u16(0),
    ...u16(0),
    ...u16(0),
    ...u16(0),
    ...u32(0),
    ...u32(0),
    ...name,
  ];
  const end = [...u32(0x06054b50), ...u16(0), ...u16(0), ...u16(1), ...u16(1), ...u32(central.length), ...u32(local.length), ...u16(0)];
  return Uint8Array.from([...local, ...central, ...end]);
}

/** Sets a member's declared size (central directory and local header) in an archive of one member. */
function declare(zip: Buffer, size: number): Buffer {
  const out = Buffer.from(zip);
  out.writeUInt32LE(size, 22);
  const dir = out.indexOf(Buffer.from([0x50, 0x4b, 0x01, 0x02]));
  out.writeUInt32LE(size, dir + 24);
  return out;
}

describe('ZIP', () => {
  it('reads an archive laid out by hand, and what it writes: stored, deflated, UTF-8 and GBK names', () => {
    const hand = handZip();
    const [e] = zipEntries(hand);
    expect(e).toMatchObject({ name: 'a.txt', method: 0, size: 2, compressedSize: 2, crc: 0xd8932aac });
    expect(new TextDecoder().decode(zipRead(hand, e!))).toBe('hi');
    const data = new TextEncoder().encode('乡镇,人口\n'.repeat(100));
    for (const store of [true, false]) {
      const zip = writeZip(
        [
          { name: '边界/乡镇.shp', data },
          { name: encodeGbk('边界/乡镇.dbf'), data: data.subarray(0, 7) },
          { name: 'folder/', data: new Uint8Array(0) },
        ],
        { store },
      );
      const entries = zipEntries(zip);
      expect(entries.map((x) => x.name)).toEqual(['边界/乡镇.shp', '边界/乡镇.dbf']); // the folder is skipped
      expect(Uint8Array.from(zipRead(zip, entries[0]!))).toEqual(data);
      expect(Uint8Array.from(zipRead(zip, entries[1]!))).toEqual(data.subarray(0, 7));
    }
  });

  it('refuses bombs before inflating them, and liars at their declared size', () => {
    // 64 MiB of zeros, declared honestly: 65 KB that inflate 1000:1, refused from the directory.
    const honest = writeZip([{ name: 'bomb.dbf', data: new Uint8Array(64 * 1024 * 1024) }]);
    expect(honest.length).toBeLessThan(100_000);
    expect(() => zipEntries(honest)).toThrow(/bomb\.dbf: \d+ bytes that inflate to 67108864, over 200:1 \(a zip bomb\?\)/);
    // The same bytes declaring 1,000: inflation stops at 1,000.
    const liar = declare(honest, 1000);
    const [e] = zipEntries(liar);
    expect(() => zipRead(liar, e!)).toThrow(/bomb\.dbf: inflates past the 1000 bytes it declares/);
    // Over the limits; a damaged member; encrypted; not an archive.
    const small = writeZip([{ name: 'a.shp', data: new Uint8Array(5000).fill(7) }]);
    expect(() => zipEntries(small, { maxEntryBytes: 4096 })).toThrow(/a\.shp: declares 5000 bytes, more than the 4096/);
    expect(() => zipEntries(small, { maxTotalBytes: 4096 })).toThrow(/over 4096 bytes in all/);
    const stored = writeZip([{ name: 'a.shp', data: Uint8Array.from([1, 2, 3]) }], { store: true });
    stored[30 + 5] = 9; // the first byte of the data
    expect(() => zipRead(stored, zipEntries(stored)[0]!)).toThrow(/CRC-32 does not match/);
    const locked = Buffer.from(handZip());
    locked.writeUInt16LE(1, 37 + 8); // the central entry's flags: encrypted
    expect(() => zipEntries(locked)).toThrow(/a\.txt: encrypted/);
    expect(() => zipEntries(new TextEncoder().encode('not a zip at all, not at all'))).toThrow(ZipError);
    expect(() => zipEntries(deflateRawSync(Buffer.alloc(1000)))).toThrow(/no end of central directory/);
  });
});

describe('XLSX', () => {
  it('reads the first sheet of a workbook written by hand: shared strings with runs and phonetics, inline strings, gaps, entities', () => {
    const ns = 'xmlns="http://schemas.openxmlformats.org/spreadsheetml/2006/main"';
    const files: [string, string][] = [
      [
        'xl/workbook.xml',
        `<workbook ${ns} xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships"><sheets><sheet name="人口" sheetId="3" r:id="rId7"/><sheet name="其他" sheetId="1" r:id="rId1"/></sheets></workbook>`,
      ],
      [
        'xl/_rels/workbook.xml.rels',
        '<Relationships><Relationship Id="rId1" Target="worksheets/sheet1.xml"/><Relationship Id="rId7" Target="/xl/worksheets/sheet7.xml"/></Relationships>',
      ],
      [
        'xl/sharedStrings.xml',
        `<sst ${ns}><si><t>代码</t></si><si><r><rPr><b/></rPr><t>名</t></r><r><t xml:space="preserve">称</t></r><rPh sb="0" eb="1"><t>ミン</t></rPh></si><si><t>A&amp;B镇</t></si></sst>`,
      ],
      ['xl/worksheets/sheet1.xml', `<worksheet ${ns}><sheetData><row r="1"><c r="A1"><v>999</v></c></row></sheetData></worksheet>`],
      [
        'xl/worksheets/sheet7.xml',
        `<worksheet ${ns}><sheetData><row r="1" spans="1:4"><c r="A1" t="s"><v>0</v></c><c r="B1" t="s" s="2"><v>1</v></c><c r="D1" t="inlineStr"><is><t>常住人口</t></is></c></row>` +
          `<row r="3"><c r="A3" t="str"><f>A2</f><v>370321101</v></c><c r="B3" t="s"><v>2</v></c><c r="C3"/><c r="D3"><v>100000</v></c></row>` +
          `<row r="4"><c r="AA4" t="b"><v>1</v></c></row></sheetData></worksheet>`,
      ],
    ];
    const xlsx = writeZip(files.map(([name, text]) => ({ name, data: new TextEncoder().encode(text) })));
    const rows = readXlsx(xlsx);
    expect(rows[0]).toEqual(['代码', '名称', '', '常住人口']);
    expect(rows[1]).toEqual([]);
    expect(rows[2]).toEqual(['370321101', 'A&B镇', '', '100000']);
    expect(rows[3]![26]).toBe('TRUE');
    expect(rows[3]!.length).toBe(27);
  });

  it('reads what it writes, and says what is wrong with a file that is not a workbook', () => {
    const rows = [
      ['id', '名称', 'lon'],
      ['a', '城关 <站> & "一"', 117.1234567],
    ];
    expect(readXlsx(writeXlsx(rows))).toEqual([
      ['id', '名称', 'lon'],
      ['a', '城关 <站> & "一"', '117.1234567'],
    ]);
    expect(() => readXlsx(writeZip([{ name: 'word/document.xml', data: new Uint8Array(3) }]))).toThrow(
      /no xl\/workbook\.xml: not an Excel workbook/,
    );
  });
});

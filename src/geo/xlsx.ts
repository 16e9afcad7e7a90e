/**
 * The first worksheet of an Excel workbook (.xlsx, Office Open XML, ECMA-376 Part 1 §18) as rows
 * of text: what a county's census and facility lists are kept in. Read from the archive
 * (zip.ts): the workbook's first sheet, found through its relationship; the shared strings (rich
 * text runs joined, phonetic guides dropped); cells by their reference (A1, AB12), so a gap
 * stays a gap; numbers as written. Formats, formulas and other sheets are not read (a cached
 * formula result is). The XML is read by patterns over its few elements, not a general parser:
 * workbooks are machine-written and these elements have a fixed shape.
 * And a writer (the sample county's facility list): shared strings, one sheet.
 */
import { writeZip, ZipError, zipEntries, zipRead } from './zip.js';

export class XlsxError extends Error {}

const MAX_ROWS = 1_000_000;

function unescapeXml(s: string): string {
  return s.replace(/&(#x[0-9a-fA-F]+|#\d+|amp|lt|gt|quot|apos);/g, (_, e: string) =>
    e[0] === '#'
      ? String.fromCodePoint(e[1] === 'x' ? Number.parseInt(e.slice(2), 16) : Number(e.slice(1)))
      : ({ amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" } as Record<string, string>)[e]!,
  );
}

function escapeXml(s: string): string {
  return s.replace(/[&<>"]/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;' })[c]!);
}

/** The text of an <si> or <is>: its <t> runs, phonetic guides (<rPh>) left out. */
function textOf(xml: string): string {
  const plain = xml.replace(/<rPh\b[\s\S]*?<\/rPh>/g, '');
  let out = '';
  for (const m of plain.matchAll(/<t\b[^>]*?(?:\/>|>([\s\S]*?)<\/t>)/g)) out += unescapeXml(m[1] ?? '');
  return out;
}

function attr(tag: string, name: string): string | undefined {
  const m = new RegExp(`\\s${name}="([^"]*)"`).exec(tag);
  return m ? unescapeXml(m[1]!) : undefined;
}

/** Column index of a cell reference: A → 0, Z → 25, AA → 26. */
export function columnOf(ref: string): number {
  const letters = /^([A-Z]{1,3})\d*$/.exec(ref)?.[1];
  if (!letters) return -1;
  let n = 0;
  for (const ch of letters) n = n * 26 + (ch.charCodeAt(0) - 64);
  return n - 1;
}

/** The first worksheet's rows (each a list of cell texts, '' for gaps). */
export function readXlsx(bytes: Uint8Array): string[][] {
  let files: Map<string, () => string>;
  try {
    const entries = zipEntries(bytes, { maxEntryBytes: 256 * 1024 * 1024 });
    files = new Map(entries.map((e) => [e.name.replace(/^\//, ''), () => new TextDecoder().decode(zipRead(bytes, e))]));
  } catch (e) {
    if (e instanceof ZipError) throw new XlsxError(e.message);
    throw e;
  }
  const part = (name: string): string => {
    const f = files.get(name);
    if (!f) throw new XlsxError(`no ${name}: not an Excel workbook (.xlsx)`);
    try {
      return f();
    } catch (e) {
      throw new XlsxError(e instanceof Error ? e.message : String(e));
    }
  };
  const workbook = part('xl/workbook.xml');
  const sheet = /<sheet\b[^>]*>/.exec(workbook)?.[0];
  const rid = sheet && (attr(sheet, 'r:id') ?? attr(sheet, 'relationships:id'));
  if (!rid) throw new XlsxError('xl/workbook.xml names no worksheet');
  const rels = part('xl/_rels/workbook.xml.rels');
  const rel = [...rels.matchAll(/<Relationship\b[^>]*>/g)].map((m) => m[0]).find((r) => attr(r, 'Id') === rid);
  const target = rel && attr(rel, 'Target');
  if (!target) throw new XlsxError(`xl/_rels/workbook.xml.rels has no target for ${rid}`);
  const sheetPath = target.startsWith('/') ? target.slice(1) : `xl/${target}`.replace(/\/\.\//g, '/');
  const strings = files.has('xl/sharedStrings.xml')
    ? [...part('xl/sharedStrings.xml').matchAll(/<si\b[^>]*>([\s\S]*?)<\/si>/g)].map((m) => textOf(m[1]!))
    : [];
  const xml = part(sheetPath);
  const rows: string[][] = [];
  for (const rm of xml.matchAll(/<row\b([^>]*?)(?:\/>|>([\s\S]*?)<\/row>)/g)) {
    const r = Number(attr(`<row${rm[1]}>`, 'r') ?? rows.length + 1) - 1;
    if (!(r >= 0 && r < MAX_ROWS)) throw new XlsxError(`${sheetPath}: row ${r + 1} beyond the ${MAX_ROWS} read`);
    while (rows.length < r) rows.push([]);
    const cells: string[] = [];
    for (const cm of (rm[2] ?? '').matchAll(/<c\b([^>]*?)(?:\/>|>([\s\S]*?)<\/c>)/g)) {
      const tag = `<c${cm[1]}>`;
      const ref = attr(tag, 'r');
      const col = ref === undefined ? cells.length : columnOf(ref);
      if (col < 0 || col > 16_383) throw new XlsxError(`${sheetPath}: cell reference ${ref} is not a column of a worksheet`);
      const body = cm[2] ?? '';
      const value = unescapeXml(/<v>([\s\S]*?)<\/v>/.exec(body)?.[1] ?? '');
      const type = attr(tag, 't');
      let text: string;
      if (type === 's') {
        const s = strings[Number(value)];
        if (s === undefined) throw new XlsxError(`${sheetPath}: cell ${ref ?? col} points to shared string ${value} of ${strings.length}`);
        text = s;
      } else if (type === 'inlineStr') text = textOf(/<is>([\s\S]*?)<\/is>/.exec(body)?.[1] ?? '');
      else if (type === 'b') text = value === '1' ? 'TRUE' : 'FALSE';
      else text = value;
      while (cells.length < col) cells.push('');
      cells[col] = text;
    }
    rows[r] = cells;
  }
  return rows;
}

/** A workbook of one sheet of `rows` (numbers as numbers, text as shared strings). */
export function writeXlsx(rows: readonly (readonly (string | number)[])[]): Buffer {
  const strings: string[] = [];
  const index = new Map<string, number>();
  const col = (i: number): string =>
    i < 26 ? String.fromCharCode(65 + i) : col(Math.floor(i / 26) - 1) + String.fromCharCode(65 + (i % 26));
  const sheetRows = rows.map((row, r) => {
    const cells = row.map((v, c) => {
      const ref = `${col(c)}${r + 1}`;
      if (typeof v === 'number') return `<c r="${ref}"><v>${v}</v></c>`;
      let k = index.get(v);
      if (k === undefined) {
        k = strings.length;
        strings.push(v);
        index.set(v, k);
      }
      return `<c r="${ref}" t="s"><v>${k}</v></c>`;
    });
    return `<row r="${r + 1}">${cells.join('')}</row>`;
  });
  const head = '<?xml version="1.0" encoding="UTF-8" standalone="yes"?>\n';
  const main = 'http://schemas.openxmlformats.org/spreadsheetml/2006/main';
  const rel = 'http://schemas.openxmlformats.org/officeDocument/2006/relationships';
  const files: [string, string][] = [
    [
      '[Content_Types].xml',
      `${head}<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"><Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/><Default Extension="xml" ContentType="application/xml"/><Override PartName="/xl/workbook.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sheet.main+xml"/><Override PartName="/xl/worksheets/sheet1.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.worksheet+xml"/><Override PartName="/xl/sharedStrings.xml" ContentType="application/vnd.openxmlformats-officedocument.spreadsheetml.sharedStrings+xml"/></Types>`,
    ],
    [
      '_rels/.rels',
      `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/officeDocument" Target="xl/workbook.xml"/></Relationships>`,
    ],
    [
      'xl/workbook.xml',
      `${head}<workbook xmlns="${main}" xmlns:r="${rel}"><sheets><sheet name="Sheet1" sheetId="1" r:id="rId1"/></sheets></workbook>`,
    ],
    [
      'xl/_rels/workbook.xml.rels',
      `${head}<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships"><Relationship Id="rId1" Type="${rel}/worksheet" Target="worksheets/sheet1.xml"/><Relationship Id="rId2" Type="${rel}/sharedStrings" Target="sharedStrings.xml"/></Relationships>`,
    ],
    ['xl/worksheets/sheet1.xml', `${head}<worksheet xmlns="${main}"><sheetData>${sheetRows.join('')}</sheetData></worksheet>`],
    [
      'xl/sharedStrings.xml',
      `${head}<sst xmlns="${main}" count="${strings.length}" uniqueCount="${strings.length}">${strings.map((s) => `<si><t xml:space="preserve">${escapeXml(s)}</t></si>`).join('')}</sst>`,
    ],
  ];
  return writeZip(files.map(([name, text]) => ({ name, data: new TextEncoder().encode(text) })));
}

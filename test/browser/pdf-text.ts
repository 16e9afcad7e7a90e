/**
 * The text of each page of a PDF as Chromium (Skia) writes it, for tests that read a printed
 * document back: objects found by `N 0 obj … endobj`, streams inflated, each page's fonts mapped to
 * Unicode by their ToUnicode CMaps (bfchar and bfrange), and the hex strings its content streams
 * show (Tj, TJ) decoded with the font set by the last Tf. Enough for Skia's output, which writes
 * every string as glyph ids in hex under Identity-H; not a general PDF reader. ActualText spans are
 * not read on purpose: without a CJK font Chromium prints glyph 0 (a box) with the character as
 * ActualText, and a test must see the boxes, not the text.
 */
import { inflateSync } from 'node:zlib';

export function pdfPageTexts(pdf: Buffer): string[] {
  const s = pdf.toString('latin1');
  const objects = new Map<number, string>();
  for (const m of s.matchAll(/(\d+) 0 obj\s*([\s\S]*?)endobj/g)) objects.set(Number(m[1]), m[2]!);
  const stream = (id: number): string => {
    const body = objects.get(id) ?? '';
    const at = body.indexOf('stream');
    if (at < 0) return '';
    let start = at + 'stream'.length;
    if (body[start] === '\r') start++;
    if (body[start] === '\n') start++;
    const raw = Buffer.from(body.slice(start, body.lastIndexOf('endstream')), 'latin1');
    return /FlateDecode/.test(body.slice(0, at)) ? inflateSync(raw).toString('latin1') : raw.toString('latin1');
  };
  /** A font's codes (hex, upper case) to text, and the hex digits of one code (4 under Identity-H, 2 in Skia's Type3 fonts). */
  interface Cmap {
    readonly map: Map<string, string>;
    width: number;
  }
  const cmaps = new Map<number, Cmap>();
  const cmapOf = (fontId: number): Cmap => {
    const known = cmaps.get(fontId);
    if (known) return known;
    const map = new Map<string, string>();
    const ref = /\/ToUnicode (\d+) 0 R/.exec(objects.get(fontId) ?? '');
    const text = ref ? stream(Number(ref[1])) : '';
    const utf16 = (hex: string) => String.fromCharCode(...(hex.match(/.{4}/g) ?? []).map((h) => Number.parseInt(h, 16)));
    for (const block of text.matchAll(/beginbfchar([\s\S]*?)endbfchar/g))
      for (const p of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) map.set(p[1]!.toUpperCase(), utf16(p[2]!));
    for (const block of text.matchAll(/beginbfrange([\s\S]*?)endbfrange/g))
      for (const p of block[1]!.matchAll(/<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>\s*<([0-9A-Fa-f]+)>/g)) {
        const [lo, hi, first] = [p[1]!, p[2]!, p[3]!].map((h) => Number.parseInt(h, 16)) as [number, number, number];
        for (let g = lo; g <= hi; g++)
          map.set(g.toString(16).toUpperCase().padStart(p[1]!.length, '0'), String.fromCharCode(first + g - lo));
      }
    const cmap = {
      map,
      width: /<([0-9A-Fa-f]+)>/.exec(/begincodespacerange([\s\S]*?)endcodespacerange/.exec(text)?.[1] ?? '')?.[1]?.length ?? 4,
    };
    cmaps.set(fontId, cmap);
    return cmap;
  };
  const pages: string[] = [];
  for (const body of objects.values()) {
    if (!/\/Type \/Page[^s]/.test(body)) continue;
    const fonts = new Map<string, number>();
    const fontDict = /\/Font <<([\s\S]*?)>>/.exec(body)?.[1] ?? '';
    for (const f of fontDict.matchAll(/\/(\w+) (\d+) 0 R/g)) fonts.set(f[1]!, Number(f[2]));
    const contents = /\/Contents (?:\[([^\]]*)\]|(\d+) 0 R)/.exec(body);
    const ids = contents?.[1] ? [...contents[1].matchAll(/(\d+) 0 R/g)].map((x) => Number(x[1])) : [Number(contents?.[2])];
    let text = '';
    for (const id of ids) {
      let font: Cmap = { map: new Map(), width: 4 };
      for (const op of stream(id).matchAll(/\/(\w+) [\d.]+ Tf|<([0-9A-Fa-f]*)>|\bET\b/g)) {
        if (op[1] !== undefined) font = cmapOf(fonts.get(op[1]) ?? -1);
        else if (op[2] !== undefined)
          for (const g of op[2].match(new RegExp(`.{${font.width}}`, 'g')) ?? []) text += font.map.get(g.toUpperCase()) ?? '';
        else text += '\n';
      }
    }
    pages.push(text);
  }
  return pages;
}

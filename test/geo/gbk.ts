/**
 * A GBK encoder for tests only (Node has TextDecoder('gbk') but no encoder): the inverse of the
 * decoder over every two-byte code, built once.
 */
let table: Map<string, number[]> | undefined;

export function encodeGbk(text: string): Uint8Array {
  if (!table) {
    table = new Map();
    const d = new TextDecoder('gbk');
    for (let a = 0x81; a <= 0xfe; a++)
      for (let b = 0x40; b <= 0xfe; b++) {
        if (b === 0x7f) continue;
        const ch = d.decode(new Uint8Array([a, b]));
        if (ch.length === 1 && ch !== '\ufffd' && !table.has(ch)) table.set(ch, [a, b]);
      }
  }
  const out: number[] = [];
  for (const ch of text) {
    const code = ch.codePointAt(0)!;
    if (code < 0x80) out.push(code);
    else {
      const bytes = table.get(ch);
      if (!bytes) throw new Error(`no GBK code for ${ch}`);
      out.push(...bytes);
    }
  }
  return new Uint8Array(out);
}

/**
 * Protocol Buffers wire format, the subset a reader of OSM PBF needs (and a writer for the test
 * fixtures and the sample county): varints up to 2⁵³ read as numbers, zigzag, length-delimited
 * fields and packed repeated varints. Every read is bounds-checked: a truncated or lying message
 * throws a RangeError naming the offset, never reads past its end.
 * Specification: https://protobuf.dev/programming-guides/encoding/
 */

export const Wire = { Varint: 0, Fixed64: 1, Bytes: 2, Fixed32: 5 } as const;

export class ProtoReader {
  pos: number;
  constructor(
    readonly buf: Uint8Array,
    start = 0,
    readonly end = buf.length,
  ) {
    this.pos = start;
  }

  get done(): boolean {
    return this.pos >= this.end;
  }

  /** The next field's key: its number and wire type. */
  key(): { field: number; wire: number } {
    const k = this.varint();
    return { field: Math.floor(k / 8), wire: k % 8 };
  }

  varint(): number {
    let result = 0;
    let scale = 1;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.end) throw new RangeError(`truncated varint at byte ${this.pos}`);
      const b = this.buf[this.pos++]!;
      result += (b & 0x7f) * scale;
      if (b < 0x80) return result;
      scale *= 128;
    }
    throw new RangeError(`varint longer than 10 bytes at byte ${this.pos}`);
  }

  /** A zigzag-encoded signed varint (sint32, sint64). */
  svarint(): number {
    const n = this.varint();
    return n % 2 === 1 ? -(n + 1) / 2 : n / 2;
  }

  /** A length-delimited field's bytes (a view, not a copy). */
  bytes(): Uint8Array {
    const n = this.varint();
    if (n > this.end - this.pos) throw new RangeError(`field of ${n} bytes at byte ${this.pos} runs past the message's end (${this.end})`);
    const out = this.buf.subarray(this.pos, this.pos + n);
    this.pos += n;
    return out;
  }

  /** A reader over a length-delimited field (an embedded message or a packed array). */
  message(): ProtoReader {
    const b = this.bytes();
    return new ProtoReader(b);
  }

  skip(wire: number): void {
    if (wire === Wire.Varint) this.varint();
    else if (wire === Wire.Bytes) this.bytes();
    else if (wire === Wire.Fixed64) this.advance(8);
    else if (wire === Wire.Fixed32) this.advance(4);
    else throw new RangeError(`unsupported wire type ${wire} at byte ${this.pos}`);
  }

  private advance(n: number): void {
    if (n > this.end - this.pos) throw new RangeError(`truncated field at byte ${this.pos}`);
    this.pos += n;
  }
}

/** Reads a packed repeated varint field into `out` (zigzag-decoded when `signed`), returning it. */
export function packed(r: ProtoReader, signed: boolean, out: number[] = []): number[] {
  const p = r.message();
  while (!p.done) out.push(signed ? p.svarint() : p.varint());
  return out;
}

/** A growable byte buffer writing the same wire format. */
export class ProtoWriter {
  private buf = new Uint8Array(256);
  private len = 0;

  private room(n: number): void {
    if (this.len + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.len + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.len));
    this.buf = next;
  }

  rawVarint(v: number): this {
    if (!(Number.isInteger(v) && v >= 0)) throw new RangeError(`varint ${v} is not a non-negative integer`);
    this.room(10);
    while (v >= 0x80) {
      this.buf[this.len++] = (v % 128) | 0x80;
      v = Math.floor(v / 128);
    }
    this.buf[this.len++] = v;
    return this;
  }

  varint(field: number, v: number): this {
    return this.rawVarint(field * 8 + Wire.Varint).rawVarint(v);
  }

  svarint(field: number, v: number): this {
    return this.varint(field, zigzag(v));
  }

  bytes(field: number, b: Uint8Array): this {
    this.rawVarint(field * 8 + Wire.Bytes).rawVarint(b.length);
    this.room(b.length);
    this.buf.set(b, this.len);
    this.len += b.length;
    return this;
  }

  string(field: number, s: string): this {
    return this.bytes(field, new TextEncoder().encode(s));
  }

  packed(field: number, values: readonly number[], signed: boolean): this {
    const inner = new ProtoWriter();
    for (const v of values) inner.rawVarint(signed ? zigzag(v) : v);
    return this.bytes(field, inner.finish());
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.len);
  }
}

function zigzag(v: number): number {
  return v >= 0 ? v * 2 : -v * 2 - 1;
}

/**
 * SHA-256 (FIPS 180-4, §6.2) of a short string, in 32-bit integer arithmetic, for the stream
 * seeds of src/rng/stream.ts: the same digest as node:crypto's `createHash('sha256')` of the
 * string's UTF-8 bytes (tested against it), without its per-call cost. A replication derives a
 * stream per use (14 in an annual replication of linqing, 6 in huantai's 1-in-50-year flood), and
 * each `createHash` made a hash object, crossed into C++ three times and returned a Buffer: 2.2 µs
 * a key on the 2-core EPYC under load, against 0.43 µs here (bench/stream-hash.js): 3–5% of a
 * replication.
 *
 * Not a general-purpose hash: one message at a time, into module-level buffers (the engine runs
 * one replication at a time on a thread), and the caller reads the digest's words from `H`.
 */

/** The round constants: the first 32 bits of the fractional parts of the cube roots of the first 64 primes (§4.2.2). */
const K = Int32Array.from(
  [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5, 0xd807aa98, 0x12835b01, 0x243185be,
    0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174, 0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa,
    0x5cb0a9dc, 0x76f988da, 0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967, 0x27b70a85,
    0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85, 0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
    0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070, 0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f,
    0x682e6ff3, 0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
  ].map((x) => x | 0),
);

/** The initial hash value: the first 32 bits of the fractional parts of the square roots of the first 8 primes (§5.3.3). */
const H0 = Int32Array.from(
  [0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19].map((x) => x | 0),
);

/** The digest of the last message, eight big-endian words (signed: `>>> 0` reads them unsigned). */
export const H = new Int32Array(8);

/** The message schedule (§6.2.2 step 1). */
const W = new Int32Array(64);

/** The padded message's bytes; grown for a long message. */
let bytes = new Uint8Array(128);

const encoder = new TextEncoder();

/** Writes the UTF-8 bytes of `s` at the start of `bytes` (grown when needed); returns their count. */
function encode(s: string): number {
  const n = s.length;
  if (bytes.length < n + 72) bytes = new Uint8Array((n + 72) * 2);
  for (let i = 0; i < n; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x80) {
      // not ASCII: the encoder's UTF-8 (lone surrogates as U+FFFD, as Buffer.from writes them)
      const utf8 = encoder.encode(s);
      if (bytes.length < utf8.length + 72) bytes = new Uint8Array((utf8.length + 72) * 2);
      bytes.set(utf8);
      return utf8.length;
    }
    bytes[i] = c;
  }
  return n;
}

/** SHA-256 of the UTF-8 bytes of `s`, into `H`. */
export function sha256(s: string): void {
  const n = encode(s);
  // padding (§5.1.1): 0x80, zeros to 56 mod 64, then the length in bits as 64 bits big-endian
  const blocks = ((n + 8) >> 6) + 1;
  const end = blocks * 64;
  bytes[n] = 0x80;
  bytes.fill(0, n + 1, end - 4);
  const bits = n * 8;
  bytes[end - 4] = bits >>> 24;
  bytes[end - 3] = bits >>> 16;
  bytes[end - 2] = bits >>> 8;
  bytes[end - 1] = bits;
  H.set(H0);
  for (let b = 0; b < end; b += 64) compress(b);
}

const rotr = (x: number, k: number): number => (x >>> k) | (x << (32 - k));

/** One block at `at` into H (§6.2.2). */
function compress(at: number): void {
  for (let t = 0; t < 16; t++) {
    const i = at + t * 4;
    W[t] = (bytes[i]! << 24) | (bytes[i + 1]! << 16) | (bytes[i + 2]! << 8) | bytes[i + 3]!;
  }
  for (let t = 16; t < 64; t++) {
    const w15 = W[t - 15]!;
    const w2 = W[t - 2]!;
    const s0 = rotr(w15, 7) ^ rotr(w15, 18) ^ (w15 >>> 3);
    const s1 = rotr(w2, 17) ^ rotr(w2, 19) ^ (w2 >>> 10);
    W[t] = (s1 + W[t - 7]! + s0 + W[t - 16]!) | 0;
  }
  let a = H[0]!;
  let b = H[1]!;
  let c = H[2]!;
  let d = H[3]!;
  let e = H[4]!;
  let f = H[5]!;
  let g = H[6]!;
  let h = H[7]!;
  for (let t = 0; t < 64; t++) {
    const t1 = (h + (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) + ((e & f) ^ (~e & g)) + K[t]! + W[t]!) | 0;
    const t2 = ((rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) + ((a & b) ^ (a & c) ^ (b & c))) | 0;
    h = g;
    g = f;
    f = e;
    e = (d + t1) | 0;
    d = c;
    c = b;
    b = a;
    a = (t1 + t2) | 0;
  }
  H[0] = (H[0]! + a) | 0;
  H[1] = (H[1]! + b) | 0;
  H[2] = (H[2]! + c) | 0;
  H[3] = (H[3]! + d) | 0;
  H[4] = (H[4]! + e) | 0;
  H[5] = (H[5]! + f) | 0;
  H[6] = (H[6]! + g) | 0;
  H[7] = (H[7]! + h) | 0;
}

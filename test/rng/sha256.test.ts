import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { H, sha256 } from '../../src/rng/sha256.js';
import { streamKey } from '../../src/rng/stream.js';

/** The digest of `s` by src/rng/sha256.ts, as hex. */
const hex = (s: string): string => {
  sha256(s);
  return Array.from(H, (w) => (w >>> 0).toString(16).padStart(8, '0')).join('');
};
const nodeHex = (s: string): string => createHash('sha256').update(s).digest('hex');

describe('SHA-256 in 32-bit arithmetic (src/rng/sha256.ts)', () => {
  it('gives the digests of FIPS 180-4’s examples (NIST CSRC, SHA256.pdf: one block, two blocks; and the empty string)', () => {
    expect(hex('abc')).toBe('ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad');
    expect(hex('abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq')).toBe(
      '248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1',
    );
    expect(hex('')).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
  });
  it('equals node:crypto’s digest at every length across the padding’s block boundaries (0–200 bytes), and for UTF-8 beyond ASCII', () => {
    for (let n = 0; n <= 200; n++) {
      const s = Array.from({ length: n }, (_, i) => String.fromCharCode(32 + ((i * 7 + n) % 95))).join('');
      expect(hex(s), `length ${n}`).toBe(nodeHex(s));
    }
    for (const s of ['临清市/化工园区', 'fire:东城街道', 'é', '𝔘', 'a\u0000b', '\ud800 lone surrogate', 'x'.repeat(1000)]) {
      expect(hex(s), s).toBe(nodeHex(s));
    }
  });
  it('gives the streams the keys they had from node:crypto (the golden digests hold them too)', () => {
    for (const [seed, r, name] of [
      [1, 0, 'test'],
      [20240701, 19_999, 'chemical:linqing-chem-park'],
      [7, 123_456_789, 'evacuation:汶河'],
    ] as const) {
      expect(streamKey(seed, r, name).toString('hex')).toBe(nodeHex(`dsim-rng-v2\u0000${seed}\u0000${r}\u0000${name}`));
    }
  });
});

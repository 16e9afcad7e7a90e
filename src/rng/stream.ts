/**
 * Random streams derived from content, never from a worker or a batch (design note:
 * docs/adr/0001-seeding.md). A stream's seed is SHA-256 of (engine tag, scenario seed,
 * replication index, stream name); the hash, not string concatenation, is what keeps
 * `seed 1, replication 12` apart from `seed 11, replication 2`. The scenario hash is deliberately
 * *not* part of the key: two variants of a scenario (one more truck) then see the same floods and
 * the same calls — common random numbers, which make comparisons between variants far sharper.
 *
 * The generator is xoshiro128** (Blackman & Vigna, "Scrambled linear pseudorandom number
 * generators", ACM TOMS 47(4), 2021; reference code prng.di.unimi.it/xoshiro128starstar.c):
 * 128 bits of state, the first 128 bits of the hash; period 2^128 − 1; 32-bit integer arithmetic
 * only (Math.imul), about 6 ns a double here against 10 ns for seedrandom's Alea, whose two
 * float steps per double and 200-step Mash seeding it replaced (ENGINE_VERSION 0.9.0).
 */
import { H, sha256 } from './sha256.js';

/** A uniform generator on [0, 1). */
export type Rng = () => number;

const ENGINE_TAG = 'dsim-rng-v2';

/** 2^-53: a double from 53 random bits. */
const TWO_POW_MINUS_53 = 1 / 9007199254740992;

/** xoshiro128** over four signed 32-bit words (the bits are what matter; `>>> 0` reads them unsigned). */
export class Xoshiro128 {
  private s0: number;
  private s1: number;
  private s2: number;
  private s3: number;

  constructor(s0: number, s1: number, s2: number, s3: number) {
    this.s0 = s0 | 0;
    this.s1 = s1 | 0;
    this.s2 = s2 | 0;
    this.s3 = s3 | 0;
    // the all-zero state is the generator's one fixed point
    if ((this.s0 | this.s1 | this.s2 | this.s3) === 0) this.s0 = 1;
  }

  /** The next 32-bit output, unsigned. */
  nextUint32(): number {
    const s1 = this.s1;
    const x = Math.imul(s1, 5);
    const out = Math.imul((x << 7) | (x >>> 25), 9);
    this.step();
    return out >>> 0;
  }

  /** A double on [0, 1) from the top 27 and 26 bits of two outputs (as MT19937's genrand_res53). */
  nextDouble(): number {
    let x = Math.imul(this.s1, 5);
    const a = Math.imul((x << 7) | (x >>> 25), 9) >>> 5;
    this.step();
    x = Math.imul(this.s1, 5);
    const b = Math.imul((x << 7) | (x >>> 25), 9) >>> 6;
    this.step();
    return (a * 67108864 + b) * TWO_POW_MINUS_53;
  }

  private step(): void {
    const t = this.s1 << 9;
    this.s2 ^= this.s0;
    this.s3 ^= this.s1;
    this.s1 ^= this.s2;
    this.s0 ^= this.s3;
    this.s2 ^= t;
    this.s3 = (this.s3 << 11) | (this.s3 >>> 21);
  }
}

/** The seed hash of one named stream of one replication (SHA-256: src/rng/sha256.ts). */
export function streamKey(seed: number, replication: number, stream: string): Buffer {
  sha256(keyText(seed, replication, stream));
  const k = Buffer.alloc(32);
  for (let i = 0; i < 8; i++) k.writeInt32BE(H[i]!, i * 4);
  return k;
}

/** What a stream's seed hashes. */
function keyText(seed: number, replication: number, stream: string): string {
  return `${ENGINE_TAG}\u0000${seed}\u0000${replication}\u0000${stream}`;
}

/** The generator of one named stream of one replication. */
export function streamRng(seed: number, replication: number, stream: string): Rng {
  // the first 128 bits of the key, as four big-endian words
  sha256(keyText(seed, replication, stream));
  const g = new Xoshiro128(H[0]!, H[1]!, H[2]!, H[3]!);
  return () => g.nextDouble();
}

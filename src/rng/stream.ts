/**
 * Random streams derived from content, never from a worker or a batch (design note:
 * docs/adr/0001-seeding.md). A stream's seed is SHA-256 of (engine tag, scenario seed,
 * replication index, stream name); the hash, not string concatenation, is what keeps
 * `seed 1, replication 12` apart from `seed 11, replication 2` and avoids seedrandom's
 * short-key cycling. The scenario hash is deliberately *not* part of the key: two variants of a
 * scenario (one more truck) then see the same floods and the same calls — common random
 * numbers, which make comparisons between variants far sharper.
 */
import { createHash } from 'node:crypto';
import seedrandom from 'seedrandom';

/** A uniform generator on [0, 1). */
export type Rng = () => number;

const ENGINE_TAG = 'dsim-rng-v1';

/** The seed key of one named stream of one replication. */
export function streamKey(seed: number, replication: number, stream: string): string {
  return createHash('sha256').update(`${ENGINE_TAG}\u0000${seed}\u0000${replication}\u0000${stream}`).digest('hex');
}

/** The generator of one named stream of one replication (Alea, via seedrandom). */
export function streamRng(seed: number, replication: number, stream: string): Rng {
  const prng = seedrandom.alea(streamKey(seed, replication, stream));
  return () => prng.double();
}

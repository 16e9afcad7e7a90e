#!/usr/bin/env node
/**
 * What a random stream's seed costs: SHA-256 of a stream key (src/rng/stream.ts) by node:crypto's
 * createHash and by src/rng/sha256.ts, interleaved in blocks of 12,800 keys, by CPU time (the
 * median of 30 blocks each). The keys are those of one annual replication's streams. Runs dist/.
 *
 *   npm run build && node bench/stream-hash.js
 */
import { createHash } from 'node:crypto';
import { H, sha256 } from '../dist/rng/sha256.js';

const keys = Array.from({ length: 64 }, (_, i) => `dsim-rng-v2\u0000${20240701 + (i % 3)}\u0000${i * 37}\u0000chemical:site-${i % 7}`);
const cpuMs = () => {
  const u = process.cpuUsage();
  return (u.user + u.system) / 1000;
};
let sink = 0;
const viaNode = () => {
  for (const k of keys) sink += createHash('sha256').update(k).digest().readInt32BE(0);
};
const viaJs = () => {
  for (const k of keys) {
    sha256(k);
    sink += H[0];
  }
};
for (let i = 0; i < 2000; i++) {
  viaNode();
  viaJs();
}
const block = (f) => {
  const c = cpuMs();
  for (let i = 0; i < 200; i++) f();
  return ((cpuMs() - c) / (200 * keys.length)) * 1000;
};
const a = [];
const b = [];
for (let r = 0; r < 30; r++) {
  a.push(block(viaNode));
  b.push(block(viaJs));
}
const median = (xs) => [...xs].sort((p, q) => p - q)[xs.length >> 1];
console.log(
  `node:crypto createHash: ${median(a).toFixed(3)} µs a key; src/rng/sha256.ts: ${median(b).toFixed(3)} µs (×${(median(a) / median(b)).toFixed(1)})`,
);
if (sink === 0.5) console.log(sink);

/**
 * Pure planning: which replications run in which batch, and where a precision-stopped run
 * checks its intervals. Nothing here depends on timing, so the replications a run uses, and
 * hence its result, never depend on the machine.
 */
export interface Batch {
  readonly from: number;
  readonly to: number;
}

/** Splits [from, to) into consecutive batches of at most `size`. */
export function planBatches(from: number, to: number, size: number): Batch[] {
  const out: Batch[] = [];
  const step = Math.max(1, Math.floor(size));
  for (let a = from; a < to; a += step) out.push({ from: a, to: Math.min(to, a + step) });
  return out;
}

/** Batch size for an in-thread run of n replications: about 100 progress steps, at most 1,000 each. */
export function inThreadBatchSize(n: number): number {
  return Math.max(1, Math.min(1000, Math.ceil(n / 100)));
}

/**
 * Checkpoints of a precision-stopped run: the replication counts after which the confidence
 * intervals are checked — `first`, then doubling, capped at `max` (always the last checkpoint).
 */
export function checkpoints(first: number, max: number): number[] {
  const out: number[] = [];
  for (let n = Math.min(first, max); ; n = Math.min(max, n * 2)) {
    out.push(n);
    if (n >= max) return out;
  }
}

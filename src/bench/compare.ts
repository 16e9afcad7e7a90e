/**
 * Comparing a benchmark run with a stored baseline: a task regresses when its mean time grew by
 * more than the allowed percentage. Ratios, never absolute thresholds; tasks missing on either
 * side are listed, not failed.
 */
export interface BenchTask {
  readonly task: string;
  readonly meanMs: number;
  readonly rmePct: number;
  readonly opsPerSec?: number;
}

export interface BenchReport {
  readonly kind: 'dsim.bench';
  readonly machine: Record<string, unknown>;
  readonly tasks: readonly BenchTask[];
}

export interface Comparison {
  readonly task: string;
  readonly baselineMs: number;
  readonly currentMs: number;
  /** (current / baseline − 1) × 100. */
  readonly changePct: number;
  readonly regressed: boolean;
}

export function compareBench(
  current: BenchReport,
  baseline: BenchReport,
  maxRegressionPct: number,
): { rows: Comparison[]; missing: string[] } {
  const base = new Map(baseline.tasks.map((t) => [t.task, t]));
  const rows: Comparison[] = [];
  const missing: string[] = [];
  for (const t of current.tasks) {
    const b = base.get(t.task);
    if (!b) {
      missing.push(t.task);
      continue;
    }
    const changePct = (t.meanMs / b.meanMs - 1) * 100;
    rows.push({ task: t.task, baselineMs: b.meanMs, currentMs: t.meanMs, changePct, regressed: changePct > maxRegressionPct });
  }
  for (const b of baseline.tasks) if (!current.tasks.some((t) => t.task === b.task)) missing.push(b.task);
  return { rows, missing };
}
